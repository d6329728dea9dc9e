"""Vega-Lite charts of series (Altair), saved as PNG/SVG (vl-convert) or self-contained HTML.

Every chart has a title, the question as understood, units on the axis, and a source line naming the
release(s) — file and sha256 — the numbers came from. Shared by the CLI and the web pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from borderdesk.errors import BorderdeskError
from borderdesk.query.frames import Frame

if TYPE_CHECKING:
    import altair as alt

CHART_SUFFIXES = (".png", ".svg", ".html", ".json")


def source_line(frame: Frame) -> str:
    rels = "; ".join(f"{r.label} ({r.file}, sha256 {r.sha256[:12]})" for r in frame.releases)
    return f"Source: U.S. Customs and Border Protection, {rels}. Encounters count events, not people."


def title_for(frame: Frame) -> str:
    q = frame.question
    who = " + ".join(v.title() for v in q.values("citizenship")) or "All citizenships"
    where = {"southwest": "Southwest border", "northern": "Northern border", "other": "air and sea"}
    region = " + ".join(where.get(r, r) for r in q.values("region")) or "nationwide"
    return f"{who}: CBP encounters, {region}"


def series_spec(frame: Frame) -> dict[str, Any]:
    """The Vega-Lite spec (a dict) of a series frame: what the web page embeds and the files render."""
    return series_chart(frame).to_dict()


def series_chart(frame: Frame) -> alt.Chart:
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
    chart: alt.Chart = (
        mark.encode(**enc)
        .properties(
            width=640,
            height=320,
            title=alt.Title(
                text=title_for(frame),
                subtitle=[frame.question.describe() or frame.period.describe(), source_line(frame)],
                anchor="start",
            ),
        )
        .configure_title(subtitleFontSize=10)
    )
    return chart


def save_chart(frame: Frame, path: Path) -> Path:
    """Write the chart as .png, .svg, .html (self-contained, no CDN) or .json (the Vega-Lite spec)."""
    suffix = path.suffix.lower()
    if suffix not in CHART_SUFFIXES:
        raise BorderdeskError(f"--chart must end in one of {', '.join(CHART_SUFFIXES)}, not {path.name!r}")
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
