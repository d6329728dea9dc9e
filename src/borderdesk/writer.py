"""The write side of a borderdesk database: opening it for writing, building a new file, ingesting.

:class:`~borderdesk.desk.Desk` is the read side (questions, tables, analyses, checks); every change goes
through here. A read-write open holds the file's write lock (:mod:`borderdesk.store.lock`) until it is
closed, and a file that does not exist yet is built beside its final name and renamed into place, whole
(:mod:`borderdesk.store.writer`). :func:`writing` is how a running server's database is changed: on a
copy, swapped in by one atomic rename.

This module sits below the desk: it never imports it. Where it must hand out a desk (:func:`writing`),
the caller says how to open one.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import duckdb

from borderdesk import store
from borderdesk.errors import BorderdeskError, DatabaseError
from borderdesk.limits import MAX_DOWNLOAD_BYTES, UPDATE_DEADLINE, UPDATE_RETRIES
from borderdesk.sources.bounded import DEFAULT_LIMITS as DEFAULT_LIMITS
from borderdesk.sources.bounded import ReadLimits as ReadLimits
from borderdesk.store import updates
from borderdesk.store import writer as next_file
from borderdesk.store.cursors import Cursors
from borderdesk.store.lock import DEFAULT_TIMEOUT as DEFAULT_LOCK_TIMEOUT
from borderdesk.store.lock import WriteLock

if TYPE_CHECKING:
    from borderdesk.remote import DownloadedFile, FailedDownload, ProgressEvent
    from borderdesk.store.ingest import IngestResult


@dataclass(frozen=True)
class UpdateResult:
    """One file found by ``update``: downloaded, then ingested, already known, or skipped (why). A file
    that could not be downloaded has a :class:`~borderdesk.remote.FailedDownload` as ``download``; a
    skipped file's ``error`` is what stopped it (its class gives the exit code on the command line)."""

    download: DownloadedFile | FailedDownload
    ingest: IngestResult | None
    skipped: str | None = None
    error: BorderdeskError | None = None

    @property
    def landed(self) -> bool:
        """Whether the file is in the database now (ingested, or there already)."""
        return self.ingest is not None


@dataclass(frozen=True)
class OpenDatabase:
    """A database opened by :func:`open_database`: its connections, and what opening it did."""

    cursors: Cursors
    loaded_snapshot: int  # releases the bundled snapshot brought (0 if the file had its data already)
    migrated_from: int | None  # the schema version it had, if opening it migrated it


def open_database(
    path: Path | str,
    *,
    snapshot: bool = True,
    read_only: bool = False,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    lock: bool = True,
) -> OpenDatabase:
    """Open ``path`` (``":memory:"`` for a private in-memory database).

    Read-write on disk, the write lock is taken first (waiting up to ``lock_timeout`` for another
    writer) and held until the connections close; a missing file is built whole (:func:`create_database`).
    ``lock=False`` is for the writer's own next file, whose lock is already held. A database created
    empty gets the bundled snapshot unless ``snapshot=False``."""
    write_lock: WriteLock | None = None
    if str(path) != ":memory:" and not read_only and lock:
        write_lock = WriteLock(Path(path).absolute(), timeout=lock_timeout, command="python")
        write_lock.acquire()
    unlock = write_lock.release if write_lock is not None else None
    loaded = 0
    try:
        if write_lock is not None and not Path(path).exists():
            loaded = create_database(Path(path), snapshot=snapshot)
        root, created, migrated_from = store.connect(path, read_only=read_only)
    except BaseException:
        if unlock is not None:
            unlock()
        raise
    if created and snapshot and store.snapshot_available():
        try:
            loaded = store.load_snapshot(root)
        except BaseException:
            root.close()
            if unlock is not None:
                unlock()
            raise
    return OpenDatabase(Cursors(root, on_close=unlock), loaded, migrated_from)


