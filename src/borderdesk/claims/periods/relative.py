"""Relative period forms: 'a year earlier', 'the previous month', 'last March', and 'the same period last
year' composed from its parts (the words of each part are data: the ``period_same``, ``period_stretch``
and ``period_year_back`` categories of claim_cues.csv)."""

from __future__ import annotations

from functools import cache

from borderdesk.claims import vocab
from borderdesk.claims.periods.spec import PeriodSpec
from borderdesk.claims.periods.tokens import Parse, Token, _count, _low, _month, _opt, _words, _year
from borderdesk.claims.periods.wholes import _fiscal_year


@cache
def _vocab(category: str) -> tuple[str, ...]:
    """A category's phrases, longest first (so 'the previous fiscal year' wins over 'the previous year')."""
    return tuple(sorted(vocab.cue_table().get(category, {}), key=lambda w: -len(w.split())))


def _same_stretch(toks: list[Token], i: int) -> Parse:
    """'the same period last year', 'the same nine-month period the previous year', 'that same month a
    year earlier': a year before the period in view; 'the same period in FY22', 'the same months of
    2022': the period in view, in that (fiscal) year."""
    j = _words(toks, i, *_vocab("period_same"))
    if j is None:
        return None
    n = _count(toks, j)
    if n is not None and _low(toks, n[1]) == "-":  # 'the same nine-month period'
        j = _opt(toks, n[1] + 1, "month", "months")
    k = _words(toks, j, *_vocab("period_stretch"))
    if k is None:
        return None
    by = _opt(toks, k, "of", "in", "during", "from", "for", "under", ",")
    back = _words(toks, by, *_vocab("period_year_back"))
    if back is not None:
        return PeriodSpec("year_earlier"), back
    if _low(toks, k) == "under":
        # 'the same period under the Biden administration last year': whose year it was, then a year back
        for m in range(k + 2, min(len(toks), k + 6)):
            if _low(toks, m) in (",", "(", ")"):
                break
            if (back := _words(toks, m, *_vocab("period_year_back"))) is not None:
                return PeriodSpec("year_earlier", note="a year back, under the term named"), back
    if by > k:
        fy = _fiscal_year(toks, by)
        if fy is not None and fy[0].kind == "fiscal_year" and fy[0].year is not None:
            return PeriodSpec("same_in_year", year=fy[0].year, note="fiscal"), fy[1]
        y = _year(toks, by)
        if y is not None:
            return PeriodSpec("same_in_year", year=y[0]), y[1]
    return None


def _year_then_same(toks: list[Token], i: int) -> Parse:
    """'Last FY22, same time frame': the stretch in view, in that fiscal year (as 'the same time frame in
    FY22')."""
    fy = _fiscal_year(toks, _opt(toks, i, "last", "in"))
    if fy is None or fy[0].kind != "fiscal_year" or fy[0].year is None:
        return None
    j = _words(toks, _opt(toks, fy[1], ","), *_vocab("period_same"))
    k = _words(toks, j, *_vocab("period_stretch")) if j is not None else None
    return None if k is None else (PeriodSpec("same_in_year", year=fy[0].year, note="fiscal"), k)


def _relative(toks: list[Token], i: int) -> Parse:
    if (same := _same_stretch(toks, i) or _year_then_same(toks, i)) is not None:
        return same
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
                "the year-ago",
                "a year-ago",
                "year-ago",
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
