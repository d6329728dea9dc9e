"""CSV exports cannot run in a spreadsheet (issue 15, finding 12): text that starts like a formula gets a
leading quote (the OWASP rule), numbers stay numbers, and the CLI and the API write CSV through one
function."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from borderdesk.csv_export import csv_cell, csv_text

SRC = Path(__file__).resolve().parents[2] / "src" / "borderdesk"


@pytest.mark.parametrize(
    ("text", "written"),
    [
        pytest.param('=HYPERLINK("http://evil","click")', '\'=HYPERLINK("http://evil","click")', id="equals"),
        pytest.param("+1+2", "'+1+2", id="plus"),
        pytest.param("-2+3", "'-2+3", id="minus"),
        pytest.param("@SUM(A1)", "'@SUM(A1)", id="at"),
        pytest.param("\t=1", "'\t=1", id="tab"),
        pytest.param("\r=1", "'\r=1", id="carriage-return"),
    ],
)
def test_formula_leading_text_gets_a_leading_quote(text: str, written: str) -> None:
    assert csv_cell(text) == written
    [row] = list(csv.reader(io.StringIO(csv_text(["citizenship"], [[text]]))))[1:]
    assert row == [written]


@pytest.mark.parametrize(
    "text", ["MEXICO", "2022-11", "state-2025-11", "a=b", "x-y", " =1", "'=1", "", "OTHER THAN MEXICO"]
)
def test_other_text_is_written_as_it_is(text: str) -> None:
    assert csv_cell(text) == text


@pytest.mark.parametrize(
    "number",
    [-5, -0.25, 0, 12_345, Decimal("-3.5"), np.int64(-7), np.float64(-1.5), True, False],
    ids=repr,
)
def test_numbers_stay_numbers_even_when_negative(number: object) -> None:
    assert csv_cell(number) is number
    text = csv_text(["change"], [[number]])
    assert text.splitlines()[1] == str(number)


def test_none_is_empty_and_dates_are_iso() -> None:
    assert csv_cell(None) == ""
    assert csv_cell(dt.date(2022, 11, 1)) == "2022-11-01"
    assert csv_cell(dt.datetime(2026, 12, 7, 6, 16)) == "2026-12-07T06:16:00"


def test_quoting_keeps_rows_whole() -> None:
    """A comma, quote, newline or bare carriage return inside a cell stays inside it: a CR that split the
    row would put the rest of the cell at the start of a new one, where a spreadsheet runs it."""
    cells = ["a,b", 'say "x"', "line\nbreak", "x\r=1+2", "\r=1"]
    text = csv_text(["c"] * len(cells), [cells, [""] * len(cells)])
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["c"] * len(cells), [*cells[:4], "'\r=1"], [""] * len(cells)]
    assert csv_text(["c"], [[""], [None]]) == 'c\n""\n""\n'


def test_one_writer_for_every_shell() -> None:
    """The CLI and the HTTP API write CSV through csv_export.csv_text: no other CSV writer in the package."""
    others = sorted(
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        if any(w in p.read_text(encoding="utf-8") for w in ("csv.writer(", "DictWriter(", "to_csv("))
    )
    assert others == []
    for shell in ("cli/output.py", "api/routes.py"):
        assert "from borderdesk.csv_export import csv_text" in (SRC / shell).read_text(encoding="utf-8")
