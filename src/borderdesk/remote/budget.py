"""What one update may spend on downloading: bytes per file, and seconds for the whole run.

Without these a server decides: it can send 3 GB, or keep a download alive for ever by trickling one
byte every 20 s (each read's timeout starts again with every byte). A :class:`Budget` is shared by
the page fetch and every file of one run; the transfer asks it, as bytes arrive, whether to go on.

>>> budget = Budget(max_bytes=10, deadline=None)
>>> budget.over_size(11), budget.expired(), budget.timeout(60)
(True, False, 60)
"""

from __future__ import annotations

import time
from collections.abc import Callable

from borderdesk.errors import BorderdeskError, DownloadLimitError
from borderdesk.limits import MAX_DOWNLOAD_BYTES as DEFAULT_MAX_DOWNLOAD_BYTES
from borderdesk.limits import UPDATE_DEADLINE as DEFAULT_DEADLINE

__all__ = ["DEFAULT_DEADLINE", "DEFAULT_MAX_DOWNLOAD_BYTES", "UNLIMITED", "Budget"]

_RAISE_SIZE = "if the file is genuine, raise the limit: `borderdesk update --max-download-bytes N`"
_RAISE_TIME = "allow more time: `borderdesk update --deadline SECONDS`"


class Budget:
    """The size cap per file (``max_bytes``, None: none) and the moment the run must stop
    (``deadline`` seconds after the budget is made, None: never)."""

    def __init__(
        self,
        max_bytes: int | None = DEFAULT_MAX_DOWNLOAD_BYTES,
        deadline: float | None = DEFAULT_DEADLINE,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_bytes is not None and not max_bytes >= 1:
            raise BorderdeskError(f"max_download_bytes must be at least 1, not {max_bytes!r}")
        if deadline is not None and not deadline > 0:  # also refuses NaN
            raise BorderdeskError(f"the deadline must be a positive number of seconds, not {deadline!r}")
        self.max_bytes = max_bytes
        self.deadline = deadline
        self._clock = clock
        self._at = None if deadline is None else clock() + deadline

    def remaining(self) -> float | None:
        """Seconds left (never below 0), or None without a deadline."""
        return None if self._at is None else max(self._at - self._clock(), 0.0)

    def expired(self) -> bool:
        left = self.remaining()
        return left is not None and left <= 0

    def timeout(self, timeout: float) -> float:
        """The timeout for one request: ``timeout``, but never past the deadline, so a server that goes
        quiet is given up on when the time is up, not a whole read timeout later."""
        left = self.remaining()
        return timeout if left is None else max(min(timeout, left), 0.001)

    def over_size(self, size: int) -> bool:
        return self.max_bytes is not None and size > self.max_bytes

    def too_large(self, url: str, size: int, *, announced: bool) -> DownloadLimitError:
        """The error for a file of ``size`` bytes over the cap (``announced``: by Content-Length or
        Content-Range, before any of it was read)."""
        limit = self.max_bytes or 0
        what = f"the server announces {size:,} bytes" if announced else f"the file grew past {limit:,} bytes"
        return DownloadLimitError(
            f"cannot download {url}: {what}, over the limit of {limit:,} bytes per file; "
            f"the download was stopped and nothing kept ({_RAISE_SIZE})",
            limit=limit,
            received=size if announced else None,
            unit="bytes",
        )

    def out_of_time(self, failure: str) -> DownloadLimitError:
        """The error for a transfer stopped at the deadline; ``failure`` is the transfer's own wording
        (``cannot download URL: ...``, with where the partial file is kept)."""
        seconds = self.deadline or 0
        return DownloadLimitError(f"{failure} ({_RAISE_TIME})", limit=seconds, unit="seconds")

    def deadline_reason(self) -> str:
        return f"the update's deadline of {self.deadline or 0:g} s passed"

    def not_started(self, url: str) -> DownloadLimitError:
        """The error for a file the run had no time left to start."""
        seconds = self.deadline or 0
        return DownloadLimitError(
            f"cannot download {url}: not started, {self.deadline_reason()} ({_RAISE_TIME})",
            limit=seconds,
            unit="seconds",
        )


#: A budget without limits (what the old, unlimited, behaviour amounted to).
UNLIMITED = Budget(None, None)
