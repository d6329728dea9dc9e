"""``borderdesk info``: the database's state and the in-memory fact index's, as the user can read them.

The index's cap comes from ``BORDERDESK_INDEX_MAX_BYTES`` (read through ``borderdesk.config``); a value
that is not a number of bytes stops the command naming the variable.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import borderdesk
from borderdesk.config import DEFAULT_INDEX_MAX_BYTES
from borderdesk.query.index import RENT
from borderdesk.store.database import schema_version

BORDERDESK = Path(sys.executable).parent / "borderdesk"


def _info(db: Path, *args: str, cap: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "BORDERDESK_INDEX_MAX_BYTES"}
    if cap is not None:
        env["BORDERDESK_INDEX_MAX_BYTES"] = cap
    return subprocess.run(
        [str(BORDERDESK), "info", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_info_reports_the_database_and_the_index(snapshot_db_file: Path) -> None:
    with borderdesk.open(snapshot_db_file, read_only=True) as desk:
        releases = desk.release_list()
        newest = desk.newest_release()
        version = schema_version(desk.con)
        generation = desk.generation
    proc = _info(snapshot_db_file, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["database"] == {
        "path": str(snapshot_db_file),
        "bytes": snapshot_db_file.stat().st_size,
        "schema_version": version,
        "generation": generation,
        "releases": len(releases),
        "newest_release": newest.label if newest else None,
    }
    assert len(releases) >= 10
    index = doc["index"]
    assert index["enabled"] is True and index["max_bytes"] == DEFAULT_INDEX_MAX_BYTES
    assert index["rent"] == RENT
    assert (index["tables_loaded"], index["bytes"], index["hits"], index["misses"]) == (0, 0, 0, 0)
    text = _info(snapshot_db_file)
    assert text.returncode == 0, text.stderr
    assert "max_bytes" in text.stdout and "268435456" in text.stdout


def test_info_shows_the_cap_the_environment_sets(snapshot_db_file: Path) -> None:
    proc = _info(snapshot_db_file, "--format", "json", cap="1000000")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["index"]["max_bytes"] == 1_000_000
    off = json.loads(_info(snapshot_db_file, "--format", "json", cap="0").stdout)["index"]
    assert (off["enabled"], off["max_bytes"]) == (False, 0)
    bad = _info(snapshot_db_file, cap="a lot")
    assert bad.returncode == 1
    assert "BORDERDESK_INDEX_MAX_BYTES" in bad.stderr and "Traceback" not in bad.stderr
