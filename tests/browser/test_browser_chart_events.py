"""Event markers on the web chart (Debian's chromium via Playwright): every event has its number on
the drawn chart and its full title in the list under it, at desktop and phone width, and the numbers
do not overprint (their on-screen boxes, as the browser laid them out)."""

from __future__ import annotations

from typing import Any

import pytest
from browser_support import Page

from borderdesk.analysis.events import all_events

LONG = "/nationality?citizenship=russia&period=2019-10..2025-11"
SHORT = "/nationality?citizenship=russia&period=2022-01..2022-12"


def _numbers(page: Page) -> list[dict[str, Any]]:
    """The event numbers drawn in the chart's SVG, with their boxes on screen."""
    return page.evaluate(  # type: ignore[no-any-return]
        """() => [...document.querySelectorAll('.chart-view svg .event_numbers_marks text,'
                 + ' .chart-view svg [class*="event_numbers"] text')]
            .filter(t => t.getAttribute('opacity') !== '0')
            .map(t => { const b = t.getBoundingClientRect();
                        return {n: t.textContent, l: b.left, t: b.top, r: b.right, b: b.bottom}; })"""
    )


def _overlaps(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (a["n"], b["n"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["l"] < b["r"] and b["l"] < a["r"] and a["t"] < b["b"] and b["t"] < a["b"]
    ]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("path", [LONG, SHORT], ids=["fy2020-on", "2022"])
def test_event_numbers_and_list(
    server: str, request: pytest.FixtureRequest, viewport: str, path: str
) -> None:
    page: Page = request.getfixturevalue(viewport)
    page.goto(server + path)
    page.wait_for_chart()
    items = page.eval_on_selector_all(
        "ol.events li", "els => els.map(e => [e.getAttribute('value'), e.textContent])"
    )
    assert items, "no event list under the chart"
    drawn = _numbers(page)
    assert sorted(int(d["n"]) for d in drawn) == [int(v) for v, _ in items]
    assert _overlaps(drawn) == []
    titles = {e.title for e in all_events()}
    for _, text in items:
        assert "…" not in text
        assert any(t in text for t in titles), text
    if path == LONG:
        listed = " ".join(text for _, text in items)
        assert "2022-02-24: Russia's full-scale invasion of Ukraine" in listed
        assert "2025-01-20: CBP One appointments ended" in listed
    assert page.errors == [] and page.csp_violations() == []
    if path == LONG:
        page.shot(f"nationality-events-{viewport}")
