"""Whole periods and points: a fiscal or calendar year, a year span ('2022-23'), a quarter or half, the first
or last N months of a year, a month with or without its year."""

from __future__ import annotations

import re

from borderdesk.claims import vocab
from borderdesk.claims.periods.spec import PeriodSpec
from borderdesk.claims.periods.tokens import (
    Parse,
    Token,
    _adjacent,
    _count,
    _day_after,
    _full,
    _low,
    _month,
    _opt,
    _ordinal,
    _short_year,
    _words,
    _year,
)


def _fiscal_year(toks: list[Token], i: int) -> Parse:
    low = _low(toks, i)
    m = re.fullmatch(r"fy-?(\d{2}|\d{4})", low)
    if m:  # FY2023, FY23, FY-2023
        return PeriodSpec("fiscal_year", year=_full(int(m.group(1)))), i + 1
    j = None
    if low == "fy":
        j = _opt(toks, i + 1, "-")
    elif low in ("fiscal", "budget"):
        j = _opt(toks, i + 1, "year", "-year", "years")
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
    j = _words(toks, i, "calendar years", "calendar year", "calendar-year", "calendar", "cy")
    if j is not None and (y := _year(toks, j)):
        return PeriodSpec("calendar_year", year=y[0]), y[1]
    return None


def _named_year(toks: list[Token], i: int) -> Parse:
    """'this fiscal year', 'last fiscal year', 'the fiscal year' (the one in context); a word that says
    whose year it is ('the federal fiscal year', period_fiscal_owner in claim_cues.csv) changes nothing."""
    if _low(toks, i + 1) in vocab.words("period_fiscal_owner") and _low(toks, i + 2) == "fiscal":
        hit = _named_year([*toks[: i + 1], *toks[i + 2 :]], i)
        return None if hit is None else (hit[0], hit[1] + 1)
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
                # 'the first eight months of FY2022 (98,629), the year when ... (149,093)': that year
                "the year when",
                "the year in which",
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
    rel = _words(toks, k2, "last year", "the previous year", "the prior year", "this year", "the same year")
    if rel is not None:  # 'May of last year', 'May last year', 'March of this year'
        back = _low(toks, k2) in ("last", "previous", "prior") or _low(toks, k2 + 1) in ("previous", "prior")
        if _low(toks, k2 + 1) != "same":
            return PeriodSpec("month", month=mo[0], which=-1 if back else 0), rel
    return PeriodSpec("month", month=mo[0]), k


def _point(toks: list[Token], i: int, *, guarded: bool = True) -> Parse:
    return _quarter(toks, i) or _part(toks, i) or _whole(toks, i) or _month_point(toks, i, guarded=guarded)


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
