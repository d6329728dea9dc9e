"""Periods: fiscal years, calendar months and years, ranges, and open ends, parsed from text.

A :class:`Period` is a run of whole calendar months. Forms (case-insensitive)::

    FY2022  FY22  FY 2022  fiscal 2022  fiscal year 2022     -> Oct 2021 .. Sep 2022
    2022-11  Nov 2022  November 2022  11/2022                 -> one month
    2022  CY2022  calendar 2022                               -> Jan .. Dec 2022
    2022-02..2022-11  FY2021..FY2022  Feb 2022 to Nov 2022    -> ranges (start of A .. end of B)
    since 2022-02  since FY2021                               -> open end: up to the newest data
    FY2023-to-date  FY2023 to date  FYTD2023                  -> the fiscal year up to the newest data
    last 12 months  past 6 months                             -> the N complete months before ``today``

The fiscal year runs 1 Oct - 30 Sep: FY2023 starts in October 2022.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from borderdesk.errors import PeriodError

# The month arithmetic lives in borderdesk.values; these names stay importable from here for callers.
from borderdesk.values import MONTH_ABBREVIATIONS, MONTH_NAMES, MONTH_WORDS, calendar_year_of
from borderdesk.values import date_index as date_index
from borderdesk.values import fiscal_year_months as fiscal_year_months
from borderdesk.values import fiscal_year_of as fiscal_year_of
from borderdesk.values import index_date as index_date
from borderdesk.values import month_index as month_index
from borderdesk.values import month_text as month_text


@dataclass(frozen=True)
class Period:
    """Months ``start`` .. ``end`` inclusive (month indexes); ``end`` None means "to the newest data".

    ``kind`` keeps how it was asked so it prints back the same way: month, fiscal_year,
    calendar_year, range, since, fiscal_to_date.
    """

    kind: str
    start: int
    end: int | None
    # an open end that may not pass this month (``2022-02..FY2023-to-date`` stops at Sep 2023)
    limit: int | None = None

    @property
    def text(self) -> str:
        if self.kind == "month":
            return month_text(self.start)
        if self.kind == "fiscal_year":
            return f"FY{fiscal_year_of(self.start)}"
        if self.kind == "calendar_year":
            return f"{calendar_year_of(self.start)}"
        if self.kind == "fiscal_to_date":
            return f"FY{fiscal_year_of(self.start)}-to-date"
        if self.kind == "since":
            return f"since {month_text(self.start)}"
        if self.kind == "range_to_date":
            assert self.limit is not None
            return f"{month_text(self.start)}..FY{fiscal_year_of(self.limit)}-to-date"
        assert self.end is not None
        return f"{month_text(self.start)}..{month_text(self.end)}"

    def __str__(self) -> str:
        return self.text

    def resolve(self, newest: int) -> Period:
        """Close an open end at the newest month with data (keeps the kind for display)."""
        if self.end is not None:
            return self
        end = newest
        if self.kind == "fiscal_to_date":
            end = min(newest, fiscal_year_months(fiscal_year_of(self.start))[1])
        if self.limit is not None:
            end = min(end, self.limit)
        return Period(self.kind, self.start, end, self.limit)

    def months(self) -> range:
        if self.end is None:
            raise PeriodError(f"period {self.text!r} has an open end; resolve it against the data first")
        return range(self.start, self.end + 1)

    @property
    def first_day(self) -> dt.date:
        return index_date(self.start)

    @property
    def last_month(self) -> dt.date | None:
        return None if self.end is None else index_date(self.end)

    def describe(self) -> str:
        """Human wording, e.g. 'fiscal year 2022 (Oct 2021 - Sep 2022)'."""

        def name(i: int) -> str:
            return f"{index_date(i):%b %Y}"

        if self.end is None:
            return f"{name(self.start)} to the newest data"
        if self.kind == "month":
            return f"{index_date(self.start):%B %Y}"
        span = f"{name(self.start)} - {name(self.end)}"
        if self.kind == "fiscal_year":
            return f"fiscal year {fiscal_year_of(self.start)} ({span})"
        if self.kind == "calendar_year":
            return f"calendar year {calendar_year_of(self.start)}"
        if self.kind == "fiscal_to_date":
            return f"fiscal year {fiscal_year_of(self.start)} to date ({span})"
        return span


_MONTH_NAMES = "|".join(
    sorted({m.lower() for m in (*MONTH_ABBREVIATIONS, *MONTH_NAMES)}, key=len, reverse=True)
)
_FY = re.compile(r"^(?:fy|fiscal(?:\s+year)?)\s*'?(\d{4}|\d{2})$")
_FYTD = re.compile(
    r"^(?:(?:fy|fiscal(?:\s+year)?)\s*'?(\d{4}|\d{2})[\s-]*(?:to[\s-]*date|ytd|td)|fytd\s*(\d{4}|\d{2}))$"
)
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_SLASH_MONTH = re.compile(r"^(\d{1,2})/(\d{4})$|^(\d{4})/(\d{1,2})$")
_NAMED_MONTH = re.compile(rf"^({_MONTH_NAMES})\.?,?\s*'?(\d{{4}}|\d{{2}})$")
_YEAR = re.compile(r"^(?:cy|calendar(?:\s+year)?)?\s*(\d{4})$")
_LAST = re.compile(r"^(?:last|past|previous|trailing)\s+(\d{1,3})\s+months?$")
_RANGE = re.compile(r"^(.+?)\s*(?:\.\.|\s+to\s+|\s+through\s+|\s+thru\s+|\s*[–—]\s*)\s*(.+)$")
_SINCE = re.compile(r"^(?:since|from)\s+(.+)$")

_MIN_YEAR, _MAX_YEAR = 1900, 2200


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        y += 2000
    if not _MIN_YEAR <= y <= _MAX_YEAR:
        raise PeriodError(f"year {text} is out of range")
    return y


def _month_number(text: str) -> int:
    return MONTH_WORDS[text]


def _single(text: str) -> Period | None:
    """A period that is one month, one fiscal year, one calendar year, or FY-to-date."""
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
        i = month_index(_year(m.group(2)), _month_number(m.group(1)))
        return Period("month", i, i)
    if m := _YEAR.match(text):
        y = _year(m.group(1))
        return Period("calendar_year", month_index(y, 1), month_index(y, 12))
    return None


def parse_period(text: str, *, today: dt.date | None = None) -> Period:
    """Parse any period form in the module docstring; raises PeriodError saying what is accepted."""
    raw = text
    t = " ".join(str(text).strip().lower().replace("\u2019", "'").split())
    if not t:
        raise PeriodError("empty period; " + _ACCEPTED)
    try:
        if m := _LAST.match(t):
            n = int(m.group(1))
            if not 1 <= n <= 1200:
                raise PeriodError(f"{raw!r}: the number of months must be 1-1200")
            current = date_index(today or dt.date.today())
            return Period("range", current - n, current - 1)
        if m := _SINCE.match(t):
            first = _single(m.group(1))
            if first is None:
                raise PeriodError(f"cannot read {m.group(1)!r} in period {raw!r}; " + _ACCEPTED)
            return Period("since", first.start, None)
        p = _single(t)
        if p is not None:
            return p
        if m := _RANGE.match(t):
            a, b = _single(m.group(1)), _single(m.group(2))
            if a is None or b is None:
                bad = m.group(1) if a is None else m.group(2)
                raise PeriodError(f"cannot read {bad!r} in period {raw!r}; " + _ACCEPTED)
            end = b.end if b.end is not None else None
            if end is None:
                if b.kind == "fiscal_to_date":
                    return Period(
                        "range_to_date", a.start, None, fiscal_year_months(fiscal_year_of(b.start))[1]
                    )
                return Period("since", a.start, None)
            if end < a.start:
                raise PeriodError(f"period {raw!r} ends before it starts")
            return Period("range", a.start, end)
    except KeyError:
        pass
    raise PeriodError(f"cannot read period {raw!r}; " + _ACCEPTED)


_ACCEPTED = (
    "expected e.g. FY2022, FY22, 2022-11, Nov 2022, 2022 (calendar year), 2022-02..2022-11, "
    "since 2022-02, FY2023-to-date or last 12 months"
)
