"""How much text the checker reads, and for how long: the limits every shell (CLI, HTTP, Python) shares.

The core refuses a text over :data:`MAX_TEXT` characters whoever calls it; shells that face other
people's input (the HTTP API and the check page) refuse much less, :data:`MAX_SHARED_TEXT`. A
:class:`Deadline` is checked between sentences, blocks and claims, so checking stops soon after its
time is up with a :class:`~borderdesk.errors.CheckTimeoutError` instead of running on.

>>> Deadline(None).check()            # no limit: never raises
>>> Deadline(10.0).expired()
False
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic

from borderdesk.errors import BorderdeskError, CheckTimeoutError, TextTooLongError

#: Characters the core reads at most (any caller; `borderdesk check` reads at most MAX_BYTES bytes).
MAX_TEXT = 5_000_000
#: Bytes `borderdesk check` reads from a file or stdin at most (it reads one more to know).
MAX_BYTES = 5_000_000
#: Characters a text sent to the server (POST /api/check, the check page) may have.
MAX_SHARED_TEXT = 200_000
#: Seconds a check may take in the shells (`borderdesk check --timeout`, the server); None = no limit.
DEFAULT_TIMEOUT = 10.0
#: Bytes one file downloaded by `update` may have (`--max-download-bytes`). CBP's files are about
#: 3 MB, and `ingest` refuses a file over 64 MiB anyway (``ReadLimits.max_bytes``), so a larger
#: download would only be thrown away.
MAX_DOWNLOAD_BYTES = 64 * 1024 * 1024
#: Seconds one `update` may spend downloading, page and files together (`--deadline`): 15 minutes,
#: a whole release set at under 50 KB/s.
UPDATE_DEADLINE = 900.0
#: Times `update` tries a download again when it failed in a way that may pass (a 5xx answer, a
#: refused or dropped connection), waiting 1 s, then 2 s (`--retries`); a 404 is final at once.
UPDATE_RETRIES = 2
#: Bytes of HTML `borderdesk check URL` (and the check page) fetch at most: a news page with its
#: scripts is under 2 MB; anything larger is most likely not an article.
MAX_ARTICLE_BYTES = 5 * 1024 * 1024
#: Seconds fetching one page to check may take, redirects included (`check URL`, the check page).
ARTICLE_DEADLINE = 20.0


class Deadline:
    """The moment checking must stop: ``seconds`` after it is made (None: never).

    ``clock`` defaults to this module's ``monotonic`` (:func:`time.monotonic`), looked up when the
    deadline is made, so a test can replace it for every check at once."""

    def __init__(self, seconds: float | None, *, clock: Callable[[], float] | None = None) -> None:
        if seconds is not None and not seconds > 0:  # also refuses NaN
            raise BorderdeskError(f"timeout must be a positive number of seconds, not {seconds!r}")
        self.seconds = seconds
        self._clock = clock if clock is not None else monotonic
        self._at = None if seconds is None else self._clock() + seconds

    def expired(self) -> bool:
        return self._at is not None and self._clock() >= self._at

    def check(self) -> None:
        """Raise :class:`~borderdesk.errors.CheckTimeoutError` once the time is up."""
        if self.seconds is not None and self.expired():
            raise CheckTimeoutError(self.seconds)


#: A deadline that never comes (what callers without a timeout get).
NEVER = Deadline(None)


def check_length(text: str, limit: int = MAX_TEXT) -> None:
    """Refuse a text longer than ``limit`` characters with a :class:`~borderdesk.errors.TextTooLongError`
    naming the limit and the length."""
    if len(text) > limit:
        raise TextTooLongError(len(text), limit)
