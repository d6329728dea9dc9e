"""The period grammar: phrases are composed from parts, not listed.

A sentence is cut into tokens (words, numbers, punctuation), and at each token the grammar tries the
productions below; the longest phrase wins and the scan goes on after it. A phrase is built from parts —
a count of months, an anchor (ending, through, to, before, since), a whole (fiscal year, calendar year,
quarter, half), an ordinal (first, last, final) — so every well-formed combination reads::

    period   := record | event | window | part | range | since | through | todate | relative | point
    window   := [the] [past|last|...] COUNT months (ending|through|to|until|before|...) [in] point
    part     := [the] ORDINAL [COUNT] (month|months|quarter|half) of whole
    range    := (between|from) point (and|to|through|until) point | point (-|to|through) point
    since    := since (point | the start of whole)
    through  := (through|until|thru|up to) [the end of] point
    whole    := fiscal year N | FY N | calendar year N | N-NN (a year span: the fiscal year ending in NN)
    point    := whole | quarter | MONTH [,] [YEAR] | YEAR

Month names, ordinals and counts come from claim_cues.csv; the grammar's own keywords (through, since,
between ...) are the grammar. 'May' and 'March' are months only when capitalised and in a period
position ('in May', 'since March 2020', 'May 2023'), so the verbs are left alone.

>>> [c.spec.kind for c in find_periods("in the 12 months through August 2023", 0, 36)]
['window']
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from borderdesk.claims import vocab
from borderdesk.claims.periods.spec import PeriodCue, PeriodSpec
from borderdesk.query.periods import month_index

_TOKEN = re.compile(r"[Qq][1-4]\b|[A-Za-z]+(?:'[A-Za-z]+)?\.?|'\d\d\b|\d+(?:st|nd|rd|th)?|[,\-/()$%]")
# A token: (lower-cased text without a final dot, raw text, start, end)
Token = tuple[str, str, int, int]
Parse = tuple[PeriodSpec, int] | None
Rule = Callable[[list[Token], int], Parse]


def tokens(text: str, start: int, end: int) -> list[Token]:
    out = []
    for m in _TOKEN.finditer(text, start, end):
        raw = m.group(0)
        low = raw.rstrip(".").casefold()
        if low.endswith("'s"):  # "last year's 2.2 million"
            low = low[:-2]
        out.append((low, raw, m.start(), m.end()))
    return out


def _low(toks: list[Token], i: int) -> str:
    return toks[i][0] if 0 <= i < len(toks) else ""


@cache
def _option_tokens(option: str) -> tuple[str, ...]:
    """A keyword phrase split the way the text is ('year-to-date' -> year - to - date)."""
    return tuple(t[0] for t in tokens(option, 0, len(option)))


@cache
def _options_index(options: tuple[str, ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The options by their first word, in the order given (the first that matches wins)."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for option in options:
        parts = _option_tokens(option)
        index.setdefault(parts[0], []).append(parts)
    return {k: tuple(v) for k, v in index.items()}


def _words(toks: list[Token], i: int, *options: str) -> int | None:
    """Index after one of the word sequences ``options`` ('the end of') starting at ``i``, else None."""
    if i >= len(toks):
        return None
    for parts in _options_index(options).get(toks[i][0], ()):
        if all(_low(toks, i + k) == p for k, p in enumerate(parts[1:], 1)):
            return i + len(parts)
    return None


def _opt(toks: list[Token], i: int, *options: str) -> int:
    j = _words(toks, i, *options)
    return i if j is None else j


# ----------------------------------------------------------------------------------- small parts


@cache
def _month_names() -> dict[str, int]:
    return {k: int(v) for k, v in vocab.cue_table()["month_name"].items()}


@cache
def _verb_like_months() -> frozenset[str]:
    return vocab.words("month_verb_like")


def _month(toks: list[Token], i: int, *, guarded: bool = True) -> tuple[int, int] | None:
    """(month, next index): a capitalised month name ('Sept.', 'Sept', 'Sep.', 'September', 'SEPT')."""
    if i >= len(toks):
        return None
    low, raw, _, _ = toks[i]
    number = _month_names().get(low)
    if number is None or not raw[:1].isupper():
        return None
    if guarded and low in _verb_like_months() and not raw.rstrip(".").isupper():
        # 'May' and 'March' are also verbs: months with a year after them or a period word before them
        has_year = _year(toks, i + 1) or (_low(toks, i + 1) == "," and _year(toks, i + 2))
        if not has_year and _low(toks, i - 1) not in _MONTH_LEADS:
            return None
    return number, i + 1


def _day_after(toks: list[Token], i: int) -> bool:
    """Is token ``i`` a day of the month ('30' in 'Sept. 30'), not the start of a count ('30,000')?"""
    low = _low(toks, i)
    if not re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?", low):
        return False
    if _low(toks, i + 1) == "," and _digits(toks, i + 2) and len(_low(toks, i + 2)) == 3:
        return toks[i + 1][3] != toks[i + 2][2]  # '30, 2023' is a day; '30,000' is a count
    return 1 <= int(re.sub(r"\D", "", low)) <= 31


_MONTH_LEADS = frozenset(
    [
        "in",
        "during",
        "for",
        "of",
        "since",
        "from",
        "to",
        "through",
        "until",
        "and",
        "between",
        "by",
        "last",
        "early",
        "late",
        "mid",
        "this",
        "that",
        "its",
        "the",
        "with",
        "was",
        "is",
        "were",
        "as",
        "over",
        "than",
        "versus",
        "vs",
        "alone",
        "each",
        "every",
        "in-between",
        "end",
    ]
)


def _year(toks: list[Token], i: int) -> tuple[int, int] | None:
    """(year, next index): 1950-2099 written in full."""
    if i >= len(toks):
        return None
    low = toks[i][0]
    if low.isdigit() and len(low) == 4 and 1950 <= int(low) <= 2099:
        if (
            i + 1 < len(toks)
            and toks[i + 1][0] == ","
            and _digits(toks, i + 2)
            and toks[i + 1][3] == toks[i + 2][2]
        ):
            return None  # '2,000' is not a year
        return int(low), i + 1
    return None


def _digits(toks: list[Token], i: int) -> bool:
    return i < len(toks) and toks[i][0].isdigit()


def _short_year(toks: list[Token], i: int) -> tuple[int, int] | None:
    """'23 or '23 as a year (after a month or a fiscal-year word)."""
    if i >= len(toks):
        return None
    low = toks[i][0]
    if low.startswith("'") and low[1:].isdigit():
        return 2000 + int(low[1:]), i + 1
    if low.isdigit() and len(low) == 2:
        return 2000 + int(low), i + 1
    return _year(toks, i)


def _count(toks: list[Token], i: int) -> tuple[int, int] | None:
    """A number of months: '12', 'twelve', 'two'."""
    if i >= len(toks):
        return None
    low = toks[i][0]
    if low.isdigit() and 0 < int(low) <= 120:
        return int(low), i + 1
    table = vocab.cue_table()["period_count"]
    if _low(toks, i + 1) == "-" and _adjacent(toks, i) and _adjacent(toks, i + 1):
        joined = table.get(f"{low}-{_low(toks, i + 2)}")
        if joined:
            return int(joined), i + 3
    n = table.get(low)
    return (int(n), i + 1) if n else None


def _ordinal(toks: list[Token], i: int) -> tuple[int, int] | None:
    n = vocab.cue_table()["period_ordinal"].get(_low(toks, i))
    return (int(n), i + 1) if n else None


def _adjacent(toks: list[Token], i: int) -> bool:
    """Tokens i and i+1 touch (no space): '2022-23', 'FY23'."""
    return i + 1 < len(toks) and toks[i][3] == toks[i + 1][2]


# ----------------------------------------------------------------------------------- wholes and points


def _fiscal_year(toks: list[Token], i: int) -> Parse:
    low = _low(toks, i)
    m = re.fullmatch(r"fy-?(\d{2}|\d{4})", low)
    if m:  # FY2023, FY23, FY-2023
        return PeriodSpec("fiscal_year", year=_full(int(m.group(1)))), i + 1
    j = None
    if low == "fy":
        j = _opt(toks, i + 1, "-")
    elif low in ("fiscal", "budget"):
        j = _opt(toks, i + 1, "year", "-year")
        j = _opt(toks, j, "-")
    if j is not None:
        y = _short_year(toks, j)
        if y is not None:
            span = _year_span_tail(toks, y[1] - 1, y[0])
            return (
                (PeriodSpec("fiscal_year", year=span[0]), span[1])
                if span
                else (
                    PeriodSpec("fiscal_year", year=y[0]),
                    y[1],
                )
            )
    y = _year(toks, i)  # '2023 fiscal year'
    if y is not None:
        j = _words(toks, y[1], "fiscal year", "fiscal-year")
        if j is not None:
            return PeriodSpec("fiscal_year", year=y[0]), j
    j = _words(toks, i, "the fiscal year of")
    if j is not None and (y := _year(toks, j)):
        return PeriodSpec("fiscal_year", year=y[0]), y[1]
    return None


def _full(y: int) -> int:
    return y + 2000 if y < 100 else y


def _year_span_tail(toks: list[Token], i: int, first: int) -> tuple[int, int] | None:
    """After a year at ``i``: '-23', '-2023', '/23' naming the next year -> (second year, next index)."""
    if i + 2 < len(toks) and toks[i + 1][0] in ("-", "/") and _adjacent(toks, i) and _adjacent(toks, i + 1):
        low = toks[i + 2][0]
        if low.isdigit() and len(low) in (2, 4):
            second = int(low) if len(low) == 4 else first // 100 * 100 + int(low)
            if second == first + 1:
                return second, i + 3
    return None


def _year_span(toks: list[Token], i: int) -> Parse:
    """'2022-23', '2022–23', '2022/23': the fiscal year that ends in the second year."""
    y = _year(toks, i)
    if y is None:
        return None
    span = _year_span_tail(toks, i, y[0])
    return (PeriodSpec("fiscal_year", year=span[0]), span[1]) if span else None


def _calendar_year(toks: list[Token], i: int) -> Parse:
    low = _low(toks, i)
    m = re.fullmatch(r"cy-?(\d{4})", low)
    if m:
        return PeriodSpec("calendar_year", year=int(m.group(1))), i + 1
    j = _words(toks, i, "calendar year", "calendar-year", "calendar", "cy")
    if j is not None and (y := _year(toks, j)):
        return PeriodSpec("calendar_year", year=y[0]), y[1]
    return None


def _named_year(toks: list[Token], i: int) -> Parse:
    """'this fiscal year', 'last fiscal year', 'the fiscal year' (the one in context)."""
    j = _words(toks, i, "fiscal year", "fiscal-year", "a fiscal year", "a new fiscal year")
    if j is not None and _low(toks, j) in ("high", "record", "total", "tally", "figure", "peak"):
        return PeriodSpec("context_fiscal_year"), j + 1  # 'a new fiscal year high of 2.47 million'
    for words, kind in (
        (("this fiscal year", "the current fiscal year", "this fiscal"), "fytd"),
        (
            (
                "last fiscal year",
                "the last fiscal year",
                "the previous fiscal year",
                "the prior fiscal year",
                "the preceding fiscal year",
                "this past fiscal year",
                "the past fiscal year",
                "the just-ended fiscal year",
                "the fiscal year that just ended",
                "the most recent fiscal year",
                "the last full fiscal year",
            ),
            "last_fiscal_year",
        ),
        (
            (
                "the fiscal year as a whole",
                "the full fiscal year",
                "the whole fiscal year",
                "the entire fiscal year",
                "the fiscal year",
            ),
            "context_fiscal_year",
        ),
    ):
        j = _words(toks, i, *words)
        if j is not None:
            if _short_year(toks, j) is not None:
                return None  # 'the entire fiscal year 2021' is FY2021: read from 'fiscal'
            return PeriodSpec(kind), j
    return None


def _whole(toks: list[Token], i: int) -> Parse:
    """A whole year: fiscal, calendar, a year span, a bare year (either), or one named by context."""
    for rule in (_fiscal_year, _calendar_year, _year_span, _named_year):
        hit = rule(toks, i)
        if hit:
            return hit
    y = _year(toks, i)
    return (PeriodSpec("year", year=y[0]), y[1]) if y else None


def _quarter(toks: list[Token], i: int) -> Parse:
    """'the first quarter of fiscal 2024', 'Q1 FY2024', 'the third quarter of 2023'."""
    m = re.fullmatch(r"q([1-4])", _low(toks, i))
    if m:
        whole = _whole(toks, i + 1)
        return (PeriodSpec("quarter", n=int(m.group(1)), start=whole[0]), whole[1]) if whole else None
    j = _opt(toks, i, "the")
    o = _ordinal(toks, j)
    if o is None:
        return None
    at = _opt(toks, o[1], "-")  # 'the first-quarter total'
    if _low(toks, at) not in ("quarter", "half"):
        return None
    kind = _low(toks, at)
    n = o[0] if o[0] > 0 else (4 if kind == "quarter" else 2)
    k = _words(toks, at + 1, "of", "of the")
    whole = _whole(toks, k) if k is not None else None
    if whole is None:  # 'the first quarter': of the fiscal year in view
        return PeriodSpec(kind, n=n, start=PeriodSpec("context_fiscal_year")), at + 1
    return PeriodSpec(kind, n=n, start=whole[0]), whole[1]


def _same_part(toks: list[Token], i: int) -> Parse:
    """'the same nine-month period in fiscal 2020': the first nine months of that year."""
    j = _words(toks, i, "the same", "during the same", "in the same", "over the same")
    c = _count(toks, j) if j is not None else None
    if c is None:
        return None
    k = _words(toks, c[1], "- month period in", "- month period of", "month period in", "month period of",
               "- month span in", "months of", "months in")  # fmt: skip
    whole = _whole(toks, k) if k is not None else None
    if whole is None:
        return None
    return PeriodSpec("part", n=c[0], which=1, start=whole[0]), whole[1]


def _part(toks: list[Token], i: int) -> Parse:
    """'the first five months of fiscal 2024', 'the last month of fiscal 2023'."""
    j = _opt(toks, i, "the")
    o = _ordinal(toks, j)
    if o is None:
        return None
    k = o[1]
    n = 1
    c = _count(toks, k)
    if c is not None:
        n, k = c
    if _low(toks, k) not in ("month", "months"):
        return None
    k2 = _words(toks, k + 1, "of", "of the")
    whole = _whole(toks, k2) if k2 is not None else None
    if whole is None:
        return None
    return PeriodSpec("part", n=n, which=1 if o[0] > 0 else -1, start=whole[0]), whole[1]


def _month_point(toks: list[Token], i: int, *, guarded: bool = True) -> Parse:
    """'November 2022', 'Nov. 2022', 'November', "Dec. '23", 'November of 2022'; early/mid/late ignored."""
    j = _opt(toks, i, "early", "late", "mid", "mid-", "the end of", "the beginning of", "the start of")
    mo = _month(toks, j, guarded=guarded)
    if mo is None or _day_after(toks, mo[1]):
        return None
    k = mo[1]
    k2 = _opt(toks, k, ",", "of")
    y = _year(toks, k2) or (_short_year(toks, k2) if _low(toks, k2).startswith("'") else None)
    if y is not None:
        return PeriodSpec("month", month=mo[0], year=y[0]), y[1]
    return PeriodSpec("month", month=mo[0]), k


def _point(toks: list[Token], i: int, *, guarded: bool = True) -> Parse:
    return _quarter(toks, i) or _part(toks, i) or _whole(toks, i) or _month_point(toks, i, guarded=guarded)


# ----------------------------------------------------------------------------------- compositions

_ENDING = (
    "ending in",
    "ending with",
    "ending",
    "ended in",
    "that ended in",
    "that ended",
    "ended",
    "through",
    "thru",
    "to",
    "until",
    "up to",
    "up until",
    "leading up to",
    "in the run-up to",
)
_BEFORE = ("before", "prior to", "preceding")


def _window(toks: list[Token], i: int) -> Parse:
    """'the 12 months through August 2023', 'the past 12 months ending in June', 'the six months before
    January 2024'."""
    j = _opt(toks, i, "the", "in the", "over the", "during the")
    j = _opt(toks, j, "past", "last", "previous", "preceding", "trailing", "prior")
    c = _count(toks, j)
    if c is None or _low(toks, c[1]) not in ("months", "month"):
        return None
    k = c[1] + 1
    for anchors, inclusive in ((_ENDING, 1), (_BEFORE, 0)):
        a = _words(toks, k, *anchors)
        if a is not None:
            a = _opt(toks, a, "the end of", "the start of")
            p = _month_point(toks, a, guarded=False)
            if p is not None:
                return PeriodSpec("window", n=c[0], which=inclusive, end=p[0]), p[1]
    return None


