"""Starting ``borderdesk mcp`` as a client does, and what goes to stderr before the protocol starts:
a file that is not a usable database is refused with the one-line error every command gives (exit 1,
the file untouched), and the server ends cleanly when the client closes its stdin."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BORDERDESK = Path(sys.executable).parent / "borderdesk"

pytestmark = pytest.mark.skipif(not BORDERDESK.is_file(), reason=f"no borderdesk command at {BORDERDESK}")


def _start(db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BORDERDESK_HOME": str(db.parent / "home"), "NO_COLOR": "1", "COLUMNS": "300"}
    env.pop("BORDERDESK_DEBUG", None)
    return subprocess.run(
        [str(BORDERDESK), "mcp", "--db", str(db)],
        stdin=subprocess.DEVNULL,  # the client closes at once
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_a_damaged_database_is_one_line_and_exit_1(tmp_path: Path) -> None:
    db = tmp_path / "borderdesk.duckdb"
    db.write_bytes(b"not a database\n" * 100)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    proc = _start(db)
    assert proc.returncode == 1
    assert proc.stdout == ""  # stdout is the protocol's: nothing else may be written there
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "not a usable DuckDB database" in lines[0]
    assert "Traceback" not in proc.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_ends_cleanly_when_the_client_closes(snapshot_db_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "borderdesk.duckdb"
    shutil.copyfile(snapshot_db_file, db)
    proc = _start(db)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert f"read-only over {db}" in proc.stderr and "Traceback" not in proc.stderr
