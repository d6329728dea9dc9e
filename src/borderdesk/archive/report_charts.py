"""The archive report's charts: Vega-Lite (Altair) drawn to SVG by vl-convert.

SVG rather than the vendored vega-embed scripts inlined in the page: the report is a file people mail
and open from disk, and an SVG needs no script to run (none can fail, be blocked by a strict reader or
mail client, or print blank), weighs a few kilobytes instead of the ~1 MB of Vega's scripts, and is the
same picture the Markdown report links to. Vega's SVG writer escapes every text it draws (outlet
names come from the articles), so the markup can go into the page as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

VERDICTS = ("supported", "inaccurate", "unverifiable")
COLOURS = ("#2e7d32", "#c62828", "#9e9e9e")  # the web pages' verdict colours: green, red, grey
TOP_OUTLETS = 20  # outlets drawn (the table lists them all)
WIDTH = 420


def _verdict_colour() -> Any:
    import altair as alt

    return alt.Color(
        "verdict:N",
        title="Verdict",
        scale=alt.Scale(domain=list(VERDICTS), range=list(COLOURS)),
        sort=list(VERDICTS),
    )


def outlets_chart(rows: Sequence[dict[str, Any]]) -> Any:
    """Claims by outlet, stacked by verdict, beside each outlet's inaccurate share."""
    import altair as alt

    data = {"values": [dict(r) for r in rows[:TOP_OUTLETS]]}
    order = [r["outlet"] for r in rows[:TOP_OUTLETS]]
    y = alt.Y("outlet:N", sort=order, title=None, axis=alt.Axis(labelLimit=220))
    claims = _by_verdict(
        alt.Chart(data, width=WIDTH, title="Claims by verdict"),
        y=y,
        x=alt.X("n:Q", title="Claims", stack="zero"),
    )
    share = (
        alt.Chart(data, width=160, title="Inaccurate share")
        .mark_bar(color=COLOURS[1])
        .encode(
            y=alt.Y("outlet:N", sort=order, axis=None),
            x=alt.X("inaccurate_share:Q", title="of checkable claims", axis=alt.Axis(format="%")),
        )
    )
    return alt.hconcat(claims, share).properties(
        title=f"Claims and inaccurate share by outlet (top {min(len(rows), TOP_OUTLETS)} by claims)"
    )


def _by_verdict(chart: Any, *, x: Any, y: Any) -> Any:
    """``chart`` as bars of claims stacked by verdict (the figure's supported/inaccurate/unverifiable
    columns folded into one), on the axes given: the outlets' and the months' charts share it."""
    import altair as alt

    return (
        chart.transform_fold(list(VERDICTS), as_=["verdict", "n"])
        .mark_bar()
        .encode(x=x, y=y, color=_verdict_colour(), order=alt.Order("verdict:N"))
    )


def months_chart(rows: Sequence[dict[str, Any]]) -> Any:
    """Claims per month of the article, stacked by verdict, above the month's inaccurate share."""
    import altair as alt

    # a time axis, not one label per month: an archive of ten years has 120 months
    dated = [{**r, "start": f"{r['month']}-01"} for r in rows if r["month"] != "(undated)"]
    data = {"values": dated}
    x = alt.X("utcyearmonth(start):T", title="Month of the article", axis=alt.Axis(format="%b %Y"))
    claims = _by_verdict(
        alt.Chart(data, width=WIDTH + 160, height=160), x=x, y=alt.Y("n:Q", title="Claims", stack="zero")
    )
    share = (
        alt.Chart(data, width=WIDTH + 160, height=90)
        .mark_line(point={"color": COLOURS[1]}, color=COLOURS[1])
        .encode(x=x, y=alt.Y("inaccurate_share:Q", title="Inaccurate share", axis=alt.Axis(format="%")))
    )
    return alt.vconcat(claims, share).properties(title="Claims and inaccurate share by month")


def errors_chart(rows: Sequence[dict[str, Any]]) -> Any:
    """Inaccurate claims by the error they most likely make."""
    import altair as alt

    data = {"values": [dict(r) for r in rows]}
    return (
        alt.Chart(data, width=WIDTH, title="Commonest error types")
        .mark_bar(color=COLOURS[1])
        .encode(
            y=alt.Y("error_type:N", sort="-x", title=None, axis=alt.Axis(labelLimit=300)),
            x=alt.X("claims:Q", title="Claims"),
        )
    )


CHARTS = {"outlets": outlets_chart, "months": months_chart, "errors": errors_chart}


def svg(chart: Any) -> str:
    """The chart as SVG markup (vl-convert: no browser, no network)."""
    import vl_convert as vlc

    text: str = vlc.vegalite_to_svg(chart.to_dict())
    return text


def chart_svgs(figures: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    """SVG of every figure that has a chart and at least one row."""
    return {name: svg(draw(figures[name])) for name, draw in CHARTS.items() if figures.get(name)}
