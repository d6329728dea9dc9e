"""``verify``: is the database file whole, and does every release still hold what was stored?

DuckDB checks a block's checksum when it reads the block, so damage inside a data block surfaces only
when some query happens to read it — as an error in the middle of answering a question. ``verify``
reads every block of every table on purpose, then recomputes each release's row count and the sum of
its counts and compares them with what was recorded when it was ingested (``releases.rows`` and
``releases.total``; releases stored before schema 4 have no total: "not recorded", not a failure).

:func:`quick_check` is the cheap part (row counts only, one small column read) for ``serve`` to run
when it starts.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from borderdesk.sources import registry
from borderdesk.store.releases import Release, list_releases

#: ``borderdesk verify`` exit codes (also in docs/reliability.md): every release checks out...
EXIT_OK = 0
#: ...the file could not be read through (a damaged block), or a release no longer adds up.
EXIT_DAMAGED = 6


@dataclass(frozen=True)
class ReleaseCheck:
    """One release: ``ok``, ``damaged`` or ``not recorded`` (no total stored), and why."""

    label: str
    status: str
    detail: str

    def to_json(self) -> dict[str, str]:
        return {"label": self.label, "status": self.status, "detail": self.detail}


@dataclass(frozen=True)
class VerifyReport:
    """What ``verify`` found: a problem reading the file as a whole (None if every block read), and
    one check per release (empty when the file could not be read through)."""

    unreadable: str | None
    releases: tuple[ReleaseCheck, ...]

    @property
    def damaged(self) -> bool:
        return self.unreadable is not None or any(c.status == "damaged" for c in self.releases)

    @property
    def exit_code(self) -> int:
        return EXIT_DAMAGED if self.damaged else EXIT_OK

    def to_json(self) -> dict[str, object]:
        return {
            "ok": not self.damaged,
            "unreadable": self.unreadable,
            "releases": [c.to_json() for c in self.releases],
        }


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split())[:300]


def _read_every_block(con: duckdb.DuckDBPyConnection) -> None:
    """Scan every column of every table: a block whose checksum fails raises here."""
    tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
    for table in tables:  # names from the catalog itself, quoted
        con.execute(f'SELECT count(*), bit_xor(hash(COLUMNS(*))) FROM "{table}"').fetchall()


def _measured(con: duckdb.DuckDBPyConnection, table: str, totals: bool) -> dict[int, tuple[int, int]]:
    """release_id -> (rows, sum of counts) as the family table holds them now."""
    measure = "coalesce(sum(encounters), 0)" if totals else "0"
    rows = con.execute(f"SELECT release_id, count(*), {measure} FROM {table} GROUP BY release_id").fetchall()
    return {int(r[0]): (int(r[1]), int(r[2])) for r in rows}


def _tables_of(releases: list[Release]) -> set[str]:
    return {fam.table for r in releases if (fam := registry.family(r.family)) is not None}


def _check(release: Release, measured: dict[str, dict[int, tuple[int, int]]], totals: bool) -> ReleaseCheck:
    fam = registry.family(release.family)
    if fam is None:
        return ReleaseCheck(release.label, "damaged", f"unknown source family {release.family!r}")
    rows, total = measured.get(fam.table, {}).get(release.release_id, (0, 0))
    if rows != release.rows:
        return ReleaseCheck(
            release.label, "damaged", f"{rows:,} rows stored, {release.rows:,} recorded at ingest"
        )
    if not totals:
        return ReleaseCheck(release.label, "ok", f"{rows:,} rows")
    if release.total is None:
        return ReleaseCheck(release.label, "not recorded", f"{rows:,} rows; total not recorded at ingest")
    if total != release.total:
        return ReleaseCheck(
            release.label, "damaged", f"counts add up to {total:,}, {release.total:,} recorded at ingest"
        )
    return ReleaseCheck(release.label, "ok", f"{rows:,} rows, total {total:,}")


def verify(con: duckdb.DuckDBPyConnection, *, full: bool = True) -> VerifyReport:
    """Check the database: with ``full``, read every block and compare rows and totals; otherwise
    compare row counts only (what ``serve`` can afford at start)."""
    try:
        if full:
            _read_every_block(con)
        releases = list_releases(con)
        measured = {table: _measured(con, table, full) for table in _tables_of(releases)}
    except duckdb.Error as e:
        return VerifyReport(f"a block of the file cannot be read ({_one_line(e)})", ())
    return VerifyReport(None, tuple(_check(r, measured, full) for r in releases))


def quick_check(con: duckdb.DuckDBPyConnection) -> VerifyReport:
    """Row counts only: cheap enough for every ``serve`` start."""
    return verify(con, full=False)
