"""Where the server runs claim checks: beside the quick answers, never in their way.

A claim check is CPU work, up to a second or more for a long text, and Python runs one thread at a time:
a check in the server's own thread pool holds the interpreter lock the event loop needs, so four long
checks made a ``/api/count`` that takes 3 ms take 200-500 ms. :class:`ProcessChecks` runs checks in a
bounded pool of worker processes instead, each with its own read-only view of the database (following
the file across updates, as the server does) and a lower CPU priority (``nice``), so the server's own
process keeps the CPU it needs for counts and pages. When more checks wait than the pool can take in a
reasonable time, the next one is refused at once with 503 and ``Retry-After`` rather than queued
without end.

:class:`ThreadChecks` keeps the checks in the server's threads; it serves apps built around a
:class:`~borderdesk.desk.Desk` object given by the caller (tests, embedding), where there is no file for
a worker to open.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, Protocol

from starlette.concurrency import run_in_threadpool

from borderdesk.claims import ClaimResult
from borderdesk.desk import Desk
from borderdesk.http.live import LiveDesk

log = logging.getLogger("borderdesk.serve")

#: How much lower the workers' CPU priority is than the server's (``nice`` increment, 0-19).
WORKER_NICENESS = 10

#: Checks that may wait for a worker, per worker, before the next one is refused with 503.
QUEUE_PER_WORKER = 4


class ServerBusy(Exception):
    """Every check worker is busy and the queue is full: answer 503 with ``Retry-After``."""

    retry_after = 5


class CheckRunner(Protocol):
    async def check(
        self, desk: Desk, text: str, *, date: str | None, timeout: float | None
    ) -> list[ClaimResult]: ...

    def close(self) -> None: ...


class ThreadChecks:
    """Checks in the server's thread pool, on the request's own desk."""

    async def check(
        self, desk: Desk, text: str, *, date: str | None, timeout: float | None
    ) -> list[ClaimResult]:
        return await run_in_threadpool(desk.check, text, date=date, timeout=timeout)

    def close(self) -> None:
        pass


# -- the worker side: module-level, so a spawned process can import them ------------------------------

_worker_live: LiveDesk | None = None


def _worker_start(path: str, niceness: int, parent: int) -> None:
    global _worker_live
    with contextlib.suppress(OSError):
        os.nice(niceness)
    threading.Thread(target=_exit_with, args=(parent,), name="borderdesk-parent-watch", daemon=True).start()
    desk = Desk(Path(path), read_only=True)
    _worker_live = LiveDesk(Path(path), desk, version=lambda _desk: "", interval=0.5)
    # import the checker and its tables now, not in the first request that reaches this worker; an
    # empty database cannot answer it, and must not break the pool for the checks that say so
    with contextlib.suppress(Exception):
        desk.check("In November 2022, CBP encountered 5,507 Russians at the southwest border.")


def _exit_with(parent: int) -> None:
    """End this worker when the server that started it is gone (killed, or stopped without closing
    the pool): an orphaned worker would hold the database file and a core's worth of memory."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _worker_check(text: str, date: str | None, timeout: float | None) -> list[ClaimResult]:
    assert _worker_live is not None, "the worker was not started by _worker_start"
    return _worker_live.current().desk.check(text, date=date, timeout=timeout)


def _worker_ready() -> int:
    return os.getpid()


class ProcessChecks:
    """Checks in ``workers`` processes of their own over the database file at ``path``.

    The workers open the file read-only when the pool starts, and reopen it when a writer swaps in a new
    one, as the server does (:class:`~borderdesk.http.live.LiveDesk`): a check answers from the newest
    whole file. A worker that dies (out of memory, killed) breaks the pool; the next check starts a new
    one, and the check that was running gets 503."""

    def __init__(self, path: Path | str, *, workers: int, niceness: int = WORKER_NICENESS) -> None:
        if workers < 1:
            raise ValueError("a process pool needs at least one worker")
        self.path = str(path)
        self.workers = workers
        self.niceness = niceness
        self.queue_limit = workers * QUEUE_PER_WORKER
        self._pending = 0
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn, not fork: the server has threads (uvicorn's, DuckDB's) that a fork would copy mid-step
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_worker_start,
            initargs=(self.path, self.niceness, os.getpid()),
        )

    def start(self) -> None:
        """Start every worker now (each opens the database and warms the checker), so the first checks
        do not pay for it."""
        for _ in range(self.workers):
            self._pool.submit(_worker_ready)

    async def check(
        self, desk: Desk, text: str, *, date: str | None, timeout: float | None
    ) -> list[ClaimResult]:
        if self._pending >= self.queue_limit:
            raise ServerBusy(f"{self._pending} claim checks are already waiting for a worker")
        self._pending += 1
        try:
            pool = self._pool
            loop = asyncio.get_running_loop()
            try:
                return await loop.run_in_executor(pool, _worker_check, text, date, timeout)
            except BrokenProcessPool:
                self._replace(pool)
                raise ServerBusy("a claim-check worker stopped; the pool is being restarted") from None
        finally:
            self._pending -= 1

    def worker_pids(self) -> list[int]:
        """The worker processes running now (for monitoring, and tests that stop one)."""
        processes = getattr(self._pool, "_processes", None) or {}
        return sorted(processes)

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        if self._pool is broken:
            log.error("a claim-check worker process died: starting a new pool")
            broken.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()

    def close(self) -> None:
        """Stop the workers now: they only read, so a check cut short loses nothing."""
        processes = list((getattr(self._pool, "_processes", None) or {}).values())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            with contextlib.suppress(Exception):
                process.terminate()


def checks_of(app: Any) -> CheckRunner:
    """The runner the app's check endpoints use (threads unless the app was given a pool)."""
    runner: CheckRunner | None = getattr(app.state, "checks", None)
    return runner if runner is not None else ThreadChecks()
