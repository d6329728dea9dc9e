"""Event markers stay legible at any range: the chart is rendered to SVG with vl-convert (as the CLI
writes it), every event's number and full title are in the picture, and no two texts overprint
(positions read from the SVG, group transforms included)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest

from borderdesk.analysis.events import events_in
from borderdesk.charts import event_markers, file_chart, series_spec
from borderdesk.desk import Desk

SVG = "{http://www.w3.org/2000/svg}"
TRANSLATE = re.compile(r"translate\(([-\d.e]+),\s*([-\d.e]+)\)")
LONG = "since FY2020"  # FY2020 to the newest month of the bundled data (Nov 2025, FY2026 in progress)
SHORT = "2022-01..2022-12"


@dataclass(frozen=True)
class Box:
    text: str
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )


def _offset(el: ET.Element) -> tuple[float, float]:
    m = TRANSLATE.search(el.get("transform") or "")
    return (float(m.group(1)), float(m.group(2))) if m else (0.0, 0.0)


def text_boxes(svg: str) -> list[Box]:
    """Every <text> (one per line) with its box on the page: the translate of each enclosing group
    added up, the width estimated at 0.6 em per character (Vega's own estimate is 0.5-0.6 em)."""
    boxes: list[Box] = []

    def walk(el: ET.Element, x: float, y: float) -> None:
        dx, dy = _offset(el)
        x, y = x + dx, y + dy
        if el.tag == SVG + "text":
            if el.get("opacity") == "0":  # an axis label Vega hid because it would overlap
                return
            size = float((el.get("font-size") or "10px").rstrip("px"))
            lines = [t.text or "" for t in el.findall(SVG + "tspan")] or [el.text or ""]
            for i, line in enumerate(lines):
                width = len(line) * size * 0.6
                anchor = el.get("text-anchor") or "start"
                left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
                base = y + i * size * 1.2
                boxes.append(Box(line, left, base - size * 0.8, left + width, base + size * 0.2))
            return
        for child in el:
            walk(child, x, y)

    walk(ET.fromstring(svg), 0.0, 0.0)
    return boxes


def _svg(desk: Desk, period: str) -> tuple[str, list[Box]]:
    import vl_convert as vlc

    frame = desk.series_result(region="southwest", period=period)
    svg = vlc.vegalite_to_svg(file_chart(frame).to_dict())
    return svg, text_boxes(svg)


@pytest.mark.parametrize("period", [LONG, SHORT])
def test_every_event_is_numbered_and_listed_in_full(snapshot_desk: Desk, period: str) -> None:
    frame = snapshot_desk.series_result(region="southwest", period=period)
    months = {row[0] for row in frame.rows}
    dated = [(e.title, d) for e in events_in(frame.period) for d in (e.date, e.end_date) if d]
    expected = {title for title, d in dated if d.isoformat()[:7] in months}
    assert expected  # both ranges have events to draw
    _, boxes = _svg(snapshot_desk, period)
    texts = [b.text for b in boxes]
    markers = event_markers(frame)
    assert {m.title for m in markers} == expected
    for m in markers:
        assert str(m.number) in texts  # the number on the plot
        assert m.line in texts  # number, date and the whole title under it, not cut
        assert m.label.endswith(m.title) or m.label.startswith(m.title)
    assert not any("…" in t for t in texts)


def test_long_range_has_the_thirteen_markers_of_fy2020_on(snapshot_desk: Desk) -> None:
    frame = snapshot_desk.series_result(region="southwest", period=LONG)
    assert frame.rows[0][0] == "2019-10" and len(frame.rows) >= 72  # six years and more
    markers = event_markers(frame)
    # 11 single-day events and Title 42's start and end (2020-03-20, 2023-05-11)
    assert len(markers) == 13
    assert [m.number for m in markers] == list(range(1, 14))
    assert markers[0].line == "1. 2020-03-20: Title 42 public-health expulsions in force"
    assert "2. 2022-02-24: Russia's full-scale invasion of Ukraine" in [m.line for m in markers]


@pytest.mark.parametrize("period", [LONG, SHORT])
def test_no_two_texts_overprint(snapshot_desk: Desk, period: str) -> None:
    _, boxes = _svg(snapshot_desk, period)
    clashes = [(a.text, b.text) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if a.overlaps(b)]
    assert clashes == []


def test_the_overlap_check_can_fail() -> None:
    """The check above would see a clash: two numbers drawn at the same place."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg"><g transform="translate(10,5)">'
        '<text transform="translate(100,20)" font-size="11px" text-anchor="middle">6</text>'
        '<text transform="translate(104,22)" font-size="11px" text-anchor="middle">7</text></g></svg>'
    )
    a, b = text_boxes(svg)
    assert (a.left, a.top) == pytest.approx((106.7, 16.2))
    assert a.overlaps(b)


def test_web_spec_keeps_numbers_not_titles_on_the_plot(snapshot_desk: Desk) -> None:
    frame = snapshot_desk.series_result(region="southwest", period=LONG)
    spec = series_spec(frame)
    layers = [layer for layer in spec["layer"] if layer.get("name") == "event_numbers"]
    assert len(layers) == 1
    numbers = [row["n"] for row in layers[0]["data"]["values"]]
    assert numbers == [str(n) for n in range(1, 14)]
    # the lanes keep neighbours apart even at the narrowest chart a phone draws
    rows = {row["n"]: row["row"] for row in layers[0]["data"]["values"]}
    assert rows["6"] != rows["7"] != rows["8"]  # 2022-12-19, 2023-01-05, 2023-01-12
