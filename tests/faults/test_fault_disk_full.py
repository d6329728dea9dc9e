"""A full disk: ``ingest`` fails with one clear line, and the database is byte for byte what it was.

The file size limit (``RLIMIT_FSIZE``, with SIGXFSZ ignored so that a write fails with EFBIG instead of
killing the process) stands in for a full disk at each step of a write: the copy of the database, the
commit of a release into the copy, the checkpoint that makes the copy whole. Where the test may mount a
small tmpfs (root, Linux), a real ENOSPC does the same at the copy and at the checkpoint.
"""

from __future__ import annotations

import resource
import shutil
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from faults_support import (
    NEW_FILES,
    Truth,
    copy_db,
    leftovers,
    lock_is_free,
    one_line_error,
    read_state,
    require_data,
    run_cli,
    sha256,
)

pytestmark = pytest.mark.faults


def file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:  # in the child, before exec
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def assert_refused_cleanly(proc: subprocess.CompletedProcess[str], db: Path, step: str) -> str:
    line = one_line_error(proc)
    assert proc.returncode == 1
    assert f"no room to write the new database beside {db}" in line
    assert "Nothing was changed" in line and "free some space" in line
    assert step in line, line
    assert leftovers(db) == []
    assert lock_is_free(db)
    return line


@pytest.mark.parametrize(
    ("room", "step"),
    [
        pytest.param(-1_000_000, "->", id="the-copy"),  # shutil's "src -> dst": the copy failed
        pytest.param(+64 * 1024, "checkpoint", id="the-checkpoint"),  # the copy fits, the grown one not
    ],
)
def test_file_size_limit_on_an_existing_database(
    room: int, step: str, v2_template: Path, truths: dict[str, Truth], tmp_path: Path
) -> None:
    db = copy_db(v2_template, tmp_path / "borderdesk.duckdb")
    digest, state = sha256(db), read_state(db, truths)
    limit = db.stat().st_size + room

    proc = run_cli(tmp_path / "home", "ingest", "--db", db, *NEW_FILES, preexec_fn=file_size_limit(limit))

    line = assert_refused_cleanly(proc, db, step)
    assert "File too large" in line
    assert sha256(db) == digest
    assert read_state(db, truths) == state
    assert not (tmp_path / "borderdesk.duckdb.previous").exists()
    # and with room again, the same command works
    assert run_cli(tmp_path / "home", "ingest", "--db", db, *NEW_FILES).returncode == 0
    assert read_state(db, truths).labels == sorted([*state.labels, "southwest-2025-08", "state-2025-11"])


def test_file_size_limit_creating_a_new_database(tmp_path: Path) -> None:
    """No file yet: the commit of the first release into the new file fails; no database appears."""
    require_data()
    db = tmp_path / "borderdesk.duckdb"

    proc = run_cli(
        tmp_path / "home",
        "ingest",
        "--no-snapshot",
        "--db",
        db,
        *NEW_FILES,
        preexec_fn=file_size_limit(300_000),
    )

    line = assert_refused_cleanly(proc, db, "commit")
    assert "File too large" in line
    assert not db.exists()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """``small_disk("6m")``: a fresh tmpfs of that size (unmounted afterwards); skips where mounting is
    not allowed."""
    mounted: list[Path] = []

    def mount(size: str) -> Path:
        where = tmp_path / f"disk-{len(mounted)}"
        where.mkdir()
        if shutil.which("mount") is None:
            pytest.skip("no mount command")
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        mounted.append(where)
        return where

    yield mount
    for where in mounted:
        subprocess.run(["umount", str(where)], check=True)


@pytest.mark.parametrize(
    ("size", "step"),
    [
        pytest.param("6m", "->", id="no-room-for-the-copy"),  # the database (4.2 MB) fits, a copy does not
        pytest.param("10m", "checkpoint", id="no-room-to-grow-the-copy"),  # and a copy, not one of 7.1 MB
    ],
)
def test_real_full_disk(
    size: str,
    step: str,
    small_disk: Callable[[str], Path],
    v2_template: Path,
    truths: dict[str, Truth],
    tmp_path: Path,
) -> None:
    db = copy_db(v2_template, small_disk(size) / "borderdesk.duckdb")
    digest = sha256(db)

    proc = run_cli(tmp_path / "home", "ingest", "--db", db, *NEW_FILES)

    line = assert_refused_cleanly(proc, db, step)
    assert "No space left on device" in line
    assert sha256(db) == digest
    assert read_state(db, truths).labels == ["state-2023-09", "state-2023-10"]
