"""Open (and on first use create) a borderdesk DuckDB file."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import NamedTuple

import duckdb

from borderdesk import metadata
from borderdesk.errors import PARAMETER, DatabaseError
from borderdesk.store.schema import DDL, MIGRATIONS, READABLE_VERSIONS, SCHEMA_VERSION


class Opened(NamedTuple):
    con: duckdb.DuckDBPyConnection
    created: bool  # the file had no borderdesk schema yet
    migrated_from: int | None  # the schema version it had, if this open migrated it


def connect(path: Path | str, *, read_only: bool = False) -> Opened:
    """Open (creating the schema in an empty file, migrating an older one when writable)."""
    target = str(path)
    if target != ":memory:":
        p = Path(target)
        if p.exists() and p.is_dir():
            raise DatabaseError(
                f"{p} is a directory, not a database file: "
                f"name a file with {PARAMETER} (or move the directory away)",
                parameter="db",
            )
        if not read_only:
            p.parent.mkdir(parents=True, exist_ok=True)
        elif not p.exists():
            raise DatabaseError(f"no database at {p}")
    try:
        # One DuckDB thread: our queries touch a few row groups and our ingest overlaps its own reader
        # thread, so on small machines more threads cost more in scheduling than they save
        # (measured: warm count p50 -15%, ingest of the 12 by-state files -15%).
        con = duckdb.connect(target, read_only=read_only, config={"threads": 1})
    except duckdb.IOException as e:
        if "lock" in str(e).lower():
            raise DatabaseError(
                f"cannot open {target} {'read-only' if read_only else 'for writing'}: another process "
                f"has it open{'' if read_only else ' (for example borderdesk serve)'}. Open it read-only, "
                "or change it with `borderdesk ingest`/`update`, which write a new file and swap it in"
            ) from None
        if "not a valid duckdb database" in str(e).lower():  # empty, or not DuckDB's format at all
            raise _unusable(target, e) from None
        raise DatabaseError(f"cannot open {target}: {e}") from None
    except duckdb.Error as e:
        raise _unusable(target, e) from None
    try:
        try:
            _check_whole(con, target)
            before = _version_of(con)
        except duckdb.Error as e:  # a damaged file can open fine and fail on its first read
            raise _unusable(target, e) from None
        created = _ensure_schema(con, read_only=read_only, target=target)
    except BaseException:
        con.close()
        raise
    migrated = before if before is not None and before < SCHEMA_VERSION and not read_only else None
    return Opened(con, created, migrated)


def _unusable(target: str, why: object) -> DatabaseError:
    previous = Path(target + ".previous")
    backup = "from a backup"
    if previous.exists():
        backup = f"from {previous} (the database before the last update)"
    return DatabaseError(
        f"{target} is not a usable DuckDB database ({why}). It may be truncated or from another program: "
        f"restore it {backup}, or move it away and borderdesk will create a new one from the bundled "
        "snapshot (releases you ingested yourself will need ingesting again)"
    )


#: A DuckDB file is three 4 KiB headers, then its blocks.
_HEADER_BYTES = 3 * 4096


def _check_whole(con: duckdb.DuckDBPyConnection, target: str) -> None:
    """Refuse a file cut short (half copied, half downloaded): DuckDB opens it, reads its catalog and
    fails only at the first query that needs a missing block, deep inside some command.

    Every block in use lies within a whole file. (Not ``total_blocks``: DuckDB truncates free blocks
    off the end of the file and its header may still count them.)"""
    if target == ":memory:" or Path(target + ".wal").exists():  # a log to replay may add blocks
        return
    row = con.execute(
        "SELECT block_size, used_blocks FROM pragma_database_size() WHERE database_name = current_database()"
    ).fetchone()
    if row is None or not row[1]:
        return
    need, size = _HEADER_BYTES + int(row[0]) * int(row[1]), Path(target).stat().st_size
    if size < need:
        raise _unusable(target, f"{size:,} bytes, too short for its {int(row[1])} blocks in use")


def _version_of(con: duckdb.DuckDBPyConnection) -> int | None:
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except duckdb.CatalogException:
        return None
    return int(row[0]) if row and str(row[0]).isdigit() else None


def _ensure_schema(con: duckdb.DuckDBPyConnection, *, read_only: bool, target: str) -> bool:
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "meta" in tables:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row and str(row[0]).isdigit() else 0
        if version > SCHEMA_VERSION:
            raise DatabaseError(
                f"{target} was written by a newer borderdesk (schema {version}; this one, "
                f"{_version()}, knows up to {SCHEMA_VERSION}): upgrade borderdesk (pip install -U borderdesk)"
            )
        if version not in MIGRATIONS and version != SCHEMA_VERSION:
            raise DatabaseError(
                f"{target} has an unknown borderdesk schema version {row[0] if row else None!r}"
            )
        if version < SCHEMA_VERSION:
            if read_only and version not in READABLE_VERSIONS:
                raise DatabaseError(
                    f"{target} has borderdesk schema {version}, too old to read: run `borderdesk migrate`"
                )
            if not read_only:
                migrate(con, version)
        return False
    if tables:
        raise DatabaseError(
            f"{target} is a DuckDB file but not a borderdesk database (tables: {sorted(tables)}); borderdesk "
            f"leaves it alone: name another file with {PARAMETER} (or move this one away)",
            parameter="db",
        )
    if read_only:
        raise DatabaseError(f"{target} has no borderdesk data yet")
    con.execute("BEGIN")
    try:
        con.execute(DDL)
        con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
        seeds = [(d, c, v) for d, values in metadata.seed_values().items() for v, c in values.items()]
        # one statement, not one per row: executemany costs ~0.5 ms a row in DuckDB
        con.execute(
            "INSERT INTO dimension_values SELECT * FROM (SELECT unnest(?), unnest(?), unnest(?))",
            [[s[0] for s in seeds], [s[1] for s in seeds], [s[2] for s in seeds]],
        )
        _apply_migrations(con, 1)
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise
    return True


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """End a failed transaction without hiding why it failed: a COMMIT that failed (say, on a full disk)
    has ended it already, and ROLLBACK would raise "no transaction is active" in place of that error."""
    with contextlib.suppress(duckdb.TransactionException):
        con.execute("ROLLBACK")


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection, version: int) -> None:
    """Bring a schema-``version`` database to :data:`SCHEMA_VERSION` in one transaction."""
    con.execute("BEGIN")
    try:
        _apply_migrations(con, version)
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise


def _apply_migrations(con: duckdb.DuckDBPyConnection, version: int) -> None:
    for v in range(version, SCHEMA_VERSION):
        con.execute(MIGRATIONS[v])
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(v + 1)])


def _version() -> str:
    from borderdesk.config import package_version

    return package_version()


def dimension_codes(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, int]]:
    """dimension -> {canonical value -> code} as stored in this database."""
    out: dict[str, dict[str, int]] = {name: {} for name in metadata.DIMENSIONS}
    for dim, code, value in con.execute("SELECT dimension, code, value FROM dimension_values").fetchall():
        out.setdefault(dim, {})[value] = code
    return out