def _past(toks: list[Token], i: int) -> Parse:
    """'the past 12 months', 'over the last three months', 'the past year', 'the past two years'."""
    j = _opt(toks, i, "in the", "over the", "during the", "for the", "the")
    k = _words(toks, j, "past", "last", "previous", "preceding", "trailing")
    if k is None:
        k = _words(toks, i, "in", "over")  # 'nearly 1 million migrants in 12 months'
        c = _count(toks, k) if k is not None else None
        if c is None or _low(toks, c[1]) != "months":
            return None
        return PeriodSpec("past_months", n=c[0]), c[1] + 1
    if _low(toks, k) == "year":
        if _low(toks, k - 1) not in ("past", "last") or (j == i and _low(toks, i) != "past"):
            return None  # 'last year' and 'the previous year' are the year before; 'the past year' 12 months
        return PeriodSpec("past_months", n=12), k + 1
    c = _count(toks, k)
    if c is None:
        return None
    unit = _low(toks, c[1])
    if unit in ("months", "month"):
        return PeriodSpec("past_months", n=c[0]), c[1] + 1
    if unit in ("years", "year") and c[0] <= 10:
        return PeriodSpec("past_months", n=12 * c[0]), c[1] + 1
    return None


_TO = ("and", "to", "through", "thru", "until", "-", "till")


