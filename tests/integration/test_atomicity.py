"""Atomic ingest: a rejected file changes nothing, a repeated file is a no-op, and an ingest killed with
SIGKILL at any moment leaves every release either absent or complete, never half.

Totals are checked against a plain ``csv``-module reading of each real file, not against borderdesk.
"""

from __future__ import annotations

import hashlib
import os
import selectors
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import malformed_cases as mc
import pytest

import borderdesk
from borderdesk.errors import ReleaseFormatError

DATA = mc.DATA
FY20_FY23 = DATA / "nationwide-encounters-fy20-fy23-state.csv"
FY21_FY24 = DATA / "nationwide-encounters-fy21-fy24-state.csv"
FY22_FY25 = DATA / "nationwide-encounters-fy22-fy25-state.csv"
# The large files the killed process ingests, in this order (the AOR one is the largest write).
BIG_FILES = (FY20_FY23, FY21_FY24, FY22_FY25, mc.AOR_GZ)
SOUTHWEST_FY2022 = 2_378_944

pytestmark = pytest.mark.skipif(
    not (mc.data_available() and all(p.is_file() for p in BIG_FILES)),
    reason=f"real CBP files not found in {DATA} (restored from data/cbp by bench/repo_data.py)",
)

BORDERDESK = Path(sys.executable).parent / "borderdesk"


def _env(tmp_path: Path) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "BORDERDESK_HOME": str(tmp_path / "home"), "LC_ALL": "C.UTF-8"}


@dataclass(frozen=True)
class Truth:
    """What a plain reading of one file says: the release it must become, if it is there at all."""

    name: str
    sha256: str
    rows: int
    total: int


def _truth(path: Path) -> Truth:
    rows, total = mc.plain_totals(path)
    return Truth(path.name, hashlib.sha256(path.read_bytes()).hexdigest(), rows, total)


@pytest.fixture(scope="module")
def truths() -> dict[str, Truth]:
    """sha256 -> Truth for every file these tests ingest."""
    out = [_truth(p) for p in (*BIG_FILES, mc.SOUTHWEST)]
    return {t.sha256: t for t in out}


def check_invariants(db: Path, truths: dict[str, Truth]) -> set[str]:
    """Open the database (replaying its log), check that each release is whole; return their file names."""
    with borderdesk.open(db, snapshot=False) as desk:
        con = desk.con
        present = set()
        releases = con.execute("SELECT release_id, sha256, rows, file_name FROM releases").fetchall()
        for release_id, sha256, rows, name in releases:
            truth = truths[sha256]  # nothing but the files we ingested
            assert (name, rows) == (truth.name, truth.rows)
            facts = con.execute(
                "SELECT count(*), sum(encounters) FROM facts WHERE release_id = ?", [release_id]
            ).fetchone()
            assert facts == (truth.rows, truth.total), f"{name}: half a release"
            months = con.execute(
                "SELECT (SELECT list(DISTINCT month ORDER BY month) FROM facts WHERE release_id = $1), "
                "(SELECT list(month ORDER BY month) FROM release_months WHERE release_id = $1)",
                [release_id],
            ).fetchone()
            assert months is not None and months[0] == months[1], f"{name}: release_months disagree"
            present.add(name)
        orphans = con.execute(
            "SELECT (SELECT count(*) FROM facts WHERE release_id NOT IN (SELECT release_id FROM releases)), "
            "(SELECT count(*) FROM release_months WHERE release_id NOT IN (SELECT release_id FROM releases))"
        ).fetchone()
        assert orphans == (0, 0)
        if FY20_FY23.name in present:
            assert desk.count(region="southwest", period="FY2022").value == SOUTHWEST_FY2022
        con.execute("CHECKPOINT")  # the recovered database can be written back
    return present


