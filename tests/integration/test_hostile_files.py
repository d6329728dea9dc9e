"""Files that are wrong in ways a careful reader of the CSV would not expect (issue 15): a bare CR next
to a bad byte. Each is refused with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from borderdesk import sources
from borderdesk.errors import ReleaseFormatError
from conftest import CBP_DATA, require_cbp_data

STATE = CBP_DATA / "nationwide-encounters-fy23-fy26-nov-state.csv"


def _lines() -> list[bytes]:
    require_cbp_data(STATE.name)
    return STATE.read_bytes().split(b"\n")[:300]


def _write(tmp_path: Path, lines: list[bytes]) -> Path:
    path = tmp_path / "edited.csv"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


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