def _range(toks: list[Token], i: int) -> Parse:
    """'between October 2023 and June', 'from FY2021 to FY2023', 'October 2023 through June 2024',
    'October-December 2023', 'Jan. to March'."""
    lead = _words(toks, i, "between", "from")
    j = lead if lead is not None else i
    a = _day_point(toks, j, first=True) or _point(toks, j, guarded=lead is None)
    if a is None:
        return None
    k = a[1]
    if _low(toks, k) == ",":  # 'From October 2020, the start of fiscal year 2021, to August'
        close = next((x for x in range(k + 1, min(len(toks), k + 12)) if _low(toks, x) == ","), None)
        if close is not None and _words(toks, close + 1, *_TO):
            k = close + 1
    t = _words(toks, k, *_TO)
    if t is None:
        return None
    if lead is None and _low(toks, k) in ("and",):
        return _month_pair(toks, a, t)
    t = _opt(toks, t, "the end of")
    b = _day_point(toks, t, first=False) or _point(toks, t, guarded=False)
    if b is None:
        return None
    if "partial" in (a[0].kind, b[0].kind):
        return PeriodSpec("partial", note=f"'{_text(toks, i, b[1])}' starts or ends inside a month"), b[1]
    return PeriodSpec("range", start=a[0], end=b[0]), b[1]


