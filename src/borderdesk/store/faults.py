"""Named crash points for the fault-injection tests (a no-op unless the environment asks).

``BORDERDESK_KILL_AT=point`` (or ``point:N`` for its N-th passage) makes the process SIGKILL itself
when it reaches ``reached("point")`` — the moments between the steps of a write, where a crash is
most likely to leave something half-done. The tests kill at every point and check that the database
is as before or complete. Reading one environment variable costs nothing on the normal path.
"""

from __future__ import annotations

import os
import signal

POINTS = (
    "writer-locked",  # the write lock is held, nothing copied yet
    "writer-copied",  # the next file is a copy of the current database
    "ingest-staged",  # one release's rows are inserted, its transaction not yet committed
    "ingest-committed",  # one release committed in the next file
    "writer-checkpointed",  # the next file is complete and closed, not yet synced
    "writer-linked-previous",  # the current file is also <db>.previous
    "writer-replaced",  # the next file is the database; the directory not yet synced
)

_seen: dict[str, int] = {}


def reached(point: str) -> None:
    want = os.environ.get("BORDERDESK_KILL_AT")
    if not want:
        return
    name, _, nth = want.partition(":")
    if name != point:
        return
    _seen[point] = _seen.get(point, 0) + 1
    if _seen[point] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
