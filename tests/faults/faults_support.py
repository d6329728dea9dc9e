"""What the fault-injection tests share: the release files they use, running the CLI, a local HTTP
server, a genuine schema-1 database, and :func:`read_state`, which checks that a database is whole
(whatever happened to the process that last wrote it) and describes it for comparison."""

from __future__ import annotations

import functools
import hashlib
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pytest

from borderdesk import metadata, store
from borderdesk.store import updates
from borderdesk.store.lock import LockTimeoutError, WriteLock
from borderdesk.store.schema import DDL, READABLE_VERSIONS
from repo_support import cbp_data

BORDERDESK = Path(sys.executable).parent / "borderdesk"
DATA = cbp_data()
#: The releases in the template databases (the "before" of each trial).
OLD_STATE = DATA / "nationwide-encounters-fy20-fy23-state.csv"
OCT_STATE = DATA / "nationwide-encounters-fy21-fy24-oct-state.csv"
#: What the trials add: the smallest release, then a by-state one (Russia, southwest, 2022-11: 5,507).
SBO = DATA / "sbo-encounters-fy22-fy25-aug.csv"
NOV_STATE = DATA / "nationwide-encounters-fy23-fy26-nov-state.csv"
NEW_FILES = (SBO, NOV_STATE)
FILES = (OLD_STATE, OCT_STATE, *NEW_FILES)
RUSSIA_SW_2022_11 = 5507

#: (kind, where it was killed, "killed" or "finished", "before" or "after"): one per kill trial, for the
#: summary the conftest prints at the end of the run.
TALLY: list[tuple[str, str, str, str]] = []


def data_available() -> bool:
    return all(p.is_file() for p in FILES)


def require_data() -> None:
    """Fail the calling test (or fixture) when a real CBP file is missing (they travel with the repo)."""
    if not data_available():
        pytest.fail(f"real CBP files missing from {DATA}: {[p.name for p in FILES]}")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- the CLI ----------------------------------------------------------------------------------------------
def cli_env(home: Path, **extra: str) -> dict[str, str]:
    """A small, fixed environment: no proxies (the HTTP server is on 127.0.0.1), wide plain output."""
    return {
        "PATH": "/usr/bin:/bin",
        "BORDERDESK_HOME": str(home),
        "LC_ALL": "C.UTF-8",
        "COLUMNS": "400",
        "NO_COLOR": "1",
        **extra,
    }


def cli_args(*args: str | Path) -> list[str]:
    return [str(BORDERDESK), *map(str, args)]


def run_cli(
    home: Path,
    *args: str | Path,
    preexec_fn: Callable[[], None] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli_args(*args),
        env=cli_env(home),
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=preexec_fn,
    )


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    """The single ``error: ...`` line a failed command must print (no traceback, no internal error)."""
    assert proc.returncode != 0, proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    return lines[0]


def leftovers(db: Path) -> list[str]:
    """Files a writer of ``db`` may leave behind if it dies: its next database and that one's log."""
    return sorted(p.name for p in db.parent.glob(f".{db.name}.next-*"))


def lock_is_free(db: Path) -> bool:
    try:
        with WriteLock(db.absolute(), timeout=0, command="fault test"):
            return True
    except LockTimeoutError:
        return False


# -- a genuine schema-1 database ----------------------------------------------------------------------------
def build_schema_1(path: Path, files: Sequence[Path]) -> None:
    """A database as borderdesk 0.1.0 wrote it: ``DDL`` (schema 1, never edited), its version row and the
    seed codes, exactly as ``database._ensure_schema`` starts a new file, then ``files`` ingested by the
    ingest code of today (which needs nothing newer than the schema-1 tables)."""
    con = duckdb.connect(str(path))
    try:
        con.execute("BEGIN")
        con.execute(DDL)
        con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
        seeds = [(d, c, v) for d, values in metadata.seed_values().items() for v, c in values.items()]
        con.execute(
            "INSERT INTO dimension_values SELECT * FROM (SELECT unnest(?), unnest(?), unnest(?))",
            [[s[0] for s in seeds], [s[1] for s in seeds], [s[2] for s in seeds]],
        )
        con.execute("COMMIT")
        for f in files:
            assert store.ingest_path(con, f).status == "ingested"
        con.execute("CHECKPOINT")
    finally:
        con.close()
    assert not path.with_name(path.name + ".wal").exists()


# -- what a database holds --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Truth:
    """What one file becomes when ingested cleanly: its data rows and the sum of its encounters."""

    name: str
    rows: int
    total: int


@dataclass(frozen=True)
class State:
    """A database, as far as a user can tell (everything but ingest times): equal states, equal answers."""

    schema: int
    generation: int | None
    releases: tuple[tuple[object, ...], ...]  # label, sha256, file, rows, family, origin, source, published
    facts: tuple[tuple[object, ...], ...]  # sha256, rows, sum of encounters
    latest: tuple[tuple[object, ...], ...]  # family, month, label: which release answers for each month

    @property
    def labels(self) -> list[str]:
        return sorted(str(r[0]) for r in self.releases)


@dataclass(frozen=True)
class Baseline:
    """One kind of write and its uninterrupted run: from ``template`` (state ``before``) the command
    gives ``after`` in ``seconds``."""

    kind: str
    template: Path
    command: Callable[[Path, Path], list[str | Path]]  # (database, scratch folder) -> CLI arguments
    before: State
    after: State
    seconds: float


