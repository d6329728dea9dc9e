"""Render results as a Rich table, CSV, JSON or Parquet: the only place output formats live.

Text that comes from data, files, URLs or exceptions is never read as Rich markup (``[red]``) or as an
emoji code (``:x:``): the consoles here have emoji codes off, and variable text is either escaped or
passed as a :class:`~rich.text.Text`, which Rich prints as it is. Errors and warnings that do not stop a
command go through :func:`error` and :func:`warning`, which do both.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from borderdesk.csv_export import csv_text
from borderdesk.errors import BorderdeskError
from borderdesk.json_export import json_default

if TYPE_CHECKING:
    from rich.table import Table  # imported where a table is drawn: `check` draws none

    from borderdesk.analysis.result import Table as AnalysisTable
    from borderdesk.query.frames import Frame

FORMATS = ("table", "csv", "json", "parquet")


def console(**options: Any) -> Console:
    """A console for our output: no emoji codes (Rich would turn a file named ``:x:.csv`` into ❌, and
    escaping markup does not stop that) and no highlighting of numbers or paths we did not ask for."""
    return Console(soft_wrap=True, highlight=False, emoji=False, **options)


out = console()
if not out.is_terminal:  # pipes and files get whole tables, not an 80-column squeeze
    out = console(width=200)
err = console(stderr=True)


def labelled(label: str, text: object, style: str) -> Text:
    """``label: text`` with the label styled and ``text`` exactly as it is (no markup, no emoji)."""
    return Text.assemble((f"{label}:", style), " ", str(text))


def error(message: object) -> None:
    """An error that does not stop the command (one rejected file among several), on stderr. The
    message names files and values from them, so it is printed literally."""
    err.print(labelled("error", message, "red"))


def warning(message: object) -> None:
    """A warning on stderr, printed literally like :func:`error`."""
    err.print(labelled("warning", message, "yellow"))


def wrote(path: Path, what: str = "") -> None:
    """Say on stderr that a file was written (its name as it is)."""
    err.print(Text(f"wrote {what + ' ' if what else ''}{path}"))


def dumps(obj: Any) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False, default=json_default)


def write_text(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
    else:
        output.write_text(text, encoding="utf-8")
        wrote(output)


def write_parquet(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    output: Path | None,
    metadata: dict[str, str] | None = None,
) -> None:
    """Rows to a Parquet file, with ``metadata`` (where the numbers came from) as key-value metadata."""
    if output is None:
        raise BorderdeskError("--format parquet needs --output FILE.parquet")
    import pyarrow as pa
    import pyarrow.parquet as pq

    data = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
    table = pa.table(data)
    if metadata:
        table = table.replace_schema_metadata(metadata)
    pq.write_table(table, str(output), compression="zstd")
    wrote(output)


def answer_metadata(answer: Any) -> dict[str, str]:
    """Parquet key-value metadata for one number (an :class:`~borderdesk.query.Answer`): its newest
    release, every release it read and the question, as a result's
    :meth:`~borderdesk.query.result.Result.provenance_metadata` has them."""
    newest = answer.release
    return {
        "borderdesk.kind": "count",
        "borderdesk.release_label": newest.label,
        "borderdesk.release_file": newest.file,
        "borderdesk.release_sha256": newest.sha256,
        "borderdesk.releases": json.dumps([r.brief() for r in answer.releases], ensure_ascii=False),
        "borderdesk.question": json.dumps(answer.to_dict()["question"], ensure_ascii=False, default=str),
    }


def emit_rows(
    fmt: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    output: Path | None,
    json_obj: Any,
    table: Callable[[], Table] | None = None,
    metadata: dict[str, str] | None = None,
) -> None:
    """One place that turns tabular results into every output format (``metadata``: Parquet's
    key-value metadata)."""
    if fmt == "json":
        write_text(dumps(json_obj), output)
    elif fmt == "csv":
        write_text(csv_text(columns, rows), output)
    elif fmt == "parquet":
        write_parquet(columns, rows, output, metadata)
    else:
        t = table() if table else default_table(columns, rows)
        if output is not None:
            with output.open("w", encoding="utf-8") as fh:
                Console(file=fh, width=200, emoji=False).print(t)
            wrote(output)
        else:
            out.print(t)


def default_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Table:
    from rich.table import Table

    t = Table(show_lines=False)
    for c in columns:
        t.add_column(c)
    for r in rows:
        t.add_row(
            *[
                ""
                if v is None
                else f"{v:,}"
                if isinstance(v, int) and not isinstance(v, bool)
                else escape(str(v))
                for v in r
            ]
        )
    return t


#: The columns that hold numbers, in every result (analysis tables, breakdowns, series): right-aligned.
RIGHT = {
    "value",
    "baseline",
    "ratio",
    "score",
    "previous",
    "year_earlier",
    "from_value",
    "to_value",
    "change",
    "percent",
    "encounters",
    "share",
    "months",
}


def cell(column: str, value: Any) -> str:
    """One value as the table format shows it: shares as percent, changes signed, counts with commas."""
    if value is None:
        return ""
    if column == "share" and isinstance(value, float):
        return f"{value * 100:.1f}%"
    if column == "percent" and isinstance(value, float):
        return f"{value:+.3f}%"
    if column == "change" and isinstance(value, int):
        return f"{value:+,}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return escape(str(value))


def emit_result(
    result: AnalysisTable | Frame,
    fmt: str,
    output: Path | None,
    *,
    title: str,
    caption: str,
    skip: tuple[str, ...] = (),
    fold: bool = False,
) -> None:
    """Print a result with columns and rows (an analysis ``Table``, a breakdown or series ``Frame``) in
    any output format: JSON is its ``to_dict()``; the table format leaves out the ``skip`` columns and
    folds long cells onto more lines if told to (else cuts them short)."""

    def table() -> Table:
        from rich.table import Table

        t = Table(title=escape(title), caption=escape(caption), caption_justify="left")
        shown = [c for c in result.columns if c not in skip]
        for c in shown:
            right = c in RIGHT
            t.add_column(c, justify="right" if right else "left", overflow="fold" if fold else "ellipsis")
        for record in result.records():
            t.add_row(*[cell(c, record[c]) for c in shown])
        return t

    if fmt in ("csv", "parquet"):  # files that leave the tool say, row by row, where they came from
        columns, rows = list(result.export_columns()), result.export_rows()
    else:
        columns, rows = list(result.columns), [list(r) for r in result.rows]
    meta = result.provenance_metadata()
    emit_rows(fmt, columns, rows, output=output, json_obj=result.to_dict(), table=table, metadata=meta)


def check_format(fmt: str) -> str:
    f = fmt.lower().strip()
    if f not in FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(FORMATS)}", param_hint="'--format'")
    return f
