"""The ``updates`` table (schema 2): one row per published change of the database, numbered.

The number is the database's *generation*: the server reports it with every answer
(``X-Borderdesk-Generation``), so a client can tell which state of the data answered it.
"""

from __future__ import annotations

import duckdb


def generation(con: duckdb.DuckDBPyConnection) -> int | None:
    """The newest generation, or None for a database older than schema 2 (read-only, not migrated)."""
    try:
        row = con.execute("SELECT max(generation) FROM updates").fetchone()
    except duckdb.CatalogException:
        return None
    return int(row[0]) if row and row[0] is not None else 0


def record(con: duckdb.DuckDBPyConnection, command: str, added: list[str]) -> int:
    """Log one published change (in the next database, before it is swapped in); returns its number."""
    gen = (generation(con) or 0) + 1
    con.execute(
        "INSERT INTO updates SELECT ?, current_timestamp::TIMESTAMP, ?, (SELECT count(*) FROM releases), ?",
        [gen, command, ", ".join(added) or None],
    )
    return gen
