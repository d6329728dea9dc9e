"""How much text the checker reads and for how long: the core's deadline (with a clock the test drives,
so nothing here sleeps), its size limit, and ``borderdesk check`` refusing a huge input or a slow check
with a one-line message and exit status 4."""

from __future__ import annotations

import importlib
import io
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from borderdesk import Desk, limits
from borderdesk.claims.extract import extract
from borderdesk.cli.check_command import read_input
from borderdesk.errors import BorderdeskError, CheckTimeoutError, LimitError, TextTooLongError
from borderdesk.limits import (
    DEFAULT_TIMEOUT,
    MAX_BYTES,
    MAX_SHARED_TEXT,
    MAX_TEXT,
    Deadline,
    check_length,
)
from repo_support import SEED

SEED_CLAIMS = [(31600, "inaccurate", 24724), (5500, "supported", 5507), (4100, "supported", 4103)]
BORDERDESK = Path(sys.executable).parent / "borderdesk"
#: ``borderdesk.claims.check`` the module (the package's attribute of that name is the function).
check_module = importlib.import_module("borderdesk.claims.check")
#: Twenty sentences, each with a claim: enough checkpoints to stop in the middle of.
MANY = " ".join(
    f"CBP encountered {1000 + i:,} migrants at the southwest border in May 2023." for i in range(20)
)


class Clock:
    """A clock that moves only when told, or by ``step`` seconds each time it is read."""

    def __init__(self, step: float = 0.0) -> None:
        self.now = 0.0
        self.step = step
        self.reads = 0

    def __call__(self) -> float:
        self.reads += 1
        t = self.now
        self.now += self.step
        return t


@pytest.fixture
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip(f"no seed article at {SEED}")
    return SEED.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------- Deadline


def test_deadline_raises_once_its_time_is_up() -> None:
    clock = Clock()
    deadline = Deadline(2.5, clock=clock)
    clock.now = 2.4
    deadline.check()
    assert not deadline.expired()
    clock.now = 2.5
    with pytest.raises(CheckTimeoutError) as caught:
        deadline.check()
    assert caught.value.limit == 2.5 and caught.value.unit == "seconds"
    assert str(caught.value) == "the text took longer than 2.5 s to check; split it (or allow more time)"


def test_no_deadline_never_raises() -> None:
    clock = Clock(step=1e9)
    deadline = Deadline(None, clock=clock)
    for _ in range(3):
        deadline.check()
    assert not deadline.expired()


@pytest.mark.parametrize("seconds", [0, -1, math.nan], ids=["zero", "negative", "nan"])
def test_a_timeout_must_be_positive(seconds: float) -> None:
    with pytest.raises(BorderdeskError, match="positive number of seconds"):
        Deadline(seconds)


def test_limit_errors_share_one_class_and_exit_code() -> None:
    assert issubclass(TextTooLongError, LimitError) and issubclass(CheckTimeoutError, LimitError)
    assert TextTooLongError(10, 5).exit_code == CheckTimeoutError(1.0).exit_code == 4
    assert DEFAULT_TIMEOUT == 10.0


# ------------------------------------------------------------------------------------- extract


def test_extract_stops_between_sentences() -> None:
    whole = extract(MANY).candidates
    assert len(whole) == 20
    clock = Clock(step=1.0)  # one second per checkpoint
    with pytest.raises(CheckTimeoutError):
        extract(MANY, deadline=Deadline(5, clock=clock))
    assert clock.reads < 10  # stopped after about five checkpoints, far from the twentieth sentence
    generous = extract(MANY, deadline=Deadline(1000, clock=Clock(step=1.0))).candidates
    assert [c.figure.value for c in generous] == [c.figure.value for c in whole]


def test_extract_stops_between_table_rows() -> None:
    rows = "\n".join(f"| Mexico {i} | {1000 + i:,} |" for i in range(30))
    intro = "Encounters at the southwest border in May 2023:"
    table = f"{intro}\n\n| Citizenship | Encounters |\n|---|---|\n{rows}\n"
    assert len(extract(table).candidates) == 30
    with pytest.raises(CheckTimeoutError):
        extract(table, deadline=Deadline(10, clock=Clock(step=1.0)))


# ------------------------------------------------------------------------------------- the desk


def test_seed_article_with_the_default_timeout(snapshot_desk: Desk, seed_text: str) -> None:
    results = snapshot_desk.check(seed_text, date="2022-12-28", timeout=DEFAULT_TIMEOUT)
    assert [(c.number, c.verdict, c.value) for c in results] == SEED_CLAIMS


def test_tiny_timeout_stops_the_check(snapshot_desk: Desk, seed_text: str) -> None:
    with pytest.raises(CheckTimeoutError, match=r"took longer than 1e-06 s"):
        snapshot_desk.check(seed_text, date="2022-12-28", timeout=0.000001)