def _month_pair(toks: list[Token], a: tuple[PeriodSpec, int], t: int) -> Parse:
    """'in October and November': two consecutive months, counted together."""
    b = _month_point(toks, t, guarded=False)
    if b is None or a[0].kind != "month" or b[0].kind != "month" or a[0].month is None or b[0].month is None:
        return None
    if b[0].month != a[0].month % 12 + 1:
        return None
    return PeriodSpec("range", start=a[0], end=b[0]), b[1]


_LAST_DAY = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def _day_point(toks: list[Token], i: int, *, first: bool) -> Parse:
    """'Oct. 1, 2022' at the start of a range, 'Sept. 30, 2023' at its end: a whole month when the day
    is the month's first (or last); otherwise the period starts or ends inside a month."""
    mo = _month(toks, i, guarded=False)
    if mo is None or not _day_after(toks, mo[1]):
        return None
    day = int(re.sub(r"\D", "", _low(toks, mo[1])))
    y = _year(toks, _opt(toks, mo[1] + 1, ","))
    end = y[1] if y else mo[1] + 1
    whole = day == 1 if first else day >= _LAST_DAY[mo[0]] - (1 if mo[0] == 2 else 0)
    if not whole:
        return PeriodSpec("partial"), end
    return PeriodSpec("month", month=mo[0], year=y[0] if y else None), _opt(toks, end, ",")