# -- (a) a rejected file in the middle of a multi-file call ------------------------------------------------
def test_cli_multi_file_keeps_good_files_and_drops_the_bad_one(
    tmp_path: Path, truths: dict[str, Truth]
) -> None:
    bad = mc.set_field(mc.STATE_FULL, 20_000, "Encounter Count", "12.5", "whole number")(tmp_path)
    db = tmp_path / "multi.duckdb"
    files = [mc.SOUTHWEST, bad.path, FY20_FY23]
    proc = subprocess.run(
        [str(BORDERDESK), "ingest", "--db", str(db), "--no-snapshot", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(tmp_path),
    )
    assert proc.returncode != 0
    assert "Traceback" not in proc.stdout + proc.stderr
    done = proc.stdout.splitlines()
    assert [line.split()[0] for line in done] == ["ingested", "ingested"]
    assert done[0].endswith(mc.SOUTHWEST.name) and done[1].endswith(FY20_FY23.name)
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert errors[0].startswith(f"error: {bad.path.name}, line 20000, column 9 ('Encounter Count')")
    assert "1 of 3" in errors[-1]
    assert check_invariants(db, truths) == {mc.SOUTHWEST.name, FY20_FY23.name}


def test_api_failed_ingest_between_good_ones(tmp_path: Path, truths: dict[str, Truth]) -> None:
    bad = mc.duplicate(mc.AOR_FULL, 3, 60_000)(tmp_path)
    db = tmp_path / "api.duckdb"
    with borderdesk.open(db, snapshot=False, read_only=False) as desk:
        assert desk.ingest(mc.SOUTHWEST).status == "ingested"
        before = mc.db_state(desk.con)
        with pytest.raises(ReleaseFormatError) as info:
            desk.ingest(bad.path)
        assert info.value.line == 60_000
        assert mc.db_state(desk.con) == before
        assert desk.ingest(FY20_FY23).status == "ingested"
    assert check_invariants(db, truths) == {mc.SOUTHWEST.name, FY20_FY23.name}


def test_failure_inside_the_transaction_rolls_back(
    tmp_path: Path, truths: dict[str, Truth], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails after the facts are inserted (say, the disk fills up) leaves no trace."""
    from borderdesk.store import facts as facts_module

    real = facts_module.months_to_dates
    calls = []

    def fail_second_call(months):  # type: ignore[no-untyped-def]
        calls.append(len(months))
        if len(calls) == 2:  # the first converts the facts' months, the second the release's months
            raise OSError("No space left on device")
        return real(months)

    db = tmp_path / "rollback.duckdb"
    with borderdesk.open(db, snapshot=False, read_only=False) as desk:
        assert desk.ingest(mc.SOUTHWEST).status == "ingested"
        before = mc.db_state(desk.con)
        monkeypatch.setattr(facts_module, "months_to_dates", fail_second_call)
        with pytest.raises(OSError, match="No space left"):
            desk.ingest(FY20_FY23)
        assert len(calls) == 2
        monkeypatch.undo()
        assert mc.db_state(desk.con) == before
        assert desk.ingest(FY20_FY23).status == "ingested"
    assert check_invariants(db, truths) == {mc.SOUTHWEST.name, FY20_FY23.name}


# -- (b) the same bytes twice: a no-op ---------------------------------------------------------------------
def test_reingest_same_sha256_is_a_noop(tmp_path: Path, truths: dict[str, Truth]) -> None:
    db = tmp_path / "again.duckdb"
    renamed = tmp_path / "renamed-copy.csv"
    shutil.copyfile(FY20_FY23, renamed)
    with borderdesk.open(db, snapshot=False, read_only=False) as desk:
        first = desk.ingest(FY20_FY23)
        assert first.status == "ingested"
        state = mc.db_state(desk.con)
        total = desk.count(region="southwest", period="FY2022").value
        assert total == SOUTHWEST_FY2022
        for path in (FY20_FY23, renamed, str(FY20_FY23)):
            again = desk.ingest(path)
            assert again.status == "unchanged"
            assert again.release == first.release  # the first file's release, name and all
            assert mc.db_state(desk.con) == state
        assert len(desk.release_list()) == 1
        assert desk.count(region="southwest", period="FY2022").value == total
    on_disk = mc.file_digest(db)
    proc = subprocess.run(
        [str(BORDERDESK), "ingest", "--db", str(db), "--no-snapshot", str(renamed), str(FY20_FY23)],
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(tmp_path),
    )
    assert proc.returncode == 0, proc.stderr
    assert [line.split()[0] for line in proc.stdout.splitlines()] == ["unchanged", "unchanged"]
    assert mc.file_digest(db) == on_disk  # not a byte of the database changed
    assert check_invariants(db, truths) == {FY20_FY23.name}


# -- (c) SIGKILL during ingest ----------------------------------------------------------------------------
# The child announces each step on stdout (including the moment it sends COMMIT), so the parent can
# kill it at a chosen moment. In "pause" mode it also stops just before COMMIT of the file named in
# argv[2], with every row of that file already inserted.
CHILD = r"""
import sys, time
print("opening", flush=True)
import borderdesk
from borderdesk.store import ingest as ingest_module

mode, pause_at, db, *files = sys.argv[1:]
real_write = ingest_module.write_release


class AnnounceCommit:
    def __init__(self, con, pause):
        self._con = con
        self._pause = pause

    def __getattr__(self, name):
        return getattr(self._con, name)

    def execute(self, sql, *args):
        if sql.strip().upper() == "COMMIT":
            if self._pause:
                print("commit-pending", flush=True)
                time.sleep(60)
            print("committing", flush=True)
        return self._con.execute(sql, *args)


def write_release(con, loaded, **kw):
    print("writing", loaded.raw.name, flush=True)
    pause = mode == "pause" and loaded.raw.name == pause_at
    return real_write(AnnounceCommit(con, pause), loaded, **kw)


ingest_module.write_release = write_release
print("connecting", flush=True)
desk = borderdesk.open(db, snapshot=False, read_only=False)
print("ready", flush=True)
for path, result in desk.ingest_each(files):
    print("done", path.name, getattr(result, "status", result), flush=True)
desk.close()
print("closed", flush=True)
"""


class Child:
    """The ingesting process, read line by line with a deadline."""

    def __init__(self, db: Path, files: tuple[Path, ...], mode: str = "run", pause_at: str = "-") -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, mode, pause_at, str(db), *map(str, files)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "BORDERDESK_HOME": str(db.parent / "home")},
        )
        self.lines: list[str] = []
        self._buffer = b""
        self._selector = selectors.DefaultSelector()
        assert self.proc.stdout is not None
        self._selector.register(self.proc.stdout, selectors.EVENT_READ)

    def wait_for(self, prefix: str, timeout: float = 20.0) -> bool:
        """Read until a line starts with ``prefix``; False if the child ended first."""
        deadline = time.monotonic() + timeout
        while True:
            for line in self.lines:
                if line.startswith(prefix):
                    self.lines.remove(line)
                    return True
            left = deadline - time.monotonic()
            assert left > 0, f"no {prefix!r} from the ingesting process"
            if not self._selector.select(left):
                continue
            assert self.proc.stdout is not None
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                return False
            self._buffer += chunk
            *complete, self._buffer = self._buffer.split(b"\n")
            self.lines += [c.decode() for c in complete]

    def kill(self) -> int:
        self.proc.send_signal(signal.SIGKILL)
        code = self.proc.wait(timeout=20)
        self._selector.close()
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self.proc.stdout.close()
        err = self.proc.stderr.read().decode()
        self.proc.stderr.close()
        assert "Traceback" not in err, err
        return code


# (signal to wait for, how many of them, then seconds to wait before SIGKILL)
KILL_MOMENTS = [
    pytest.param("opening", 1, 0.0, id="while-importing"),
    pytest.param("connecting", 1, 0.005, id="creating-database"),
    pytest.param("writing", 1, 0.005, id="first-write-5ms"),
    pytest.param("committing", 1, 0.0, id="first-commit"),
    pytest.param("done", 1, 0.0, id="just-after-first-commit"),
    pytest.param("writing", 2, 0.02, id="second-write-20ms"),
    pytest.param("committing", 2, 0.002, id="second-commit-2ms"),
    pytest.param("writing", 4, 0.01, id="aor-write-10ms"),
    pytest.param("committing", 4, 0.005, id="aor-commit-5ms"),
]


@pytest.mark.parametrize(("signal_line", "nth", "delay"), KILL_MOMENTS)
def test_sigkill_during_ingest_leaves_whole_releases(
    signal_line: str, nth: int, delay: float, tmp_path: Path, truths: dict[str, Truth]
) -> None:
    db = tmp_path / "killed.duckdb"
    child = Child(db, BIG_FILES)
    reached = all(child.wait_for(signal_line) for _ in range(nth))
    if delay:
        time.sleep(delay)
    code = child.kill()
    assert code in (-signal.SIGKILL, 0)
    assert reached or code == 0

    present = check_invariants(db, truths)
    names = [p.name for p in BIG_FILES]
    # files are ingested in order, each in its own transaction: what is there is a prefix
    assert present == set(names[: len(present)])

    # and the database is fine to carry on with: finishing the ingest gives the complete result
    with borderdesk.open(db, snapshot=False, read_only=False) as desk:
        statuses = [r.status for r in desk.ingest_many(BIG_FILES)]
    assert statuses == ["unchanged"] * len(present) + ["ingested"] * (len(names) - len(present))
    assert check_invariants(db, truths) == set(names)


def test_sigkill_between_insert_and_commit(tmp_path: Path, truths: dict[str, Truth]) -> None:
    """Every row of the second file inserted, the transaction not committed: the file must be absent."""
    db = tmp_path / "paused.duckdb"
    child = Child(db, BIG_FILES, mode="pause", pause_at=FY21_FY24.name)
    assert child.wait_for(f"done {FY20_FY23.name}")
    assert child.wait_for("commit-pending")
    assert child.kill() == -signal.SIGKILL
    assert check_invariants(db, truths) == {FY20_FY23.name}
