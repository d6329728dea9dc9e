"""The bundled snapshot: every vintage of the shared releases as zstd Parquet plus release metadata.

``export_snapshot`` writes it (deterministically: same input files, same bytes), ``load_snapshot``
fills an empty database from it in one transaction, so a user with no network has the data.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from borderdesk.errors import DatabaseError
from borderdesk.store.database import rollback
from borderdesk.store.precedence import is_unofficial
from borderdesk.store.releases import records_trust
from borderdesk.store.schema import FACT_DIMENSIONS

SNAPSHOT_FORMAT = 1
_RELEASE_FIELDS = (
    "release_id",
    "label",
    "family",
    "format",
    "official",
    "file_name",
    "sha256",
    "bytes",
    "rows",
    "coverage_start",
    "coverage_end",
    "published",
    "source_url",
    "note",
)


def bundled_snapshot_dir() -> Path:
    return Path(str(resources.files("borderdesk").joinpath("snapshot")))


def snapshot_available(directory: Path | None = None) -> bool:
    d = directory or bundled_snapshot_dir()
    return (d / "releases.json").is_file() and (d / "facts.parquet").is_file()


def snapshot_newest(directory: Path | None = None) -> tuple[str, str, str] | None:
    """(label, file, last month YYYY-MM) of the bundled snapshot's newest release — newest as the
    catalog orders them (coverage end, then publication) — without opening a database."""
    d = directory or bundled_snapshot_dir()
    if not snapshot_available(d):
        return None
    rels = json.loads((d / "releases.json").read_text(encoding="utf-8"))["releases"]
    if not rels:
        return None
    r = max(rels, key=lambda r: (r["coverage_end"], r.get("published") or ""))
    return r["label"], r["file_name"], r["coverage_end"][:7]


def export_snapshot(con: duckdb.DuckDBPyConnection, directory: Path) -> dict[str, Any]:
    directory.mkdir(parents=True, exist_ok=True)
    cols = ", ".join(_RELEASE_FIELDS)
    releases = [
        dict(zip(_RELEASE_FIELDS, row, strict=True))
        for row in con.execute(f"SELECT {cols} FROM releases ORDER BY release_id").fetchall()
    ]
    for r in releases:
        r["coverage_start"] = r["coverage_start"].isoformat()
        r["coverage_end"] = r["coverage_end"].isoformat()
    dims = [
        list(row)
        for row in con.execute(
            "SELECT dimension, code, value FROM dimension_values ORDER BY dimension, code"
        ).fetchall()
    ]
    doc = {"snapshot_format": SNAPSHOT_FORMAT, "releases": releases, "dimension_values": dims}
    (directory / "releases.json").write_text(
        json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    target = str(directory / "facts.parquet").replace("'", "''")
    con.execute(
        f"COPY (SELECT * FROM facts ORDER BY release_id, line) TO '{target}' "
        "(FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 19, ROW_GROUP_SIZE 122880)"
    )
    from borderdesk.store.history import export_history

    export_history(con, directory)  # Border Patrol history tables, if any were ingested
    return doc


def load_snapshot(
    con: duckdb.DuckDBPyConnection, directory: Path | None = None, *, now: dt.datetime | None = None
) -> int:
    """Load the snapshot into an empty database; returns the number of releases loaded."""
    d = directory or bundled_snapshot_dir()
    doc = json.loads((d / "releases.json").read_text(encoding="utf-8"))
    if doc.get("snapshot_format") != SNAPSHOT_FORMAT:
        raise DatabaseError(
            f"snapshot in {d} has format {doc.get('snapshot_format')}, expected {SNAPSHOT_FORMAT}"
        )
    (existing,) = con.execute("SELECT count(*) FROM releases").fetchone() or (0,)
    if existing:
        raise DatabaseError("the snapshot can only be loaded into an empty database")
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    facts = str(d / "facts.parquet")
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM dimension_values")
        con.executemany("INSERT INTO dimension_values VALUES (?, ?, ?)", doc["dimension_values"])
        for r in doc["releases"]:
            con.execute(
                "INSERT INTO releases (release_id, label, family, format, official, file_name, sha256, "
                "bytes, rows, coverage_start, coverage_end, published, source_url, origin, ingested_at, "
                "note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'snapshot', ?, ?)",
                [
                    r["release_id"],
                    r["label"],
                    r["family"],
                    r["format"],
                    r["official"],
                    r["file_name"],
                    r["sha256"],
                    r["bytes"],
                    r["rows"],
                    dt.date.fromisoformat(r["coverage_start"]),
                    dt.date.fromisoformat(r["coverage_end"]),
                    r["published"],
                    r["source_url"],
                    now,
                    r["note"],
                ],
            )
        con.execute("INSERT INTO facts SELECT * FROM read_parquet(?)", [facts])
        con.execute("INSERT INTO release_months SELECT DISTINCT release_id, month FROM facts ORDER BY ALL")
        con.execute(
            "INSERT INTO release_values "
            + " UNION ".join(
                f"SELECT DISTINCT release_id, '{dim}', {dim} FROM facts WHERE {dim} IS NOT NULL"
                for dim in FACT_DIMENSIONS  # identifiers from the schema's own list
            )
        )
        from borderdesk.store.history import load_history

        load_history(con, d)
        # the totals `verify` recomputes, as the snapshot's rows add up when loaded
        if records_trust(con):
            _record_totals(con)
            for r in doc["releases"]:  # a snapshot is trusted file by file, as any other file is
                if is_unofficial("snapshot", r["sha256"], r["source_url"]):
                    con.execute(
                        "UPDATE releases SET unofficial = true WHERE release_id = ?", [r["release_id"]]
                    )
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise
    return len(doc["releases"])


def _record_totals(con: duckdb.DuckDBPyConnection) -> None:
    """Each loaded release's sum of counts, as ``write_release`` records it, for ``verify``."""
    from borderdesk.store.history import has_history

    con.execute(
        "UPDATE releases SET total = (SELECT coalesce(sum(encounters), 0) FROM facts f "
        "WHERE f.release_id = releases.release_id) WHERE release_id IN (SELECT release_id FROM facts)"
    )
    if has_history(con):
        con.execute(
            "UPDATE releases SET total = (SELECT coalesce(sum(encounters), 0) FROM history_facts h "
            "WHERE h.release_id = releases.release_id) "
            "WHERE release_id IN (SELECT release_id FROM history_facts)"
        )
