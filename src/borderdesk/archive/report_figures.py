"""The figures of an archive report: each figure's query run by DuckDB on the check-archive output.

The queries name the file relative to the report's folder, and DuckDB's ``file_search_path`` points
there while they run, so the query a report prints is the very one that made its numbers.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from borderdesk.archive.report_queries import WORST_LIMIT, Query, queries, run_queries
from borderdesk.errors import BorderdeskError


@dataclass(frozen=True)
class Figure:
    """One figure: its query and the rows it returned (column name -> value)."""

    query: Query
    columns: list[str]
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class ArchiveReport:
    """What a report shows: the input, the name the queries give it, and each figure by name."""

    source: Path
    named: str
    figures: dict[str, Figure]
    made: str

    def rows(self, name: str) -> list[dict[str, Any]]:
        return self.figures[name].rows


def named_from(source: Path, folder: Path) -> str:
    """The input's path as the queries write it: relative to the report's folder when it can be."""
    try:
        rel = os.path.relpath(source.resolve(), folder.resolve())
    except ValueError:  # another drive (Windows)
        return str(source.resolve())
    return rel.replace(os.sep, "/")


def compute(source: Path, folder: Path, worst: int = WORST_LIMIT) -> ArchiveReport:
    """Run every figure's query on ``source`` (and on the manifest and errors file beside it, when
    there), each file named as a report in ``folder`` names it."""
    import duckdb

    from borderdesk.archive.output import Paths, errors_file

    if not source.is_file():
        raise BorderdeskError(f"{source}: no such file (give the Parquet or JSONL that check-archive wrote)")
    named = named_from(source, folder)
    beside = Paths.beside(source, errors_file(source))
    manifest = named_from(beside.manifest, folder) if beside.manifest.is_file() else None
    errors = named_from(beside.errors, folder) if beside.errors.is_file() else None
    reads = [(q, source) for q in queries(named, worst)]
    reads += [
        (q, beside.manifest if q.name == "run" else beside.errors) for q in run_queries(manifest, errors)
    ]
    figures: dict[str, Figure] = {}
    con = duckdb.connect()
    try:
        con.execute("SET file_search_path = ?", [str(folder.resolve())])
        for q, path in reads:
            try:
                rel = con.sql(q.sql)
                columns = list(rel.columns)
                rows = [dict(zip(columns, r, strict=True)) for r in rel.fetchall()]
            except duckdb.Error as e:
                first = str(e).strip().splitlines()[0]
                raise BorderdeskError(f"{path}: not a check-archive file DuckDB can read ({first})") from None
            figures[q.name] = Figure(q, columns, rows)
    finally:
        con.close()
    return ArchiveReport(source, named, figures, made_at().strftime("%Y-%m-%d %H:%M UTC"))


def made_at() -> dt.datetime:
    """When the report is made: now, or ``SOURCE_DATE_EPOCH`` when set (the reproducible-builds
    convention), so the same output gives the same report byte for byte (the docs' screenshot)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC)
