"""Vega-Lite charts of series (Altair), saved as PNG/SVG (vl-convert) or self-contained HTML.

Every chart has a title, the question as understood, units on the axis, and a source line naming the
release(s) — file and sha256 — the numbers came from. Shared by the CLI, the web pages and the monthly
brief (:func:`add_brief_charts`: the brief is assembled in :mod:`borderdesk.analysis`, below this layer,
and its pictures are drawn here).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from borderdesk.errors import BorderdeskError, ParameterError
from borderdesk.query.frames import Frame

if TYPE_CHECKING:
    import altair as alt

    from borderdesk.analysis.brief import Brief
    from borderdesk.analysis.result import Table
    from borderdesk.query.reader import Reader

CHART_SUFFIXES = (".png", ".svg", ".html", ".json")
BRIEF_CONTEXT_MONTHS = 24  # a brief's charts show the two years up to its period's end
NUMBER_PX = 11  # font size of the event numbers on the plot
LEGEND_PX = 11  # font size of the legend lines under the plot
LEGEND_ROW = 15  # pixels per legend line
NARROWEST = 240  # plot width (px) the numbers are laid out for: under a 375 px phone's, so no width clashes


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
    spec: dict[str, Any] = series_chart(frame).to_dict()
    return spec


def series_chart(frame: Frame, *, annotate: bool = True, configure: bool = True) -> Any:
    """The chart of a series frame; monthly charts are annotated with numbered markers for the dated
    events (:mod:`borderdesk.analysis.events`) in their period unless ``annotate=False``.
    ``configure=False`` leaves out the top-level configuration, for a chart to be stacked."""
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
        subtitle=[frame.describe() or frame.period.describe(), *source_lines(frame)],
        anchor="start",
    )
    chart = alt.layer(lines, *layers) if layers else lines
    chart = chart.properties(width=640, height=320, title=title)
    return chart.configure_title(subtitleFontSize=10) if configure else chart


@dataclass(frozen=True)
class EventMarker:
    """One numbered event marker: the number drawn at the top of its dashed rule, and the full text
    listed under the chart (a legend in the image, a list on the web page)."""

    number: int
    day: dt.date
    label: str
    title: str
    source: str

    @property
    def line(self) -> str:
        return f"{self.number}. {self.day.isoformat()}: {self.label}"


def event_markers(frame: Frame) -> list[EventMarker]:
    """The dated events (:mod:`borderdesk.analysis.events`) inside a monthly frame's period, numbered
    in date order; a span (Title 42) gives one marker where it starts and one where it ends."""
    from borderdesk.analysis.events import events_in
    from borderdesk.query.periods import index_date

    period = frame.period
    if frame.kind != "series" or frame.columns[0] != "month" or period.end is None:
        return []
    first, last = index_date(period.start), index_date(period.end)
    found = []
    for e in events_in(period):
        for day, what in ((e.date, e.title), (e.end_date, f"{e.title} (ends)")):
            if day is not None and first <= day.replace(day=1) <= last:
                found.append((day, what, e.title, e.source_url))
    found.sort(key=lambda f: f[0])
    return [EventMarker(i, *f) for i, f in enumerate(found, start=1)]


def event_layers(frame: Frame) -> list[Any]:
    """Dashed rules (and a light band for spans such as Title 42) with a number at the top of each
    rule; the numbers are explained by :func:`event_legend` (files) or the page's list (web). Full
    titles never go on the plot: on a long range they overprinted and had to be cut."""
    import altair as alt

    from borderdesk.analysis.events import events_in
    from borderdesk.query.periods import index_date

    markers = event_markers(frame)
    period = frame.period
    if not markers or period.end is None:
        return []
    first, last = index_date(period.start), index_date(period.end)
    marks = [
        {"day": m.day.isoformat(), "n": str(m.number), "title": m.label, "source": m.source} for m in markers
    ]
    bands = []
    for e in events_in(period):
        if e.end_date is not None:
            lo, hi = max(e.date, first), min(e.end_date, last)
            if lo <= hi:
                bands.append({"day": lo.isoformat(), "day2": hi.isoformat(), "title": e.title})
    _place_numbers(marks, first, last)
    x = alt.X("day:T", timeUnit="utcyearmonthdate", title="Month")
    tooltip = [
        alt.Tooltip("n:N", title="event"),
        alt.Tooltip("title:N", title="what"),
        alt.Tooltip("day:N", title="date"),
        alt.Tooltip("source:N", title="source"),
    ]
    out: list[Any] = []
    if bands:
        out.append(
            alt.Chart(alt.Data(values=bands))  # type: ignore[no-untyped-call]
            .mark_rect(opacity=0.07, color="#444")
            .encode(x=x, x2=alt.X2("day2:T", timeUnit="utcyearmonthdate"), tooltip=[alt.Tooltip("title:N")])
        )
    base = alt.Chart(alt.Data(values=marks))  # type: ignore[no-untyped-call]
    out.append(base.mark_rule(color="#777", strokeDash=[4, 3]).encode(x=x, tooltip=tooltip))
    out.append(
        base.mark_text(baseline="top", align="center", fontSize=NUMBER_PX, fontWeight="bold", color="#333")
        .encode(
            x=x,
            y=alt.YValue(alt.ExprRef(expr="datum.row")),  # type: ignore[no-untyped-call]
            text="n:N",
            tooltip=tooltip,
        )
        .properties(name="event_numbers")
    )
    return out


def _place_numbers(marks: list[dict[str, Any]], first: dt.date, last: dt.date) -> None:
    """Give each number a lane (y offset) so neighbours never overprint, however narrow the chart:
    greedy, in date order, on the number's width at the narrowest plot width a page draws."""
    end = last + dt.timedelta(days=31)
    span = max((end - first).days, 1)
    lanes_end: list[float] = []
    for m in marks:
        x = (dt.date.fromisoformat(str(m["day"])) - first).days / span * NARROWEST
        half = (len(str(m["n"])) * NUMBER_PX * 0.65 + 4) / 2
        lane = next((i for i, e in enumerate(lanes_end) if e < x - half), None)
        if lane is None:
            lane = len(lanes_end)
            lanes_end.append(x + half)
        else:
            lanes_end[lane] = x + half
        m["row"] = 2 + (NUMBER_PX + 3) * lane


