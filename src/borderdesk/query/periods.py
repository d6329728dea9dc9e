"""Periods: fiscal years, quarters, halves, calendar months and years, ranges, and open ends, from text.

A :class:`Period` is a run of whole calendar months. This is the one period parser: the CLI, the Python
API, the HTTP API and the claim checker's structured queries all read periods here. Forms
(case-insensitive; month names may be abbreviated, with or without a dot, and "Sept" is AP style)::

    FY2022  FY22  FY 2022  fiscal 2022  fiscal year 2022     -> Oct 2021 .. Sep 2022
    2022-11  Nov 2022  November 2022  11/2022                 -> one month
    Sept 2022  Sept. 2022  Sep 2022  Dec. 2022                -> one month
    2022  CY2022  calendar 2022                               -> Jan .. Dec 2022
    Q1 FY2024  FY2024 Q1  FY2024-Q1  first quarter of FY2024  -> Oct .. Dec 2023 (fiscal quarter)
    Q1 2024  2024-Q1                                          -> Jan .. Mar 2024 (calendar quarter)
    first half of 2023  H1 2023  2023-H1                      -> Jan .. Jun 2023
    second half of FY2023  H2 FY2023  FY2023-H2               -> Apr .. Sep 2023
    2022-02..2022-11  FY2021..FY2022  Feb 2022 to Nov 2022    -> ranges (start of A .. end of B)
    Nov 2022 - Jan 2023  Nov 2022 – Jan 2023  Nov 2022 through Jan 2023  -> ranges
    Oct.–Dec. 2023  Nov - Jan 2023                            -> ranges (the year of the second end)
    since 2022-02  since FY2021                               -> open end: up to the newest data
    FY2023-to-date  FY2023 to date  FYTD2023                  -> the fiscal year up to the newest data
    last 12 months  past 6 months                             -> the newest N months of data

A quarter or half written with "FY" is of the fiscal year (Q1 FY2024 is Oct-Dec 2023); written with a
plain year it is of the calendar year (Q1 2024 is Jan-Mar 2024). "Last N months" counts back from the
newest month of data, not from the clock: a release is published weeks after its last month, so the
clock would ask for months no release holds yet.

The fiscal year runs 1 Oct - 30 Sep: FY2023 starts in October 2022.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from borderdesk.errors import PeriodError

# The month arithmetic lives in borderdesk.values; these names stay importable from here for callers.
from borderdesk.values import MONTH_WORDS, calendar_year_of
from borderdesk.values import date_index as date_index
from borderdesk.values import fiscal_year_months as fiscal_year_months
from borderdesk.values import fiscal_year_of as fiscal_year_of
from borderdesk.values import index_date as index_date
from borderdesk.values import month_index as month_index
from borderdesk.values import month_text as month_text

_ORDINAL = {1: "first", 2: "second", 3: "third", 4: "fourth"}


def month_words(index: int) -> str:
    """'Nov 2025': how answers and refusals name a month (the parser reads it back)."""
    return f"{index_date(index):%b %Y}"


def month_span(start: int, end: int) -> str:
    """'Nov 2022 - Jan 2023' (or 'Nov 2022' for one month): how answers name their months; the
    parser reads it back."""
    name = month_words(start)
    return name if start == end else f"{name} - {month_words(end)}"


@dataclass(frozen=True)
class Period:
    """Months ``start`` .. ``end`` inclusive (month indexes); ``end`` None means "to the newest data".

    ``kind`` keeps how it was asked so it prints back the same way: month, fiscal_year, calendar_year,
    fiscal_quarter, quarter, fiscal_half, half, range, since, fiscal_to_date, range_to_date,
    newest_months (the newest ``newest_months`` months of data: ``start`` is known once resolved) and
    all_data (no period asked: every month the data holds).
    """

    kind: str
    start: int
    end: int | None
    # an open end that may not pass this month (``2022-02..FY2023-to-date`` stops at Sep 2023)
    limit: int | None = None
    # "last 12 months": how many of the newest months of data
    newest_months: int | None = None

    @property
    def text(self) -> str:
        """The canonical spelling: :func:`parse_period` reads it back as the same period."""
        if self.kind == "month":
            return month_text(self.start)
        if self.kind == "fiscal_year":
            return f"FY{fiscal_year_of(self.start)}"
        if self.kind == "calendar_year":
            return f"{calendar_year_of(self.start)}"
        if self.kind == "fiscal_quarter":
            return f"FY{fiscal_year_of(self.start)}-Q{self._part(3, fiscal=True)}"
        if self.kind == "quarter":
            return f"{calendar_year_of(self.start)}-Q{self._part(3, fiscal=False)}"
        if self.kind == "fiscal_half":
            return f"FY{fiscal_year_of(self.start)}-H{self._part(6, fiscal=True)}"
        if self.kind == "half":
            return f"{calendar_year_of(self.start)}-H{self._part(6, fiscal=False)}"
        if self.kind == "fiscal_to_date":
            return f"FY{fiscal_year_of(self.start)}-to-date"
        if self.kind == "since":
            return f"since {month_text(self.start)}"
        if self.kind == "newest_months":
            return f"last {self.newest_months} months"
        if self.kind == "range_to_date":
            assert self.limit is not None
            return f"{month_text(self.start)}..FY{fiscal_year_of(self.limit)}-to-date"
        assert self.end is not None
        return f"{month_text(self.start)}..{month_text(self.end)}"

    def _part(self, length: int, *, fiscal: bool) -> int:
        """Which quarter (``length`` 3) or half (6) of its year the period starts: 1-based."""
        offset = (
            (self.start - fiscal_year_months(fiscal_year_of(self.start))[0]) if fiscal else self.start % 12
        )
        return offset // length + 1

    def __str__(self) -> str:
        return self.text

    def resolve(self, newest: int) -> Period:
        """Close an open end at the newest month with data (keeps the kind for display)."""
        if self.end is not None:
            return self
        if self.kind == "newest_months":
            assert self.newest_months is not None
            return Period(self.kind, newest - self.newest_months + 1, newest, None, self.newest_months)
        end = newest
        if self.kind == "fiscal_to_date":
            end = min(newest, fiscal_year_months(fiscal_year_of(self.start))[1])
        if self.limit is not None:
            end = min(end, self.limit)
        return Period(self.kind, self.start, end, self.limit, self.newest_months)

    def months(self) -> range:
        if self.end is None:
            raise PeriodError(f"period {self.text!r} has an open end; resolve it against the data first")
        return range(self.start, self.end + 1)

    @property
    def first_day(self) -> dt.date:
        if self.kind == "newest_months" and self.end is None:  # its first month is not known yet
            raise PeriodError(f"period {self.text!r} counts back from the newest data; resolve it first")
        return index_date(self.start)

    @property
    def last_month(self) -> dt.date | None:
        return None if self.end is None else index_date(self.end)

    def describe(self) -> str:
        """Human wording that names the exact months once they are known, e.g. 'fiscal year 2022
        (Oct 2021 - Sep 2022)' or 'since Feb 2022 (Feb 2022 - Nov 2025)'."""
        if self.end is None:
            if self.kind == "newest_months":
                return f"the newest {self.newest_months} months of data"
            return f"{month_words(self.start)} to the newest data"
        if self.kind == "month":
            return f"{index_date(self.start):%B %Y}"
        span = month_span(self.start, self.end)
        named = {
            "fiscal_year": f"fiscal year {fiscal_year_of(self.start)}",
            "calendar_year": f"calendar year {calendar_year_of(self.start)}",
            "fiscal_quarter": f"Q{self._part(3, fiscal=True)} of fiscal year {fiscal_year_of(self.start)}",
            "quarter": f"Q{self._part(3, fiscal=False)} {calendar_year_of(self.start)}",
            "fiscal_half": f"{_ORDINAL[self._part(6, fiscal=True)]} half of fiscal year "
            f"{fiscal_year_of(self.start)}",
            "half": f"{_ORDINAL[self._part(6, fiscal=False)]} half of {calendar_year_of(self.start)}",
            "fiscal_to_date": f"fiscal year {fiscal_year_of(self.start)} to date",
            "since": f"since {month_words(self.start)}",
            "range_to_date": f"from {month_words(self.start)} to fiscal year "
            f"{fiscal_year_of(self.limit or self.end)} to date",
            "newest_months": f"the newest {self.newest_months} months of data",
            "all_data": "every month in the data",
        }.get(self.kind)
        return f"{named} ({span})" if named else span


