"""A hand-made release whose text is hostile to whatever shows it (issue 15, finding 12): a file name
that is a spreadsheet formula, citizenship values that are formulas, Rich markup and emoji codes.

Every value here is one a user can put in a CSV file and ingest; the tests check that it comes back out
(CSV, tables, errors) as the text it is, never run or rendered."""

from __future__ import annotations

from pathlib import Path

#: The file name: a formula a spreadsheet would run if an export wrote it unchanged.
FILE_NAME = '=HYPERLINK("evil.example","x")-state.csv'  # no "/": it is a file name
#: Citizenship values as the file has them (borderdesk stores citizenships upper-cased), with counts.
CITIZENSHIPS = {
    '=HYPERLINK("http://evil.example","click")': 11,
    "-2+3": 7,
    "@SUM(A1)": 5,
    "+1": 3,
    ":smile: [red]boom[/red]": 2,
    "MEXICO": 1,
}
HEADER = (
    "Fiscal Year,Month Grouping,Month (abbv),Land Border Region,State,Demographic,Citizenship,"
    "Title of Authority,Encounter Count"
)
#: FY2023 NOV is calendar November 2022: a month long over, so the rows are accepted whenever tests run.
PERIOD = "2022-11"


def write_release(folder: Path, name: str = FILE_NAME, scale: int = 1) -> Path:
    """The hand-made by-state release in ``folder``; ``scale`` multiplies the counts (a second vintage)."""
    lines = [HEADER]
    for citizenship, n in CITIZENSHIPS.items():
        quoted = '"' + citizenship.replace('"', '""') + '"'
        lines.append(f"2023,FYTD,NOV,Southwest Land Border,TX,Single Adults,{quoted},Title 8,{n * scale}")
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
