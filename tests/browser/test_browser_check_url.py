"""The check page's *Web page* field in a real browser: a saved news page (served locally) is fetched by
``borderdesk serve --allow-private-urls``, its article checked and shown with its title and date."""

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

import pytest
from browser_support import Page

from page_server_support import SEED_PAGE, serve_pages


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def trusting_server(snapshot_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``borderdesk serve --allow-private-urls`` (the local pages are on loopback); yields its base URL."""
    tmp = tmp_path_factory.mktemp("browser-url")
    db = tmp / "borderdesk.duckdb"
    shutil.copy(snapshot_db_file, db)
    port = _free_port()
    exe = Path(sys.executable).parent / "borderdesk"
    log = (tmp / "serve.log").open("wb")
    proc = subprocess.Popen(
        [
            str(exe),
            "serve",
            "--db",
            str(db),
            "--port",
            str(port),
            "--check-workers",
            "0",
            "--allow-private-urls",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env=dict(os.environ, BORDERDESK_HOME=str(tmp / "home")),
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