def _since(toks: list[Token], i: int) -> Parse:
    j = _words(toks, i, "since")
    if j is None:
        return None
    j = _opt(toks, j, "the start of", "the beginning of", "the start of the", "the beginning of the")
    p = _point(toks, j, guarded=False)
    if p is None:
        return None
    return PeriodSpec("since", start=p[0]), p[1]


def _through(toks: list[Token], i: int) -> Parse:
    """'through the end of March' (in a fiscal-year context: October to March), 'through May 2024'."""
    j = _words(toks, i, "through", "thru", "until", "up to", "up until", "till", "as of", "as of the end of")
    if j is None:
        return None
    j = _opt(toks, j, "the end of")
    p = _month_point(toks, j, guarded=False)
    if p is None:
        return None
    return PeriodSpec("through", end=p[0]), p[1]


def _fy_through(toks: list[Token], i: int) -> Parse:
    """'fiscal year 2024 through March': from the fiscal year's start to that month."""
    w = _fiscal_year(toks, i)
    if w is None:
        return None
    j = _opt(toks, w[1], ",")
    t = _through(toks, j)
    if t is None or t[0].end is None:
        return None
    return PeriodSpec("range", start=w[0], end=t[0].end), t[1]


def _todate(toks: list[Token], i: int) -> Parse:
    """'so far this fiscal year', 'fiscal year to date', 'so far in fiscal 2025', 'FY2024 to date',
    'so far this year', 'year to date'."""
    for words, kind in (
        (
            (
                "so far this fiscal year",
                "so far in the fiscal year",
                "so far in the current fiscal year",
                "this fiscal year so far",
                "fiscal year to date",
                "fiscal-year-to-date",
                "the fiscal year to date",
                "fiscal year-to-date",
                "fytd",
            ),
            "fytd",
        ),
        (("so far this year", "this year so far", "so far in the year"), "this_year"),
        (("year to date", "year-to-date", "the year to date"), "fytd"),
    ):
        j = _words(toks, i, *words)
        if j is not None:
            return PeriodSpec(kind), j
    j = _words(toks, i, "so far in", "so far during", "so far for")
    if j is not None and (w := _fiscal_year(toks, j)):
        return PeriodSpec("fytd", year=w[0].year), w[1]
    w = _fiscal_year(toks, i)
    if w is not None:
        k = _words(toks, w[1], "to date", "to-date", "so far", "year to date", "year-to-date")
        if k is not None:
            return PeriodSpec("fytd", year=w[0].year), k
    return None


