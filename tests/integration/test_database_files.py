"""The database file is the user's: a read-only one is not replaced, and what the system refuses is
said in one line, never as an internal error (issue 15, finding 10)."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import malformed_cases as mc
import pytest

import borderdesk
from borderdesk.desk import writing
from borderdesk.errors import DatabaseError
from borderdesk.store import writer as next_file

OTHER = mc.DATA / "nationwide-encounters-fy20-fy23-state.csv"

pytestmark = pytest.mark.skipif(
    not (mc.data_available() and OTHER.is_file()), reason=f"real CBP files not found in {mc.DATA}"
)


def _database(tmp_path: Path) -> Path:
    db = tmp_path / "borderdesk.duckdb"
    with borderdesk.open(db, snapshot=False, read_only=False) as desk:
        desk.ingest(mc.SOUTHWEST)
    return db


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_read_only_database_is_not_replaced(tmp_path: Path) -> None:
    db = _database(tmp_path)
    db.chmod(0o444)
    before, inode = _sha(db), db.stat().st_ino
    with (
        pytest.raises(DatabaseError, match="read-only database"),
        borderdesk.open(db, snapshot=False, read_only=False) as desk,
    ):
        desk.ingest(OTHER)
    assert _sha(db) == before and db.stat().st_ino == inode
    assert stat.S_IMODE(db.stat().st_mode) == 0o444


def test_the_cli_says_read_only_database_and_exits_non_zero(tmp_path: Path) -> None:
    db = _database(tmp_path)
    db.chmod(0o444)
    before = _sha(db)
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from borderdesk.cli.app import main; main()",
            "ingest",
            "--db",
            str(db),
            str(mc.SOUTHWEST),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "BORDERDESK_HOME": str(tmp_path / "home")},
        timeout=120,
    )
    assert proc.returncode not in (0, 70), proc.stderr
    assert "read-only database" in proc.stderr
    assert "internal error" not in proc.stderr
    assert _sha(db) == before


def test_a_file_the_system_will_not_replace_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """chattr +i needs root and a filesystem that has it; the rename failing with EPERM is the same."""
    db = _database(tmp_path)
    before = _sha(db)
    real_replace = os.replace

    def refuse(src: object, dst: object) -> None:
        if Path(str(dst)) == db.absolute():
            raise PermissionError(errno.EPERM, "Operation not permitted", str(dst))
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(next_file.os, "replace", refuse)
    with pytest.raises(DatabaseError, match="cannot be written") as e, writing(db, snapshot=False) as desk:
        desk.ingest(OTHER)
    assert "\n" not in str(e.value) and "Operation not permitted" in str(e.value)
    assert _sha(db) == before
    assert not next_file.next_path(db.absolute()).exists()


def test_the_new_file_keeps_the_old_ones_permissions(tmp_path: Path) -> None:
    db = _database(tmp_path)
    db.chmod(0o640)
    with writing(db, snapshot=False) as desk:
        desk.ingest(OTHER)
    assert stat.S_IMODE(db.stat().st_mode) == 0o640
