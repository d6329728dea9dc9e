"""The Dask engine: the same batches, checked on a dask.distributed cluster (``--scheduler ADDRESS``),
or on a LocalCluster of worker processes started for the run when no address is given.

Workers run :func:`~borderdesk.archive.work.check_batch`, as the local engine's processes do, so the
rows are the same; each worker process opens the database once and keeps it. The database file must
be at the same path on every worker machine (see docs/how-to/check-an-archive.md). At most two
batches per worker thread are in flight, so neither the scheduler nor this process holds the archive.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from borderdesk.archive.inputs import Article
from borderdesk.archive.work import Outcome, Settings, check_batch

#: Batches in flight per worker thread (as the local engine's per process).
IN_FLIGHT_PER_THREAD = 2


class DaskEngine:
    """Check batches on a Dask cluster: ``client`` (an open dask.distributed Client, kept open), else
    the scheduler at ``scheduler``, else a LocalCluster of ``workers`` one-thread processes."""

    def __init__(self, scheduler: str | None = None, workers: int | None = None, client: Any = None) -> None:
        self.scheduler, self.workers, self.client = scheduler, workers, client

    def describe(self) -> str:
        if self.client is not None:
            return f"dask, {self.client.scheduler.address}"
        if self.scheduler:
            return f"dask, scheduler {self.scheduler}"
        return f"dask, a LocalCluster of {self.workers or 'one per core'} workers"

    def map(self, batches: Iterator[list[Article]], settings: Settings) -> Iterator[list[Outcome]]:
        import dask.distributed

        distributed: Any = dask.distributed  # untyped: called through Any
        Client, LocalCluster, as_completed = (
            distributed.Client,
            distributed.LocalCluster,
            distributed.as_completed,
        )
        cluster, client = None, self.client
        if client is None:
            if self.scheduler:
                client = Client(self.scheduler)
            else:
                cluster = LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.WARNING,
                )
                client = Client(cluster)
        try:
            threads = max(1, sum(client.nthreads().values()))
            running = as_completed()
            in_flight = 0
            for batch in batches:
                running.add(client.submit(check_batch, batch, settings, pure=False))
                in_flight += 1
                while in_flight >= IN_FLIGHT_PER_THREAD * threads:
                    yield next(running).result()
                    in_flight -= 1
            for future in running:
                yield future.result()
        finally:
            if client is not self.client:
                client.close()
            if cluster is not None:
                cluster.close()
