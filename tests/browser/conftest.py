"""A real server (``borderdesk serve`` on a free loopback port, in a subprocess) and Debian's chromium
driven by Playwright. Screenshots go to ``test-output/screenshots/``.

Skipped, with the reason, when chromium is absent (/usr/bin/chromium, or the path in
$BORDERDESK_CHROMIUM; CI installs it: see .ci/run) or the playwright package is missing. Nothing else
depends on these tests: the screenshots the docs show are committed (docs/screenshots/), and these tests
refresh them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import ARGS, CHROMIUM, DESKTOP, PHONE, Page, running_server


@pytest.fixture(scope="session")
def server(snapshot_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``borderdesk serve`` over a copy of the snapshot database; yields its base URL."""
    with running_server(snapshot_db_file, tmp_path_factory.mktemp("browser")) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found (apt-get install chromium or set BORDERDESK_CHROMIUM)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def desktop(browser: Any) -> Iterator[Page]:
    ctx = browser.new_context(viewport=DESKTOP)
    yield Page(ctx.new_page())
    ctx.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Page]:
    ctx = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield Page(ctx.new_page())
    ctx.close()
