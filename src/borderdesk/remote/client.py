"""The HTTP client every download shares: who we say we are, and how a transport failure is worded.

Kept apart from the transfer logic so that a page fetch and a file download speak to servers (User-Agent,
redirects, timeouts) and describe failures (:func:`describe`) the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from borderdesk.config import package_version

PROJECT_URL = "https://github.com/borderdesk/borderdesk"
USER_AGENT = f"borderdesk/{package_version()} (+{PROJECT_URL})"


def make_client(*, timeout: float = 60) -> httpx.Client:
    """An ``httpx.Client`` set up like the one :func:`~borderdesk.remote.download` creates (User-Agent,
    redirects, timeout)."""
    return httpx.Client(
        follow_redirects=True,
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": USER_AGENT},
    )


@contextmanager
def client_scope(client: httpx.Client | None, timeout: float) -> Iterator[httpx.Client]:
    """The caller's client (left open), or a new one closed on exit."""
    if client is not None:
        yield client
        return
    with make_client(timeout=timeout) as own:
        yield own


def headers(client: httpx.Client, extra: dict[str, str]) -> dict[str, str]:
    """``extra`` plus our User-Agent, unless the caller's client already names its own."""
    out = dict(extra)
    current = client.headers.get("User-Agent", "")
    if not current or current.startswith("python-httpx/"):  # keep a caller's own User-Agent
        out["User-Agent"] = USER_AGENT
    return out


def describe(exc: Exception, timeout: float) -> str:
    """A short human reason for a transport-level failure."""
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out (no answer within {timeout:g} s)"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({detail})"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the connection broke off ({detail})"
    if isinstance(exc, httpx.TooManyRedirects):
        return "too many redirects"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return f"unsupported URL ({detail})"
    if isinstance(exc, httpx.InvalidURL):
        return f"invalid URL ({detail})"
    return detail


def is_transient_status(status: int) -> bool:
    """Whether an HTTP status may not be there on the next try: a server error, a timeout, a throttle."""
    return status >= 500 or status in (408, 429)


def is_transient(exc: Exception) -> bool:
    """Whether a transport failure may not happen again (a timeout, a refused or broken connection),
    unlike a bad URL, an unsupported scheme or a redirect loop."""
    return isinstance(exc, httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError)


def status_reason(response: httpx.Response) -> str:
    phrase = response.reason_phrase
    return f"HTTP {response.status_code} {phrase}" if phrase else f"HTTP {response.status_code}"


def int_header(response: httpx.Response, name: str) -> int | None:
    value = response.headers.get(name)
    if value is None or not value.strip().isdigit():
        return None
    return int(value.strip())


def is_identity(response: httpx.Response) -> bool:
    """Whether the body arrives as the file's own bytes (no Content-Encoding), so sizes and ranges hold."""
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    return encoding in ("", "identity")


_CONTENT_RANGE = re.compile(r"\s*bytes\s+(?:(\d+)-(\d+)|\*)/(\d+|\*)\s*", re.IGNORECASE)


def content_range(response: httpx.Response) -> tuple[int | None, int | None] | None:
    """``(first_byte, total)`` from Content-Range (None for ``*``), or None if it is absent or invalid."""
    value = response.headers.get("Content-Range")
    if value is None:
        return None
    match = _CONTENT_RANGE.fullmatch(value)
    if match is None:
        return None
    first = int(match.group(1)) if match.group(1) is not None else None
    total = int(match.group(3)) if match.group(3) != "*" else None
    return first, total