def test_the_check_stops_between_claims(
    snapshot_desk: Desk, seed_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The time runs out while the first claim is judged: the other two are never judged."""
    clock = Clock()
    monkeypatch.setattr(limits, "monotonic", clock)
    judged = []
    real_judge = check_module.judge

    def slow_judge(*args, **kwargs):  # type: ignore[no-untyped-def]
        judged.append(args[0].figure.value)
        clock.now += 60  # this claim took a minute
        return real_judge(*args, **kwargs)

    monkeypatch.setattr(check_module, "judge", slow_judge)
    with pytest.raises(CheckTimeoutError, match="longer than 30 s"):
        snapshot_desk.check_report(seed_text, date="2022-12-28", timeout=30)
    assert judged == [31600]
    # the same check with a time limit it stays within, on the same clock, gives every claim
    report = snapshot_desk.check_report(seed_text, date="2022-12-28", timeout=1000)
    assert [(c.number, c.verdict, c.value) for c in report.claims] == SEED_CLAIMS


def test_the_core_refuses_a_text_over_its_limit(snapshot_desk: Desk) -> None:
    with pytest.raises(TextTooLongError) as caught:
        snapshot_desk.check("x" * (MAX_TEXT + 1), date="2022-12-28")
    e = caught.value
    assert (e.limit, e.received, e.unit) == (MAX_TEXT, MAX_TEXT + 1, "characters")
    assert "5,000,001 characters" in str(e) and "limit of 5,000,000" in str(e)


def test_check_length() -> None:
    check_length("x" * 200, 200)
    with pytest.raises(TextTooLongError, match="has 201 characters, over the limit of 200 characters"):
        check_length("x" * 201, 200)


# ------------------------------------------------------------------------------------- reading input


class Endless(io.RawIOBase):
    """A pipe that never ends: the reader must stop on its own."""

    def __init__(self) -> None:
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def,override]
        n = len(b)
        b[:n] = b"5" * n
        self.given += n
        return n


def test_stdin_is_read_only_up_to_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    pipe = Endless()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(pipe, buffer_size=1024)))
    with pytest.raises(TextTooLongError, match="stdin is over the limit of 10,000 bytes") as caught:
        read_input("-", limit=10_000)
    assert caught.value.received is None
    assert pipe.given <= 10_001 + 1024  # one over the limit, plus at most one buffer


def test_a_file_over_the_limit_is_named_with_its_size(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(b"CBP encountered 5,507 Russians. " * 1000)  # 32,000 bytes
    assert read_input(str(path), limit=32_000).startswith("CBP encountered")
    with pytest.raises(
        TextTooLongError, match=r"article\.txt has 32,000 bytes, over the limit of 31,999 bytes"
    ):
        read_input(str(path), limit=31_999)


# ------------------------------------------------------------------------------------- the command

needs_command = pytest.mark.skipif(not BORDERDESK.is_file(), reason=f"no borderdesk command at {BORDERDESK}")


@pytest.fixture
def db(snapshot_db_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "snap.duckdb"
    shutil.copyfile(snapshot_db_file, path)
    return path


def run(
    db: Path, *args: str, stdin: bytes | int | io.BufferedReader | None = None
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "BORDERDESK_HOME": str(db.parent / "home"), "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("BORDERDESK_DEBUG", None)
    data = stdin if isinstance(stdin, bytes) else None
    return subprocess.run(
        [str(BORDERDESK), "check", *args, "--db", str(db)],
        env=env,
        input=data,
        stdin=None if data is not None else stdin,
        capture_output=True,
        timeout=60,
    )


def one_line_error(result: subprocess.CompletedProcess[bytes], code: int) -> str:
    err = result.stderr.decode()
    assert result.returncode == code, (result.returncode, err)
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert result.stdout == b""
    return err


@needs_command
def test_command_refuses_stdin_over_the_limit(db: Path) -> None:
    err = one_line_error(run(db, "-", "--json", stdin=b"5" * (MAX_BYTES + 1)), 4)
    assert err == "error: stdin is over the limit of 5,000,000 bytes: split it and check each part\n"


@needs_command
def test_command_does_not_slurp_an_endless_pipe(db: Path) -> None:
    with open("/dev/zero", "rb") as zeros:
        err = one_line_error(run(db, "-", stdin=zeros), 4)
    assert "over the limit of 5,000,000 bytes" in err


@needs_command
def test_command_with_a_tiny_timeout(db: Path, seed_text: str) -> None:
    result = run(db, "-", "--date", "2022-12-28", "--timeout", "0.000001", stdin=seed_text.encode())
    err = one_line_error(result, 4)
    assert err == "error: the text took longer than 1e-06 s to check; split it (or allow more time)\n"


@needs_command
@pytest.mark.parametrize("timeout", ["10", "0"], ids=["default-value", "no-limit"])
def test_command_checks_the_seed_within_its_timeout(db: Path, seed_text: str, timeout: str) -> None:
    result = run(db, "-", "--date", "2022-12-28", "--json", "--timeout", timeout, stdin=seed_text.encode())
    assert result.returncode == 0, result.stderr.decode()
    doc = json.loads(result.stdout)
    assert [(c["number"], c["verdict"], c["value"]) for c in doc["claims"]] == SEED_CLAIMS


@needs_command
def test_command_refuses_a_negative_timeout(db: Path) -> None:
    result = run(db, "-", "--timeout", "-1", stdin=b"CBP encountered 5,507 Russians.")
    assert result.returncode == 2 and b"--timeout" in result.stderr


def test_the_pipeline_how_to_states_the_limits() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "how-to" / "pipeline.md").read_text(
        encoding="utf-8"
    )
    text = " ".join(page.split())
    assert f"at most {MAX_BYTES:,} bytes" in text
    assert f"`--timeout SECONDS` ({DEFAULT_TIMEOUT:g} by default" in text
    assert f"up to {MAX_SHARED_TEXT:,} characters (413 beyond)" in text
    assert "exits 4" in text
