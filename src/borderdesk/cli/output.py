"""Render results as a Rich table, CSV, JSON or Parquet: the only place output formats live."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from borderdesk.errors import BorderdeskError

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


def csv_text(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow(["" if v is None else json_default(v) if hasattr(v, "isoformat") else v for v in r])
    return buf.getvalue()


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


def check_format(fmt: str) -> str:
    f = fmt.lower().strip()
    if f not in FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(FORMATS)}", param_hint="'--format'")
    return f
