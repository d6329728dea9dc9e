"""The check page's *Web page* field in a real browser: a saved news page (served locally) is fetched by
``borderdesk serve --allow-private-urls``, its article checked and shown with its title and date."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import Page, running_server

from page_server_support import SEED_PAGE, serve_pages


@pytest.fixture(scope="module")
def trusting_server(snapshot_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``borderdesk serve --allow-private-urls`` (the local pages are on loopback); yields its base URL."""
    tmp = tmp_path_factory.mktemp("browser-url")
    with running_server(snapshot_db_file, tmp, "--check-workers", "0", "--allow-private-urls") as base:
        yield base


def test_the_check_page_checks_a_web_page(trusting_server: str, desktop: Page) -> None:
    with serve_pages() as site:
        desktop.goto(trusting_server + "/check")
        desktop.fill("#f-url", f"{site}/go/{SEED_PAGE}")
        with desktop.expect_navigation():
            desktop.click("form.check-form button[type=submit]")
    source = desktop.inner_text("dl.source")
    assert "Russians fleeing Putin's draft join migrants waiting at US southern border" in source
    assert f"{site}/{SEED_PAGE}" in source  # after the short link's redirect
    assert "2022-12-28 (the page's publication date)" in source
    marks = desktop.eval_on_selector_all(".article mark", "ms => ms.map(m => m.className)")
    assert marks == ["v-inaccurate", "v-supported", "v-supported"]
    article = desktop.inner_text(".article")
    assert "Read next" not in article and "Powerball" not in article  # the page's furniture stayed there
    assert desktop.input_value("#f-url") == f"{site}/go/{SEED_PAGE}"
    assert desktop.csp_violations() == []
    desktop.shot("check-url-desktop")
