"""The archive report opened from disk (file://) in a real browser, as a reader opens a mailed report: no
server, no network, no script; the three charts drawn (inline SVG with marks in them), nothing in the
console, nothing wider than a phone's screen. Built from a real check of the seed and golden articles."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import PHONE, Page

from archive_rows_support import SEED_ARTICLE, check_archive, corpus
from borderdesk.archive.report import write_report


@pytest.fixture(scope="module")
def report(snapshot_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("archive-report")
    out = check_archive(corpus(24), folder / "out.parquet", snapshot_db_file)
    with pytest.MonkeyPatch.context() as mp:  # a fixed "made at": the committed screenshot stays put
        mp.setenv("SOURCE_DATE_EPOCH", "1765152000")  # 2025-12-08 00:00 UTC
        return write_report(out, worst=100)


def test_report_opens_from_disk_with_its_charts(report: Path, desktop: Page) -> None:
    desktop.goto(report.as_uri())
    charts = desktop.query_selector_all("figure.chart > svg")
    assert len(charts) == 3
    for chart in charts:
        box = chart.bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 100
        assert len(chart.query_selector_all("path[role=graphics-symbol]")) > 0  # bars and points drawn
    top = desktop.inner_text("section[aria-labelledby=outlets] tbody tr th")  # the table's first outlet
    assert top and top in desktop.inner_text("section[aria-labelledby=outlets] figure.chart")
    worst = desktop.inner_text("#worst ~ ol.worst")
    assert SEED_ARTICLE["id"] in worst and "nationwide figure called southern border" in worst
    desktop.click("section[aria-labelledby=errors] details > summary")
    assert "list_filter" in desktop.inner_text("section[aria-labelledby=errors] details pre")
    assert desktop.console == [] and desktop.errors == []
    desktop.goto(report.as_uri())  # back to the top: the totals and the first chart
    desktop.shot("archive-report-desktop", full_page=False)  # the whole report is many screens long


def test_report_fits_a_phone(report: Path, phone: Page) -> None:
    phone.goto(report.as_uri())
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert phone.console == [] and phone.errors == []
