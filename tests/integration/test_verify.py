"""``borderdesk verify`` (issue 15 finding 11): damage inside a data block, or a release that no longer
adds up, is found by reading on purpose, not by the first query that happens to touch it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

import borderdesk
from borderdesk.store.verify import EXIT_DAMAGED

BORDERDESK = Path(sys.executable).parent / "borderdesk"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BORDERDESK), *args], capture_output=True, text=True, timeout=120)


@pytest.fixture
def db(snapshot_db_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "borderdesk.duckdb"
    shutil.copy(snapshot_db_file, path)
    return path


def test_a_whole_database_verifies(db: Path) -> None:
    with borderdesk.open(db, read_only=True) as desk:
        report = desk.verify()
    assert not report.damaged and report.releases
    assert {c.status for c in report.releases} == {"ok"}  # the snapshot's totals are recorded at load
    proc = _run("verify", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert "ok:" in proc.stderr


def test_a_release_whose_counts_changed_is_damaged(db: Path) -> None:
    con = duckdb.connect(str(db))
    rid = con.execute("SELECT release_id FROM releases WHERE label = 'state-2025-11'").fetchone()[0]  # type: ignore[index]
    con.execute("UPDATE facts SET encounters = encounters + 1000 WHERE release_id = ? AND line = 1002", [rid])
    con.close()
    proc = _run("verify", "--db", str(db), "--format", "json")
    assert proc.returncode == EXIT_DAMAGED
    assert "state-2025-11" in proc.stderr and "damaged" in proc.stderr
    assert "recorded at ingest" in proc.stdout


def test_a_release_that_lost_rows_is_damaged(db: Path) -> None:
    con = duckdb.connect(str(db))
    con.execute("DELETE FROM facts WHERE line = 5")
    con.close()
    with borderdesk.open(db, read_only=True) as desk:
        report = desk.verify(full=False)  # the cheap check serve runs at start sees it too
    assert report.damaged
    assert any("rows stored" in c.detail for c in report.releases if c.status == "damaged")


def test_an_older_database_says_not_recorded_and_passes(db: Path) -> None:
    con = duckdb.connect(str(db))
    con.execute("UPDATE releases SET total = NULL")
    con.close()
    proc = _run("verify", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert "not recorded" in proc.stdout


def test_corruption_inside_a_data_block_is_found(db: Path) -> None:
    con = duckdb.connect(str(db), read_only=True)
    (block_size,) = con.execute("SELECT block_size FROM pragma_database_size()").fetchone()  # type: ignore[misc]
    blocks = sorted(
        r[0]
        for r in con.execute(
            "SELECT DISTINCT block_id FROM pragma_storage_info('facts') "
            "WHERE column_name = 'encounters' AND block_id >= 0"
        ).fetchall()
    )
    con.close()
    with db.open("r+b") as f:  # a DuckDB file is three 4 KiB headers, then its blocks
        f.seek(3 * 4096 + blocks[len(blocks) // 2] * block_size + 100)
        f.write(b"\x5a" * 64)
    proc = _run("verify", "--db", str(db))
    assert proc.returncode == EXIT_DAMAGED
    assert "internal error" not in proc.stderr
    assert "cannot be read" in proc.stderr and "checksum" in proc.stderr
