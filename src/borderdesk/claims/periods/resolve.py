"""Period phrases resolved against the publication date: each :class:`PeriodSpec` becomes one or more
readings, each a core :class:`~borderdesk.query.Period` of whole months.

- a month name without a year: the most recent such month that ended before the date;
- no period at all: the latest published month. CBP publishes a month between about the 5th and the
  20th of the next month, so from the 20th on that is the previous month, before the 5th the month
  before that, and in between both are readings (:func:`latest_published`);
- a fiscal or calendar year still in progress: up to the latest published month;
- a bare year ('in 2021'): the calendar year and the fiscal year, both.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from borderdesk.claims.periods.base import (
    OPEN,
    Context,
    PeriodProblem,
    PeriodReading,
    default_readings,
    fy_label,
    label,
    month_before,
)
from borderdesk.claims.periods.spans import Span, _cy_span, _fy_span, _month_span, _reading, _to_date, points
from borderdesk.claims.periods.spec import PeriodSpec
from borderdesk.query.periods import (
    Period,
    fiscal_year_months,
    fiscal_year_of,
    index_date,
    month_index,
)
from borderdesk.values import calendar_year_of


def resolve(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    """Readings of ``spec`` at the publication date; raises PeriodProblem when there can be none."""
    resolver = _RESOLVERS.get(spec.kind)
    if resolver is None:
        raise PeriodProblem(spec.note or f"cannot read the period ({spec.kind})")
    return resolver(spec, ctx)


def _r_point(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    out: list[PeriodReading] = []
    problems = []
    for span in points(spec, ctx):
        try:
            out += _reading(span, ctx)
        except PeriodProblem as e:
            problems.append(str(e))
    if not out:
        raise PeriodProblem(problems[0])
    return out


def _r_range(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    assert spec.start is not None and spec.end is not None
    a, b = spec.start, spec.end
    out: list[PeriodReading] = []
    if a.kind == "month" and a.year is None and b.kind == "month":
        for e in points(b, ctx):  # 'between October and January': the latest such pair before the date
            s = _month_span(a, ctx, upto=e.start)
            out += _range_reading(s, e, ctx)
        return out
    for s in points(a, ctx):
        for e in points(b, ctx, after=s.start):
            if e.kind != s.kind and {s.kind, e.kind} == {"fiscal_year", "calendar_year"}:
                continue  # 'from 2021 to 2023': calendar to calendar, fiscal to fiscal
            out += _range_reading(s, e, ctx)
    if not out:
        raise PeriodProblem("the period ends before it starts")
    return out


def _range_reading(s: Span, e: Span, ctx: Context) -> list[PeriodReading]:
    if e.end < s.start:
        raise PeriodProblem(f"the period {label(s.start, e.end)} ends before it starts")
    if e.end < ctx.today:
        return [PeriodReading(Period("range", s.start, e.end), label(s.start, e.end))]
    return _to_date(s.start, e.end, ctx, None, "up to the latest published month")


def _r_window(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    """'the 12 months through August 2023' -> Sep 2022..Aug 2023; '... before January' excludes it."""
    assert spec.end is not None and spec.n is not None
    anchor = _month_span(spec.end, ctx).start
    end = anchor - (0 if spec.which else 1)
    start = end - spec.n + 1
    note = f"the {spec.n} months {'through' if spec.which else 'before'} {label(anchor, anchor)}"
    return [PeriodReading(Period("range", start, end), label(start, end), note)]


def _r_through(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    """'through the end of March': from the start of the fiscal year that holds it (CBP's year-to-date)."""
    assert spec.end is not None
    end = _month_span(spec.end, ctx).start
    start = fiscal_year_months(fiscal_year_of(end))[0]
    note = f"FY{fiscal_year_of(end)} from October through {index_date(end):%B %Y}"
    return [PeriodReading(Period("range", start, end), fy_label(fiscal_year_of(end), start, end), note)]


def _r_since(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    assert spec.start is not None
    out: list[PeriodReading] = []
    seen = set()
    start = spec.start
    if start.kind == "year":  # 'since 2021': since January 2021
        start = PeriodSpec("calendar_year", year=start.year)
    for s in points(start, ctx):
        if s.start in seen:
            continue
        seen.add(s.start)
        out += _to_date(
            s.start, OPEN, ctx, None, f"from {index_date(s.start):%b %Y} to the latest published month"
        )
    return out


def _r_event(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    assert spec.first_month is not None
    end = spec.last_month if spec.last_month is not None else OPEN
    return _to_date(spec.first_month, end, ctx, None, f"{spec.note}; up to the latest published month")


def _r_fytd(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    fy = spec.year or fiscal_year_of(ctx.published[0])
    s, e = fiscal_year_months(fy)
    if e < ctx.today and spec.year is not None and e <= ctx.published[0]:
        return [PeriodReading(Period("fiscal_year", s, e), fy_label(fy, s, e))]
    return _to_date(s, e, ctx, _fy_span(fy), "October to the latest published month")


def _r_this_year(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    out = []
    y = ctx.date.year
    with contextlib.suppress(PeriodProblem):
        out += _to_date(
            month_index(y, 1), month_index(y, 12), ctx, _cy_span(y), "January to the latest published month"
        )
    try:
        out += _r_fytd(PeriodSpec("fytd"), ctx)
    except PeriodProblem:
        if not out:
            raise
    return out


def _r_last_year(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    """The calendar and fiscal year before the date's; from October to December, also the fiscal year
    that has just ended ('last year' written in November 2023 is most often FY2023)."""
    out = _r_point(PeriodSpec("year", year=ctx.date.year - 1), ctx)
    ended = fiscal_year_of(ctx.today) - 1
    if ended == ctx.date.year:
        out += _r_point(PeriodSpec("fiscal_year", year=ended), ctx)
    return out


def _r_last_fy(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    return _r_point(PeriodSpec("fiscal_year", year=fiscal_year_of(ctx.today) - 1), ctx)


def _r_context_fy(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    anchor = ctx.reference.start if ctx.reference else ctx.published[0]
    return _r_point(PeriodSpec("fiscal_year", year=fiscal_year_of(anchor)), ctx)


def _r_last_month(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    i = ctx.today - 1
    return [
        PeriodReading(Period("month", i, i), label(i, i), f"'last month' counted from {ctx.date:%Y-%m-%d}")
    ]


def _r_last_named(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    """'last March': the most recent March that ended before the date, and the one a year before it."""
    assert spec.month is not None
    i = month_before(ctx.date, spec.month)
    name = f"{index_date(i):%B}"
    return [
        PeriodReading(Period("month", i, i), label(i, i), f"the last {name} before {ctx.date:%Y-%m-%d}"),
        PeriodReading(
            Period("month", i - 12, i - 12), label(i - 12, i - 12), f"the {name} of the previous year"
        ),
    ]


def _r_past_months(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    assert spec.n is not None
    n = spec.n
    note = f"the {n} months ending with the latest published month"
    return [
        PeriodReading(Period("range", last - n + 1, last), label(last - n + 1, last), note)
        for last in ctx.published
    ]


def _r_previous_month(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    ref = ctx.reference.start if ctx.reference else ctx.published[0]
    i = ref - 1
    return [PeriodReading(Period("month", i, i), label(i, i), "the month before")]


def _r_year_earlier(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    if ctx.reference is None:
        base = ctx.published[0] - 12
        return [
            PeriodReading(
                Period("month", base, base), label(base, base), "a year before the latest published month"
            )
        ]
    p = ctx.reference.period
    kind = p.kind if p.kind in ("month", "fiscal_year", "calendar_year") else "range"
    start, end = p.start - 12, ctx.reference.end - 12
    text = fy_label(fiscal_year_of(start), start, end) if kind == "fiscal_year" else label(start, end)
    return [PeriodReading(Period(kind, start, end), text, f"a year before {ctx.reference.label}")]


def _r_year_later(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    """'The following fiscal year saw ...': the reference period a year on (to the latest published)."""
    if ctx.reference is None:
        raise PeriodProblem("'the following year' names no year it follows")
    p = ctx.reference.period
    kind = p.kind if p.kind in ("month", "fiscal_year", "calendar_year") else "range"
    start, end = p.start + 12, ctx.reference.end + 12
    span = Span(
        start,
        end,
        kind,
        fy_label(fiscal_year_of(start), start, end) if kind == "fiscal_year" else label(start, end),
    )
    return _reading(span, ctx, f"a year after {ctx.reference.label}")


def _r_same_in_year(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    """'the same month in 2020': the reference period's months, in that year."""
    assert spec.year is not None
    if ctx.reference is not None:
        start, end, kind = ctx.reference.start, ctx.reference.end, ctx.reference.period.kind
    else:
        start = end = ctx.published[0]
        kind = "month"
    # 'the same period in FY22': the fiscal year of the start moves to FY22 ('in 2022': the calendar year)
    shift = (spec.year - (fiscal_year_of(start) if spec.note == "fiscal" else calendar_year_of(start))) * 12
    kind = kind if kind in ("month", "calendar_year") else "range"
    return [
        PeriodReading(
            Period(kind, start + shift, end + shift),
            label(start + shift, end + shift),
            f"the same months in {'FY' if spec.note == 'fiscal' else ''}{spec.year}",
        )
    ]


def _r_context_month(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    """'during the month': the month the text is about (the reference), else the latest published."""
    if ctx.reference is not None and ctx.reference.start == ctx.reference.end:
        i = ctx.reference.start
        return [
            PeriodReading(Period("month", i, i), label(i, i), f"the month in view ({ctx.reference.label})")
        ]
    return default_readings(ctx)


def _r_partial(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    raise PeriodProblem(f"{spec.note}, and the data are monthly")


_RESOLVERS: dict[str, Callable[[PeriodSpec, Context], list[PeriodReading]]] = {
    "month": _r_point,
    "fiscal_year": _r_point,
    "calendar_year": _r_point,
    "year": _r_point,
    "quarter": _r_point,
    "half": _r_point,
    "part": _r_point,
    "range": _r_range,
    "window": _r_window,
    "through": _r_through,
    "since": _r_since,
    "event": _r_event,
    "fytd": _r_fytd,
    "this_year": _r_this_year,
    "last_year": _r_last_year,
    "last_fiscal_year": _r_last_fy,
    "context_fiscal_year": _r_context_fy,
    "last_month": _r_last_month,
    "last_named_month": _r_last_named,
    "past_months": _r_past_months,
    "previous_month": _r_previous_month,
    "year_earlier": _r_year_earlier,
    "same_in_year": _r_same_in_year,
    "partial": _r_partial,
    "context_month": _r_context_month,
    "year_later": _r_year_later,
}
