"""Releases (vintages) as values, and finding one from what a user types."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

import duckdb

from borderdesk.errors import ReleaseNotFoundError
from borderdesk.sources import registry

_COLUMNS = (
    "release_id, label, family, format, official, file_name, sha256, bytes, rows, coverage_start, "
    "coverage_end, published, source_url, origin, ingested_at, note"
)


@dataclass(frozen=True)
class Release:
    """One ingested file: a vintage of one source family, with its provenance."""

    release_id: int
    label: str
    family: str
    format: str
    official: bool
    file: str
    sha256: str
    bytes: int
    rows: int
    coverage_start: dt.date
    coverage_end: dt.date
    published: str | None
    source_url: str | None
    origin: str
    ingested_at: dt.datetime
    note: str | None
    #: a hand-ingested file that is not a known release: answers only when asked for, or where no
    #: trusted release covers a month (:mod:`borderdesk.store.precedence`)
    unofficial: bool = False
    #: the sum of its counts, recorded at ingest for ``verify`` (None: stored before schema 4)
    total: int | None = None

    def brief(self) -> dict[str, Any]:
        """The ``release`` object of every JSON answer."""
        return {
            "label": self.label,
            "file": self.file,
            "sha256": self.sha256,
            "published": self.published,
            "family": self.family,
            "coverage": self.coverage,
            "source": self.source_url,
        }

    @property
    def coverage(self) -> dict[str, str]:
        return {"start": f"{self.coverage_start:%Y-%m}", "end": f"{self.coverage_end:%Y-%m}"}

    @property
    def trusted_official(self) -> bool:
        """An official CBP release we trust: in CBP's own format (not derived from another file) and
        not an unknown file ingested by hand (``releases`` JSON's ``"official"``)."""
        return bool(self.official) and not self.unofficial

    @property
    def published_text(self) -> str:
        """The publication date as the tables show it: the date, or "unknown" (never the time the
        file was stored here, which says nothing about when CBP published it)."""
        return self.published or "unknown"

    def to_json(self) -> dict[str, Any]:
        """A release as ``borderdesk releases --format json`` and ``GET /api/releases`` show it:
        ``published`` is CBP's publication date (null when unknown), ``ingested_at`` when this
        database stored the file, ``official`` :attr:`trusted_official`."""
        return {
            "label": self.label,
            "family": self.family,
            "format": self.format,
            "file": self.file,
            "sha256": self.sha256,
            "bytes": self.bytes,
            "rows": self.rows,
            "coverage": self.coverage,
            "published": self.published,
            "ingested_at": self.ingested_at.isoformat(),
            "origin": self.origin,
            "source": self.source_url,
            "note": self.note,
            "official": self.trusted_official,
            "unofficial": self.unofficial,
        }

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["coverage"] = self.coverage
        return d


def recency(release: Release) -> tuple[Any, ...]:
    """How new a vintage is, as a sort key: its family's recency key (for every family today the rule
    of :func:`borderdesk.sources.family.vintage_recency`: trusted releases first, CBP's own files
    before derivatives, then coverage end, then publication), an exact tie going to the release stored
    first, never to its hash (:mod:`borderdesk.store.precedence`). Everything that asks "which release
    is newest" sorts by this."""
    return (*registry.recency(release, release.family), -release.release_id)


def newest(releases: Iterable[Release]) -> Release | None:
    """The newest of ``releases`` by :func:`recency` (None if there are none)."""
    return max(releases, key=recency, default=None)


def oldest(releases: Iterable[Release]) -> Release | None:
    """The oldest of ``releases`` by :func:`recency` (None if there are none)."""
    return min(releases, key=recency, default=None)


def records_trust(con: duckdb.DuckDBPyConnection) -> bool:
    """True if ``releases`` has the schema-4 columns (``unofficial``, ``total``): an older file opened
    read-only is never migrated, and the fault tests build old files with today's writer."""
    have = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE table_name = 'releases' AND column_name = 'unofficial'"
    ).fetchone()
    return bool(have and have[0])


def _columns(con: duckdb.DuckDBPyConnection) -> str:
    return f"{_COLUMNS}, unofficial, total" if records_trust(con) else _COLUMNS


def list_releases(con: duckdb.DuckDBPyConnection) -> list[Release]:
    rows = con.execute(
        f"SELECT {_columns(con)} FROM releases "
        "ORDER BY family, coverage_end, official, published NULLS FIRST, release_id"
    ).fetchall()
    return [Release(*r) for r in rows]


def release_by_sha256(con: duckdb.DuckDBPyConnection, sha256: str) -> Release | None:
    row = con.execute(f"SELECT {_columns(con)} FROM releases WHERE sha256 = ?", [sha256]).fetchone()
    return Release(*row) if row else None


def release_by_id(con: duckdb.DuckDBPyConnection, release_id: int) -> Release:
    row = con.execute(f"SELECT {_columns(con)} FROM releases WHERE release_id = ?", [release_id]).fetchone()
    if row is None:
        raise ReleaseNotFoundError(f"no release with id {release_id}")
    return Release(*row)


def find_release(releases: list[Release], ref: str) -> Release:
    """A release by label, file name (with or without extension) or sha256 prefix (8+ hex digits)."""
    text = ref.strip()
    low = text.lower()
    picks: tuple[Callable[[Release], bool], ...] = (
        lambda r: r.label.lower() == low,
        lambda r: r.file.lower() == low,
        lambda r: r.file.lower().split(".")[0] == low,
        lambda r: len(low) >= 8 and r.sha256.startswith(low),
    )
    for pick in picks:
        hits = [r for r in releases if pick(r)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise ReleaseNotFoundError(
                f"release {text!r} is ambiguous: " + ", ".join(f"{r.label} ({r.file})" for r in hits)
            )
    known = ", ".join(r.label for r in releases) or "none (the database is empty)"
    raise ReleaseNotFoundError(f"no release {text!r}; known releases: {known}")
