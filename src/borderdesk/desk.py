"""The library core every shell uses: one :class:`Desk` per database file.

>>> import borderdesk
>>> desk = borderdesk.open()                                  # doctest: +SKIP
>>> desk.count(citizenship="russia", region="southwest", period="2022-11").value   # doctest: +SKIP
5507
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from borderdesk import history, query, store
from borderdesk.errors import BorderdeskError, CoverageError, DatabaseError
from borderdesk.query import Answer, Catalog, Change, Question, build_question, frames
from borderdesk.query.frames import Frame
from borderdesk.store import Release, writer
from borderdesk.store.lock import DEFAULT_TIMEOUT as DEFAULT_LOCK_TIMEOUT
from borderdesk.store.lock import WriteLock

if TYPE_CHECKING:
    import pandas as pd

    from borderdesk.analysis.brief import Brief
    from borderdesk.analysis.result import Table as AnalysisTable
    from borderdesk.claims import ClaimResult, Report
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

    def __init__(
        self,
        path: Path | str,
        *,
        snapshot: bool = True,
        read_only: bool = False,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        lock: bool = True,
    ) -> None:
        """Open ``path`` (``":memory:"`` for a private in-memory database).

        Read-write, the desk holds the file's write lock until :meth:`close` (other writers wait up to
        their ``lock_timeout``; it waits up to ``lock_timeout`` for them), and a file that does not
        exist yet is built beside it and renamed into place, whole. ``lock=False`` is for the writer's
        own next file (:func:`writing`)."""
        self.path = Path(path) if str(path) != ":memory:" else Path(":memory:")
        self._write_lock: WriteLock | None = None
        self.loaded_snapshot = 0
        on_disk = str(path) != ":memory:"
        if on_disk and not read_only and lock:
            self._write_lock = WriteLock(self.path.absolute(), timeout=lock_timeout, command="python")
            self._write_lock.acquire()
        try:
            if self._write_lock is not None and not self.path.exists():
                self.loaded_snapshot = _create(self.path, snapshot=snapshot)
            self._root, created, self.migrated_from = store.connect(path, read_only=read_only)
        except BaseException:
            self._release_lock()
            raise
        self._owner = threading.get_ident()
        self._local = threading.local()
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._lock = threading.RLock()
        self.read_only = read_only
        if created and snapshot and store.snapshot_available():
            try:
                self.loaded_snapshot = store.load_snapshot(self._root)
            except BaseException:
                self._root.close()
                self._release_lock()
                raise
        self._catalog: Catalog | None = None

    def _release_lock(self) -> None:
        if self._write_lock is not None:
            self._write_lock.release()
            self._write_lock = None

    @property
    def generation(self) -> int | None:
        """How many changes have been published to this database file (None before schema 2)."""
        from borderdesk.store import updates

        return updates.generation(self.con)

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
        self._release_lock()

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
        return self.ingest_downloads(files)

    def ingest_downloads(self, files: Iterable[DownloadedFile]) -> list[UpdateResult]:
        """Ingest downloaded release files (``remote.download_releases``), recording where each came
        from; a file that cannot be ingested is reported as skipped, with why."""
        self._writable()
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
        source: str | None = None,
        **filters: Any,
    ) -> Answer:
        """One number with its provenance, e.g. ``count(citizenship="russia", region="southwest",
        period="2022-11").value == 5507``.

        ``source`` picks the data: None (CBP's releases; a Border Patrol question, ``component="usbp"``,
        that they cannot answer falls back to the history tables), ``"cbp"`` (CBP's releases only),
        ``"ohss"`` (the DHS OHSS USBP workbook: FY2000 on, 135 citizenships, rounded to 10),
        ``"usbp-historical"`` (USBP statistics FY1925-FY2019, exact) or ``"history"`` (both, exact
        first). History answers carry ``caveats`` ("Border Patrol only", "rounded").
        """
        q = self.question(period=period, as_of=as_of, today=today, **filters)
        return self._answer(  # type: ignore[no-any-return]
            q,
            source,
            lambda fam: history.count(self.con, self.catalog, q, fam),
            lambda: query.count(self.con, self.catalog, q),
        )

    def _answer(
        self,
        q: Question,
        source: str | None,
        from_history: Callable[[tuple[str, ...]], Any],
        from_cbp: Callable[[], Any],
    ) -> Any:
        """Route a question to CBP's releases or the Border Patrol history tables (see :meth:`count`)."""
        if source is not None and source.strip().lower() != "cbp":
            families = history.family_for(source)
            if families is None:
                names = ", ".join(["cbp", *history.SOURCES])
                raise BorderdeskError(f"unknown source {source!r}; choose from {names}")
            return from_history(families)
        try:
            return from_cbp()
        except CoverageError as cbp_error:
            if source is not None or q.values("component") != ("usbp",) or q.as_of:
                raise
            try:
                return from_history(history.FAMILIES)
            except BorderdeskError:
                raise cbp_error from None

    def table_frame(
        self,
        *,
        by: str | Iterable[str],
        top: int | None = None,
        period: str | None = None,
        as_of: str | None = None,
        today: dt.date | None = None,
        source: str | None = None,
        **filters: Any,
    ) -> Frame:
        q = self.question(period=period, as_of=as_of, today=today, by=_dims(by), **filters)
        return self._answer(  # type: ignore[no-any-return]
            q,
            source,
            lambda fam: history.table(self.con, self.catalog, q, fam, top=top),
            lambda: frames.table(self.con, self.catalog, q, top=top),
        )

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
        source: str | None = None,
        **filters: Any,
    ) -> Frame:
        q = self.question(period=period, as_of=as_of, today=today, by=_dims(by), **filters)
        return self._answer(  # type: ignore[no-any-return]
            q,
            source,
            lambda fam: history.series(self.con, self.catalog, q, fam, interval=interval),
            lambda: frames.series(self.con, self.catalog, q, interval=interval),
        )

    def history(
        self,
        *,
        by: str | Iterable[str] | None = None,
        interval: str = "fiscal_year",
        period: str | None = None,
        source: str = "history",
        today: dt.date | None = None,
        **filters: Any,
    ) -> pd.DataFrame:
        """Border Patrol history as a series (by fiscal year unless ``interval="month"``), e.g.
        ``history(region="southwest", period="FY2000..FY2019")`` or
        ``history(citizenship="russia", region="southwest", source="ohss")``; the frame's
        ``.answer.caveats`` say "Border Patrol only" (and "rounded" for OHSS)."""
        from borderdesk.query.dataframe import to_dataframe

        frame = self.series_frame(
            by=by, interval=interval, period=period, source=source, today=today, **filters
        )
        df = to_dataframe(frame)
        df.attrs["caveats"] = list(frame.caveats)
        return df

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

    # -- analysis (borderdesk.analysis does the work) -----------------------------------------------
    def surges_table(
        self,
        *,
        period: str | None = None,
        top: int | None = 10,
        min_value: int = 100,
        min_score: float | None = 0.0,
        include_pooled: bool = False,
        as_of: str | None = None,
        today: dt.date | None = None,
        **filters: Any,
    ) -> AnalysisTable:
        from borderdesk.analysis.surges import surges

        q = self.question(period=period, as_of=as_of, today=today, **filters)
        return surges(
            self.con,
            self.catalog,
            q,
            top=top,
            min_value=min_value,
            min_score=min_score,
            include_pooled=include_pooled,
        )

    def surges(self, *, period: str | None = None, top: int | None = 10, **kw: Any) -> pd.DataFrame:
        """Nationality × region rows far above their own seasonal baseline in ``period``, highest score
        first: nationality, region, value, baseline, ratio, score, previous, year_earlier, change_point
        (see :mod:`borderdesk.analysis.surges`), e.g. ``surges(period="2022-11", region="southwest")``."""
        return self.surges_table(period=period, top=top, **kw).to_pandas()

    def revisions_table(
        self,
        *,
        from_release: str | None = None,
        to_release: str | None = None,
        month: str | None = None,
        period: str | None = None,
        changed_only: bool = False,
        today: dt.date | None = None,
        **filters: Any,
    ) -> AnalysisTable:
        from borderdesk.analysis import revisions
        from borderdesk.query.periods import parse_period

        q = self.question(period=period, today=today, **filters)
        if month is not None:
            return revisions.month_history(self.con, self.catalog, q, parse_period(month, today=today))
        old, new = revisions.default_pair(self.catalog, q, from_release, to_release)
        return revisions.compare(self.con, self.catalog, q, old, new, changed_only=changed_only)

    def revisions(self, **kw: Any) -> pd.DataFrame:
        """Month-by-month differences between two vintages (``from_release``, ``to_release``: labels,
        file names or sha256 prefixes), or with ``month="2023-10"`` that month in every vintage."""
        return self.revisions_table(**kw).to_pandas()

    def events_table(self, *, period: str | None = None, today: dt.date | None = None) -> AnalysisTable:
        from borderdesk.analysis.events import events_table
        from borderdesk.query.periods import date_index, parse_period

        p = parse_period(period, today=today) if period else None
        if p is not None and p.end is None:
            newest = self.newest_release()
            if newest is not None:
                p = p.resolve(date_index(newest.coverage_end))
        return events_table(p)

    def events(self, *, period: str | None = None) -> pd.DataFrame:
        """The curated, sourced policy and world events (overlapping ``period``, if given)."""
        return self.events_table(period=period).to_pandas()

    def brief(self, *, period: str, today: dt.date | None = None, **filters: Any) -> Brief:
        """A one-page monthly brief (totals, changes, top nationalities, surges, revisions, events,
        chart); ``.markdown()`` / ``.html()`` render it, ``.write(path)`` saves it."""
        from borderdesk.analysis.brief import build_brief

        return build_brief(self, period=period, today=today, **filters)

    def ask(self, question: Question) -> Answer:
        return query.count(self.con, self.catalog, question)

    def ask_many(self, questions: list[Question]) -> list[Answer | BorderdeskError]:
        """Several questions in one round trip: each answer, or the error its question raises."""
        return query.count_many(self.con, self.catalog, questions)

    def check(
        self, text: str | bytes, *, date: str | dt.date | None = None, timeout: float | None = None
    ) -> list[ClaimResult]:
        """The encounter claims in ``text`` with their verdicts (see claim-check.md); ``date`` is the
        publication date, e.g. ``check(article, date="2022-12-21")``. With ``timeout`` (seconds),
        a check that runs longer stops with :class:`~borderdesk.errors.CheckTimeoutError`."""
        return list(self.check_report(text, date=date, timeout=timeout).claims)

    def check_report(
        self, text: str | bytes, *, date: str | dt.date | None = None, timeout: float | None = None
    ) -> Report:
        """Like :meth:`check`, with the date used: ``report.to_dict()`` is claim-check.md's JSON."""
        from borderdesk import claims

        return claims.check(self, text, date, timeout=timeout)

    def _writable(self) -> None:
        if self.read_only:
            raise DatabaseError(f"{self.path} is open read-only")


