"""Writers at the same time: two ingests of the same files add each release once; a writer that cannot
get the lock in time gives up with exit code 75 and names the holder, changing nothing."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
from faults_support import (
    NEW_FILES,
    Baseline,
    Site,
    Truth,
    cli_args,
    cli_env,
    copy_db,
    leftovers,
    lock_is_free,
    read_state,
    sha256,
)

from borderdesk.store.lock import WriteLock

pytestmark = pytest.mark.faults

HOLDER = "fault test holding the lock"


def start(home: Path, *args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        cli_args(*args), env=cli_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_two_ingests_at_once_add_each_release_once(
    v2_template: Path, baselines: dict[str, Baseline], truths: dict[str, Truth], tmp_path: Path
) -> None:
    db = copy_db(v2_template, tmp_path / "borderdesk.duckdb")

    procs = [start(tmp_path / "home", "ingest", "--db", db, *NEW_FILES) for _ in range(2)]
    results = [(p.communicate(timeout=120), p.returncode) for p in procs]

    statuses = []
    for (out, err), code in results:
        assert code == 0, err
        statuses += [(line.split()[-1], line.split()[0]) for line in out.splitlines()]
    for path in NEW_FILES:  # one process added it, the other found it there
        assert sorted(s for name, s in statuses if name == path.name) == ["ingested", "unchanged"]
    assert read_state(db, truths) == baselines["ingest"].after  # and only one new generation
    assert leftovers(db) == []
    assert lock_is_free(db)


@pytest.mark.parametrize("kind", ["ingest", "update", "migrate"])
def test_a_writer_gives_up_after_its_lock_timeout_naming_the_holder(
    kind: str, baselines: dict[str, Baseline], site: Site, tmp_path: Path
) -> None:
    base = baselines[kind]
    db = copy_db(base.template, tmp_path / "borderdesk.duckdb")
    digest = sha256(db)

    with WriteLock(db.absolute(), timeout=0, command=HOLDER):
        began = time.monotonic()
        proc = start(tmp_path / "home", *base.command(db, tmp_path), "--lock-timeout", "0.5")
        _, err = proc.communicate(timeout=120)
        waited = time.monotonic() - began

    assert proc.returncode == 75, err
    assert "Traceback" not in err
    assert f"waiting for pid {os.getpid()} ({HOLDER}" in err
    last = err.strip().splitlines()[-1]
    assert last.startswith(f"error: {db} is being written by pid {os.getpid()} ({HOLDER}, since "), last
    assert "gave up after waiting 0.5 s" in last and "--lock-timeout" in last
    assert waited >= 0.5
    assert sha256(db) == digest
    assert leftovers(db) == []


def test_a_waiting_writer_goes_on_when_the_holder_lets_go(
    v2_template: Path, baselines: dict[str, Baseline], truths: dict[str, Truth], tmp_path: Path
) -> None:
    db = copy_db(v2_template, tmp_path / "borderdesk.duckdb")

    with WriteLock(db.absolute(), timeout=0, command=HOLDER):
        proc = start(tmp_path / "home", "ingest", "--db", db, *NEW_FILES, "--lock-timeout", "60")
        assert proc.stderr is not None
        said = proc.stderr.readline()  # blocks until the second writer says it waits
        assert said.startswith(f"waiting for pid {os.getpid()} ({HOLDER}"), said
        assert proc.poll() is None
    out, err = proc.communicate(timeout=120)

    assert proc.returncode == 0, said + err
    assert [line.split()[0] for line in out.splitlines()] == ["ingested", "ingested"]
    assert read_state(db, truths) == baselines["ingest"].after
