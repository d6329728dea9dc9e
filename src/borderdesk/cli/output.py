"""Render results as a Rich table, CSV, JSON or Parquet: the only place output formats live."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from borderdesk.csv_export import csv_text
from borderdesk.errors import BorderdeskError

if TYPE_CHECKING:
    from borderdesk.analysis.result import Table as AnalysisTable
    from borderdesk.query.frames import Frame

FORMATS = ("table", "csv", "json", "parquet")

out = Console(soft_wrap=True, highlight=False)
if not out.is_terminal:  # pipes and files get whole tables, not an 80-column squeeze
    out = Console(soft_wrap=True, highlight=False, width=200)
err = Console(stderr=True, soft_wrap=True, highlight=False)


def json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def dumps(obj: Any) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False, default=json_default)


def write_text(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
    else:
        output.write_text(text, encoding="utf-8")
        err.print(f"wrote {output}")


def write_parquet(columns: Sequence[str], rows: Sequence[Sequence[Any]], output: Path | None) -> None:
    if output is None:
        raise BorderdeskError("--format parquet needs --output FILE.parquet")
    import pyarrow as pa
    import pyarrow.parquet as pq

    data = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
    pq.write_table(pa.table(data), str(output), compression="zstd")
    err.print(f"wrote {output}")


def emit_rows(
    fmt: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    output: Path | None,
    json_obj: Any,
    table: Callable[[], Table] | None = None,
) -> None:
    """One place that turns tabular results into every output format."""
    if fmt == "json":
        write_text(dumps(json_obj), output)
    elif fmt == "csv":
        write_text(csv_text(columns, rows), output)
    elif fmt == "parquet":
        write_parquet(columns, rows, output)
    else:
        t = table() if table else default_table(columns, rows)
        if output is not None:
            with output.open("w", encoding="utf-8") as fh:
                Console(file=fh, width=200).print(t)
            err.print(f"wrote {output}")
        else:
            out.print(t)


def default_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Table:
    t = Table(show_lines=False)
    for c in columns:
        t.add_column(c)
    for r in rows:
        t.add_row(
            *[
                "" if v is None else f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) else str(v)
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
        t = Table(title=escape(title), caption=escape(caption), caption_justify="left")
        shown = [c for c in result.columns if c not in skip]
        for c in shown:
            right = c in RIGHT
            t.add_column(c, justify="right" if right else "left", overflow="fold" if fold else "ellipsis")
        for record in result.records():
            t.add_row(*[cell(c, record[c]) for c in shown])
        return t

    rows = [list(r) for r in result.rows]
    emit_rows(fmt, list(result.columns), rows, output=output, json_obj=result.to_dict(), table=table)


def check_format(fmt: str) -> str:
    f = fmt.lower().strip()
    if f not in FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(FORMATS)}", param_hint="'--format'")
    return f
