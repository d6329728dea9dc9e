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
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from borderdesk.claims.periods.spec import PeriodSpec
from borderdesk.query.periods import (
    Period,
    date_index,
    fiscal_year_months,
    fiscal_year_of,
    index_date,
    month_index,
)

OPEN = 10**6  # an open end: up to the latest published month


@dataclass(frozen=True)
class PeriodReading:
    """One way to read a period: its months, a label ('Nov 2022', 'FY2023 (Oct 2022–Sep 2023)') and how
    it was read from the date ('the last November that ended before 2022-12-28')."""

    period: Period
    label: str
    note: str = ""

    @property
    def start(self) -> int:
        return self.period.start

    @property
    def end(self) -> int:
        assert self.period.end is not None
        return self.period.end

    def to_dict(self) -> dict[str, str]:
        return {
            "start": f"{index_date(self.start):%Y-%m}",
            "end": f"{index_date(self.end):%Y-%m}",
            "label": self.label,
        }


class PeriodProblem(Exception):
    """A period the monthly data cannot answer (starts inside a month, not yet published...)."""


def latest_published(date: dt.date) -> list[int]:
    """Month indexes of the latest published month(s) at ``date``, newest first (the 5th/20th rule).

    >>> [f"{index_date(i):%Y-%m}" for i in latest_published(dt.date(2024, 3, 12))]
    ['2024-02', '2024-01']
    """
    current = date_index(date)
    if date.day >= 20:
        return [current - 1]
    if date.day < 5:
        return [current - 2]
    return [current - 1, current - 2]


def month_before(date: dt.date, month: int) -> int:
    """The most recent ``month`` (1-12) that ended before ``date``."""
    i = month_index(date.year, month)
    return i if i < date_index(date) else i - 12


def label(start: int, end: int) -> str:
    if start == end:
        return f"{index_date(start):%b %Y}"
    return f"{index_date(start):%b %Y}–{index_date(end):%b %Y}"


def fy_label(fy: int, start: int, end: int) -> str:
    if (start, end) == fiscal_year_months(fy):
        return f"FY{fy} ({label(start, end)})"
    return f"FY{fy} to date ({label(start, end)})"


@dataclass(frozen=True)
class Context:
    """What resolution needs: the publication date, and the period of the claim this one is compared
    with or refers to (for 'a year earlier', 'the previous month', 'the fiscal year as a whole')."""

    date: dt.date
    reference: PeriodReading | None = None

    @property
    def published(self) -> list[int]:
        return latest_published(self.date)

    @property
    def today(self) -> int:
        return date_index(self.date)


