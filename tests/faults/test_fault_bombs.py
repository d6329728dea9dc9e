"""Real-size compression bombs through the command line: each is refused with a one-line error that
names the limit, quickly, with the child's peak memory under 1 GB, and the database unchanged
(issue 15, finding 1: a 4 MB bomb took 12.4 GB; a 3 MB bomb of newlines took 6.3 GB and 4 minutes)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

import borderdesk

GIB = 1 << 30
#: The by-state header, so that the bomb gets past the header checks to the rows.
HEADER = (
    b"Fiscal Year,Month Grouping,Month (abbv),Land Border Region,State,Demographic,Citizenship,"
    b"Title of Authority,Encounter Count\r\n"
)
#: What a child may use at most, whatever the input (the issue's bound).
MAX_RSS_KB = 1 << 20

# Runs the CLI as a child of a small Python that then reports the child's peak RSS (in KiB on Linux):
# measured for that one child, not for whatever the test process ran before.
_MEASURE = """
import resource, subprocess, sys, json
p = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({"rc": p.returncode, "stderr": p.stderr,
                  "maxrss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def _bomb(path: Path, head: bytes, fill: bytes, size: int) -> Path:
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = fill * ((16 << 20) // len(fill))
    with path.open("wb") as fh:
        fh.write(comp.compress(head))
        for _ in range(size // len(chunk)):
            fh.write(comp.compress(chunk))
        fh.write(comp.flush())
    return path


def _ingest(home: Path, db: Path, bomb: Path) -> dict[str, object]:
    src = Path(borderdesk.__file__).resolve().parent.parent
    env = {"PATH": "/usr/bin:/bin", "BORDERDESK_HOME": str(home), "LC_ALL": "C.UTF-8", "PYTHONPATH": str(src)}
    cli = [sys.executable, "-c", "from borderdesk.cli.app import main; main()"]
    args = [*cli, "ingest", "--no-snapshot", "--db", str(db), str(bomb)]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *args], capture_output=True, text=True, env=env, timeout=300
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize(
    ("fill", "limit"),
    [(b"\0", "--max-line-bytes"), (b"\n", "--max-rows"), (b"2024,OCT\n", "--max-rows")],
    ids=["zeros", "newlines", "short-rows"],
)
def test_a_real_size_bomb_is_refused_within_1_gb(tmp_path: Path, fill: bytes, limit: str) -> None:
    head = HEADER
    bomb = _bomb(tmp_path / "bomb.csv.gz", head, fill, GIB)
    assert bomb.stat().st_size < 8 << 20
    db = tmp_path / "db.duckdb"
    subprocess.run(  # an empty database to compare with afterwards
        [sys.executable, "-c", f"import borderdesk; borderdesk.open({str(db)!r}, snapshot=False).close()"],
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(borderdesk.__file__).resolve().parent.parent)},
    )
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    started = time.perf_counter()
    result = _ingest(tmp_path / "home", db, bomb)
    seconds = time.perf_counter() - started
    stderr = str(result["stderr"])
    assert result["rc"] not in (0, 70), stderr
    assert "internal error" not in stderr and "Traceback" not in stderr, stderr
    assert limit in stderr, stderr
    assert int(str(result["maxrss"])) <= MAX_RSS_KB, f"peak RSS {result['maxrss']} KiB"
    assert seconds < 60
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
