"""The documentation site builds with zero warnings (mkdocs --strict), generated pages included, with no
browser: its dashboard screenshots are the committed ones the browser tests refresh (docs/screenshots/),
and its chart is drawn at build time."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
MKDOCS = Path(sys.executable).parent / "mkdocs"


HOOK = ROOT / "docs" / "hooks" / "generated.py"


def _hook() -> Any:
    """docs/hooks/generated.py, the MkDocs hook that puts the screenshots in the site (loaded by path)."""
    spec = importlib.util.spec_from_file_location(
        "borderdesk_docs_hook", ROOT / "docs" / "hooks" / "generated.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shown_screenshots() -> set[str]:
    """The screenshots the docs show, found as the hook finds them."""
    names: set[str] = _hook()._referenced({"docs_dir": str(ROOT / "docs")}, "screenshots")
    return names


SHOTS: Path = _hook().SCREENSHOTS  # committed in docs/screenshots/; the browser tests refresh them


def test_the_docs_show_dashboard_screenshots() -> None:
    assert {"check-seed-desktop.png", "explore-russians-southwest-desktop.png"} <= shown_screenshots()


def test_every_screenshot_shown_is_committed_and_none_is_left_over() -> None:
    committed = {p.name for p in SHOTS.glob("*.png")}
    assert committed == shown_screenshots()
    for name in committed:  # a real full-page capture, not a placeholder
        png = (SHOTS / name).read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000, name


def test_the_browser_tests_take_every_screenshot_shown() -> None:
    """So that a browser-test run refreshes each one (names may be built as f"{name}-desktop")."""
    source = "\n".join(
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "browser").glob("test_*.py"))
    )
    literal = set(re.findall(r'shot\("([\w.-]+)"\)', source))
    built = [
        re.compile(re.sub(r"\\\{\w+\\\}", r"[\\w.-]+", re.escape(f)))
        for f in re.findall(r'shot\(f"([^"]+)"\)', source)
    ]
    for name in shown_screenshots():
        stem = name.removesuffix(".png")
        assert stem in literal or any(p.fullmatch(stem) for p in built), name


@pytest.mark.slow
def test_docs_build_strict(tmp_path: Path) -> None:
    if not MKDOCS.exists() and shutil.which("mkdocs") is None:
        pytest.skip("mkdocs is not installed (pip install -e '.[docs]')")
    exe = str(MKDOCS) if MKDOCS.exists() else "mkdocs"
    site = tmp_path / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    done = subprocess.run(
        [exe, "build", "--strict", "-d", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    cli = (site / "reference" / "cli" / "index.html").read_text(encoding="utf-8")
    for command in ("check", "count", "table", "series", "serve", "update", "ingest"):
        assert f"borderdesk {command}" in cli, command  # generated from Typer

    def page(*parts: str) -> str:
        return site.joinpath(*parts, "index.html").read_text(encoding="utf-8")

    assert "/api/count" in page("reference", "http")
    assert "borderdesk.desk.Desk" in page("reference", "python")
    for name in shown_screenshots():  # byte for byte the committed ones
        assert (site / "screenshots" / name).read_bytes() == (SHOTS / name).read_bytes(), name
    chart = site / "generated" / "russia-southwest.png"
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 20_000
    assert 'src="../generated/russia-southwest.png"' in page("tutorial")