def _dims(by: str | Iterable[str] | None) -> tuple[str, ...]:
    if by is None:
        return ()
    items = by.split(",") if isinstance(by, str) else list(by)
    return tuple(d.strip().lower().replace("-", "_") for d in items if d.strip())


def _create(db: Path, *, snapshot: bool) -> int:
    """Build the database ``db`` beside it (with the bundled snapshot unless ``snapshot=False``), log
    it, checkpoint it and rename it into place; the caller holds ``db``'s write lock. Returns how many
    releases the snapshot brought."""
    from borderdesk.store import updates

    with writer.next_database_locked(db) as draft:
        desk = Desk(draft.path, snapshot=snapshot, lock=False)
        try:
            loaded = desk.loaded_snapshot
            updates.record(desk.con, "create", [r.label for r in desk.release_list()])
            desk.con.execute("CHECKPOINT")
        finally:
            desk.close()
    return loaded


@contextlib.contextmanager
def writing(
    path: Path | str,
    *,
    snapshot: bool = True,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    command: str = "python",
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[Desk]:
    """Change the database at ``path`` without disturbing its readers: yields a read-write
    :class:`Desk` on a copy of it (see :mod:`borderdesk.store.writer`); when the block ends normally
    the copy, logged as one generation, replaces the file in one atomic rename, and readers switch
    when they reopen (``borderdesk serve`` does so by itself). An exception, a kill or a full disk
    leave the database as it was.

    >>> with borderdesk.writing("borderdesk.duckdb") as desk:      # doctest: +SKIP
    ...     desk.ingest("nationwide-encounters-fy23-fy26-nov-state.csv")
    """
    from borderdesk.store import updates

    with writer.next_database(Path(path), timeout=lock_timeout, command=command, on_wait=on_wait) as draft:
        try:
            desk = Desk(draft.path, snapshot=snapshot, lock=False)
        except DatabaseError as e:  # what is wrong with the copy is wrong with the file the user named
            raise DatabaseError(str(e).replace(str(draft.path), str(path))) from None
        try:
            before = {r.sha256 for r in desk.release_list()}
            yield desk
            added = [r.label for r in desk.release_list() if r.sha256 not in before]
            if not (added or draft.new or desk.migrated_from is not None):
                draft.discard = True  # nothing changed: readers keep the file they have
            else:
                if desk.migrated_from is not None:
                    command += f" (migrated from schema {desk.migrated_from})"
                updates.record(desk.con, command, added)
                desk.con.execute("CHECKPOINT")
        finally:
            desk.close()


def ensure_database(
    path: Path | str, *, snapshot: bool = True, lock_timeout: float = DEFAULT_LOCK_TIMEOUT
) -> int:
    """Create the database at ``path`` if there is none (atomically, under the write lock); returns how
    many releases the bundled snapshot brought (0 if the file existed)."""
    p = Path(path).absolute()
    if p.exists():
        return 0
    with WriteLock(p, timeout=lock_timeout, command="create"):
        if p.exists():  # another process created it while this one waited for the lock
            return 0
        return _create(p, snapshot=snapshot)


def open(path: Path | str | None = None, *, snapshot: bool = True, read_only: bool = False) -> Desk:
    """Open (creating on first use, with the bundled snapshot) the database at ``path``.

    With no path: ``$BORDERDESK_HOME/borderdesk.duckdb`` (platform user data dir by default).
    """
    from borderdesk import config

    return Desk(
        path if path is not None else config.default_db_path(), snapshot=snapshot, read_only=read_only
    )