_MONTH_WORD = "|".join(sorted(MONTH_WORDS, key=len, reverse=True))
_FY_YEAR = r"(?:fy|fiscal(?:\s+year)?)\s*'?(\d{4}|\d{2})"
_FY = re.compile(rf"^{_FY_YEAR}$")
_FYTD = re.compile(rf"^(?:{_FY_YEAR}[\s-]*(?:to[\s-]*date|ytd|td)|fytd\s*(\d{{4}}|\d{{2}}))$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_SLASH_MONTH = re.compile(r"^(\d{1,2})/(\d{4})$|^(\d{4})/(\d{1,2})$")
_NAMED_MONTH = re.compile(rf"^({_MONTH_WORD})\.?,?\s*'?(\d{{4}}|\d{{2}})$")
_BARE_MONTH = re.compile(rf"^({_MONTH_WORD})\.?$")
_YEAR = re.compile(r"^(?:cy|calendar(?:\s+year)?)?\s*(\d{4})$")
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "six": 6, "nine": 9, "twelve": 12, "eighteen": 18}
_LAST = re.compile(
    r"^(?:the\s+)?(?:last|past|previous|trailing|latest|newest|most\s+recent)\s+(\d{1,4}|"
    + "|".join(_NUMBER_WORDS)
    + r")\s+months?(?:\s+of\s+(?:the\s+)?data)?$"
)
_ORDINAL_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_ORDINALS = "|".join(_ORDINAL_WORDS)
# a quarter or half of a year: "q1 fy2024", "fy2024 q1", "2024-q1", "first half of 2023", "h2 fy2023"
_PART_FIRST = re.compile(r"^([qh])([1-4])\s*(.+)$")
_PART_LAST = re.compile(r"^(.+?)[\s-]*([qh])([1-4])$")
_PART_WORDS = re.compile(rf"^(?:the\s+)?({_ORDINALS})\s+(quarter|half)\s+(?:of\s+)?(.+)$")
# A range's separator: "..", to/through/until, an en or em dash, a hyphen with spaces, or a hyphen
# straight before a letter ("Oct-Dec 2023", "FY2021-FY2022"); "2022-11" has no letter after its hyphen.
_SEPARATOR = re.compile(r"\s*(?:\.\.|\s(?:to|through|thru|until|till)\s|[–—]|\s-\s|-(?=[a-z]))\s*")
_SINCE = re.compile(r"^(?:since|from|starting(?:\s+in)?)\s+(.+)$")
_BETWEEN = re.compile(r"^(?:between|from)\s+(.+?)\s+(?:and|to|through|thru|until)\s+(.+)$")

