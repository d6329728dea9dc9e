"""The real ``borderdesk serve`` process (issue 15): 200 idle sockets do not stop an answer, claim checks
run in worker processes of its own, and those workers end with it, however it ends."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
COUNT = "/api/count?citizenship=russia&region=southwest&period=2022-11"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def server(api_db: Path, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs /proc to find the server's worker processes")
    db = tmp_path / "borderdesk.duckdb"
    shutil.copy(api_db, db)
    port = _free_port()
    exe = Path(sys.executable).parent / "borderdesk"
    args = [str(exe), "serve", "--db", str(db), "--port", str(port), "--check-workers", "2"]
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with OPENER.open(base + "/api/releases", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail((tmp_path / "serve.log").read_text(errors="replace")[-2000:])
            time.sleep(0.2)
    yield proc, base
    if proc.poll() is None:
        proc.kill()
    proc.wait(10)


def test_idle_sockets_checks_in_workers_and_no_orphans(server: tuple[subprocess.Popen[bytes], str]) -> None:
    proc, base = server
    port = int(base.rsplit(":", 1)[1])
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(200)]
    try:
        started = time.monotonic()
        with OPENER.open(base + COUNT, timeout=10) as r:
            assert r.status == 200 and json.load(r)["value"] == 5507
        assert time.monotonic() - started < 5
    finally:
        for s in idle:
            s.close()
    body = json.dumps({"text": "In November 2022, 5,507 Russians were encountered at the southwest border."})
    request = urllib.request.Request(
        base + "/api/check", data=body.encode(), headers={"content-type": "application/json"}
    )
    with OPENER.open(request, timeout=60) as r:
        claims = json.load(r)["claims"]
    assert [c["verdict"] for c in claims] == ["supported"]
    workers = _children(proc.pid)
    assert len(workers) >= 2  # the two check workers (and multiprocessing's resource tracker)
    proc.send_signal(signal.SIGKILL)  # no shutdown hook runs: the workers must notice on their own
    proc.wait(10)
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [w for w in workers if _alive(w)], "worker processes outlived the server"
