"""Copy, write, swap: how every change reaches a database file that others may be reading.

DuckDB lets one process write a file and no other process open it meanwhile, so borderdesk never writes
the file readers have open. Holding the write lock (:mod:`borderdesk.store.lock`), a writer

1. copies the database to ``.<name>.next-<pid>`` beside it (a new database starts there empty);
2. writes there — ingest, migration, the bundled snapshot — and checkpoints, so the copy is one file;
3. fsyncs it, keeps the current file as ``<name>.previous`` (a hard link: no copy), renames the new file
   over the database — one atomic step — and fsyncs the directory.

A reader that opened the old file keeps reading it, whole, until it reopens (``borderdesk serve`` does
so by itself, see :mod:`borderdesk.http.live`); new readers see the new file. A writer killed at any
moment leaves the database as it was, plus at worst a stale ``.next-`` file that the next writer removes.
A full disk fails step 1 or 2 with a message saying so, and changes nothing.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from borderdesk.errors import PARAMETER, DatabaseError
from borderdesk.store import faults
from borderdesk.store.lock import DEFAULT_TIMEOUT, WriteLock

#: errno values, and DuckDB message fragments, that mean "no room to write".
_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
_FULL_SIGNS = ("no space left", "file too large", "disk quota", "out of disk")


@dataclass
class Draft:
    """The next database being written: ``path``; ``new`` if there was no database before; set
    ``discard`` to drop it instead of publishing (nothing changed)."""

    path: Path
    new: bool
    discard: bool = False


def next_path(db: Path) -> Path:
    return db.with_name(f".{db.name}.next-{os.getpid()}")


def previous_path(db: Path) -> Path:
    return db.with_name(db.name + ".previous")


def _stale(db: Path) -> list[Path]:
    """What a killed writer can leave: its next file, and the link it was about to make ``.previous``."""
    left = [*db.parent.glob(f".{db.name}.next-*"), *db.parent.glob(f"{db.name}.previous.*")]
    return [p for p in left if p.is_file()]


def disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` says the disk (or the file size limit) is full."""
    if isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS:
        return True
    return isinstance(exc, duckdb.Error | OSError) and any(s in str(exc).lower() for s in _FULL_SIGNS)


def full_disk_error(db: Path, exc: BaseException) -> DatabaseError:
    free = ""
    with contextlib.suppress(OSError):
        free = f" ({shutil.disk_usage(db.parent).free / 1e6:,.1f} MB free there)"
    return DatabaseError(
        f"no room to write the new database beside {db}{free}: {exc}. Nothing was changed; free some "
        f"space (an update needs about twice the database's size) and run the command again"
    )


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _unlink(*paths: Path) -> None:
    for p in paths:
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def _copy(src: Path, dst: Path) -> None:
    shutil.copyfile(src, dst)
    wal = src.with_name(src.name + ".wal")  # left by a writer of an older borderdesk that crashed
    if wal.exists():
        shutil.copyfile(wal, dst.with_name(dst.name + ".wal"))


def publish(nxt: Path, db: Path) -> None:
    """Make the finished ``nxt`` the database at ``db`` in one atomic rename (the lock must be held)."""
    _fsync(nxt)
    if db.exists():
        prev = previous_path(db)
        linked = prev.with_name(prev.name + f".{os.getpid()}")
        _unlink(linked)
        try:
            os.link(db, linked)
            os.replace(linked, prev)
        except OSError:  # a filesystem without hard links: keep no previous copy
            _unlink(linked)
        faults.reached("writer-linked-previous")
    os.replace(nxt, db)
    faults.reached("writer-replaced")
    _fsync(db.parent)


@contextlib.contextmanager
def next_database(
    db: Path,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    command: str | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[Draft]:
    """Hold the write lock and yield the :class:`Draft` of the next database (a copy of ``db``, or no
    file yet if ``db`` does not exist). The caller writes there and closes every connection to it; when
    the block ends without an exception (and the draft is not discarded) the next database becomes
    ``db``, otherwise it is deleted."""
    db = db.absolute()
    with WriteLock(db, timeout=timeout, command=command, on_wait=on_wait):
        faults.reached("writer-locked")
        with next_database_locked(db) as nxt:
            yield nxt


@contextlib.contextmanager
def next_database_locked(db: Path) -> Iterator[Draft]:
    """:func:`next_database` for a caller that already holds ``db``'s write lock."""
    db = db.absolute()
    for stale in _stale(db):  # only a killed writer leaves these, and the lock is held
        _unlink(stale, stale.with_name(stale.name + ".wal"))
    if db.is_dir():  # copying it would fail with an OSError that says less
        raise DatabaseError(
            f"{db} is a directory, not a database file: "
            f"name a file with {PARAMETER} (or move the directory away)",
            parameter="db",
        )
    refuse_read_only(db)
    nxt = next_path(db)
    draft = Draft(nxt, new=not db.exists())
    try:
        if not draft.new:
            _copy(db, nxt)
            shutil.copymode(db, nxt)  # the new file keeps the old one's permissions
        faults.reached("writer-copied")
        yield draft
        if draft.discard:
            _unlink(nxt, nxt.with_name(nxt.name + ".wal"))
            return
        wal = nxt.with_name(nxt.name + ".wal")
        if wal.exists() and wal.stat().st_size > 0:  # the rename would leave these changes behind
            raise DatabaseError(f"{nxt} was not checkpointed before it was published")
        _unlink(wal)
        faults.reached("writer-checkpointed")
        publish(nxt, db)
    except BaseException as e:
        _unlink(nxt, nxt.with_name(nxt.name + ".wal"))
        if disk_full(e):
            raise full_disk_error(db, e) from None
        if isinstance(e, OSError):  # an immutable file, a read-only directory...: one line, not a traceback
            raise DatabaseError(f"{db}: the database cannot be written ({_reason(e)})") from None
        raise


def _reason(e: OSError) -> str:
    where = f": {e.filename}" if e.filename else ""
    return f"{e.strerror or e}{where}"


def refuse_read_only(db: Path) -> None:
    """A database file its owner made read-only is not replaced behind their back (renaming the new
    copy over it would succeed, since that needs only the directory to be writable). Root passes
    os.access, so no write bit at all counts as read-only too."""
    try:
        mode = db.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as e:
        raise DatabaseError(f"{db}: the database cannot be read ({_reason(e)})") from None
    if not mode & 0o222 or not os.access(db, os.W_OK):
        raise DatabaseError(
            f"{db} is a read-only database: make the file writable (chmod u+w) to change it, "
            f"or name another file with {PARAMETER}",
            parameter="db",
        )
