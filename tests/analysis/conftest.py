"""Fixtures for the analysis tests: a database with the Border Patrol history files (OHSS workbook and
the four USBP historical tables), and the folder where rendered briefs are kept for people to look at."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import borderdesk
from borderdesk import Desk

ROOT = Path(__file__).resolve().parents[2]
OHSS_FILE = "ohss/KHSM_Encounters_USBP_fy25m11.xlsx"
HISTORICAL_FILES = (
    "usbp-historical/nationwide_total_apprehensions_1925_2019.csv",
    "usbp-historical/southwest_border_apprehensions_1960_2019.csv",
    "usbp-historical/other_than_mexico_apprehensions_2000_2019.csv",
    "usbp-historical/family_child_total_monthly_2000_2019.csv",
)
HISTORY_FILES = (OHSS_FILE, *HISTORICAL_FILES)


@pytest.fixture(scope="session")
def history_files(cbp_data: Path) -> list[Path]:
    files = [cbp_data / n for n in HISTORY_FILES]
    if not all(f.is_file() for f in files):
        pytest.skip(f"Border Patrol history files not in {cbp_data}")
    return files


@pytest.fixture(scope="session")
def history_desk(
    tmp_path_factory: pytest.TempPathFactory, history_files: list[Path], cbp_data: Path
) -> Iterator[Desk]:
    """The five history files plus the newest two by-state releases (no snapshot); read it, don't write."""
    desk = borderdesk.open(tmp_path_factory.mktemp("history") / "h.duckdb", snapshot=False, read_only=False)
    desk.ingest_many(
        [
            *history_files,
            cbp_data / "nationwide-encounters-fy22-fy25-state.csv",
            cbp_data / "nationwide-encounters-fy23-fy26-nov-state.csv",
        ]
    )
    yield desk
    desk.close()


@pytest.fixture(scope="session")
def test_output() -> Path:
    """test-output/ at the repository root: rendered briefs a person can open."""
    out = ROOT / "test-output"
    out.mkdir(exist_ok=True)
    return out


@pytest.fixture(scope="session")
def cli_db(snapshot_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled-snapshot database for CLI runs (their own file: no lock shared with fixtures)."""
    import shutil

    path = tmp_path_factory.mktemp("cli") / "snap.duckdb"
    shutil.copyfile(snapshot_db_file, path)
    return path


@pytest.fixture(scope="session")
def borderdesk_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the installed ``borderdesk`` command: ``borderdesk_cli(db, "surges", ...)``."""
    exe = Path(sys.executable).parent / "borderdesk"

    def run(db: Path, *args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "BORDERDESK_HOME": str(db.parent / "home"), "COLUMNS": "200", "NO_COLOR": "1"}
        env.pop("BORDERDESK_DEBUG", None)
        return subprocess.run(
            [str(exe), *map(str, args), "--db", str(db)],
            env=env,
            cwd=db.parent,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )

    return run