def read_state(db: Path, truths: dict[str, Truth]) -> State:
    """Open ``db`` read-only (as borderdesk does), check what must hold whatever happened to its last
    writer, and describe it. Every release is whole: as many facts as its ``rows``, and both the row
    count and the sum of encounters of a clean ingest of its file."""
    con, _, _ = store.connect(db, read_only=True)
    try:

        def one(sql: str, params: list[object] | None = None) -> tuple[object, ...]:
            row = con.execute(sql, params or []).fetchone()
            assert row is not None
            return tuple(row)

        (version,) = one("SELECT value FROM meta WHERE key = 'schema_version'")
        schema = int(str(version))
        assert schema in READABLE_VERSIONS
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        assert ("updates" in tables) == (schema >= 2)
        generation = updates.generation(con)
        if generation is not None:  # one row per published change, numbered from 1
            assert one("SELECT count(*), count(DISTINCT generation), min(generation) FROM updates") == (
                generation,
                generation,
                1,
            )

        releases = con.execute(
            "SELECT release_id, label, sha256, file_name, rows, family, origin, source_url, published "
            "FROM releases ORDER BY label"
        ).fetchall()
        assert one("SELECT count(*), count(DISTINCT sha256), count(DISTINCT label) FROM releases") == (
            len(releases),
            len(releases),
            len(releases),
        ), "a release twice"
        facts = []
        for release_id, label, digest, file_name, rows, *_ in releases:
            truth = truths[digest]  # nothing but the files the tests ingest
            got = one("SELECT count(*), sum(encounters) FROM facts WHERE release_id = ?", [release_id])
            assert (file_name, rows) == (truth.name, truth.rows), label
            assert got == (truth.rows, truth.total), f"{label}: half a release ({got} of {truth})"
            months = one(
                "SELECT (SELECT list(DISTINCT month ORDER BY month) FROM facts WHERE release_id = $1), "
                "(SELECT list(month ORDER BY month) FROM release_months WHERE release_id = $1)",
                [release_id],
            )
            assert months[0] == months[1], f"{label}: release_months disagree with its facts"
            facts.append((digest, *got))
        assert one(
            "SELECT (SELECT count(*) FROM facts WHERE release_id NOT IN (SELECT release_id FROM releases)), "
            "(SELECT count(*) FROM release_months WHERE release_id NOT IN (SELECT release_id FROM releases))"
        ) == (0, 0), "rows of a release that is not there"

        latest = con.execute(
            "SELECT l.family, l.month, r.label FROM latest_months l JOIN releases r USING (release_id) "
            "ORDER BY 1, 2"
        ).fetchall()
        covered = con.execute(
            "SELECT DISTINCT r.family, m.month FROM release_months m JOIN releases r USING (release_id) "
            "ORDER BY 1, 2"
        ).fetchall()
        assert [(f, m) for f, m, _ in latest] == covered, "latest_months: a month missing or twice"
    finally:
        con.close()
    return State(
        schema=schema,
        generation=generation,
        releases=tuple(tuple(r[1:]) for r in releases),
        facts=tuple(sorted(facts)),
        latest=tuple(tuple(r) for r in latest),
    )


# -- a local HTTP server ------------------------------------------------------------------------------------
@dataclass
class ServerState:
    #: (URL path, Range header or None) of every GET, in order
    requests: list[tuple[str, str | None]] = field(default_factory=list)
    #: URL path -> (bytes to send, event): send that much of the file, then hang until the event is set
    stall_once: dict[str, tuple[int, threading.Event]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: ServerState

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client killed mid-transfer breaks the pipe: expected here, not worth a traceback


class _Handler(SimpleHTTPRequestHandler):
    """http.server's folder server plus ``Range: bytes=N-`` and a stall, to kill a client mid-download."""

    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        state = self.server.state
        path = urlsplit(self.path).path
        wanted = self.headers.get("Range")
        with state.lock:
            state.requests.append((path, wanted))
            stall = state.stall_once.pop(path, None)
        file = Path(self.translate_path(self.path))
        if not file.is_file():
            super().do_GET()
            return
        data = file.read_bytes()
        start = 0
        if wanted and wanted.startswith("bytes=") and wanted.endswith("-"):
            start = int(wanted[len("bytes=") : -1])
        self.send_response(206 if start else 200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", str(len(data) - start))
        self.send_header("Last-Modified", "Tue, 25 Nov 2025 00:00:00 GMT")
        self.send_header("Accept-Ranges", "bytes")
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.end_headers()
        if stall is not None:
            sent, release = stall
            self.wfile.write(data[start : start + sent])
            self.wfile.flush()
            release.wait(30)
            return  # hang up, the rest unsent
        self.wfile.write(data[start:])


@dataclass
class Site:
    root: Path
    base: str
    state: ServerState

    def url(self, path: str) -> str:
        return self.base + path


@contextmanager
def serve_folder(root: Path) -> Iterator[Site]:
    """Serve ``root`` on 127.0.0.1 (a free port) while the block runs."""
    state = ServerState()
    server = _Server(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    server.state = state
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield Site(root, f"http://127.0.0.1:{server.server_address[1]}", state)
    finally:
        for _, event in state.stall_once.values():
            event.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def copy_db(template: Path, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, dest)
    return dest
