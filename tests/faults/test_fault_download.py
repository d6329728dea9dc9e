"""``borderdesk update`` killed in the middle of a download: the database is untouched, the partial file
stays, and the next ``update`` resumes it where it stopped and ingests a file whose sha256 is right.

(tests/integration/test_remote_download.py covers a connection that drops, in-process; this is the
process itself dying, through the CLI, with the database and the write lock involved.)
"""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from faults_support import (
    NOV_STATE,
    Site,
    Truth,
    cli_args,
    cli_env,
    copy_db,
    leftovers,
    lock_is_free,
    read_state,
    run_cli,
    sha256,
)

pytestmark = pytest.mark.faults

SENT = 1_000_000  # bytes of the 2.5 MB file the server sends before it stalls


def test_update_killed_mid_download_resumes_and_verifies(
    site: Site, v2_template: Path, truths: dict[str, Truth], tmp_path: Path
) -> None:
    db = copy_db(v2_template, tmp_path / "borderdesk.duckdb")
    digest, before = sha256(db), read_state(db, truths)
    path = f"/listing/{NOV_STATE.name}"
    dest = tmp_path / "downloads"
    part = dest / f"{NOV_STATE.name}.part"
    args = ["update", "--url", site.url(path), "--dest", dest, "--db", db]
    stalled = threading.Event()
    site.state.stall_once[path] = (SENT, stalled)
    seen = len(site.state.requests)

    proc = subprocess.Popen(
        cli_args(*args), env=cli_env(tmp_path / "home"), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while not (part.exists() and part.stat().st_size > SENT - 64 * 1024):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the download never got going"
            time.sleep(0.02)
        time.sleep(0.2)  # let the last bytes of what was sent reach the file
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    finally:
        stalled.set()
    assert proc.returncode == -signal.SIGKILL

    kept = part.stat().st_size
    assert 0 < kept <= SENT
    assert part.read_bytes() == NOV_STATE.read_bytes()[:kept]
    assert (dest / f"{NOV_STATE.name}.part.json").exists()  # which URL the part belongs to
    assert not (dest / NOV_STATE.name).exists()
    assert sha256(db) == digest
    assert leftovers(db) == []
    assert lock_is_free(db)

    again = run_cli(tmp_path / "home", *args)

    assert again.returncode == 0, again.stderr
    assert site.state.requests[seen:] == [(path, None), (path, f"bytes={kept}-")]
    expected = sha256(NOV_STATE)
    [line] = again.stdout.splitlines()
    assert line.split()[:2] == ["ingested", "state-2025-11"] and f"sha256 {expected}" in line
    assert sha256(dest / NOV_STATE.name) == expected
    assert sorted(p.name for p in dest.iterdir()) == [NOV_STATE.name]  # no .part, no sidecar
    after = read_state(db, truths)  # the release is whole: rows and total of a clean ingest
    assert after.labels == sorted([*before.labels, "state-2025-11"])
    [release] = [r for r in after.releases if r[0] == "state-2025-11"]
    assert release[1] == expected
    assert release[5:7] == ("download", site.url(path))
