"""The server's view of a database file that writers replace while it serves.

``borderdesk ingest``/``update`` never write the file the server reads: they build the next database
beside it and rename it into place (:mod:`borderdesk.store.writer`). :class:`LiveDesk` notices the new
file (a ``stat`` at most every ``interval`` seconds, on a request's way in), opens it read-only, and hands
it to the requests that start after that; requests already running finish on the old one, which stays
readable because the server still holds it open. Nothing fails during the switch and no request sees a
half-ingested release: each answers from one whole file, and says which release (and generation) it used.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool

from borderdesk.desk import Desk

log = logging.getLogger("borderdesk.serve")

#: Old desks are closed this long after the swap: every request that could still use one has finished
#: (the longest, a claim check, is bounded at 10 s by default).
RETIRE_AFTER = 120.0

#: After a failed reopen, try again this much later.
RETRY_AFTER = 5.0

_serial = itertools.count(1)


@dataclass(frozen=True)
class ServedState:
    """One opened state of the database: the desk, its generation and the ETag version of its data."""

    desk: Desk
    generation: int | None
    version: str
    key: tuple[int, ...] | None


def _identity(st: os.stat_result) -> tuple[int, ...]:
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)


def file_identity(path: Path | str) -> tuple[int, ...] | None:
    """Which file is at ``path`` now (None if none). Take it *before* opening the file: a writer that
    swaps a new one in between is then noticed by the first check instead of never."""
    try:
        return _identity(os.stat(path))
    except OSError:
        return None


class LiveDesk:
    """The current read-only :class:`Desk` over ``path``, reopened when a writer swaps the file."""

    def __init__(
        self,
        path: Path,
        desk: Desk,
        *,
        version: Callable[[Desk], str],
        interval: float = 0.5,
        on_swap: Callable[[Desk], None] | None = None,
        key: tuple[int, ...] | None = None,
    ) -> None:
        """``key``: :func:`file_identity` of ``path`` taken before ``desk`` was opened; without it, the
        file at ``path`` now is taken to be the one ``desk`` has open."""
        self.path = path
        self.interval = interval
        self._version = version
        self._on_swap = on_swap
        self._reopen = threading.Lock()
        self._retired: list[tuple[float, Desk]] = []
        self._due = time.monotonic() + interval
        if key is None:
            key = file_identity(path)
        self.state = self._served(desk, key)
        self.swaps = 0

    def _served(self, desk: Desk, key: tuple[int, ...] | None) -> ServedState:
        return ServedState(desk, desk.generation, self._version(desk), key)

    @property
    def desk(self) -> Desk:
        return self.current().desk

    def due(self) -> bool:
        """Whether the next :meth:`current` will look at the file (so async callers can run it in a
        worker thread and keep the event loop free while a new file is opened)."""
        return time.monotonic() >= self._due

    def current(self) -> ServedState:
        """The state new requests use; checks for a swapped file at most every ``interval`` seconds."""
        now = time.monotonic()
        if now >= self._due:
            self.refresh(now)
        return self.state

    def refresh(self, now: float | None = None) -> bool:
        """Reopen if the file changed; True if it did. Never raises: on any trouble the server keeps
        answering from the file it has (and logs why)."""
        if not self._reopen.acquire(blocking=False):
            return False  # another request is reopening: keep serving the current state meanwhile
        try:
            now = time.monotonic() if now is None else now
            self._due = now + self.interval
            try:
                key = _identity(os.stat(self.path))
            except OSError:
                return False  # mid-rename on an odd filesystem, or removed: keep the open file
            if key == self.state.key:
                self._close_retired(now)
                return False
            desk = None
            try:
                desk, key = self._open_new()
                served = self._served(desk, key)
            except Exception as e:  # whatever it is, the old file still answers
                if desk is not None:
                    with contextlib.suppress(Exception):
                        desk.close()
                log.error(
                    "kept serving the previous database: cannot open the new %s (%s); retrying in %.0f s",
                    self.path,
                    e,
                    RETRY_AFTER,
                )
                self._due = now + max(self.interval, RETRY_AFTER)  # not given up: a transient fault
                return False
            old = self.state.desk
            self.state = served
            self.swaps += 1
            self._retired.append((now, old))
            log.warning(
                "borderdesk: now serving generation %s of %s (newest release %s)",
                self.state.generation,
                self.path,
                getattr(desk.newest_release(), "label", None),
            )
            if self._on_swap is not None:
                self._on_swap(desk)
            self._close_retired(now)
            return True
        finally:
            self._reopen.release()

    def _open_new(self) -> tuple[Desk, tuple[int, ...]]:
        """Open the file now at ``path`` under a private name: DuckDB caches open databases by path, so
        opening ``path`` itself would hand back the old file while the server still holds it. The name
        is a hard link beside it, or, where links are refused (a read-only folder, another owner with
        protected hard links), a copy in the temporary folder."""
        name = f".{self.path.name}.serve-{os.getpid()}-{next(_serial)}"
        link = self.path.with_name(name)
        try:
            os.link(self.path, link)
        except OSError:
            link = Path(tempfile.gettempdir()) / name
            shutil.copyfile(self.path, link)
        try:
            key = _identity(os.stat(link))
            desk = Desk(link, read_only=True)
        finally:
            with contextlib.suppress(FileNotFoundError):
                link.unlink()  # the open file stays readable; nothing is left in the directory
        try:
            desk.catalog  # noqa: B018 - load the release catalog now, not in the first request after it
        except BaseException:
            desk.close()
            raise
        return desk, key

    def _close_retired(self, now: float) -> None:
        keep = []
        for when, desk in self._retired:
            if now - when >= RETIRE_AFTER:
                with contextlib.suppress(Exception):
                    desk.close()
            else:
                keep.append((when, desk))
        self._retired = keep

    def close(self) -> None:
        for _, desk in self._retired:
            with contextlib.suppress(Exception):
                desk.close()
        self._retired = []
        self.state.desk.close()


def live_of(app: Any) -> LiveDesk | None:
    live: LiveDesk | None = getattr(app.state, "live", None)
    return live


def current_desk(request: Any) -> Desk:
    """The desk this request uses: the state :class:`PinState` pinned when it came in (so its ETag,
    its generation header and its answer all come from one file), else the app's fixed desk."""
    return current_desk_of_scope(request.scope)


def current_desk_of_scope(scope: Any) -> Desk:
    """:func:`current_desk` from the ASGI scope (for middleware, which has no request object)."""
    snap: ServedState | None = scope.get("state", {}).get("borderdesk")
    if snap is not None:
        return snap.desk
    desk: Desk = scope["app"].state.desk
    return desk


class PinState:
    """ASGI middleware: pin the live state for the whole request and name its generation in an
    ``X-Borderdesk-Generation`` header."""

    def __init__(self, app: Any, live: LiveDesk) -> None:
        self.app = app
        self.live = live

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.live.due():  # may open a new file: not on the event loop
            snap = await run_in_threadpool(self.live.current)
        else:
            snap = self.live.state
        scope.setdefault("state", {})["borderdesk"] = snap
        header = (b"x-borderdesk-generation", str(snap.generation).encode())

        async def send_with_generation(message: Any) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), header]
            await send(message)

        await self.app(scope, receive, send_with_generation)
