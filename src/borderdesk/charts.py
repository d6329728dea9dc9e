"""Vega-Lite charts of series (Altair), saved as PNG/SVG (vl-convert) or self-contained HTML.

Every chart has a title, the question as understood, units on the axis, and a source line naming the
release(s) — file and sha256 — the numbers came from. Shared by the CLI, the web pages and the monthly
brief (:func:`add_brief_charts`: the brief is assembled in :mod:`borderdesk.analysis`, below this layer,
and its pictures are drawn here).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from borderdesk.errors import BorderdeskError, ParameterError
from borderdesk.query.frames import Frame

if TYPE_CHECKING:
    import altair as alt

    from borderdesk.analysis.brief import Brief
    from borderdesk.query.reader import Reader

CHART_SUFFIXES = (".png", ".svg", ".html", ".json")
BRIEF_CONTEXT_MONTHS = 24  # a brief's charts show the two years up to its period's end


def source_line(frame: Frame) -> str:
    rels = "; ".join(f"{r.label} ({r.file}, sha256 {r.sha256[:12]})" for r in frame.releases)
    return f"Source: U.S. Customs and Border Protection, {rels}. Encounters count events, not people."


def source_lines(frame: Frame) -> list[str]:
    """The source line broken for a chart: one line per release, so the image stays chart-wide."""
    rels = [f"{r.label} ({r.file}, sha256 {r.sha256[:12]})" for r in frame.releases]
    lines = [f"Source: U.S. Customs and Border Protection, {rel}" for rel in rels[:1]]
    lines += [f"and {rel}" for rel in rels[1:]]
    return [*lines, "Encounters count events, not people."]


def title_for(frame: Frame) -> str:
    q = frame.question
    who = " + ".join(v.title() for v in q.values("citizenship")) or "All citizenships"
    where = {"southwest": "Southwest border", "northern": "Northern border", "other": "air and sea"}
    region = " + ".join(where.get(r, r) for r in q.values("region")) or "nationwide"
    return f"{who}: CBP encounters, {region}"


def series_spec(frame: Frame) -> dict[str, Any]:
    """The Vega-Lite spec (a dict) of a series frame: what the web page embeds and the files render."""
    return series_chart(frame).to_dict()


def series_chart(frame: Frame, *, annotate: bool = True) -> alt.Chart:
    """The chart of a series frame; monthly charts are annotated with the dated events
    (:mod:`borderdesk.analysis.events`) in their period unless ``annotate=False``."""
    import altair as alt

    if frame.kind != "series":
        raise BorderdeskError("only a series can be drawn as a chart")
    time_col = frame.columns[0]
    by = [c for c in frame.columns[1:] if c not in ("encounters", "months")]
    records = [dict(zip(frame.columns, r, strict=True)) for r in frame.rows]
    monthly = time_col == "month"
    if monthly:  # ISO dates are read as UTC: keep every step in UTC so months don't slip a day
        for rec in records:
            rec["date"] = f"{rec['month']}-01"
    x = (
        alt.X("utcyearmonth(date):T", title="Month", axis=alt.Axis(format="%b %Y"))
        if monthly
        else alt.X(f"{time_col}:O", title=time_col.replace("_", " ").capitalize())
    )
    unit = "per month" if monthly else "per year"
    base = alt.Chart(alt.Data(values=records))  # type: ignore[no-untyped-call]
    mark = base.mark_line(point=True) if monthly else base.mark_bar()
    enc: dict[str, Any] = {
        "x": x,
        "y": alt.Y("encounters:Q", title=f"Encounters {unit}", axis=alt.Axis(format=",d")),
        "tooltip": [
            alt.Tooltip(f"{time_col}:N", title=time_col.replace("_", " ")),
            alt.Tooltip("encounters:Q", format=",d"),
        ],
    }
    if by:
        enc["color"] = alt.Color(f"{by[0]}:N", title=by[0].replace("_", " ").capitalize())
        enc["tooltip"].insert(1, alt.Tooltip(f"{by[0]}:N"))
    lines = mark.encode(**enc)
    layers = event_layers(frame) if monthly and annotate else []
    title = alt.Title(
        text=title_for(frame),
        subtitle=[frame.question.describe() or frame.period.describe(), *source_lines(frame)],
        anchor="start",
    )
    if layers:
        return (  # type: ignore[no-any-return]
            alt.layer(lines, *layers)
            .properties(width=640, height=320, title=title)
            .configure_title(subtitleFontSize=10)
        )
    chart: alt.Chart = lines.properties(width=640, height=320, title=title).configure_title(
        subtitleFontSize=10
    )
    return chart


def _label(title: str, width: int = 34) -> str:
    return title if len(title) <= width else title[: width - 1].rstrip() + "…"


def event_layers(frame: Frame) -> list[Any]:
    """Rules (and a light band for spans such as Title 42) with short labels for the dated events
    (borderdesk.analysis.events) that fall inside the frame's period; empty when none do."""
    import altair as alt

    from borderdesk.analysis.events import events_in
    from borderdesk.query.periods import index_date

    period = frame.period
    events = events_in(period)
    if not events or period.end is None:
        return []
    first, last = index_date(period.start), index_date(period.end)
    marks, bands = [], []
    for e in events:
        for day, what in ((e.date, e.title), (e.end_date, f"end: {e.title}")):
            if day is not None and first <= day.replace(day=1) <= last:
                marks.append(
                    {
                        "day": day.isoformat(),
                        "label": _label(what),
                        "title": e.title,
                        "when": day.isoformat(),
                        "source": e.source_url,
                    }
                )
        if e.end_date is not None:
            lo, hi = max(e.date, first), min(e.end_date, last)
            if lo <= hi:
                bands.append({"day": lo.isoformat(), "day2": hi.isoformat(), "title": e.title})
    _place_labels(marks, first, last)
    x = alt.X("day:T", timeUnit="utcyearmonthdate", title="Month")
    tooltip = [
        alt.Tooltip("title:N", title="event"),
        alt.Tooltip("when:N", title="date"),
        alt.Tooltip("source:N", title="source"),
    ]
    out: list[Any] = []
    if bands:
        out.append(
            alt.Chart(alt.Data(values=bands))  # type: ignore[no-untyped-call]
            .mark_rect(opacity=0.07, color="#444")
            .encode(x=x, x2=alt.X2("day2:T", timeUnit="utcyearmonthdate"), tooltip=[alt.Tooltip("title:N")])
        )
    if marks:
        base = alt.Chart(alt.Data(values=marks))  # type: ignore[no-untyped-call]
        out.append(base.mark_rule(color="#777", strokeDash=[4, 3]).encode(x=x, tooltip=tooltip))
        for align, dx in (("left", 3), ("right", -3)):
            side = [m for m in marks if m["align"] == align]
            if side:
                out.append(
                    alt.Chart(alt.Data(values=side))  # type: ignore[no-untyped-call]
                    .mark_text(baseline="top", align=align, dx=dx, fontSize=9, color="#444")  # type: ignore[arg-type]
                    .encode(
                        x=x,
                        y=alt.YValue(alt.ExprRef(expr="datum.row")),  # type: ignore[no-untyped-call]
                        text="label:N",
                        tooltip=tooltip,
                    )
                )
    return out


