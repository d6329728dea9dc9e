"""Compositions of points: windows ('the 12 months through August'), ranges, 'since', 'through', to-date
forms, relative forms ('a year earlier', 'last March'), partial periods, record comparisons and days."""

from __future__ import annotations

import re

from borderdesk.claims import vocab
from borderdesk.claims.periods.spec import PeriodSpec
from borderdesk.claims.periods.tokens import (
    Parse,
    Token,
    _count,
    _day_after,
    _low,
    _month,
    _opt,
    _text,
    _words,
    _year,
)
from borderdesk.claims.periods.wholes import (
    _calendar_year,
    _day_point,
    _fiscal_year,
    _month_point,
    _named_year,
    _part,
    _point,
    _quarter,
    _same_part,
    _whole,
    _year_span,
)
from borderdesk.values import calendar_year_of, index_in_fiscal_year

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
            # 'the 12 months ending September 30, 2022': a month's last day ends the window with that month
            p = (_day_point(toks, a, first=False) if inclusive else None) or _month_point(
                toks, a, guarded=False
            )
            if p is not None and p[0].kind == "partial":
                note = f"'{_text(toks, i, p[1])}' ends inside a month"
                return PeriodSpec("partial", note=note), p[1]
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
        of = _words(toks, c[1] + 1, "of", "of the")
        if of is not None and _whole(toks, of):  # 'the last two months of fiscal 2020': a part of that year
            return None
        return PeriodSpec("past_months", n=c[0]), c[1] + 1
    if unit in ("years", "year") and c[0] <= 10:
        return PeriodSpec("past_months", n=12 * c[0]), c[1] + 1
    return None


_TO = ("and", "&", "to", "through", "thru", "until", "- to -", "-", "till")


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
    if lead is None and _low(toks, k) in ("and", "&"):  # 'Oct. & Nov.
        return _month_pair(toks, a, t)
    t = _opt(toks, t, "the end of")
    b = _day_point(toks, t, first=False) or _point(toks, t, guarded=False)
    if b is None:
        return None
    if "partial" in (a[0].kind, b[0].kind):
        return PeriodSpec("partial", note=f"'{_text(toks, i, b[1])}' starts or ends inside a month"), b[1]
    start, end = a[0], b[0]
    if start.kind == "fiscal_year" and end.kind == "year":  # 'fiscal years 2021 through 2023'
        end = PeriodSpec("fiscal_year", year=end.year)
    elif start.kind == "calendar_year" and end.kind == "year":
        end = PeriodSpec("calendar_year", year=end.year)
    placed = _in_year(toks, b[1], start, end)
    if placed is not None:
        return placed
    return PeriodSpec("range", start=start, end=end), b[1]


def _in_year(toks: list[Token], j: int, start: PeriodSpec, end: PeriodSpec) -> Parse:
    """'from October to June of fiscal 2019', 'the October-to-June period in fiscal 2019', 'between
    January and June of 2023': two months without years, placed in the (fiscal) year after them."""
    if start.kind != "month" or end.kind != "month" or start.year is not None or end.year is not None:
        return None
    if start.month is None or end.month is None:
        return None
    k = _opt(toks, j, "period", "stretch", "span", "months", "time frame", "window")
    by = _words(toks, k, "of", "in", "during", "for")
    if by is None:
        return None
    by = _opt(toks, by, "the")
    fy = _fiscal_year(toks, by)
    if fy is not None and fy[0].kind == "fiscal_year" and fy[0].year is not None:
        year = fy[0].year
        first = calendar_year_of(index_in_fiscal_year(year, start.month))
        last = calendar_year_of(index_in_fiscal_year(year, end.month))
        stop = fy[1]
    else:
        y = _year(toks, by) or _calendar_year_number(toks, by)
        if y is None:
            return None
        first = last = y[0]
        stop = y[1]
    if (last, end.month) < (first, start.month):
        return None
    return (
        PeriodSpec(
            "range",
            start=PeriodSpec("month", month=start.month, year=first),
            end=PeriodSpec("month", month=end.month, year=last),
        ),
        stop,
    )


def _calendar_year_number(toks: list[Token], i: int) -> tuple[int, int] | None:
    """'calendar year 2023', 'calendar 2023': the year."""
    cy = _calendar_year(toks, i)
    if cy is None or cy[0].kind != "calendar_year" or cy[0].year is None:
        return None
    return cy[0].year, cy[1]


def _month_pair(toks: list[Token], a: tuple[PeriodSpec, int], t: int) -> Parse:
    """'in October and November': two consecutive months, counted together."""
    b = _month_point(toks, t, guarded=False)
    if b is None or a[0].kind != "month" or b[0].kind != "month" or a[0].month is None or b[0].month is None:
        return None
    if b[0].month != a[0].month % 12 + 1:
        return None
    return PeriodSpec("range", start=a[0], end=b[0]), b[1]


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
    """'fiscal year 2024 through March': from the fiscal year's start to that month; 'the fiscal year by
    September 2023', 'the fiscal year that ended in September': the fiscal year that reaches that month."""
    w = _fiscal_year(toks, i)
    named = w is None
    if w is None:
        w = _named_year(toks, i)
        if w is None or w[0].kind != "context_fiscal_year":
            return None
    j = _opt(toks, w[1], ",")
    k = _words(
        toks, j, "by", "ending in", "ending", "that ended in", "that ended", "which ended in", "which ended"
    )
    t: Parse = None
    if k is not None and (p := _month_point(toks, _opt(toks, k, "the end of"), guarded=False)):
        t = PeriodSpec("through", end=p[0]), p[1]
    t = t or _through(toks, j)
    if t is None or t[0].end is None:
        return None
    if named:  # the fiscal year in context is the one that month closes
        return t
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
    # after 'the', a superlative names a record however long what it counts ('the most of any month for
    # which public records exist (since 2000)', 'the biggest flight from the island since ...'); a bare
    # 'most' may be a quantifier ('most of the 50,000 who crossed since January'): only a short reach
    reach = 16 if _low(toks, i - 1) == "the" else 8
    for k in range(i + 1, min(len(toks), i + reach)):
        if _low(toks, k) == "since":
            p = _point(toks, k + 1, guarded=False) or _year_within(toks, k + 1)
            return PeriodSpec("ignore", note="a record comparison"), (p[1] if p else k + 1)
        if _low(toks, k) == "(" and _low(toks, k + 1) == "since":
            continue  # 'the most of any month ... (since 2000)': the aside bounds the record
        if _low(toks, k) in (",", "(", ")", ";"):
            break
    return None


def _year_within(toks: list[Token], i: int) -> Parse:
    """'since the Mariel boatlift in 1980': the year that dates what a record is measured from."""
    for k in range(i, min(len(toks), i + 6)):
        if _low(toks, k) in (",", "(", ")", ";"):
            return None
        y = _year(toks, k)
        if y is not None:
            return PeriodSpec("year", year=y[0]), y[1]
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
