"""Copy-write-swap and the write lock, in one process: what each step leaves on disk."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from borderdesk.desk import Desk, ensure_database, writing
from borderdesk.errors import BorderdeskError, DatabaseError
from borderdesk.params import cli_name
from borderdesk.store.lock import LockTimeoutError, WriteLock
from borderdesk.store.writer import disk_full, previous_path
from repo_support import cbp_data

DATA = cbp_data()
SBO = DATA / "sbo-encounters-fy22-fy25-aug.csv"
OLD_STATE = DATA / "nationwide-encounters-fy20-fy23-state.csv"


def _labels(path: Path) -> list[str]:
    with Desk(path, read_only=True) as d:
        return sorted(r.label for r in d.release_list())


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    if not (SBO.is_file() and OLD_STATE.is_file()):
        pytest.skip(f"real CBP files not found in {DATA} (restored from data/cbp by bench/repo_data.py)")
    path = tmp_path / "bd.duckdb"
    with writing(path, snapshot=False, command="test") as desk:
        desk.ingest(SBO)
    return path


def test_a_new_database_is_published_whole_with_its_generation(db: Path) -> None:
    assert _labels(db) == ["southwest-2025-08"]
    with Desk(db, read_only=True) as d:
        assert d.generation == 2  # 1: the schema, 2: this ingest
        row = d.con.execute("SELECT command, releases, added FROM updates WHERE generation = 2").fetchone()
    assert row == ("test", 1, "southwest-2025-08")
    assert not list(db.parent.glob(".bd.duckdb.next-*"))
    assert not previous_path(db).exists()  # nothing was there before


def test_a_change_swaps_the_file_and_keeps_the_previous(db: Path) -> None:
    before = os.stat(db)
    with writing(db, command="test") as desk:
        desk.ingest(OLD_STATE)
    after = os.stat(db)
    assert after.st_ino != before.st_ino  # a new file, renamed into place
    assert os.stat(previous_path(db)).st_ino == before.st_ino
    assert _labels(db) == ["southwest-2025-08", "state-2023-09"]
    assert _labels(previous_path(db)) == ["southwest-2025-08"]


def test_nothing_changed_nothing_published(db: Path) -> None:
    before = os.stat(db)
    with writing(db, command="test") as desk:
        assert desk.ingest(SBO).status == "unchanged"
    assert os.stat(db).st_ino == before.st_ino
    assert not previous_path(db).exists()
    assert not list(db.parent.glob(".bd.duckdb.next-*"))


def test_an_error_inside_leaves_the_database_as_it_was(db: Path) -> None:
    digest = db.read_bytes()
    with pytest.raises(RuntimeError), writing(db, command="test") as desk:
        desk.ingest(OLD_STATE)
        raise RuntimeError("stop")
    assert db.read_bytes() == digest
    assert not list(db.parent.glob(".bd.duckdb.next-*"))


def test_a_reader_keeps_its_file_through_a_swap(db: Path) -> None:
    reader = Desk(db, read_only=True)
    try:
        with writing(db, command="test") as desk:
            desk.ingest(OLD_STATE)
        assert [r.label for r in reader.release_list()] == ["southwest-2025-08"]
        n = reader.con.execute("SELECT count(*) FROM facts").fetchone()
        assert n is not None and n[0] == 1936  # whole, from the old file
    finally:
        reader.close()


def test_second_writer_waits_then_times_out_naming_the_holder(db: Path) -> None:
    with WriteLock(db.absolute(), command="borderdesk ingest"):
        waited: list[str] = []
        start = time.monotonic()
        with pytest.raises(LockTimeoutError) as e, writing(db, lock_timeout=0.3, on_wait=waited.append):
            pass
        assert time.monotonic() - start >= 0.3
    assert f"pid {os.getpid()} (borderdesk ingest" in str(e.value)
    assert "lock_timeout" in str(e.value) and "--lock-timeout" in e.value.worded(cli_name)
    assert e.value.exit_code == 75
    assert waited and "waiting for pid" in waited[0]


def test_writers_take_turns(db: Path) -> None:
    order: list[str] = []
    holding = threading.Event()

    def first() -> None:
        with WriteLock(db.absolute(), command="first"):
            holding.set()
            time.sleep(0.3)
            order.append("first done")

    t = threading.Thread(target=first)
    t.start()
    holding.wait()
    with writing(db, lock_timeout=10, command="second") as desk:
        order.append("second in")
        desk.ingest(OLD_STATE)
    t.join()
    assert order == ["first done", "second in"]


def test_a_read_write_desk_holds_the_lock_until_closed(db: Path) -> None:
    desk = Desk(db)
    try:
        with pytest.raises(LockTimeoutError), WriteLock(db.absolute(), timeout=0):
            pass
    finally:
        desk.close()
    with WriteLock(db.absolute(), timeout=0):
        pass


def test_ensure_database_creates_once(tmp_path: Path) -> None:
    path = tmp_path / "new.duckdb"
    assert ensure_database(path, snapshot=True) == 19
    inode = os.stat(path).st_ino
    assert ensure_database(path, snapshot=True) == 0
    assert os.stat(path).st_ino == inode


def test_stale_next_files_are_removed_by_the_next_writer(db: Path) -> None:
    stale = db.with_name(".bd.duckdb.next-999999")
    stale.write_bytes(b"half a database")
    with writing(db, command="test") as desk:
        desk.ingest(OLD_STATE)
    assert not stale.exists()


def test_disk_full_is_recognised() -> None:
    assert disk_full(OSError(28, "No space left on device"))
    assert disk_full(OSError(27, "File too large"))
    assert not disk_full(OSError(2, "No such file or directory"))
    assert not disk_full(BorderdeskError("no"))


def test_reading_a_directory_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "d.duckdb").mkdir()
    with pytest.raises(DatabaseError, match="is a directory"):
        Desk(tmp_path / "d.duckdb", read_only=True)