def _place_labels(marks: list[dict[str, Any]], first: Any, last: Any, width: int = 640) -> None:
    """Give each label a row (y offset) so that neighbouring labels do not overprint: greedy, in date
    order, on an estimate of each label's width; labels near the right edge are right-aligned."""
    import datetime as dt

    end = last + dt.timedelta(days=31)
    span = max((end - first).days, 1)
    rows_end: list[float] = []
    char_px, row_px = 5.0, 11
    for m in sorted(marks, key=lambda m: str(m["day"])):
        x = (dt.date.fromisoformat(str(m["day"])) - first).days / span * width
        w = len(str(m["label"])) * char_px + 6
        right = x + w > width
        lo, hi = (x - w, x) if right else (x, x + w)
        row = next((i for i, e in enumerate(rows_end) if e < lo), None)
        if row is None:
            row = len(rows_end)
            rows_end.append(hi)
        else:
            rows_end[row] = hi
        m["row"] = 3 + row_px * row
        m["align"] = "right" if right else "left"


def save_chart(frame: Frame, path: Path) -> Path:
    """Write the chart as .png, .svg, .html (self-contained, no CDN) or .json (the Vega-Lite spec)."""
    suffix = path.suffix.lower()
    if suffix not in CHART_SUFFIXES:
        raise ParameterError(
            "path",
            f"{{parameter}} must end in one of {', '.join(CHART_SUFFIXES)}, not {path.name!r}",
            value=path.name,
            allowed=CHART_SUFFIXES,
        )
    chart = series_chart(frame)
    if suffix == ".json":
        import json

        path.write_text(json.dumps(chart.to_dict(), indent=1), encoding="utf-8")
        return path
    import vl_convert as vlc

    spec = chart.to_dict()
    if suffix == ".png":
        path.write_bytes(vlc.vegalite_to_png(spec, scale=2))
    elif suffix == ".svg":
        path.write_text(vlc.vegalite_to_svg(spec), encoding="utf-8")
    else:
        path.write_text(vlc.vegalite_to_html(spec, bundle=True), encoding="utf-8")
    return path


def add_brief_charts(brief: Brief, reader: Reader, *, today: dt.date | None = None, **filters: Any) -> Brief:
    """Draw the brief's charts (PNG) and attach them: the monthly total over the two years up to the
    brief's period, and the surging nationalities (up to four) over the same months. A chart that
    cannot be drawn is named in the brief's notes instead. Returns ``brief``."""
    from borderdesk.analysis.brief import Chart
    from borderdesk.history import route
    from borderdesk.query.periods import month_text

    end = brief.period.end
    assert end is not None
    span = f"{month_text(end - BRIEF_CONTEXT_MONTHS + 1)}..{month_text(end)}"
    try:
        total = route.series(reader, reader.question(period=span, today=today, **filters))
        alt_text = f"Monthly encounters, {brief.place}, {span}"
        brief.charts.append(Chart("total", alt_text, _brief_png(series_chart(total))))
        if brief.surges is not None and brief.surges.rows:
            names = list(dict.fromkeys(r[0] for r in brief.surges.rows))[:4]
            extra = {k: v for k, v in filters.items() if k != "citizenship"}
            q = reader.question(period=span, today=today, by=("citizenship",), citizenship=names, **extra)
            alt_text = f"Surging nationalities, {brief.place}, {span}"
            brief.charts.append(Chart("surges", alt_text, _brief_png(series_chart(route.series(reader, q)))))
    except BorderdeskError as e:
        brief.notes.append(f"Chart not drawn: {e}")
    return brief


def _brief_png(chart: alt.Chart) -> bytes:
    import vl_convert as vlc

    data: bytes = vlc.vegalite_to_png(chart.to_dict(), scale=1.5)
    return data