_MIN_YEAR, _MAX_YEAR = 1900, 2200


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        y += 2000
    if not _MIN_YEAR <= y <= _MAX_YEAR:
        raise PeriodError(f"year {text} is out of range")
    return y


def _year_of_part(text: str) -> tuple[bool, int] | None:
    """(fiscal?, year) of the year a quarter or half belongs to: 'fy2024' or '2024'."""
    if m := _FY.match(text.strip()):
        return True, _year(m.group(1))
    if m := _YEAR.match(text.strip()):
        return False, _year(m.group(1))
    return None


def _part_of_year(text: str) -> Period | None:
    """A quarter or a half of a fiscal or calendar year."""
    if m := _PART_WORDS.match(text):
        letter, number, rest = m.group(2)[0], _ORDINAL_WORDS[m.group(1)], m.group(3)
    elif m := _PART_FIRST.match(text):
        letter, number, rest = m.group(1), int(m.group(2)), m.group(3)
    elif m := _PART_LAST.match(text):
        letter, number, rest = m.group(2), int(m.group(3)), m.group(1)
    else:
        return None
    year = _year_of_part(rest)
    if year is None:
        return None
    fiscal, y = year
    length = 3 if letter == "q" else 6
    if number > 12 // length:
        raise PeriodError(f"a year has no {'quarter' if length == 3 else 'half'} {number}: {text!r}")
    first = (fiscal_year_months(y)[0] if fiscal else month_index(y, 1)) + (number - 1) * length
    kind = ("fiscal_" if fiscal else "") + ("quarter" if length == 3 else "half")
    return Period(kind, first, first + length - 1)


