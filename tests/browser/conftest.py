"""A real server (``borderdesk serve`` on a free loopback port, in a subprocess) and Debian's chromium
driven by Playwright. Screenshots go to ``test-output/screenshots/``.

Skipped, with the reason, when chromium is absent (/usr/bin/chromium, or the path in
$BORDERDESK_CHROMIUM; CI installs it: see .ci/run) or the playwright package is missing. Nothing else
depends on these tests: the screenshots the docs show are committed (docs/screenshots/), and these tests
refresh them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import ARGS, CHROMIUM, DESKTOP, PHONE, Page


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server(snapshot_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``borderdesk serve`` over a copy of the snapshot database; yields its base URL."""
    tmp = tmp_path_factory.mktemp("browser")
    db = tmp / "borderdesk.duckdb"
    shutil.copy(snapshot_db_file, db)
    port = _free_port()
    exe = Path(sys.executable).parent / "borderdesk"
    log = (tmp / "serve.log").open("wb")
    env = dict(os.environ, BORDERDESK_HOME=str(tmp / "home"))
    proc = subprocess.Popen(
        [str(exe), "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + 30
    while True:
        try:
            with opener.open(base + "/openapi.json", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"server did not start: {(tmp / 'serve.log').read_text(errors='replace')[-2000:]}")
        time.sleep(0.2)
    try:
        yield base
    finally:
        proc.terminate()  # our own process, by its handle
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()


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
