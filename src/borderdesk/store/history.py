"""Storing Border Patrol history tables (OHSS workbook, USBP historical tables) beside the CBP facts.

History rows are published *tables* (see :mod:`borderdesk.sources.history`), so they live in their own
table, ``history_facts``, keyed by the table (``cut``) and ``grain`` they come from; their releases are
ordinary rows of ``releases`` (families ``ohss-usbp`` and ``usbp-historical``) with the same provenance
as any CBP file. The table is created on first use, so databases made before it existed keep working.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from borderdesk.store.database import dimension_codes, rollback
from borderdesk.store.releases import release_by_id
from borderdesk.values import index_date

if TYPE_CHECKING:
    from borderdesk.sources.history import LoadedHistory
    from borderdesk.store.ingest import IngestResult

DDL = """
CREATE TABLE IF NOT EXISTS history_facts (
    release_id  SMALLINT NOT NULL,
    sheet       VARCHAR NOT NULL,   -- worksheet or table the row came from
    line        INTEGER NOT NULL,   -- its row number there (1 = header)
    cut         VARCHAR NOT NULL,   -- the dimensions of that table, e.g. 'citizenship,region' ('' = total)
    grain       VARCHAR NOT NULL,   -- 'month' or 'fiscal_year'
    fiscal_year SMALLINT NOT NULL,
    month       DATE,               -- NULL for a fiscal-year row
    months      SMALLINT NOT NULL,  -- months the row covers (a fiscal year in progress: fewer than 12)
    region      SMALLINT,
    aor         SMALLINT,
    citizenship SMALLINT,
    demographic SMALLINT,
    encounters  BIGINT NOT NULL
);
"""
DIMENSIONS = ("region", "aor", "citizenship", "demographic")
SNAPSHOT_FILE = "history.parquet"


def has_history(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'history_facts'").fetchone()[0]  # type: ignore[index]
    )


def ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)


def _label(con: duckdb.DuckDBPyConnection, stem: str, end: dt.date) -> str:
    base = f"{stem}-{end:%Y-%m}"
    taken = {
        r[0] for r in con.execute("SELECT label FROM releases WHERE label LIKE ?", [base + "%"]).fetchall()
    }
    if base not in taken:
        return base
    n = 2
    while f"{base}.{n}" in taken:
        n += 1
    return f"{base}.{n}"


def write_history(
    con: duckdb.DuckDBPyConnection,
    loaded: LoadedHistory,
    *,
    published: str | None = None,
    source_url: str | None = None,
    origin: str = "file",
    now: dt.datetime | None = None,
) -> IngestResult:
    """Add one history file as a release, in one transaction."""
    import pyarrow as pa  # only ingest pays for Arrow; answering questions does not

    from borderdesk import metadata
    from borderdesk.store.ingest import IngestResult

    raw, data = loaded.raw, loaded.data
    rows = data.rows
    known = metadata.known_release(raw.sha256)
    published = published or (known.published if known else None)
    source_url = source_url or (known.source_url if known else None)
    note = known.note if known else None
    start, end = data.coverage
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    fmt = data.format
    ensure_table(con)
    con.execute("BEGIN TRANSACTION")
    try:
        codes = dimension_codes(con)
        columns: dict[str, pa.Array] = {}
        for dim in DIMENSIONS:
            known_codes = codes[dim]
            mapped: list[int | None] = []
            for value in getattr(rows, dim):
                if value is None:
                    mapped.append(None)
                    continue
                if value not in known_codes:
                    code = max(known_codes.values(), default=0) + 1
                    con.execute("INSERT INTO dimension_values VALUES (?, ?, ?)", [dim, code, value])
                    known_codes[value] = code
                mapped.append(known_codes[value])
            columns[dim] = pa.array(mapped, type=pa.int16())
        release_id = int(con.execute("SELECT coalesce(max(release_id), 0) + 1 FROM releases").fetchone()[0])  # type: ignore[index]
        label = _label(con, fmt.label or fmt.family, end)
        con.execute(
            "INSERT INTO releases VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                release_id,
                label,
                fmt.family,
                fmt.name,
                True,
                raw.name,
                raw.sha256,
                raw.size,
                len(rows),
                start,
                end,
                published,
                source_url,
                origin,
                now,
                note,
            ],
        )
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
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise
    return IngestResult(release_by_id(con, release_id), "ingested")


def export_history(con: duckdb.DuckDBPyConnection, directory: Path) -> bool:
    """Write ``history.parquet`` next to the snapshot's facts (nothing when there is no history)."""
    target = directory / SNAPSHOT_FILE
    if target.exists():
        target.unlink()
    if not has_history(con) or not con.execute("SELECT count(*) FROM history_facts").fetchone()[0]:  # type: ignore[index]
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
    ensure_table(con)
    con.execute("INSERT INTO history_facts SELECT * FROM read_parquet(?)", [str(source)])
    con.execute(
        "INSERT INTO release_months "
        "SELECT DISTINCT release_id, month FROM history_facts WHERE month IS NOT NULL"
    )
