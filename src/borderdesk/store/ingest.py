"""Atomic ingest: a release is checked completely, then written in one transaction, or not at all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from borderdesk import metadata, sources
from borderdesk.errors import BorderdeskError
from borderdesk.sources import LoadedHistory, LoadedRelease
from borderdesk.sources.reader import RawFile
from borderdesk.store import faults
from borderdesk.store.database import dimension_codes, rollback
from borderdesk.store.releases import Release, release_by_id, release_by_sha256
from borderdesk.store.schema import FACT_DIMENSIONS
from borderdesk.values import month_index


@dataclass(frozen=True)
class IngestResult:
    release: Release
    status: str  # "ingested" or "unchanged" (a file with this sha256 was already there)

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
) -> IngestResult:
    """Check ``path`` fully, then add it as a new release; a file already ingested is a no-op."""
    for _, result in ingest_paths(con, [path], published=published, source_url=source_url, origin=origin):
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
) -> Iterator[tuple[Path, IngestResult | BorderdeskError]]:
    """Ingest files one transaction each; the next file is read and checked while one is written.

    Yields (path, result or the error that rejected it); a rejected file changes nothing.
    """
    known = {r[0] for r in con.execute("SELECT sha256 FROM releases").fetchall()}

    def prepare(path: Path) -> RawFile | LoadedRelease | LoadedHistory | BorderdeskError:
        try:
            raw = sources.read_raw(path)
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


def _label(con: duckdb.DuckDBPyConnection, family: str, end: dt.date, official: bool) -> str:
    """``state-2023-10``: family and last month of data; derivatives say so (``state-2024-09-derived``)."""
    base = f"{family}-{end:%Y-%m}" + ("" if official else "-derived")
    taken = {
        r[0] for r in con.execute("SELECT label FROM releases WHERE label LIKE ?", [base + "%"]).fetchall()
    }
    if base not in taken:
        return base
    n = 2
    while f"{base}.{n}" in taken:
        n += 1
    return f"{base}.{n}"


def _months_to_dates(months: np.ndarray) -> pa.Array:
    # datetime64[M] counts months from 1970-01; our month indexes count from 0000-01
    days = (months.astype(np.int64) - month_index(1970, 1)).astype("datetime64[M]").astype("datetime64[D]")
    return pa.array(days, type=pa.date32())


def write_release(
    con: duckdb.DuckDBPyConnection,
    loaded: LoadedRelease | LoadedHistory,
    *,
    published: str | None = None,
    source_url: str | None = None,
    origin: str = "file",
    now: dt.datetime | None = None,
) -> IngestResult:
    if isinstance(loaded, LoadedHistory):
        from borderdesk.store.history import write_history

        return write_history(con, loaded, published=published, source_url=source_url, origin=origin, now=now)
    raw, data = loaded.raw, loaded.data
    known = metadata.known_release(raw.sha256)
    published = published or (known.published if known else None)
    source_url = source_url or (known.source_url if known else None)
    note = known.note if known else None
    start, end = data.coverage
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)

    con.execute("BEGIN TRANSACTION")
    try:
        codes = dimension_codes(con)
        columns: dict[str, pa.Array] = {}
        present: list[tuple[str, int]] = []
        for dim in FACT_DIMENSIONS:
            col = data.dimensions.get(dim)
            if col is None:
                columns[dim] = pa.nulls(data.rows, pa.int16())
                continue
            known_codes = codes[dim]
            mapping = []
            for value in col.values:
                if value not in known_codes:
                    if metadata.DIMENSIONS[dim].closed:  # normalize() only yields known closed values
                        raise BorderdeskError(f"internal: {dim} value {value!r} has no code")
                    code = max(known_codes.values(), default=0) + 1
                    con.execute("INSERT INTO dimension_values VALUES (?, ?, ?)", [dim, code, value])
                    known_codes[value] = code
                mapping.append(known_codes[value])
                present.append((dim, known_codes[value]))
            columns[dim] = pa.array(np.asarray(mapping, dtype=np.int16)[col.indices], type=pa.int16())

        release_id = int(con.execute("SELECT coalesce(max(release_id), 0) + 1 FROM releases").fetchone()[0])  # type: ignore[index]
        label = _label(con, data.format.family, end, not loaded.sniffed.derived)
        con.execute(
            "INSERT INTO releases VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                release_id,
                label,
                data.format.family,
                loaded.format_name,
                not loaded.sniffed.derived,
                raw.name,
                raw.sha256,
                raw.size,
                data.rows,
                start,
                end,
                published,
                source_url,
                origin,
                now,
                note,
            ],
        )
        month_dates = _months_to_dates(data.month)
        incoming = pa.table(
            {
                "release_id": pa.array(np.full(data.rows, release_id, dtype=np.int16)),
                "line": pa.array(data.lines),
                "fiscal_year": pa.array(data.fiscal_year),
                "month": month_dates,
                **columns,
                "encounters": pa.array(data.count),
            }
        )
        con.register("incoming_facts", incoming)
        try:
            con.execute("INSERT INTO facts SELECT * FROM incoming_facts")
        finally:
            con.unregister("incoming_facts")
        distinct_months = np.unique(data.month)
        con.register(
            "incoming_months",
            pa.table(
                {
                    "release_id": pa.array(np.full(len(distinct_months), release_id, dtype=np.int16)),
                    "month": _months_to_dates(distinct_months),
                }
            ),
        )
        try:
            con.execute("INSERT INTO release_months SELECT * FROM incoming_months")
        finally:
            con.unregister("incoming_months")
        con.execute(
            "INSERT INTO release_values SELECT ?, unnest(?), unnest(?)",
            [release_id, [d for d, _ in present], [c for _, c in present]],
        )
        faults.reached("ingest-staged")
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise
    faults.reached("ingest-committed")
    return IngestResult(release_by_id(con, release_id), "ingested")