def resolve(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    """Readings of ``spec`` at the publication date; raises PeriodProblem when there can be none."""
    resolver = _RESOLVERS.get(spec.kind)
    if resolver is None:
        raise PeriodProblem(spec.note or f"cannot read the period ({spec.kind})")
    return resolver(spec, ctx)


def default_readings(ctx: Context) -> list[PeriodReading]:
    """No period stated: the latest published month(s)."""
    day = ctx.date.day
    rule = (
        "on or after the 20th"
        if day >= 20
        else "before the 5th"
        if day < 5
        else "between the 5th and the 19th"
    )
    note = f"no period is stated, so the latest published month at {ctx.date:%Y-%m-%d} ({rule})"
    return [PeriodReading(Period("month", i, i), label(i, i), note) for i in ctx.published]


# ----------------------------------------------------------------------------------- points


@dataclass(frozen=True)
class Span:
    """A point's months and how to call them."""

    start: int
    end: int
    kind: str  # month | fiscal_year | calendar_year | range
    text: str
    note: str = ""


def _month_span(spec: PeriodSpec, ctx: Context, *, after: int | None = None, upto: int | None = None) -> Span:
    assert spec.month is not None
    if spec.year is not None:
        i = month_index(spec.year, spec.month)
        return Span(i, i, "month", label(i, i))
    if after is not None:  # 'between October 2023 and June': the first June after the start
        i = month_index(index_date(after).year, spec.month)
        i = i if i >= after else i + 12
        return Span(i, i, "month", label(i, i))
    if upto is not None:  # 'between October and January 2024': the last October before the end
        i = month_index(index_date(upto).year, spec.month)
        i = i if i <= upto else i - 12
        return Span(i, i, "month", label(i, i))
    i = month_before(ctx.date, spec.month)
    return Span(
        i, i, "month", label(i, i), f"the last {index_date(i):%B} that ended before {ctx.date:%Y-%m-%d}"
    )


def _fy_span(fy: int) -> Span:
    s, e = fiscal_year_months(fy)
    return Span(s, e, "fiscal_year", f"FY{fy}")


def _cy_span(year: int) -> Span:
    return Span(month_index(year, 1), month_index(year, 12), "calendar_year", f"calendar {year}")


def _wholes(spec: PeriodSpec | None, ctx: Context) -> list[Span]:
    """The whole years a part or quarter is of ('fiscal 2024'; a bare year gives fiscal and calendar)."""
    if spec is None:
        raise PeriodProblem("the period names no year")
    if spec.kind == "fiscal_year":
        assert spec.year is not None
        return [_fy_span(spec.year)]
    if spec.kind == "calendar_year":
        assert spec.year is not None
        return [_cy_span(spec.year)]
    if spec.kind == "year":
        assert spec.year is not None
        return [_cy_span(spec.year), _fy_span(spec.year)]
    if spec.kind in ("fytd", "context_fiscal_year"):
        anchor = ctx.reference.start if ctx.reference else ctx.published[0]
        return [_fy_span(spec.year or fiscal_year_of(anchor))]
    if spec.kind == "last_fiscal_year":
        return [_fy_span(fiscal_year_of(ctx.today) - 1)]
    raise PeriodProblem(f"cannot take a part of {spec.kind.replace('_', ' ')}")


def _quarter_spans(spec: PeriodSpec, ctx: Context) -> list[Span]:
    assert spec.n is not None
    size = 3 if spec.kind == "quarter" else 6
    out = []
    for w in _wholes(spec.start, ctx):
        s = w.start + size * (spec.n - 1)
        name = f"{'Q' if size == 3 else 'H'}{spec.n} {w.text}"
        out.append(Span(s, s + size - 1, "range", name))
    return out


def _part_spans(spec: PeriodSpec, ctx: Context) -> list[Span]:
    assert spec.n is not None and spec.which is not None
    out = []
    for w in _wholes(spec.start, ctx):
        n = min(spec.n, w.end - w.start + 1)
        s, e = (w.start, w.start + n - 1) if spec.which > 0 else (w.end - n + 1, w.end)
        which = "first" if spec.which > 0 else "last"
        name = f"the {which} {'month' if n == 1 else f'{n} months'} of {w.text}"
        out.append(Span(s, e, "month" if s == e else "range", name))
    return out


def points(
    spec: PeriodSpec, ctx: Context, *, after: int | None = None, upto: int | None = None
) -> list[Span]:
    """The months a point names (several for a bare year: calendar and fiscal)."""
    kind = spec.kind
    if kind == "month":
        return [_month_span(spec, ctx, after=after, upto=upto)]
    if kind == "fiscal_year":
        assert spec.year is not None
        return [_fy_span(spec.year)]
    if kind == "calendar_year":
        assert spec.year is not None
        return [_cy_span(spec.year)]
    if kind == "year":
        assert spec.year is not None
        return [_cy_span(spec.year), _fy_span(spec.year)]
    if kind in ("quarter", "half"):
        return _quarter_spans(spec, ctx)
    if kind == "part":
        return _part_spans(spec, ctx)
    if kind in ("fytd", "context_fiscal_year", "last_fiscal_year"):
        return _wholes(spec, ctx)
    raise PeriodProblem(f"cannot use {kind.replace('_', ' ')} as one end of a period")


def _reading(span: Span, ctx: Context, note: str = "") -> list[PeriodReading]:
    """A whole span; one still in progress at the date runs to the latest published month."""
    if span.end < ctx.today:
        text = span.text
        if span.kind == "fiscal_year":
            text = fy_label(fiscal_year_of(span.start), span.start, span.end)
        elif span.kind == "calendar_year":
            text = span.text
        elif span.kind == "range" and span.text != label(span.start, span.end):
            text = f"{span.text} ({label(span.start, span.end)})"
        return [PeriodReading(Period(span.kind, span.start, span.end), text, note or span.note)]
    in_progress = f"{span.text} was still in progress, so up to the latest published month"
    return _to_date(span.start, span.end, ctx, span, note or in_progress)


def _to_date(start: int, end: int, ctx: Context, span: Span | None, note: str) -> list[PeriodReading]:
    """A period running up to the latest published month (one reading per candidate month)."""
    out = []
    for last in ctx.published:
        stop = min(end, last)
        if stop < start:
            continue
        kind = span.kind if span is not None and stop == end else "range"
        if span is not None and span.kind == "fiscal_year":
            text = fy_label(fiscal_year_of(start), start, stop)
        elif span is not None and span.kind == "calendar_year":
            text = span.text if stop == end else f"{span.text} to date ({label(start, stop)})"
        else:
            text = label(start, stop)
        out.append(PeriodReading(Period(kind, start, stop), text, note))
    if not out:
        raise PeriodProblem(
            f"no month from {label(start, start)} on had been published by {ctx.date:%Y-%m-%d}"
        )
    return out


# ----------------------------------------------------------------------------------- resolvers


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
    return _r_point(PeriodSpec("year", year=ctx.date.year - 1), ctx)


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
    shift = (spec.year - start // 12) * 12
    kind = kind if kind in ("month", "calendar_year") else "range"
    return [
        PeriodReading(
            Period(kind, start + shift, end + shift),
            label(start + shift, end + shift),
            f"the same months in {spec.year}",
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
