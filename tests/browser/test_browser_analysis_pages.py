"""The analysis pages (surges, revisions, history, brief) in a real browser (Debian's chromium via
Playwright) against `borderdesk serve`: the chart is drawn under the strict CSP with no console
error, the page fits 375 px without sideways scrolling, and with JavaScript off the table is there.
Screenshots: test-output/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import DESKTOP, Page

PAGES = {
    "surges": "/surges?period=2022-11&region=southwest",
    "revisions": "/revisions?from=state-2023-10&to=state-2025-11&region=southwest",
    "history": "/history",
    "brief": "/brief?period=2022-11&region=southwest",
}
TABLE = {"surges": "table#data", "revisions": "table#data", "history": "table#data", "brief": ".brief table"}
# a number each page's table must show (from the CBP files and the USBP tables)
SHOWS = {
    "surges": "5,507",  # Russians, Southwest border, November 2022
    "revisions": "Change",
    "history": "22,199",  # FY1925, nationwide_total_apprehensions_1925_2019.csv
    "brief": "59,348",  # Mexicans, Southwest border, November 2022
}


@pytest.fixture
def no_js(browser: Any) -> Iterator[Page]:
    ctx = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    yield Page(ctx.new_page())
    ctx.close()


def _drawn(page: Page) -> dict[str, Any]:
    return page.evaluate(  # type: ignore[no-any-return]
        """() => { const svg = document.querySelector('.chart-view svg');
                   if (!svg) return null;
                   const b = svg.getBoundingClientRect();
                   return {marks: svg.querySelectorAll('.role-mark path, .role-mark rect').length,
                           width: b.width, height: b.height}; }"""
    )


@pytest.mark.parametrize("name", PAGES)
def test_page_draws_its_chart(server: str, desktop: Page, name: str) -> None:
    desktop.goto(server + PAGES[name])
    desktop.wait_for_chart()
    drawn = _drawn(desktop)
    assert drawn is not None and drawn["marks"] > 0
    assert drawn["width"] > 300 and drawn["height"] > 100
    assert SHOWS[name] in desktop.inner_text(TABLE[name])
    assert desktop.get_attribute(f'nav a[href="{PAGES[name].split("?")[0]}"]', "aria-current") == "page"
    assert desktop.errors == [] and desktop.csp_violations() == []
    assert not [m for m in desktop.console if m.startswith("error")]
    desktop.shot(f"{name}-desktop")


@pytest.mark.parametrize("name", PAGES)
def test_page_at_375px(server: str, phone: Page, name: str) -> None:
    phone.goto(server + PAGES[name])
    phone.wait_for_chart()
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"{name} scrolls sideways: {width}px"
    box = phone.evaluate("() => document.querySelector('.chart-view svg').getBoundingClientRect().right")
    assert box <= 375
    assert phone.errors == [] and phone.csp_violations() == []
    phone.shot(f"{name}-phone")


@pytest.mark.parametrize("name", PAGES)
def test_tables_without_javascript(server: str, no_js: Page, name: str) -> None:
    no_js.goto(server + PAGES[name])
    assert SHOWS[name] in no_js.inner_text(TABLE[name])
    assert no_js.query_selector(".chart-view svg") is None  # nothing drew: the table stands alone
    assert "The chart needs JavaScript" in no_js.inner_text("main")


def test_revisions_pick_two_releases(server: str, desktop: Page) -> None:
    desktop.goto(server + "/revisions")
    desktop.wait_for_chart()
    desktop.select_option("#f-from", "state-2023-10")
    with desktop.expect_navigation():
        desktop.click("form.filters button[type=submit]")
    desktop.wait_for_chart()
    assert "from=state-2023-10" in desktop.url
    assert "state-2023-10 →" in desktop.inner_text("#result-heading")
    assert desktop.errors == []
