"""The documentation site builds with zero warnings (mkdocs --strict), generated pages included; its
dashboard screenshots are the ones the browser tests took, and its chart is drawn at build time."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MKDOCS = Path(sys.executable).parent / "mkdocs"


SHOTS = ROOT / "test-output" / "screenshots"


def shown_screenshots() -> set[str]:
    names: set[str] = set()
    for page in (ROOT / "docs").rglob("*.md"):
        names.update(re.findall(r"screenshots/([\w.-]+\.png)", page.read_text(encoding="utf-8")))
    return names


def take_missing_screenshots() -> None:
    """The browser tests write the screenshots; run them when this test runs on its own."""
    if all((SHOTS / n).exists() for n in shown_screenshots()):
        return
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(ROOT / "tests" / "browser")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def test_the_docs_show_dashboard_screenshots() -> None:
    assert {"check-seed-desktop.png", "explore-russians-southwest-desktop.png"} <= shown_screenshots()


@pytest.mark.slow
def test_docs_build_strict(tmp_path: Path) -> None:
    if not MKDOCS.exists() and shutil.which("mkdocs") is None:
        pytest.skip("mkdocs is not installed (pip install -e '.[docs]')")
    take_missing_screenshots()
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
    for name in shown_screenshots():  # byte for byte what the browser tests took
        assert (site / "screenshots" / name).read_bytes() == (SHOTS / name).read_bytes(), name
    chart = site / "generated" / "russia-southwest.png"
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 20_000
    assert 'src="../generated/russia-southwest.png"' in page("tutorial")
