"""What the browser tests share (imported by name: this folder is on sys.path while they run)."""

from __future__ import annotations

import contextlib
import os
import re
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

#: Debian's chromium; BORDERDESK_CHROMIUM names another (or a missing one, to see the tests skip).
CHROMIUM = Path(os.environ.get("BORDERDESK_CHROMIUM") or "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "screenshots"
#: The screenshots the docs show, committed so that the docs build never needs a browser.
DOCS = ROOT / "docs"
DOCS_SHOTS = DOCS / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


class Page:
    """A page plus what the console said: CSP violations and script errors fail the tests that ask."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.console: list[str] = []
        self.errors: list[str] = []
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.page, name)

    def csp_violations(self) -> list[str]:
        return [m for m in self.console if "Content Security Policy" in m or "Refused to" in m]

    def wait_for_chart(self, timeout: float = 15_000) -> None:
        self.page.wait_for_selector(".chart-view[data-rendered]", timeout=timeout)
        state = self.page.get_attribute(".chart-view", "data-rendered")
        assert state == "true", f"chart failed: {self.page.inner_text('.chart-view')} {self.console}"

    def shot(self, name: str, *, full_page: bool = True) -> Path:
        """Screenshot the whole page (or, ``full_page=False``, the first screen of a long one) into
        test-output/screenshots/; one the docs show also replaces its committed copy in
        docs/screenshots/ (the refresh a dashboard change needs: commit it)."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        if path.name in docs_screenshots():
            DOCS_SHOTS.mkdir(exist_ok=True)
            shutil.copyfile(path, DOCS_SHOTS / path.name)
        return path


def docs_screenshots() -> set[str]:
    """File names of the screenshots some docs page shows (``screenshots/NAME.png``)."""
    pattern = re.compile(r"screenshots/([\w.-]+\.png)")
    return {n for page in DOCS.rglob("*.md") for n in pattern.findall(page.read_text(encoding="utf-8"))}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running_server(database: Path, tmp: Path, *options: str) -> Iterator[str]:
    """``borderdesk serve`` (and ``options``) on a free loopback port over a copy of ``database`` in
    ``tmp``, its log in ``tmp/serve.log``; yields its base URL once it answers, stops it afterwards."""
    db = tmp / "borderdesk.duckdb"
    shutil.copy(database, db)
    port = free_port()
    exe = Path(sys.executable).parent / "borderdesk"
    log = (tmp / "serve.log").open("wb")
    proc = subprocess.Popen(
        [str(exe), "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port), *options],
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
