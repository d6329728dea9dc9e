"""Each ingest limit refuses a file with exit code 4, the code of every limit (issue 15, finding 1):
``borderdesk ingest`` as a user runs it, with small files and proportionally small limits."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from test_cli import BORDERDESK, run

from borderdesk.errors import IngestLimitError, LimitError, ReleaseFormatError
from borderdesk.sources.bounded import ReadLimits, read_bounded

pytestmark = pytest.mark.skipif(not BORDERDESK.is_file(), reason=f"no borderdesk command at {BORDERDESK}")

HEADER = (
    b"Fiscal Year,Month Grouping,Month (abbv),Land Border Region,State,Demographic,Citizenship,"
    b"Title of Authority,Encounter Count\n"
)
ROW = b"2023,FYTD,NOV,Southwest Land Border,TX,Single Adults,MEXICO,Title 8,1\n"


def _plain(path: Path, body: bytes) -> Path:
    path.write_bytes(body)
    return path


def _many_bytes(tmp: Path) -> Path:
    return _plain(tmp / "big-state.csv", HEADER + ROW * 100)


def _compressed_far(tmp: Path) -> Path:
    """A .csv.gz that inflates more than 10 times past the ratio floor (16 MiB)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    path = tmp / "bomb-state.csv.gz"
    with path.open("wb") as fh:
        fh.write(comp.compress(HEADER))
        for _ in range(20):
            fh.write(comp.compress(ROW * ((1 << 20) // len(ROW))))
        fh.write(comp.flush())
    return path


def _long_line(tmp: Path) -> Path:
    return _plain(tmp / "long-state.csv", HEADER + ROW + b"2023," + b"x" * 2000 + b"\n")


def _wide_header(tmp: Path) -> Path:
    return _plain(tmp / "wide-state.csv", b",".join(b"c%d" % i for i in range(50)) + b"\n" + ROW)


def _many_rows(tmp: Path) -> Path:
    return _plain(tmp / "rows-state.csv", HEADER + ROW * 100)


LIMITS: list[tuple[str, str, Callable[[Path], Path]]] = [
    ("--max-bytes", "1000", _many_bytes),
    ("--max-ratio", "10", _compressed_far),
    ("--max-line-bytes", "1000", _long_line),
    ("--max-columns", "20", _wide_header),
    ("--max-rows", "10", _many_rows),
]


@pytest.mark.parametrize(("option", "value", "build"), LIMITS, ids=[o for o, _, _ in LIMITS])
def test_each_limit_exits_4_naming_its_option(
    tmp_path: Path, option: str, value: str, build: Callable[[Path], Path]
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    path = build(tmp_path)
    result = run(home, "ingest", path, option, value, "--db", tmp_path / "db.duckdb", "--no-snapshot")
    assert result.returncode == 4, result.stderr
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"error: {path.name}") and f"the {option} limit is" in first, first
    assert f"borderdesk ingest {option} N" in first


@pytest.mark.parametrize(("option", "value", "build"), LIMITS, ids=[o for o, _, _ in LIMITS])
def test_each_limit_is_a_limit_error_with_its_file(
    tmp_path: Path, option: str, value: str, build: Callable[[Path], Path]
) -> None:
    """The Python side of the same refusals: a LimitError (exit code 4) that is still the
    ReleaseFormatError it always was (the file, and the line where there is one)."""
    path = build(tmp_path)
    name = option.removeprefix("--").replace("-", "_")
    limits = ReadLimits(**{name: int(value)})
    with pytest.raises(IngestLimitError) as e:
        read_bounded(path, limits)
    assert isinstance(e.value, LimitError) and isinstance(e.value, ReleaseFormatError)
    assert (e.value.exit_code, e.value.option, e.value.file) == (4, option, path.name)
    if option == "--max-ratio":  # its budget is bytes (ratio x compressed size), and the message says so
        assert "times its size" in str(e.value) and "bytes for a file this size" in str(e.value)


def test_a_limit_among_other_rejections_exits_1(tmp_path: Path) -> None:
    """Exit 4 only when every rejected file was over a limit: a file that is not a release is exit 1."""
    home = tmp_path / "home"
    home.mkdir()
    over = _many_rows(tmp_path)
    bad = _plain(tmp_path / "bad.csv", b"a,b\n1,2\n")
    result = run(
        home, "ingest", over, bad, "--max-rows", "10", "--db", tmp_path / "db.duckdb", "--no-snapshot"
    )
    assert result.returncode == 1, result.stderr
    assert "2 of 2 file(s) rejected" in result.stderr


def test_a_valid_file_still_lands_beside_one_over_a_limit(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    db = tmp_path / "db.duckdb"
    fine = _plain(tmp_path / "fine-state.csv", HEADER + ROW)
    over = _long_line(tmp_path)
    result = run(home, "ingest", fine, over, "--max-line-bytes", "1000", "--db", db, "--no-snapshot")
    assert result.returncode == 4, result.stderr
    assert "1 of 2 file(s) rejected" in result.stderr
    assert "fine-state.csv" in result.stdout and result.stdout.split()[0] == "ingested"
