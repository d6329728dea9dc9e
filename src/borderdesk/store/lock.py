"""One writer at a time: an advisory lock beside the database file.

``ingest``, ``update``, ``migrate`` and a read-write :class:`~borderdesk.desk.Desk` hold
``<database>.lock`` (``flock``) while they write. A second writer waits up to its timeout, saying who
holds the lock, then gives up with a :class:`LockTimeoutError` that names the holder. The kernel releases
the lock when its process dies (even by SIGKILL), so a crash never leaves the database locked.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from borderdesk.errors import PARAMETER, DatabaseError

#: How long a writer waits for another one by default (seconds): an ingest of every release takes ~2 s,
#: a download of one over a slow link can take minutes.
DEFAULT_TIMEOUT = 600.0


class LockTimeoutError(DatabaseError):
    """Another process kept the write lock for longer than this one would wait."""

    exit_code = 75  # EX_TEMPFAIL: try again later


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


def _describe(holder: dict[str, object]) -> str:
    if not holder:
        return "another process"
    return f"pid {holder.get('pid')} ({holder.get('command')}, since {holder.get('since')})"


class WriteLock:
    """``with WriteLock(db, timeout=10, command="borderdesk ingest"):`` — hold the database's write lock.

    ``on_wait(message)`` is called once if the lock is busy, so shells can say what they wait for.
    """

    def __init__(
        self,
        db: Path,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        command: str | None = None,
        on_wait: Callable[[str], None] | None = None,
        poll: float = 0.05,
    ) -> None:
        self.db = db
        self.path = lock_path(db)
        self.timeout = timeout
        self.command = command or " ".join(["borderdesk", *sys.argv[1:2]])
        self.on_wait = on_wait
        self.poll = poll
        self._fd: int | None = None

    def holder(self) -> dict[str, object]:
        """Who holds (or last held) the lock, as written in the lock file."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def acquire(self) -> None:
        self.db.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise DatabaseError(f"cannot create the lock file {self.path}: {e.strerror}") from None
        start = time.monotonic()
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - start
                if waited >= self.timeout:
                    os.close(fd)
                    raise LockTimeoutError(
                        f"{self.db} is being written by {_describe(self.holder())}; gave up after "
                        f"waiting {waited:.1f} s. Try again when it has finished, or wait longer with "
                        f"{PARAMETER} SECONDS",
                        parameter="lock_timeout",
                    ) from None
                if not told and self.on_wait is not None:
                    self.on_wait(f"waiting for {_describe(self.holder())} to finish writing {self.db}")
                    told = True
                time.sleep(min(self.poll, max(self.timeout - waited, 0.001)))
        me = {
            "pid": os.getpid(),
            "command": self.command,
            "since": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        }
        with contextlib.suppress(OSError):  # who holds it is for messages only
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(me).encode(), 0)
        self._fd = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> WriteLock:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
