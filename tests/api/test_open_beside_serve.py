"""``borderdesk.open()`` from Python while ``borderdesk serve`` runs (issue 16, point 10): it reads,
read-only, beside the server; writes go through ``borderdesk.writing`` (a copy swapped in whole), and a
desk opened read-only says so when asked to write. The server is a real subprocess, as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import borderdesk
import hostile_support as hostile
from borderdesk.errors import DatabaseError

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> object:
    with OPENER.open(url, timeout=10) as r:
        return json.loads(r.read())


@pytest.fixture
def served(api_db: Path, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A copy of the snapshot database with ``borderdesk serve`` running on it."""
    db = tmp_path / "borderdesk.duckdb"
    shutil.copy(api_db, db)
    port = _free_port()
    exe = Path(sys.executable).parent / "borderdesk"
    log = (tmp_path / "serve.log").open("wb")
    env = {**os.environ, "BORDERDESK_HOME": str(tmp_path)}
    proc = subprocess.Popen(
        [str(exe), "serve", "--db", str(db), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            _get(base + "/api/releases")
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail((tmp_path / "serve.log").read_text(errors="replace")[-2000:])
            time.sleep(0.2)
    try:
        yield db, base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def test_open_reads_while_the_server_runs(served: tuple[Path, str]) -> None:
    db, base = served
    with borderdesk.open(db) as desk:  # the spec's form, with a path
        assert desk.read_only
        assert desk.count(citizenship="russia", region="southwest", period="2022-11").value == 5_507
    served_answer = _get(base + "/api/count?citizenship=russia&region=southwest&period=2022-11")
    assert isinstance(served_answer, dict) and served_answer["value"] == 5_507


def test_open_with_no_path_reads_beside_the_server(
    served: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, _ = served
    monkeypatch.setenv("BORDERDESK_HOME", str(db.parent))  # the default file is the served one
    with borderdesk.open() as desk:
        assert desk.path == db
        assert desk.count(citizenship="russia", region="southwest", period="2022-11").value == 5_507


def test_writing_beside_the_server_and_a_reader(served: tuple[Path, str], tmp_path: Path) -> None:
    """A change made with borderdesk.writing reaches the server (it follows the swapped file) and a
    desk opened afterwards; a desk opened read-only on purpose refuses and names borderdesk.writing."""
    db, base = served
    release = hostile.write_release(tmp_path)
    with borderdesk.open(db, read_only=True) as reader:
        with pytest.raises(DatabaseError, match=r"borderdesk\.writing"):
            reader.ingest(release)
        with borderdesk.writing(db) as desk:
            assert desk.ingest(release).status == "ingested"
    with borderdesk.open(db) as desk:
        assert hostile.FILE_NAME in {r.file for r in desk.release_list()}
    deadline = time.monotonic() + 30
    while True:
        files = {r["file"] for r in _get(base + "/api/releases")}  # type: ignore[attr-defined]
        if hostile.FILE_NAME in files or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert hostile.FILE_NAME in files


def test_writing_through_plain_open_is_deprecated_but_still_works(api_db: Path, tmp_path: Path) -> None:
    """Code written when open() was read-write keeps working for one release: it warns, and the change
    is made the safe way (a copy swapped in), which the same desk then reads."""
    db = tmp_path / "borderdesk.duckdb"
    shutil.copy(api_db, db)
    before = db.stat().st_ino
    with borderdesk.open(db) as desk:
        n = len(desk.release_list())
        with pytest.warns(DeprecationWarning, match=r"borderdesk\.writing"):
            result = desk.ingest(hostile.write_release(tmp_path))
        assert result.status == "ingested"
        assert len(desk.release_list()) == n + 1
        assert desk.count(citizenship="MEXICO", period=hostile.PERIOD, as_of=result.release.label).value == 1
    assert db.stat().st_ino != before  # a new file renamed into place, not the old one written in place