class Writer:
    """Ingest and update one open database; ``changed`` is called after every write (the desk drops
    its catalog there, so the next question sees the new releases).

    ``by_copy``: the deprecation path of a read-only database opened by a plain ``borderdesk.open()``
    (read-write before 0.1.0). Its writes warn, run in :func:`writing` (a copy swapped in), and the
    database is read again from the new file. Without it a read-only writer refuses, saying how."""

    by_copy = False

    def __init__(self, path: Path, cursors: Cursors, *, read_only: bool, changed: Callable[[], None]) -> None:
        self.path = path
        self.read_only = read_only
        self._cursors = cursors
        self._changed = changed

    def _through_copy(self, method: str, *args: Any, **kw: Any) -> Any:
        """``method(*args, **kw)`` on a copy swapped in by :func:`writing`, then this database read
        again from the new file (see ``by_copy``)."""
        warnings.warn(
            f"borderdesk.open() is read-only (so it works beside borderdesk serve); {method}() through it "
            f"is deprecated and will fail in 0.2: use `with borderdesk.writing(path) as desk: "
            f"desk.{method}(...)`",
            DeprecationWarning,
            stacklevel=4,
        )
        with writing(self.path, _DraftDatabase, command="python") as draft:
            result = getattr(draft.writer, method)(*args, **kw)
            if method == "ingest_each":  # a generator: run it while the copy is open
                result = iter(list(result))
        self._cursors.reconnect(lambda: store.connect(self.path, read_only=True).con)
        self._changed()
        return result

    def ingest(
        self,
        path: Path | str,
        *,
        published: str | None = None,
        source_url: str | None = None,
        origin: str = "file",
        limits: ReadLimits = DEFAULT_LIMITS,
    ) -> IngestResult:
        """Check one release file fully and add it as a new vintage (a no-op if already ingested)."""
        if self.by_copy:
            return self._through_copy(  # type: ignore[no-any-return]
                "ingest", path, published=published, source_url=source_url, origin=origin, limits=limits
            )
        self._writable()
        try:
            return store.ingest_path(
                self._cursors.current(),
                Path(path),
                published=published,
                source_url=source_url,
                origin=origin,
                limits=limits,
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
        limits: ReadLimits = DEFAULT_LIMITS,
    ) -> Iterator[tuple[Path, IngestResult | BorderdeskError]]:
        """Ingest several files, each atomically; yields (path, result or the error that rejected it).
        ``limits`` bound what one file may hold (sizes, line length, columns, rows)."""
        if self.by_copy:
            kw = {"published": published, "source_url": source_url, "origin": origin, "limits": limits}
            yield from self._through_copy("ingest_each", paths, **kw)
            return
        self._writable()
        try:
            yield from store.ingest_paths(
                self._cursors.current(),
                [Path(p) for p in paths],
                published=published,
                source_url=source_url,
                origin=origin,
                limits=limits,
            )
        finally:
            self._changed()

    def ingest_many(self, paths: Iterable[Path | str], **kw: Any) -> list[IngestResult]:
        """Ingest several files; raises the first rejection after the others are in."""
        results: list[IngestResult] = []
        errors: list[BorderdeskError] = []
        for _, res in self.ingest_each(paths, **kw):
            if isinstance(res, BorderdeskError):
                errors.append(res)
            else:
                results.append(res)
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
        max_download_bytes: int | None = MAX_DOWNLOAD_BYTES,
        deadline: float | None = UPDATE_DEADLINE,
        retries: int = UPDATE_RETRIES,
    ) -> list[UpdateResult]:
        """Download the releases linked from ``url`` (CBP's page by default) and ingest the new ones.

        Each file is downloaded and ingested on its own: one that is missing, cut off or rejected is a
        skipped result (with why) and the others still land. ``max_download_bytes`` caps each file and
        ``deadline`` (seconds) the downloads as a whole; None lifts either (docs/reliability.md). A
        transient failure (a 5xx answer, a dropped connection) is tried ``retries`` more times. Raises
        DownloadError only when there is nothing to download (the page cannot be fetched or links no
        release file)."""
        from borderdesk import config, remote

        if self.by_copy:
            kw = {
                "dest": dest,
                "progress": progress,
                "client": client,
                "deadline": deadline,
                "retries": retries,
            }
            return self._through_copy(  # type: ignore[no-any-return]
                "update", url, max_download_bytes=max_download_bytes, **kw
            )
        self._writable()
        page = url or config.CBP_NATIONWIDE_PAGE
        found = remote.download_each(
            page,
            dest or config.downloads_dir(),
            client=client,
            progress=progress,
            max_bytes=max_download_bytes,
            deadline=deadline,
            retries=retries,
        )
        return self.ingest_downloads(found)

    def ingest_downloads(self, files: Iterable[DownloadedFile | FailedDownload]) -> list[UpdateResult]:
        """Ingest downloaded release files (``remote.download_releases`` or ``remote.download_each``),
        recording where each came from, each atomically; a file that could not be downloaded or
        ingested is reported as skipped, with why, and changes nothing."""
        from borderdesk.remote import FailedDownload  # here, not above: opening a database needs no httpx

        if self.by_copy:
            return self._through_copy("ingest_downloads", files)  # type: ignore[no-any-return]
        self._writable()
        results = []
        for f in files:
            if isinstance(f, FailedDownload):
                results.append(UpdateResult(f, None, skipped=f.reason, error=f.error))
                continue
            try:
                res = self.ingest(f.path, published=f.published, source_url=f.url, origin="download")
                results.append(UpdateResult(f, res))
            except BorderdeskError as e:
                results.append(UpdateResult(f, None, skipped=str(e), error=e))
        return results

    def _writable(self) -> None:
        if self.read_only:
            raise DatabaseError(
                f"{self.path} is open read-only (borderdesk.open() reads, beside a running server): "
                f"change it with `with borderdesk.writing({str(self.path)!r}) as desk: desk.ingest(...)`, "
                "which writes a copy and swaps it in whole, or `borderdesk ingest`/`update`"
            )
        if str(self.path) != ":memory:":  # a file its owner made read-only is not changed behind their back
            next_file.refuse_read_only(Path(self.path))


