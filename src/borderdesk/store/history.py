"""The Border Patrol history tables' rows in the store (OHSS workbook, USBP historical tables).

History rows are published *tables* (see :mod:`borderdesk.sources.history`), so they live in their own
table, ``history_facts`` (created by the history families' migration), keyed by the table (``cut``) and
``grain`` they come from; their releases are ordinary rows of ``releases`` (families ``ohss-usbp`` and
``usbp-historical``), written by the one writer, :func:`borderdesk.store.ingest.write_release`, with the
same provenance as any CBP file. This module writes the rows themselves and carries them in snapshots.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from borderdesk.sources.history import HISTORY_DIMENSIONS, HISTORY_FACTS_DDL
from borderdesk.values import index_date

if TYPE_CHECKING:
    from borderdesk.sources.history import LoadedHistory

DDL = HISTORY_FACTS_DDL
DIMENSIONS = HISTORY_DIMENSIONS
SNAPSHOT_FILE = "history.parquet"


def has_history(con: duckdb.DuckDBPyConnection) -> bool:
    """True if the database holds Border Patrol history rows (a schema-2 file may lack the table)."""
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'history_facts'").fetchone()
    if not exists or not exists[0]:
        return False
    return con.execute("SELECT EXISTS (SELECT 1 FROM history_facts)").fetchone() == (True,)


def ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    """Create ``history_facts`` where a database predates the migration that does (idempotent)."""
    con.execute(DDL)


def write_rows(
    con: duckdb.DuckDBPyConnection,
    release_id: int,
    loaded: LoadedHistory,
    code: Callable[[str, str], int],
) -> None:
    """Inside the writer's transaction: one history file's rows, and the months they cover."""
    import pyarrow as pa  # only ingest pays for Arrow; answering questions does not

    rows = loaded.data.rows
    columns = {
        dim: pa.array([None if v is None else code(dim, v) for v in getattr(rows, dim)], type=pa.int16())
        for dim in DIMENSIONS
    }
    month_dates = [None if m is None else index_date(m) for m in rows.month]
    table = pa.table(
        {
            "release_id": pa.array([release_id] * len(rows), type=pa.int16()),
            "sheet": pa.array(rows.sheet, type=pa.string()),
            "line": pa.array(rows.line, type=pa.int32()),
            "cut": pa.array(rows.cut, type=pa.string()),
            "grain": pa.array(rows.grain, type=pa.string()),
            "fiscal_year": pa.array(rows.fiscal_year, type=pa.int16()),
            "month": pa.array(month_dates, type=pa.date32()),
            "months": pa.array(rows.months, type=pa.int16()),
            **columns,
            "encounters": pa.array(rows.count, type=pa.int64()),
        }
    )
    con.register("incoming_history", table)
    try:
        con.execute("INSERT INTO history_facts SELECT * FROM incoming_history")
    finally:
        con.unregister("incoming_history")
    con.execute(
        "INSERT INTO release_months SELECT DISTINCT release_id, month FROM history_facts "
        "WHERE release_id = ? AND month IS NOT NULL",
        [release_id],
    )


def export_history(con: duckdb.DuckDBPyConnection, directory: Path) -> bool:
    """Write ``history.parquet`` next to the snapshot's facts (nothing when there is no history)."""
    target = directory / SNAPSHOT_FILE
    if target.exists():
        target.unlink()
    if not has_history(con):
        return False
    path = str(target).replace("'", "''")
    con.execute(
        f"COPY (SELECT * FROM history_facts ORDER BY release_id, sheet, line, cut, grain, citizenship, "
        f"demographic) TO '{path}' (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 19)"
    )
    return True


def load_history(con: duckdb.DuckDBPyConnection, directory: Path) -> None:
    """Inside the snapshot load's transaction: the history rows and their months."""
    source = directory / SNAPSHOT_FILE
    if not source.is_file():
        return
    con.execute("INSERT INTO history_facts SELECT * FROM read_parquet(?)", [str(source)])
    con.execute(
        "INSERT INTO release_months "
        "SELECT DISTINCT release_id, month FROM history_facts WHERE month IS NOT NULL"
    )
