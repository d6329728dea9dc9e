"""The library core every shell uses: one :class:`Desk` per database file.

>>> import borderdesk
>>> desk = borderdesk.open()                                  # doctest: +SKIP
>>> desk.count(citizenship="russia", region="southwest", period="2022-11").value   # doctest: +SKIP
5507
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from borderdesk import query, store
from borderdesk.errors import BorderdeskError, DatabaseError
from borderdesk.query import Answer, Catalog, Change, Question, build_question, frames
from borderdesk.query.frames import Frame
from borderdesk.store import Release

if TYPE_CHECKING:
    import pandas as pd

    from borderdesk.remote import DownloadedFile, ProgressEvent
    from borderdesk.store.ingest import IngestResult


@dataclass(frozen=True)
class UpdateResult:
    """One file found by ``update``: downloaded, then ingested, already known, or skipped (why)."""

    download: DownloadedFile
    ingest: IngestResult | None
    skipped: str | None = None


class Desk:
    """A borderdesk database: ingest releases, ask questions, list vintages."""

    def __init__(self, path: Path | str, *, snapshot: bool = True, read_only: bool = False) -> None:
        self.path = Path(path) if str(path) != ":memory:" else Path(":memory:")
        self._root, created = store.connect(path, read_only=read_only)
        self._owner = threading.get_ident()
        self._local = threading.local()
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._lock = threading.RLock()
        self.read_only = read_only
        self.loaded_snapshot = 0
        if created and snapshot and store.snapshot_available():
            try:
                self.loaded_snapshot = store.load_snapshot(self._root)
            except BaseException:
                self._root.close()
                raise
        self._catalog: Catalog | None = None

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """This thread's connection: the opening thread uses the root one, any other thread (a web
        server's workers) gets its own cursor on the same database, so requests run concurrently."""
        if threading.get_ident() == self._owner:
            return self._root
        con: duckdb.DuckDBPyConnection | None = getattr(self._local, "con", None)
        if con is None:
            with self._lock:
                con = self._root.cursor()
                self._cursors.append(con)
            self._local.con = con
        return con

    # -- lifecycle -----------------------------------------------------------------------------
    def close(self) -> None:
        with self._lock:
            for c in self._cursors:
                c.close()
            self._cursors.clear()
        self._root.close()

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def catalog(self) -> Catalog:
        catalog = self._catalog
        if catalog is None:
            with self._lock:
                if self._catalog is None:
                    self._catalog = Catalog.load(self.con)
                catalog = self._catalog
        return catalog

    def _changed(self) -> None:
        self._catalog = None

    # -- releases ------------------------------------------------------------------------------
    def release_list(self) -> list[Release]:
        return list(self.catalog.releases)

    def releases(self) -> pd.DataFrame:
        """Every ingested release (vintage) with its provenance, as a DataFrame."""
        import pandas as pd

        rows = [r.as_dict() for r in self.release_list()]
        for r in rows:
            r.pop("coverage")
        return pd.DataFrame(rows)

    def newest_release(self) -> Release | None:
        return self.catalog.newest

    def ingest(
        self,
        path: Path | str,
        *,
        published: str | None = None,
        source_url: str | None = None,
        origin: str = "file",
    ) -> IngestResult:
        """Check one release file fully and add it as a new vintage (a no-op if already ingested)."""
        self._writable()
        try:
            return store.ingest_path(
                self.con, Path(path), published=published, source_url=source_url, origin=origin
            )
        finally:
            self._changed()

    def ingest_each(
        self,
        paths: Iterable[Path | str],
        *,
        published: str | None = None,
        source_url: str | None = None,
        origin: str = "file",
    ) -> Iterator[tuple[Path, IngestResult | BorderdeskError]]:
        """Ingest several files, each atomically; yields (path, result or the error that rejected it)."""
        self._writable()
        try:
            yield from store.ingest_paths(
                self.con, [Path(p) for p in paths], published=published, source_url=source_url, origin=origin
            )
        finally:
            self._changed()

    def ingest_many(self, paths: Iterable[Path | str], **kw: Any) -> list[IngestResult]:
        """Ingest several files; raises the first rejection after the others are in."""
        results: list[IngestResult] = []
        errors: list[BorderdeskError] = []
        for _, res in self.ingest_each(paths, **kw):
            (errors if isinstance(res, BorderdeskError) else results).append(res)  # type: ignore[arg-type]
        if errors:
            raise errors[0]
        return results

    def update(
        self,
        url: str | None = None,
        *,
        dest: Path | None = None,
        progress: Callable[[ProgressEvent], None] | None = None,
        client: Any = None,
    ) -> list[UpdateResult]:
        """Download the releases linked from ``url`` (CBP's page by default) and ingest the new ones."""
        from borderdesk import config, remote

        self._writable()
        page = url or config.CBP_NATIONWIDE_PAGE
        files = remote.download_releases(
            page, dest or config.downloads_dir(), client=client, progress=progress
        )
        results = []
        for f in files:
            try:
                res = self.ingest(f.path, published=f.published, source_url=f.url, origin="download")
                results.append(UpdateResult(f, res))
            except BorderdeskError as e:
                results.append(UpdateResult(f, None, skipped=str(e)))
        return results

    # -- questions -----------------------------------------------------------------------------
    def question(
        self,
        *,
        period: str | None = None,
        as_of: str | None = None,
        today: dt.date | None = None,
        **filters: Any,
    ) -> Question:
        known = {dim: list(codes) for dim, codes in self.catalog.codes.items()}
        return build_question(period=period, as_of=as_of, today=today, known=known, **filters)

    def count(
        self,
        *,
        period: str | None = None,
        as_of: str | None = None,
        today: dt.date | None = None,
        **filters: Any,
    ) -> Answer:
        """One number with its provenance, e.g. ``count(citizenship="russia", region="southwest",
        period="2022-11").value == 5507``."""
        q = self.question(period=period, as_of=as_of, today=today, **filters)
        return query.count(self.con, self.catalog, q)

    def table_frame(
        self,
        *,
        by: str | Iterable[str],
        top: int | None = None,
        period: str | None = None,
        as_of: str | None = None,
        today: dt.date | None = None,
        **filters: Any,
    ) -> Frame:
        q = self.question(period=period, as_of=as_of, today=today, by=_dims(by), **filters)
        return frames.table(self.con, self.catalog, q, top=top)

    def table(
        self,
        *,
        by: str | Iterable[str],
        top: int | None = None,
        period: str | None = None,
        as_of: str | None = None,
        today: dt.date | None = None,
        **filters: Any,
    ) -> pd.DataFrame:
        """Encounters by one or more dimensions with shares, largest first, e.g.
        ``table(by="citizenship", region="southwest", period="FY2023")`` (MEXICO first)."""
        from borderdesk.query.dataframe import to_dataframe

        frame = self.table_frame(by=by, top=top, period=period, as_of=as_of, today=today, **filters)
        return to_dataframe(frame)

    def series_frame(
        self,
        *,
        by: str | Iterable[str] | None = None,
        interval: str = "month",
        period: str | None = None,
        as_of: str | None = None,
        today: dt.date | None = None,
        **filters: Any,
    ) -> Frame:
        q = self.question(period=period, as_of=as_of, today=today, by=_dims(by), **filters)
        return frames.series(self.con, self.catalog, q, interval=interval)

    def series(
        self,
        *,
        by: str | Iterable[str] | None = None,
        interval: str = "month",
        period: str | None = None,
        as_of: str | None = None,
        today: dt.date | None = None,
        **filters: Any,
    ) -> pd.DataFrame:
        """Monthly (or ``interval="fiscal_year"``/``"calendar_year"``) encounters, one row per month."""
        from borderdesk.query.dataframe import to_dataframe

        return to_dataframe(
            self.series_frame(by=by, interval=interval, period=period, as_of=as_of, today=today, **filters)
        )

    def change(
        self,
        *,
        period: str | None = None,
        as_of: str | None = None,
        today: dt.date | None = None,
        **filters: Any,
    ) -> Change:
        """The count with the previous period of the same length and the same period a year earlier."""
        q = self.question(period=period, as_of=as_of, today=today, **filters)
        return query.change(self.con, self.catalog, q)

    def ask(self, question: Question) -> Answer:
        return query.count(self.con, self.catalog, question)

    def _writable(self) -> None:
        if self.read_only:
            raise DatabaseError(f"{self.path} is open read-only")


def _dims(by: str | Iterable[str] | None) -> tuple[str, ...]:
    if by is None:
        return ()
    items = by.split(",") if isinstance(by, str) else list(by)
    return tuple(d.strip().lower().replace("-", "_") for d in items if d.strip())


def open(path: Path | str | None = None, *, snapshot: bool = True, read_only: bool = False) -> Desk:
    """Open (creating on first use, with the bundled snapshot) the database at ``path``.

    With no path: ``$BORDERDESK_HOME/borderdesk.duckdb`` (platform user data dir by default).
    """
    from borderdesk import config

    return Desk(
        path if path is not None else config.default_db_path(), snapshot=snapshot, read_only=read_only
    )