def _relative(toks: list[Token], i: int) -> Parse:
    table = (
        (("last month", "the last month", "past month", "the past month"), PeriodSpec("last_month")),
        (
            (
                "the previous month",
                "the prior month",
                "the preceding month",
                "the month before",
                "a month earlier",
                "a month before",
                "the month prior",
                "a month prior",
                "month over month",
                "month-over-month",
            ),
            PeriodSpec("previous_month"),
        ),
        (
            (
                "the same month a year earlier",
                "the same month a year before",
                "the same month a year ago",
                "the same month last year",
                "the same month of last year",
                "the same month in the previous year",
                "the same month of the previous year",
                "the same period a year earlier",
                "the same period last year",
                "the same period a year ago",
                "the same period of last year",
                "the same time last year",
                "the same time a year ago",
                "a year earlier",
                "a year before",
                "a year ago",
                "a year prior",
                "the year before",
                "the previous year",
                "the prior year",
                "year over year",
                "year-over-year",
                "the same month in the prior year",
                "one year earlier",
                "one year ago",
                "this time last year",
                "this time a year ago",
                "the same time a year earlier",
                "at this time last year",
            ),
            PeriodSpec("year_earlier"),
        ),
        (("last year", "the last year"), PeriodSpec("last_year")),
        (
            (
                "the following fiscal year",
                "the next fiscal year",
                "the following year",
                "the next year",
                "the subsequent fiscal year",
                "a year later",
            ),
            PeriodSpec("year_later"),
        ),
        (
            ("during the month", "that month", "for the month", "in the month", "during that month"),
            PeriodSpec("context_month"),
        ),
        (("this year", "the current year"), PeriodSpec("this_year")),
    )
    for words, spec in table:
        j = _words(toks, i, *words)
        if j is not None and not (spec.kind == "context_month" and _low(toks, j) == "of"):
            return spec, j
    j = _words(
        toks,
        i,
        "the same month in",
        "the same month of",
        "the same period in",
        "the same period of",
        "the same months in",
        "the same months of",
    )
    if j is not None and (y := _year(toks, j)):
        return PeriodSpec("same_in_year", year=y[0]), y[1]
    j = _words(toks, i, "last", "this past", "this last")
    if j is not None and (mo := _month(toks, j, guarded=False)) and not _year(toks, mo[1]):
        return PeriodSpec("last_named_month", month=mo[0]), mo[1]
    return None


_PARTIAL = (
    "the week before",
    "the week of",
    "during the week",
    "the week after",
    "a single week",
    "so far this month",
    "this month so far",
    "so far in the month",
    "month to date",
    "month-to-date",
    "this month",
    "in a single day",
    "on a single day",
    "in one day",
    "on one day",
    "in a 24-hour period",
    "in 24 hours",
    "last week",
    "this week",
    "the past week",
    "the last week",
    "over the weekend",
    "last weekend",
    "this weekend",
    "in a week",
    "in one week",
    "in a single week",
    "on monday",
    "on tuesday",
    "on wednesday",
    "on thursday",
    "on friday",
    "on saturday",
    "on sunday",
    "since monday",
    "since the start of the month",
    "in recent days",
    "in recent weeks",
    "the past few days",
    "the past few weeks",
)


def _partial(toks: list[Token], i: int) -> Parse:
    """'so far this month', 'on a single day', 'last week', 'in the past 10 days', 'the first 27 days of
    December': periods that start or end inside a month, which monthly data cannot answer."""
    j = _words(toks, i, *_PARTIAL)
    if j is not None:
        return PeriodSpec("partial", note=f"'{_text(toks, i, j)}' is not a whole month"), j
    k = _words(
        toks,
        i,
        "in the past",
        "over the past",
        "in the last",
        "over the last",
        "the past",
        "the last",
        "the first",
        "in the first",
        "during the first",
    )
    c = _count(toks, k) if k is not None else None
    if c is not None and _low(toks, c[1]) in ("days", "day", "weeks", "week", "hours"):
        end = c[1] + 1
        if _low(toks, end) == "of" and (m := _month_point(toks, end + 1, guarded=False)):
            end = m[1]
        return PeriodSpec("partial", note=f"'{_text(toks, i, end)}' is not a whole month"), end
    return None


