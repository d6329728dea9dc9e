"""Files that are wrong in ways a careful reader of the CSV would not expect (issue 15): a month that
has not ended yet, a bare CR next to a bad byte. Each is refused with its file and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import malformed_cases as mc
import pytest

from borderdesk import sources
from borderdesk.errors import ReleaseFormatError
from borderdesk.sources import normalize

STATE = mc.DATA / "nationwide-encounters-fy23-fy26-nov-state.csv"


def _lines() -> list[bytes]:
    if not STATE.is_file():
        pytest.skip(f"real CBP files not found in {mc.DATA} (shared data folder)")
    return STATE.read_bytes().split(b"\n")[:300]


def _write(tmp_path: Path, lines: list[bytes]) -> Path:
    path = tmp_path / "edited.csv"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_a_row_for_a_month_that_has_not_ended_is_refused_with_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In December 2026, FY2027 March is in the future (and so is December 2026 itself)."""
    monkeypatch.setattr(normalize, "ingest_day", lambda: dt.date(2026, 12, 15))
    lines = _lines()
    lines.insert(150, b"2027,FYTD,MAR,Southwest Land Border,TX,UAC,OTHER,Title 8,2\r")
    with pytest.raises(ReleaseFormatError, match="has not ended yet") as e:
        sources.load(_write(tmp_path, lines))
    assert e.value.line == 151
    assert e.value.column is not None and "month" in e.value.column.lower()
    assert "2026-11" in str(e.value)


def test_the_last_complete_month_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(normalize, "ingest_day", lambda: dt.date(2026, 12, 1))
    lines = _lines()
    lines.insert(150, b"2027,FYTD,NOV,Southwest Land Border,TX,UAC,OTHER,Title 8,2\r")
    assert sources.load(_write(tmp_path, lines)).row_count == 300
    lines[150] = b"2027,FYTD,DEC,Southwest Land Border,TX,UAC,OTHER,Title 8,2\r"
    with pytest.raises(ReleaseFormatError, match="has not ended yet"):
        sources.load(_write(tmp_path, lines))


@pytest.mark.parametrize("edit", [b"\r\xff", b"\xff\r", b"X\rY\xff", b"\xffa\rb"])
def test_a_bare_cr_next_to_a_bad_byte_names_line_and_column(tmp_path: Path, edit: bytes) -> None:
    lines = _lines()
    fields = lines[100].split(b",")
    fields[6] += edit
    lines[100] = b",".join(fields)
    with pytest.raises(ReleaseFormatError, match="invalid UTF-8 byte 0xff") as e:
        sources.load(_write(tmp_path, lines))
    assert e.value.line == 101
    assert e.value.column_number == 7
