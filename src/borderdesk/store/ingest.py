"""Atomic ingest: a release is checked completely, then written in one transaction, or not at all.

This is the one writer for every source family: provenance, label and dimension codes are the same for
all; only the rows go to the family's own table (:mod:`borderdesk.store.facts`,
:mod:`borderdesk.store.history`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from borderdesk import metadata, sources
from borderdesk.errors import BorderdeskError
from borderdesk.sources import registry
from borderdesk.sources.bounded import DEFAULT_LIMITS, ReadLimits
from borderdesk.sources.cbp import LoadedRelease
from borderdesk.sources.history import LoadedHistory
from borderdesk.sources.reader import RawFile
from borderdesk.store import facts, faults, history
from borderdesk.store.database import dimension_codes, rollback
from borderdesk.store.precedence import is_unofficial
from borderdesk.store.releases import Release, records_trust, release_by_id, release_by_sha256


@dataclass(frozen=True)
class IngestResult:
    release: Release
    status: str  # "ingested" or "unchanged" (a file with this sha256 was already there)
    #: for an unofficial release: the trusted releases that answer for months it also covers (the
    #: shells warn about them: docs/reliability.md, "Which release answers")
    outranked_by: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return self.status == "ingested"


def ingest_path(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    published: str | None = None,
    source_url: str | None = None,
    origin: str = "file",
    now: dt.datetime | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> IngestResult:
    """Check ``path`` fully, then add it as a new release; a file already ingested is a no-op."""
    for _, result in ingest_paths(
        con, [path], published=published, source_url=source_url, origin=origin, limits=limits
    ):
        if isinstance(result, BorderdeskError):
            raise result
        return result
    raise AssertionError("unreachable")


def ingest_paths(
    con: duckdb.DuckDBPyConnection,
    paths: Iterable[Path],
    *,
    published: str | None = None,
    source_url: str | None = None,
    origin: str = "file",
    limits: ReadLimits = DEFAULT_LIMITS,
) -> Iterator[tuple[Path, IngestResult | BorderdeskError]]:
    """Ingest files one transaction each; the next file is read and checked while one is written.

    Yields (path, result or the error that rejected it); a rejected file changes nothing. ``limits``
    bound what one file may hold (a compression bomb is refused while it is being read).
    """
    known = {r[0] for r in con.execute("SELECT sha256 FROM releases").fetchall()}

    def prepare(path: Path) -> RawFile | LoadedRelease | LoadedHistory | BorderdeskError:
        try:
            raw = sources.read_raw(path, limits)
            return raw if raw.sha256 in known else sources.load(path, raw)
        except BorderdeskError as e:
            return e

    paths = list(paths)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="borderdesk-read") as pool:
        pending = [pool.submit(prepare, p) for p in paths[:1]]
        for i, path in enumerate(paths):
            ready = pending.pop(0).result()
            if i + 1 < len(paths):
                pending.append(pool.submit(prepare, paths[i + 1]))
            if isinstance(ready, BorderdeskError):
                yield path, ready
                continue
            raw = ready if isinstance(ready, RawFile) else ready.raw
            existing = release_by_sha256(con, raw.sha256)
            if existing is not None:
                yield path, IngestResult(existing, "unchanged")
                continue
            loaded = ready if isinstance(ready, LoadedRelease | LoadedHistory) else sources.load(path, raw)
            try:
                result = write_release(con, loaded, published=published, source_url=source_url, origin=origin)
            except BorderdeskError as e:
                yield path, e
                continue
            known.add(raw.sha256)
            yield path, result


def _label(
    con: duckdb.DuckDBPyConnection, stem: str, end: dt.date, suffix: str = "", sha256: str = ""
) -> str:
    """``state-2023-10``: family (or table) and last month of data, then ``suffix`` (derivatives:
    ``state-2024-09-derived``); a label already taken gets the file's own sha256 prefix
    (``state-2023-10.1a2b3c4d``), so a file's label never depends on how many came before it."""
    base = f"{stem}-{end:%Y-%m}{suffix}"
    taken = {
        r[0] for r in con.execute("SELECT label FROM releases WHERE label LIKE ?", [base + "%"]).fetchall()
    }
    if base not in taken:
        return base
    for digits in range(8, len(sha256) + 1, 4):
        if f"{base}.{sha256[:digits]}" not in taken:
            return f"{base}.{sha256[:digits]}"
    raise BorderdeskError(f"internal: no free label for {base} ({sha256})")