def _record(toks: list[Token], i: int) -> Parse:
    """'the most since March 2019', 'the highest level since 2000': a record comparison, not a period."""
    if _low(toks, i) not in (
        "most",
        "highest",
        "lowest",
        "largest",
        "fewest",
        "smallest",
        "biggest",
        "first",
    ):
        return None
    for k in range(i + 1, min(len(toks), i + 8)):
        if _low(toks, k) == "since":
            p = _point(toks, k + 1, guarded=False)
            return PeriodSpec("ignore", note="a record comparison"), (p[1] if p else k + 1)
        if _low(toks, k) in (",", "(", ")"):
            break
    return None


def _date(toks: list[Token], i: int) -> Parse:
    """'Sept. 30', 'Dec. 21, 2022', 'March 12th': a day. After 'since'/'from'/'between' it starts a
    period inside a month (unless it is the 1st)."""
    mo = _month(toks, i, guarded=False)
    if mo is None or not _day_after(toks, mo[1]):
        return None
    day = int(re.sub(r"\D", "", _low(toks, mo[1])))
    j = mo[1] + 1
    y = _year(toks, _opt(toks, j, ","))
    end = y[1] if y else j
    if _low(toks, i - 1) in ("since", "from", "between"):
        if day == 1:
            return PeriodSpec("since", start=PeriodSpec("month", month=mo[0], year=y[0] if y else None)), end
        return PeriodSpec("partial", note=f"'{_text(toks, i - 1, end)}' starts inside a month"), end
    return PeriodSpec("date", note="a day, not a period"), end


def _text(toks: list[Token], i: int, j: int) -> str:
    j = min(j, len(toks))
    return " ".join(t[1] for t in toks[max(0, i) : j])


def _bare(toks: list[Token], i: int) -> Parse:
    """A month or a year on its own (a bare year is either the calendar or the fiscal year)."""
    hit = _quarter(toks, i) or _part(toks, i) or _same_part(toks, i) or _fiscal_year(toks, i)
    hit = hit or _calendar_year(toks, i) or _named_year(toks, i)
    if hit:
        return hit
    hit = _year_span(toks, i)
    if hit:
        return hit
    y = _year(toks, i)
    if y is not None:
        after = _low(toks, y[1])
        if after in ("%", "percent") or _low(toks, i - 1) == "$" or after in vocab.words("count_noun"):
            return None  # '2000 migrants' is a count, '$2020' money
        return PeriodSpec("year", year=y[0]), y[1]
    return _month_point(toks, i)


#: Tried in order at each token; the longest match wins (ties: the earlier rule).
RULES: tuple[Rule, ...] = (
    _record,
    _partial,
    _date,
    _since,
    _window,
    _past,
    _todate,
    _fy_through,
    _range,
    _through,
    _relative,
    _bare,
)
_LEADS = [
    "the",
    "in",
    "over",
    "during",
    "for",
    "a",
    "an",
    "one",
    "this",
    "last",
    "past",
    "previous",
    "preceding",
    "trailing",
    "prior",
    "so",
    "that",
    "at",
    "as",
]
#: The words each rule can start with ('#' a number, 'M' a month name, 'F' a fiscal/calendar year word):
#: at a token, only the rules that can start there are tried.
_FIRST: dict[Rule, frozenset[str]] = {
    _record: frozenset(["most", "highest", "lowest", "largest", "fewest", "smallest", "biggest", "first"]),
    _partial: frozenset({w.split()[0] for w in _PARTIAL} | {"in", "over", "the", "during"}),
    _date: frozenset({"M"}),
    _since: frozenset({"since"}),
    _window: frozenset({*_LEADS, "#", "N"}),
    _past: frozenset(_LEADS),
    _todate: frozenset({*_LEADS, "F", "year", "fytd"}),
    _fy_through: frozenset({"F", "#"}),
    _range: frozenset({"between", "from", "M", "#", "F", "early", "late", "mid", "O", *_LEADS}),
    _through: frozenset(["through", "thru", "until", "up", "till", "as"]),
    _relative: frozenset({*_LEADS, "year", "month", "one"}),
    _bare: frozenset({"M", "#", "F", "early", "late", "mid", "O", "q", *_LEADS}),
}


_ABBREVIATED = frozenset(
    ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
)


