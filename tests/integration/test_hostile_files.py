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
        pytest.skip(f"real CBP files not found in {mc.DATA} (restored from data/cbp by bench/repo_data.py)")
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


# -- Border Patrol history families: the same rule for their months, and whole years that have ended --

NATIONWIDE = "fiscal_year,total_apprehensions\n"
MONTHLY = (
    "sector,fiscal_year,month,total_apprehensions,unaccompanied_child_apprehension,family_apprehensions\n"
)


def _history(tmp_path: Path, header: str, rows: list[str]) -> Path:
    path = tmp_path / "usbp-table.csv"
    path.write_text(header + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def _on(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    monkeypatch.setattr(normalize, "ingest_day", lambda: day)


def test_a_whole_year_that_has_not_ended_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A table of whole fiscal years cannot have FY2027 in December 2026, nor FY2026 in September 2026
    (its September is not over): the row is refused with its line."""
    _on(monkeypatch, dt.date(2026, 12, 15))
    path = _history(tmp_path, NATIONWIDE, ["2019,859501", "2026,1000", "2027,5"])
    with pytest.raises(ReleaseFormatError, match="fiscal year 2027 has not ended yet") as e:
        sources.load(path)
    assert (e.value.line, e.value.column, e.value.value) == (4, "fiscal_year", "2027")
    assert "a fiscal year up to 2026" in str(e.value)

    _on(monkeypatch, dt.date(2026, 9, 30))
    with pytest.raises(ReleaseFormatError, match="fiscal year 2026 has not ended yet") as e:
        sources.load(_history(tmp_path, NATIONWIDE, ["2019,859501", "2026,1000"]))
    assert e.value.line == 3

    _on(monkeypatch, dt.date(2026, 10, 1))
    assert sources.load(_history(tmp_path, NATIONWIDE, ["2019,859501", "2026,1000"])).row_count == 2


def test_a_history_month_that_has_not_ended_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _on(monkeypatch, dt.date(2026, 12, 15))
    done = ["yuma,2027,october,10,1,2", "yuma,2027,november,11,1,2"]
    assert sources.load(_history(tmp_path, MONTHLY, done)).row_count == 6
    with pytest.raises(ReleaseFormatError, match="has not ended yet") as e:
        sources.load(_history(tmp_path, MONTHLY, [*done, "yuma,2027,december,12,1,2"]))
    assert (e.value.line, e.value.column, e.value.value) == (4, "month", "december")
    assert "2026-12 (fiscal year 2027)" in str(e.value) and "2026-11" in str(e.value)


def test_a_yearly_total_is_partial_until_the_year_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The monthly table's 'yearly total' of a year in progress counts the months published; a year
    none of whose months has ended has no total to give."""
    _on(monkeypatch, dt.date(2026, 12, 15))
    rows = ["yuma,2027,october,10,1,2", "yuma,2027,november,11,1,2", "yuma,2027,yearly total,21,2,4"]
    data = sources.load(_history(tmp_path, MONTHLY, rows)).data
    yearly = [m for g, m in zip(data.rows.grain, data.rows.months, strict=True) if g == "fiscal_year"]
    assert yearly == [2, 2, 2]  # total, children, families: two months of FY2027 each
    with pytest.raises(ReleaseFormatError, match="no month of fiscal year 2028 has ended yet") as e:
        sources.load(_history(tmp_path, MONTHLY, [*rows, "yuma,2028,yearly total,5,NA,NA"]))
    assert (e.value.line, e.value.column) == (5, "fiscal_year")


OHSS = mc.DATA / "ohss" / "KHSM_Encounters_USBP_fy25m11.xlsx"


def test_the_ohss_workbook_is_held_to_the_day_it_is_ingested(monkeypatch: pytest.MonkeyPatch) -> None:
    """The workbook runs to November 2024 (FY2025 month 2): ingested in November 2024, that month has
    not ended, and the first monthly row for it is refused with its sheet and line."""
    if not OHSS.is_file():
        pytest.skip(f"OHSS workbook not found at {OHSS}")
    _on(monkeypatch, dt.date(2024, 11, 20))
    with pytest.raises(ReleaseFormatError, match="2024-11 \\(fiscal year 2025\\) has not ended yet") as e:
        sources.load(OHSS)
    assert str(e.value).startswith(f"{OHSS.name}, line ")
    assert "sheet 'Monthly Count'" in str(e.value) and e.value.column == "Month"
    _on(monkeypatch, dt.date(2024, 12, 1))
    assert sources.load(OHSS).coverage[1] == dt.date(2024, 11, 1)