def event_legend(frame: Frame) -> alt.Chart | None:
    """The numbered events as lines of text, to stack under the plot in a PNG/SVG (number, date,
    full title); None when the chart has no events."""
    import altair as alt

    markers = event_markers(frame)
    if not markers:
        return None
    rows = [{"line": m.line, "i": i} for i, m in enumerate(markers)]
    legend: alt.Chart = (
        alt.Chart(alt.Data(values=rows))  # type: ignore[no-untyped-call]
        .mark_text(align="left", baseline="top", fontSize=LEGEND_PX, color="#333")
        .encode(
            x=alt.XValue(0),  # type: ignore[no-untyped-call]
            y=alt.YValue(alt.ExprRef(expr=f"datum.i * {LEGEND_ROW}")),  # type: ignore[no-untyped-call]
            text="line:N",
        )
        .properties(width=640, height=LEGEND_ROW * len(rows), name="event_legend")
    )
    return legend


def file_chart(frame: Frame) -> Any:
    """The chart as files show it (PNG, SVG, HTML, JSON, the brief): the plot, and under it the
    legend of its numbered events."""
    import altair as alt

    legend = event_legend(frame)
    if legend is None:
        return series_chart(frame)
    plot = series_chart(frame, configure=False)
    key = legend.properties(
        title=alt.Title("Events", anchor="start", fontSize=12), view=alt.ViewBackground(stroke=None)
    )
    return alt.vconcat(plot, key, spacing=12).configure_title(subtitleFontSize=10)


def surges_spec(table: Table) -> dict[str, Any]:
    """Bars of each surging nationality's encounters in the period, with a tick at its seasonal
    baseline: the gap is what the score measures (the web's surges page)."""
    import altair as alt

    rows = [
        {"who": f"{r['nationality'].title()} ({r['region']})", **r}
        for r in table.records()
        if r.get("baseline") is not None
    ]
    y = alt.Y("who:N", sort=None, title=None)
    tooltip = [alt.Tooltip("who:N", title="nationality"), "value:Q", "baseline:Q", "ratio:Q", "score:Q"]
    base = alt.Chart(alt.Data(values=rows))  # type: ignore[no-untyped-call]
    bars = base.mark_bar(color="#4c78a8").encode(
        x=alt.X("value:Q", title="Encounters in the period (tick: baseline)", axis=alt.Axis(format=",d")),
        y=y,
        tooltip=tooltip,
    )
    ticks = base.mark_tick(color="#e45756", thickness=3).encode(x="baseline:Q", y=y, tooltip=tooltip)
    chart = alt.layer(bars, ticks).properties(width=640, height=max(60, 22 * len(rows)))
    spec: dict[str, Any] = chart.to_dict()
    return spec


def revisions_spec(table: Table) -> dict[str, Any]:
    """Bars of each month's change between the two releases, up (blue) or down (red)."""
    import altair as alt

    rows = [{**r, "date": f"{r['month']}-01"} for r in table.records() if r.get("change") is not None]
    chart = (
        alt.Chart(alt.Data(values=rows))  # type: ignore[no-untyped-call]
        .mark_bar()
        .encode(
            x=alt.X("utcyearmonth(date):T", title="Month", axis=alt.Axis(format="%b %Y")),
            y=alt.Y("change:Q", title="Change in encounters", axis=alt.Axis(format="+,d")),
            color=alt.condition("datum.change < 0", alt.value("#e45756"), alt.value("#4c78a8")),
            tooltip=["month:N", "from_value:Q", "to_value:Q", "change:Q", "percent:Q"],
        )
        .properties(width=640, height=240)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


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
    chart = file_chart(frame)
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
        brief.charts.append(Chart("total", alt_text, _brief_png(file_chart(total))))
        if brief.surges is not None and brief.surges.rows:
            names = list(dict.fromkeys(r[0] for r in brief.surges.rows))[:4]
            extra = {k: v for k, v in filters.items() if k != "citizenship"}
            q = reader.question(period=span, today=today, by=("citizenship",), citizenship=names, **extra)
            alt_text = f"Surging nationalities, {brief.place}, {span}"
            brief.charts.append(Chart("surges", alt_text, _brief_png(file_chart(route.series(reader, q)))))
    except BorderdeskError as e:
        brief.notes.append(f"Chart not drawn: {e}")
    return brief


def _brief_png(chart: Any) -> bytes:
    import vl_convert as vlc

    data: bytes = vlc.vegalite_to_png(chart.to_dict(), scale=1.5)
    return data
