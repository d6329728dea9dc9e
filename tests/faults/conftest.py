"""Session fixtures of the fault-injection tests: template databases built once (trials copy them),
the truth of every file, a local HTTP server, and a clean run of each command to compare with.

The kill trials record what happened to them in ``faults_support.TALLY``; the summary is printed at the
end of the run (see :func:`pytest_terminal_summary`).
"""

from __future__ import annotations

import csv
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from faults_support import (
    FILES,
    NEW_FILES,
    NOV_STATE,
    OCT_STATE,
    OLD_STATE,
    TALLY,
    Baseline,
    Site,
    Truth,
    build_schema_1,
    copy_db,
    read_state,
    require_data,
    run_cli,
    serve_folder,
    sha256,
)

from borderdesk.store.schema import SCHEMA_VERSION


@pytest.fixture(scope="session")
def fault_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_data()
    return tmp_path_factory.mktemp("faults")


@pytest.fixture(scope="session")
def v2_template(fault_dir: Path) -> Path:
    """Schema 2, built by the CLI: the fy20-fy23 and fy21-fy24-oct by-state releases."""
    path = fault_dir / "template-v2" / "borderdesk.duckdb"
    done = run_cli(fault_dir / "home", "ingest", "--no-snapshot", "--db", path, OLD_STATE, OCT_STATE)
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture(scope="session")
def v1_template(fault_dir: Path) -> Path:
    """A genuine schema-1 database (no ``updates`` table) with the fy20-fy23 and the 2025-11 releases."""
    path = fault_dir / "template-v1" / "borderdesk.duckdb"
    path.parent.mkdir()
    build_schema_1(path, [OLD_STATE, NOV_STATE])
    return path


@pytest.fixture(scope="session")
def truths(fault_dir: Path) -> dict[str, Truth]:
    """sha256 -> what a clean ingest of that file gives (one ingest of all of them, via the CLI), each
    checked against a plain ``csv`` reading of the file."""
    db = fault_dir / "truths" / "borderdesk.duckdb"
    done = run_cli(fault_dir / "home", "ingest", "--no-snapshot", "--db", db, *FILES)
    assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT r.sha256, r.file_name, count(*), sum(f.encounters) FROM releases r "
            "JOIN facts f USING (release_id) GROUP BY ALL"
        ).fetchall()
    finally:
        con.close()
    out = {digest: Truth(name, n, int(total)) for digest, name, n, total in rows}
    assert {t.name for t in out.values()} == {p.name for p in FILES}
    for path in FILES:
        assert out[sha256(path)] == Truth(path.name, *_plain_totals(path))
    return out


def _plain_totals(path: Path) -> tuple[int, int]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        at = [h.strip().lower() for h in next(reader)].index("encounter count")
        counts = [int(row[at]) for row in reader if any(f.strip() for f in row)]
    return len(counts), sum(counts)


@pytest.fixture(scope="session")
def site(fault_dir: Path) -> Iterator[Site]:
    """``/listing/``: the two files the trials add, as a bare folder listing."""
    root = fault_dir / "site"
    (root / "listing").mkdir(parents=True)
    for path in NEW_FILES:
        shutil.copyfile(path, root / "listing" / path.name)
    with serve_folder(root) as s:
        yield s


@pytest.fixture(scope="session")
def baselines(
    fault_dir: Path, v1_template: Path, v2_template: Path, site: Site, truths: dict[str, Truth]
) -> dict[str, Baseline]:
    commands: dict[str, tuple[Path, Callable[[Path, Path], list[str | Path]]]] = {
        "ingest": (v2_template, lambda db, _: ["ingest", "--db", db, *NEW_FILES]),
        "update": (
            v2_template,
            lambda db, tmp: ["update", "--url", site.url("/listing/"), "--dest", tmp / "dl", "--db", db],
        ),
        "migrate": (v1_template, lambda db, _: ["migrate", "--db", db]),
    }
    out = {}
    for kind, (template, command) in commands.items():
        scratch = fault_dir / f"clean-{kind}"
        db = copy_db(template, scratch / "borderdesk.duckdb")
        start = time.perf_counter()
        done = run_cli(scratch / "home", *command(db, scratch))
        seconds = time.perf_counter() - start
        assert done.returncode == 0, done.stderr
        before, after = read_state(template, truths), read_state(db, truths)
        if kind == "migrate":
            assert (before.schema, after.schema, after.labels) == (1, SCHEMA_VERSION, before.labels)
        else:
            assert after.labels == sorted([*before.labels, "southwest-2025-08", "state-2025-11"])
            assert after.generation == (before.generation or 0) + 1
        out[kind] = Baseline(kind, template, command, before, after, seconds)
    return out


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How many kill trials ran per kind and point, and where they left the database."""
    if not TALLY:
        return
    rows = Counter(TALLY)
    tr = terminalreporter
    tr.section("fault injection: kill -9 trials")
    head = ("kind", "killed at", "trials", "killed", "as before", "as after")
    tr.write_line("{:<8} {:<26} {:>6} {:>6} {:>9} {:>8}".format(*head))
    for kind, point in sorted({(k, p) for k, p, _, _ in TALLY}):
        mine = {key: n for key, n in rows.items() if key[:2] == (kind, point)}
        trials = sum(mine.values())
        killed = sum(n for (_, _, outcome, _), n in mine.items() if outcome == "killed")
        before = sum(n for (_, _, _, state), n in mine.items() if state == "before")
        tr.write_line(f"{kind:<8} {point:<26} {trials:>6} {killed:>6} {before:>9} {trials - before:>8}")
    kinds = Counter(k for k, _, _, _ in TALLY)
    tr.write_line(
        f"{len(TALLY)} trials: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) + ", each then "
        "re-run without the fault and compared with a clean run"
    )
