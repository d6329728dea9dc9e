"""Trying a download again when it failed in a way that may pass: a 503 from a busy server, a refused or
dropped connection, a body cut short (:class:`~borderdesk.errors.TransientDownloadError`).

A 404 or a limit is final at once. The waits double (``wait``, ``2 * wait``...) and never run past the
run's deadline; a body cut short is resumed from its partial file, not fetched again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from borderdesk.errors import TransientDownloadError
from borderdesk.remote.budget import Budget

T = TypeVar("T")


def retrying(
    action: Callable[[], T],
    *,
    retries: int,
    wait: float,
    budget: Budget,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """``action()``, tried up to ``retries`` more times while it fails transiently and time is left;
    the last failure is raised, saying how many times it was tried."""
    attempt = 0
    while True:
        try:
            return action()
        except TransientDownloadError as e:
            pause = wait * 2**attempt
            left = budget.remaining()
            if attempt >= retries or (left is not None and left <= pause):
                if attempt == 0:
                    raise
                raise TransientDownloadError(f"{e} (tried {attempt + 1} times)") from e
            sleep(pause)
            attempt += 1