def _kinds(tok: Token) -> frozenset[str]:
    """What a token can start: its word, and its class ('#', 'M', 'F', 'O', 'N', 'q')."""
    low = tok[0]
    out = {low}
    if low[:1].isdigit() or low.startswith("'"):
        out.add("#")
    if low in _month_names():
        out.add("M")
    if low in ("fiscal", "fy", "budget", "calendar", "cy") or re.fullmatch(r"(?:fy|cy)-?\d+", low):
        out.add("F")
    if low in vocab.cue_table()["period_ordinal"]:
        out.add("O")
    if low in vocab.cue_table()["period_count"]:
        out.add("N")
    if re.fullmatch(r"q[1-4]", low):
        out.add("q")
    return frozenset(out)


#: The words a period phrase can start with (besides numbers and month names): a token that is none of
#: these is skipped at once, so a page of prose costs a set lookup per word.
_STARTERS = frozenset(
    [
        "a",
        "an",
        "as",
        "at",
        "between",
        "biggest",
        "budget",
        "calendar",
        "cy",
        "during",
        "early",
        "fewest",
        "first",
        "fiscal",
        "for",
        "from",
        "fy",
        "fytd",
        "highest",
        "in",
        "largest",
        "last",
        "late",
        "lowest",
        "mid",
        "most",
        "month",
        "on",
        "one",
        "over",
        "past",
        "preceding",
        "previous",
        "prior",
        "since",
        "smallest",
        "so",
        "that",
        "the",
        "this",
        "through",
        "thru",
        "till",
        "trailing",
        "until",
        "up",
        "within",
        "year",
    ]
)


def _starts(tok: Token) -> bool:
    low = tok[0]
    return (
        low in _STARTERS
        or low[:1].isdigit()
        or low.startswith("'")
        or low in _month_names()
        or re.fullmatch(r"(?:fy|cy)-?\d+|q[1-4]", low) is not None
    )


#: Every period phrase holds one of these (or a month name, or a year): a phrase can start at most
#: REACH tokens before one, so the rules are tried only there.
_CORE = frozenset(
    [
        "fiscal",
        "fy",
        "fytd",
        "calendar",
        "cy",
        "year",
        "years",
        "month",
        "months",
        "week",
        "weeks",
        "day",
        "days",
        "hours",
        "quarter",
        "half",
        "date",
        "since",
        "ago",
        "earlier",
        "before",
        "previous",
        "prior",
        "weekend",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "later",
        "following",
        "next",
        "ytd",
    ]
)
_REACH = 9


def _core(tok: Token) -> bool:
    low = tok[0]
    if low in _CORE or low in _month_names() or low.startswith("'"):
        return True
    if low.isdigit():
        return len(low) == 4 and low[:2] in ("19", "20")
    return re.fullmatch(r"(?:fy|cy)-?\d+|q[1-4]", low) is not None


def find_periods(text: str, start: int, end: int) -> list[PeriodCue]:
    """Every period phrase in ``text[start:end]``, in text order, non-overlapping."""
    cues = _events(text, start, end)
    taken = [(c.start, c.end) for c in cues]
    toks = tokens(text, start, end)
    near = [False] * len(toks)
    for k, tok in enumerate(toks):
        if _core(tok):
            for j in range(max(0, k - _REACH), k + 1):
                near[j] = True
    i = 0
    while i < len(toks):
        if not near[i] or not _starts(toks[i]) or any(a <= toks[i][2] < b for a, b in taken):
            i += 1
            continue
        best: tuple[PeriodSpec, int] | None = None
        kinds = _kinds(toks[i])
        for rule in RULES:
            if kinds.isdisjoint(_FIRST[rule]):
                continue
            hit = rule(toks, i)
            if hit is not None and hit[1] > i and (best is None or hit[1] > best[1]):
                best = hit
        if best is None:
            i += 1
            continue
        spec, j = best
        s, e = toks[i][2], toks[j - 1][3]
        if toks[j - 1][1].endswith(".") and toks[j - 1][0] not in _ABBREVIATED:
            e -= 1  # 'in January.': the full stop ends the sentence, not the month
        if any(a < e and s < b for a, b in taken):
            i += 1
            continue
        cues.append(PeriodCue(s, e, text[s:e], spec))
        i = j
    return sorted(cues, key=lambda c: c.start)


def _events(text: str, start: int, end: int) -> list[PeriodCue]:
    """'since the war began', 'under President Biden': phrase patterns from claim_events.csv."""
    out: list[PeriodCue] = []
    for event in vocab.events():
        for m in event.regex.finditer(text, start, end):
            if any(c.start < m.end() and m.start() < c.end for c in out):
                continue
            first = month_index(*map(int, event.start.split("-")))
            last = month_index(*map(int, event.end.split("-"))) if event.end else None
            spec = PeriodSpec("event", first_month=first, last_month=last, note=event.label)
            out.append(PeriodCue(m.start(), m.end(), m.group(0), spec))
    return out
