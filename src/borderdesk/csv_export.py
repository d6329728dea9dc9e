"""CSV text of a table: the one writer behind every ``--format csv`` and ``format=csv`` answer.

A CSV export is opened in a spreadsheet, and a spreadsheet runs a cell that starts with ``=``, ``+``,
``-`` or ``@`` as a formula (tab and carriage return lead to the same on some importers). Text in our
tables comes from places we do not control: release file names, source URLs, citizenship values in a
hand-made file. So, following the OWASP rule for CSV injection, every *text* cell that starts with one
of those characters is written with a leading single quote, which spreadsheets show as text. Numbers
are left alone: ``-5`` stays a number a spreadsheet can add up; only text is quoted.

>>> print(csv_text(["citizenship", "change"], [["=1+2", -5], ["MEXICO", None]]), end="")
citizenship,change
'=1+2,-5
MEXICO,

This module depends on nothing else in borderdesk, so the CLI and the HTTP API share it without
sharing anything else.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from typing import Any

#: The first characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(text: str) -> str:
    """``text`` as a cell no spreadsheet runs: a leading ``'`` if it starts like a formula.

    >>> neutralised("-2+3"), neutralised("MEXICO")
    ("'-2+3", 'MEXICO')
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value: Any) -> Any:
    """One value as a CSV cell: empty for None, numbers as they are, dates as ISO text, any other
    value as its text, neutralised."""
    if value is None:
        return ""
    if isinstance(value, numbers.Number):  # bool, int, float, Decimal, NumPy scalars: never text
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return neutralised(str(value))


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A header line, then one line per row (``\\n`` line ends), every cell through :func:`csv_cell`."""
    lines = [_line(columns), *(_line(r) for r in rows)]
    return "".join(lines)


def _line(values: Sequence[Any]) -> str:
    fields = [_field(csv_cell(v)) for v in values]
    if fields == [""]:  # one empty cell, not an empty line a reader skips (as the csv module writes it)
        return '""\n'
    return ",".join(fields) + "\n"


def _field(cell: Any) -> str:
    """RFC 4180 quoting. Not the ``csv`` module's: before Python 3.12 it leaves a bare carriage return
    unquoted when lines end in ``\\n``, which splits the row there, and the text after it starts a cell
    of its own, where a formula would run after all."""
    text = str(cell)
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text