def _outranked_by(con: duckdb.DuckDBPyConnection, release: Release) -> tuple[str, ...]:
    """The trusted releases that answer (``latest_months``) for months ``release`` also covers: none
    if it is trusted itself."""
    if not release.unofficial:
        return ()
    rows = con.execute(
        "SELECT DISTINCT r.label FROM release_months a "
        "JOIN latest_months l ON l.month = a.month AND l.family = ? "
        "JOIN releases r ON r.release_id = l.release_id "
        "WHERE a.release_id = ? AND NOT r.unofficial ORDER BY r.label",
        [release.family, release.release_id],
    ).fetchall()
    return tuple(r[0] for r in rows)


class _Codes:
    """Dimension values as the database's codes, allocating a code for a value it has not seen (never
    for a closed dimension: the sources only yield its known values)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.codes = dimension_codes(con)

    def __call__(self, dim: str, value: str) -> int:
        known = self.codes.setdefault(dim, {})
        if value not in known:
            if metadata.DIMENSIONS[dim].closed:
                raise BorderdeskError(f"internal: {dim} value {value!r} has no code")
            code = max(known.values(), default=0) + 1
            self.con.execute("INSERT INTO dimension_values VALUES (?, ?, ?)", [dim, code, value])
            known[value] = code
        return known[value]


#: family table -> the function that writes a loaded file's rows there (inside the writer's transaction)
_ROW_WRITERS: dict[str, Callable[..., None]] = {
    "facts": facts.write_rows,
    "history_facts": history.write_rows,
}


def write_release(
    con: duckdb.DuckDBPyConnection,
    loaded: LoadedRelease | LoadedHistory,
    *,
    published: str | None = None,
    source_url: str | None = None,
    origin: str = "file",
    now: dt.datetime | None = None,
) -> IngestResult:
    """Add one checked file as a new release, in one transaction: its provenance (from the arguments,
    else from the known releases of :mod:`borderdesk.metadata`), a label, then its rows, written to its
    family's table."""
    raw = loaded.raw
    family = registry.family(loaded.family)
    if family is None:
        raise BorderdeskError(f"internal: no source family {loaded.family!r}")
    write_rows = _ROW_WRITERS[family.table]
    known = metadata.known_release(raw.sha256)
    if known and known.published and len(published or "") < len(known.published):
        published = known.published  # a known day beats no date, or the month of a download's folder
    source_url = source_url or (known.source_url if known else None)
    note = known.note if known else None
    start, end = loaded.coverage
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)

    con.execute("BEGIN TRANSACTION")
    try:
        codes = _Codes(con)
        release_id = int(con.execute("SELECT coalesce(max(release_id), 0) + 1 FROM releases").fetchone()[0])  # type: ignore[index]
        label = _label(con, loaded.label_stem, end, loaded.label_suffix, raw.sha256)
        trust = records_trust(con)
        columns = (
            "release_id, label, family, format, official, file_name, sha256, bytes, rows, coverage_start, "
            "coverage_end, published, source_url, origin, ingested_at, note"
        ) + (", unofficial" if trust else "")
        values = [
            release_id,
            label,
            loaded.family,
            loaded.format_name,
            loaded.official,
            raw.name,
            raw.sha256,
            raw.size,
            loaded.row_count,
            start,
            end,
            published,
            source_url,
            origin,
            now,
            note,
        ] + ([is_unofficial(origin, raw.sha256, source_url)] if trust else [])
        con.execute(f"INSERT INTO releases ({columns}) VALUES ({', '.join('?' * len(values))})", values)
        write_rows(con, release_id, loaded, codes)
        if trust:  # what `verify` recomputes later: the rows are counted, the counts summed, as stored
            con.execute(
                f"UPDATE releases SET total = (SELECT coalesce(sum(encounters), 0) FROM {family.table} "
                "WHERE release_id = ?) WHERE release_id = ?",
                [release_id, release_id],
            )
        faults.reached("ingest-staged")
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise
    faults.reached("ingest-committed")
    release = release_by_id(con, release_id)
    return IngestResult(release, "ingested", _outranked_by(con, release))
