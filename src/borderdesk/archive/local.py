"""The local engine: a pool of worker processes on this machine, one per core by default.

Processes are started with ``spawn`` (a fresh interpreter: no database connection or thread copied
from the parent by ``fork``); each opens the database read-only on its first batch and keeps it
(:func:`~borderdesk.archive.work.desk_for`). At most two batches per worker are in flight, so memory
stays bounded however long the archive is: the next batch is read only when one comes back.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

from borderdesk.archive.inputs import Article
from borderdesk.archive.work import Outcome, Settings, check_batch

#: Batches in flight per worker: one being checked, one waiting, so no worker idles between batches.
IN_FLIGHT_PER_WORKER = 2


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class LocalEngine:
    """Check batches on ``workers`` local processes; outcomes come back as batches finish."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()

    def describe(self) -> str:
        return f"local, {self.workers} worker process{'es' if self.workers != 1 else ''}"

    def map(self, batches: Iterator[list[Article]], settings: Settings) -> Iterator[list[Outcome]]:
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        pending: set[Future[list[Outcome]]] = set()
        try:
            for batch in batches:
                pending.add(pool.submit(check_batch, batch, settings))
                while len(pending) >= IN_FLIGHT_PER_WORKER * self.workers:
                    finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        yield future.result()
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    yield future.result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