def _single(text: str) -> Period | None:
    """A period that is one month, quarter, half, fiscal or calendar year, or FY-to-date."""
    if m := _FYTD.match(text):
        fy = _year(m.group(1) or m.group(2))
        return Period("fiscal_to_date", fiscal_year_months(fy)[0], None)
    if m := _FY.match(text):
        fy = _year(m.group(1))
        return Period("fiscal_year", *fiscal_year_months(fy))
    if m := _ISO_MONTH.match(text):
        year, month = _year(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(f"month {m.group(2)} in {text!r} is not 1-12")
        i = month_index(year, month)
        return Period("month", i, i)
    if m := _SLASH_MONTH.match(text):
        month_s, year_s = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        month = int(month_s)
        if not 1 <= month <= 12:
            raise PeriodError(f"month {month} in {text!r} is not 1-12")
        i = month_index(_year(year_s), month)
        return Period("month", i, i)
    if m := _NAMED_MONTH.match(text):
        i = month_index(_year(m.group(2)), MONTH_WORDS[m.group(1)])
        return Period("month", i, i)
    if m := _YEAR.match(text):
        y = _year(m.group(1))
        return Period("calendar_year", month_index(y, 1), month_index(y, 12))
    return _part_of_year(text)


def _range(left: str, right: str, raw: str) -> Period:
    """``left`` .. ``right``: from the start of one to the end of the other. A bare month on the left
    ("Oct." in "Oct.–Dec. 2023") takes the year of the right end, or the year before when it would
    otherwise start after it ("Nov - Jan 2023" is Nov 2022 - Jan 2023)."""
    b = _single(right)
    if b is None:
        raise PeriodError(f"cannot read {right!r} in period {raw!r}; " + _ACCEPTED)
    a = _single(left)
    if a is None and (m := _BARE_MONTH.match(left)):
        start = month_index(calendar_year_of(b.start), MONTH_WORDS[m.group(1)])
        if start > b.start:  # "Nov - Jan 2023": November of the year before
            start -= 12
        a = Period("month", start, start)
    if a is None:
        raise PeriodError(f"cannot read {left!r} in period {raw!r}; " + _ACCEPTED)
    if b.end is None:
        if b.kind == "fiscal_to_date":
            return Period("range_to_date", a.start, None, fiscal_year_months(fiscal_year_of(b.start))[1])
        return Period("since", a.start, None)
    if b.end < a.start:
        raise PeriodError(f"period {raw!r} ends before it starts")
    return Period("range", a.start, b.end)


def _split_range(t: str, raw: str) -> Period:
    """A range at the first separator where both sides read as periods ("FY2024-Q1..FY2024-Q3" has a
    hyphen before its "..")."""
    errors: list[PeriodError] = []
    for sep in _SEPARATOR.finditer(t):
        left, right = t[: sep.start()], t[sep.end() :]
        if left and right:
            try:
                return _range(left, right, raw)
            except PeriodError as e:
                errors.append(e)
    reversed_ends = [e for e in errors if "ends before it starts" in str(e)]
    raise (reversed_ends or errors or [PeriodError(f"cannot read period {raw!r}; " + _ACCEPTED)])[0]


def _normalize(text: str) -> str:
    """Lower case, one space between words, typographic apostrophes and dashes as typed."""
    t = str(text).strip().lower().replace("\u2019", "'").replace("\u2212", "-")
    return " ".join(t.split())


def parse_period(text: str, *, today: dt.date | None = None) -> Period:
    """Parse any period form in the module docstring; raises PeriodError saying what is accepted.

    ``today`` is accepted for callers that pass it; no form depends on it any more ("last 12 months"
    is the newest twelve months of data, resolved with :meth:`Period.resolve`).
    """
    del today
    raw = text
    t = _normalize(text)
    if not t:
        raise PeriodError("empty period; " + _ACCEPTED)
    try:
        if m := _LAST.match(t):
            word = m.group(1)
            n = _NUMBER_WORDS[word] if word in _NUMBER_WORDS else int(word)
            if not 1 <= n <= 1200:
                raise PeriodError(f"{raw!r}: the number of months must be 1-1200")
            return Period("newest_months", 0, None, None, n)
        since = _SINCE.match(t)
        first = _single(since.group(1)) if since else None
        if first is not None:
            return Period("since", first.start, None)
        if m := _BETWEEN.match(t):
            return _range(m.group(1), m.group(2), raw)
        if since:
            raise PeriodError(f"cannot read {since.group(1)!r} in period {raw!r}; " + _ACCEPTED)
        p = _single(t)
        if p is not None:
            return p
        if _SEPARATOR.search(t):
            return _split_range(t, raw)
    except KeyError:
        pass
    raise PeriodError(f"cannot read period {raw!r}; " + _ACCEPTED)


_ACCEPTED = (
    "expected e.g. FY2022, FY22, 2022-11, Nov 2022, Sept. 2022, 2022 (calendar year), Q1 FY2024, "
    "first half of 2023, 2022-02..2022-11, Nov 2022 - Jan 2023, since 2022-02, FY2023-to-date or "
    "last 12 months"
)
