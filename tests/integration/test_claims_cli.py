"""``borderdesk check`` run as a user runs it (a subprocess on a copy of a snapshot database): the seed
article, ``--json``, stdin, ``--strict``, and hostile input that must end with a result or a one-line
message, in bounded time, never a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from repo_support import SEED

BORDERDESK = Path(sys.executable).parent / "borderdesk"
SUPPORTED_ONLY = (
    "In November alone, CBP officers came across more than 5,500 Russian migrants at the southern border."
)

pytestmark = pytest.mark.skipif(not BORDERDESK.is_file(), reason=f"no borderdesk command at {BORDERDESK}")


@pytest.fixture
def db(snapshot_db_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "snap.duckdb"
    shutil.copyfile(snapshot_db_file, path)
    return path


def run(
    db: Path, *args: str | Path, stdin: bytes | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "BORDERDESK_HOME": str(db.parent / "home"), "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("BORDERDESK_DEBUG", None)
    return subprocess.run(
        [str(BORDERDESK), "check", *map(str, args), "--db", str(db)],
        env=env,
        cwd=db.parent,
        input=stdin,
        capture_output=True,
        timeout=timeout,
    )


def clean(result: subprocess.CompletedProcess[bytes], code: int = 0) -> str:
    out, err = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == code, f"exit {result.returncode}\n{out}\n{err}"
    assert "Traceback" not in err and "internal error" not in err
    return out


@pytest.fixture
def seed() -> Path:
    if not SEED.is_file():
        pytest.skip(f"no seed article at {SEED}")
    return SEED


def test_seed_json(db: Path, seed: Path) -> None:
    t0 = time.monotonic()
    doc = json.loads(clean(run(db, seed, "--date", "2022-12-28", "--json")))
    assert time.monotonic() - t0 < 5
    assert doc["date"] == "2022-12-28"
    got = [(c["number"], c["verdict"], c["value"]) for c in doc["claims"]]
    assert got == [(31600, "inaccurate", 24724), (5500, "supported", 5507), (4100, "supported", 4103)]
    first = doc["claims"][0]
    assert list(first) == [
        "span", "text", "number", "qualifier", "kind", "question", "value", "verdict", "reason",
        "alternatives", "release", "sql", "as_published", "figure_span", "cues",
    ]  # fmt: skip
    assert {36593, 31146} <= {a["value"] for a in first["alternatives"]}
    assert first["question"]["period"] == {"start": "2022-02", "end": "2022-11", "label": "Feb 2022–Nov 2022"}
    assert set(first["release"]) == {"label", "file", "sha256", "published"}
    text = seed.read_text(encoding="utf-8")
    assert all(text[c["span"][0] : c["span"][1]] == c["text"] for c in doc["claims"])


def test_seed_for_people(db: Path, seed: Path) -> None:
    out = clean(run(db, seed, "--date", "2022-12-28"))
    assert "INACCURATE" in out and out.count("SUPPORTED") == 2
    assert "24,724" in out and "more than 31,600" in out
    assert "state-2025-11" in out  # the release that answered
    # the confused reading that matches, named in words
    assert "alternative: nationwide (region=nationwide) → 36,593 (matches)" in out


def test_stdin(db: Path) -> None:
    doc = json.loads(clean(run(db, "-", "--date", "2022-12-28", "--json", stdin=SUPPORTED_ONLY.encode())))
    assert [(c["number"], c["verdict"]) for c in doc["claims"]] == [(5500, "supported")]


def test_strict_exits_3_on_an_inaccurate_claim(db: Path, seed: Path) -> None:
    result = run(db, seed, "--date", "2022-12-28", "--strict", "--json")
    out = clean(result, code=3)
    assert json.loads(out)["claims"]  # the verdicts are still printed
    assert b"inaccurate" in result.stderr


def test_strict_exits_0_when_all_hold(db: Path) -> None:
    clean(run(db, "-", "--date", "2022-12-28", "--strict", stdin=SUPPORTED_ONLY.encode()))


def test_no_numbers(db: Path) -> None:
    out = clean(run(db, "-", "--date", "2022-12-28", stdin=b"The border is not open, officials said."))
    assert "No claims" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(("--date", "2022-13-45"), "not a date", id="bad-date"),
        pytest.param(("no-such-file.txt",), "no such file", id="missing-file"),
    ],
)
def test_bad_input_is_one_line(db: Path, args: tuple[str, ...], message: str) -> None:
    result = (
        run(db, *args, "-", stdin=b"CBP encountered 5,000 migrants.")
        if args[0] == "--date"
        else run(db, *args)
    )
    err = result.stderr.decode()
    assert result.returncode not in (0, 70) and message in err and "Traceback" not in err


HOSTILE = [
    pytest.param(os.urandom(1_000_000), id="1mb-binary"),
    pytest.param(
        ("CBP encountered 189,913 migrants at the southwest border in May. " * 16_000).encode(),
        id="1mb-claims",
    ),
    pytest.param(" ".join(str(i) for i in range(200_000)).encode(), id="thousands-of-numbers"),
    pytest.param(b"(" * 300_000 + b"5,000 encounters" + b")" * 300_000, id="nested-parentheses"),
    pytest.param(b"1,000," * 150_000, id="one-endless-number"),
    pytest.param(b"|" * 200_000 + b"\n|---|\n" * 1000, id="table-junk"),
    pytest.param(b"since January " * 60_000 + b"encounters rose 5%", id="period-junk"),
    pytest.param(b"\x00\xff\xfe" * 100_000, id="nul-and-bad-utf8"),
]


@pytest.mark.parametrize("data", HOSTILE)
def test_hostile_input(db: Path, data: bytes) -> None:
    t0 = time.monotonic()
    doc = json.loads(clean(run(db, "-", "--date", "2024-06-24", "--json", stdin=data, timeout=60)))
    assert isinstance(doc["claims"], list)
    assert time.monotonic() - t0 < 30
