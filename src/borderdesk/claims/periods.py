"""Periods resolved against the publication date.

The phrases are found by :mod:`borderdesk.claims.period_phrases`; :func:`resolve` turns each
:class:`PeriodSpec` into one or more readings, each a core :class:`~borderdesk.query.Period` of whole
months:

- a month name without a year: the most recent such month that ended before the date;
- no period at all: the latest published month. CBP publishes a month between about the 5th and
  the 20th of the next month, so from the 20th on that is the previous month, before the 5th the month
  before that, and in between both are readings (:func:`latest_published`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from borderdesk.claims.period_phrases import PeriodCue, PeriodSpec, find_periods
from borderdesk.query.periods import (
    Period,
    date_index,
    fiscal_year_months,
    fiscal_year_of,
    index_date,
    month_index,
)

__all__ = [
    "Context",
    "PeriodCue",
    "PeriodProblem",
    "PeriodReading",
    "PeriodSpec",
    "default_readings",
    "find_periods",
    "latest_published",
    "resolve",
]


@dataclass(frozen=True)
class PeriodReading:
    period: Period
    label: str
    note: str = ""

    @property
    def start_text(self) -> str:
        return f"{index_date(self.period.start):%Y-%m}"

    @property
    def end_text(self) -> str:
        assert self.period.end is not None
        return f"{index_date(self.period.end):%Y-%m}"

    def to_dict(self) -> dict[str, str]:
        return {"start": self.start_text, "end": self.end_text, "label": self.label}


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
    full = fiscal_year_months(fy)
    if (start, end) == full:
        return f"FY{fy} ({label(start, end)})"
    return f"FY{fy} to date ({label(start, end)})"


@dataclass(frozen=True)
class Context:
    """What resolution needs: the publication date, its latest published months, and the period of
    the claim this one is compared with (for 'a year earlier', 'the previous month')."""

    date: dt.date
    reference: PeriodReading | None = None

    @property
    def published(self) -> list[int]:
        return latest_published(self.date)


def _to_date(
    start: int, end: int, ctx: Context, kind: str, make_label: Callable[[int, int], str], note: str
) -> list[PeriodReading]:
    """A period running up to the latest published month (one reading per candidate month)."""
    out = []
    for last in ctx.published:
        stop = min(end, last)
        if stop < start:
            continue
        out.append(
            PeriodReading(
                Period(kind if stop == end else "range", start, stop), make_label(start, stop), note
            )
        )
    if not out:
        raise PeriodProblem(
            f"no month from {label(start, start)} on had been published by {ctx.date:%Y-%m-%d}"
        )
    return out


def resolve(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    """Readings of ``spec`` at the publication date; raises PeriodProblem when there can be none."""
    resolver = _RESOLVERS.get(spec.kind)
    if resolver is None:
        raise PeriodProblem(spec.note or f"cannot read the period ({spec.kind})")
    return resolver(spec, ctx)


def default_readings(ctx: Context) -> list[PeriodReading]:
    """No period stated: the latest published month(s)."""
    rule = (
        "on or after the 20th"
        if ctx.date.day >= 20
        else "before the 5th"
        if ctx.date.day < 5
        else "between the 5th and the 19th"
    )
    return [
        PeriodReading(
            Period("month", i, i),
            label(i, i),
            f"no period is stated, so the latest published month at {ctx.date:%Y-%m-%d} ({rule})",
        )
        for i in ctx.published
    ]


def _r_month(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    assert spec.month is not None
    if spec.year is not None:
        i = month_index(spec.year, spec.month)
        return [PeriodReading(Period("month", i, i), label(i, i))]
    i = month_before(ctx.date, spec.month)
    name = f"{index_date(i):%B}"
    return [
        PeriodReading(
            Period("month", i, i), label(i, i), f"the last {name} that ended before {ctx.date:%Y-%m-%d}"
        )
    ]


def _r_last_month(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    i = date_index(ctx.date) - 1
    return [
        PeriodReading(Period("month", i, i), label(i, i), f"'last month' counted from {ctx.date:%Y-%m-%d}")
    ]


def _r_fiscal_year(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    assert spec.year is not None
    s, e = fiscal_year_months(spec.year)
    if e < date_index(ctx.date):  # the year had ended by the date: all of it, published or not
        return [PeriodReading(Period("fiscal_year", s, e), fy_label(spec.year, s, e))]
    return _to_date(
        s,
        e,
        ctx,
        "fiscal_year",
        lambda a, b: fy_label(spec.year or 0, a, b),
        f"FY{spec.year} was still in progress, so October to the latest published month",
    )


def _r_fytd(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    fy = spec.year or fiscal_year_of(date_index(ctx.date))
    s, e = fiscal_year_months(fy)
    return _to_date(
        s, e, ctx, "fiscal_year", lambda a, b: fy_label(fy, a, b), "October to the latest published month"
    )


def _r_last_fy(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    return _r_fiscal_year(PeriodSpec("fiscal_year", year=fiscal_year_of(date_index(ctx.date)) - 1), ctx)


def _r_context_fy(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    anchor = ctx.reference.period.start if ctx.reference else ctx.published[0]
    return _r_fiscal_year(PeriodSpec("fiscal_year", year=fiscal_year_of(anchor)), ctx)


def _r_calendar(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    assert spec.year is not None
    s, e = month_index(spec.year, 1), month_index(spec.year, 12)
    if e < date_index(ctx.date):
        return [PeriodReading(Period("calendar_year", s, e), f"calendar {spec.year}")]
    return _to_date(
        s,
        e,
        ctx,
        "calendar_year",
        lambda a, b: f"calendar {spec.year} to date ({label(a, b)})",
        f"{spec.year} was still in progress, so January to the latest published month",
    )


def _r_year(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    """'in 2021': the calendar year and the fiscal year, both."""
    out: list[PeriodReading] = []
    problems = []
    for fn, kind in ((_r_calendar, "calendar_year"), (_r_fiscal_year, "fiscal_year")):
        try:
            out += fn(PeriodSpec(kind, year=spec.year), ctx)
        except PeriodProblem as e:
            problems.append(str(e))
    if not out:
        raise PeriodProblem(problems[0])
    return out


def _r_last_year(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    return _r_year(PeriodSpec("year", year=ctx.date.year - 1), ctx)


def _r_this_year(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    out = _r_calendar(PeriodSpec("calendar_year", year=ctx.date.year), ctx)
    with contextlib.suppress(PeriodProblem):
        out += _r_fytd(PeriodSpec("fytd"), ctx)
    return out


def _r_since(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    assert spec.month is not None
    start = month_index(spec.year, spec.month) if spec.year else month_before(ctx.date, spec.month)
    return _to_date(
        start, 10**6, ctx, "range", label, f"from {index_date(start):%b %Y} to the latest published month"
    )


def _r_since_fy(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    assert spec.year is not None
    start = fiscal_year_months(spec.year)[0]
    return _to_date(
        start, 10**6, ctx, "range", label, f"from the start of FY{spec.year} to the latest published month"
    )


def _r_event(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    assert spec.start is not None
    end = spec.end if spec.end is not None else 10**6
    return _to_date(spec.start, end, ctx, "range", label, f"{spec.note}; up to the latest published month")


def _r_past_months(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    assert spec.n is not None
    n = spec.n
    return [
        PeriodReading(
            Period("range", last - n + 1, last),
            label(last - n + 1, last),
            f"the {n} months ending with the latest published month",
        )
        for last in ctx.published
    ]


def _r_range(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    assert spec.month is not None and spec.month2 is not None
    end = month_index(spec.year2, spec.month2) if spec.year2 else month_before(ctx.date, spec.month2)
    if spec.year:
        start = month_index(spec.year, spec.month)
    else:
        start = month_index(index_date(end).year, spec.month)
        if start > end:
            start -= 12
    if start > end:
        raise PeriodProblem(f"the period {label(start, end)} ends before it starts")
    return [PeriodReading(Period("range", start, end), label(start, end))]


def _r_previous_month(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    ref = ctx.reference.period.start if ctx.reference else ctx.published[0]
    i = ref - 1
    return [PeriodReading(Period("month", i, i), label(i, i), "the month before")]


def _r_year_earlier(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    if ctx.reference is None:
        base = ctx.published[0]
        return [
            PeriodReading(
                Period("month", base - 12, base - 12),
                label(base - 12, base - 12),
                "a year before the latest published month",
            )
        ]
    p = ctx.reference.period
    assert p.end is not None
    kind = p.kind if p.kind in ("month", "fiscal_year", "calendar_year") else "range"
    start, end = p.start - 12, p.end - 12
    shifted = Period(kind, start, end)
    text = label(start, end)
    if kind == "fiscal_year":
        text = fy_label(fiscal_year_of(start), start, end)
    return [PeriodReading(shifted, text, f"a year before {ctx.reference.label}")]


def _r_same_in_year(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    """'the same month in 2020': the reference period's months, in that year."""
    assert spec.year is not None
    ref = ctx.reference.period if ctx.reference else Period("month", ctx.published[0], ctx.published[0])
    assert ref.end is not None
    shift = (spec.year - ref.start // 12) * 12
    start, end = ref.start + shift, ref.end + shift
    kind = ref.kind if ref.kind in ("month", "calendar_year") else "range"
    return [PeriodReading(Period(kind, start, end), label(start, end), f"the same months in {spec.year}")]


_RESOLVERS: dict[str, Callable[[PeriodSpec, Context], list[PeriodReading]]] = {
    "month": _r_month,
    "last_month": _r_last_month,
    "fiscal_year": _r_fiscal_year,
    "fytd": _r_fytd,
    "last_fiscal_year": _r_last_fy,
    "context_fiscal_year": _r_context_fy,
    "calendar_year": _r_calendar,
    "year": _r_year,
    "last_year": _r_last_year,
    "this_year": _r_this_year,
    "since": _r_since,
    "since_fiscal_year": _r_since_fy,
    "event": _r_event,
    "past_months": _r_past_months,
    "range": _r_range,
    "previous_month": _r_previous_month,
    "year_earlier": _r_year_earlier,
    "same_in_year": _r_same_in_year,
}

#: kinds that say something about the claim's period (the others only reserve their span)
MEANINGFUL = frozenset(_RESOLVERS) | {"partial"}
#: kinds that are relative to another claim's period
RELATIVE = frozenset({"previous_month", "year_earlier", "context_fiscal_year", "same_in_year"})
