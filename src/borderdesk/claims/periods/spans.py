"""Points resolved to months (a month, a fiscal or calendar year, a quarter, a part of a year), and a
span still in progress at the date run up to the latest published month."""

from __future__ import annotations

from dataclasses import dataclass

from borderdesk.claims import vocab
from borderdesk.claims.periods.base import (
    Context,
    PeriodProblem,
    PeriodReading,
    fy_label,
    label,
    month_before,
)
from borderdesk.claims.periods.spec import PeriodSpec
from borderdesk.query.periods import Period, fiscal_year_months, fiscal_year_of, index_date, month_index


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
    if spec.which is not None:  # 'May of last year' (-1), 'March of this year' (0)
        i = month_index(ctx.date.year + spec.which, spec.month)
        return Span(i, i, "month", label(i, i), f"{index_date(i):%B} of {ctx.date.year + spec.which}")
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
    if spec.kind == "administration":
        return [_administration(spec.note, ctx)]
    raise PeriodProblem(f"cannot take a part of {spec.kind.replace('_', ' ')}")


def _administration(who: str, ctx: Context) -> Span:
    """The months of the named president's term in office at the text's date (or the last one before
    it): from the first full month, up to the latest published month while it lasts."""
    terms = vocab.cue_table().get("administration", {}).get(who, "")
    today = month_index(ctx.date.year, ctx.date.month)
    best = None
    for term in terms.split("|"):
        first, _, last = term.partition("..")
        s = month_index(*map(int, first.split("-")))
        e = month_index(*map(int, last.split("-"))) if last else ctx.published[0]
        if s <= today and (best is None or s > best[0]):
            best = (s, e)
    if best is None:
        raise PeriodProblem(f"no {who.title()} administration had begun by {ctx.date:%Y-%m-%d}")
    return Span(best[0], best[1], "range", f"the {who.title()} administration")


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