def create_database(db: Path, *, snapshot: bool) -> int:
    """Build the database ``db`` beside it (with the bundled snapshot unless ``snapshot=False``), log
    it, checkpoint it and rename it into place; the caller holds ``db``'s write lock. Returns how many
    releases the snapshot brought."""
    with next_file.next_database_locked(db) as draft:
        opened = open_database(draft.path, snapshot=snapshot, lock=False)
        try:
            con = opened.cursors.current()
            updates.record(con, "create", [r.label for r in store.list_releases(con)])
            con.execute("CHECKPOINT")
        finally:
            opened.cursors.close()
    return opened.loaded_snapshot


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
        return create_database(p, snapshot=snapshot)


class Draftable(Protocol):
    """What :func:`writing` needs of the read-write database it hands out (a desk is one)."""

    @property
    def con(self) -> duckdb.DuckDBPyConnection: ...

    @property
    def migrated_from(self) -> int | None: ...

    def close(self) -> None: ...


D = TypeVar("D", bound=Draftable)


@contextlib.contextmanager
def writing(
    path: Path | str,
    open_draft: Callable[[Path], D],
    *,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    command: str = "python",
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[D]:
    """Change the database at ``path`` without disturbing its readers: yields ``open_draft(copy)``, a
    read-write database on a copy of it (see :mod:`borderdesk.store.writer`); when the block ends
    normally the copy, logged as one generation, replaces the file in one atomic rename, and readers
    switch when they reopen. An exception, a kill or a full disk leave the database as it was; a block
    that changed nothing leaves the file alone."""
    with next_file.next_database(Path(path), timeout=lock_timeout, command=command, on_wait=on_wait) as draft:
        try:
            db = open_draft(draft.path)
        except DatabaseError as e:  # what is wrong with the copy is wrong with the file the user named
            if e.template is not None:
                raise DatabaseError(
                    e.template.replace(str(draft.path), str(path)), parameter=e.parameter
                ) from None
            raise DatabaseError(str(e).replace(str(draft.path), str(path))) from None
        try:
            before = {r.sha256 for r in store.list_releases(db.con)}
            yield db
            added = [r.label for r in store.list_releases(db.con) if r.sha256 not in before]
            if not (added or draft.new or db.migrated_from is not None):
                draft.discard = True  # nothing changed: readers keep the file they have
            else:
                if db.migrated_from is not None:
                    command += f" (migrated from schema {db.migrated_from})"
                updates.record(db.con, command, added)
                db.con.execute("CHECKPOINT")
        finally:
            db.close()


class _DraftDatabase:
    """The read-write copy :meth:`Writer._through_copy` writes: what :func:`writing` needs, and a writer."""

    def __init__(self, path: Path) -> None:
        self._opened = open_database(path, lock=False)
        self.migrated_from = self._opened.migrated_from
        self.writer = Writer(path, self._opened.cursors, read_only=False, changed=lambda: None)

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        return self._opened.cursors.current()

    def close(self) -> None:
        self._opened.cursors.close()
