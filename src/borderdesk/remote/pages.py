"""Fetching the index page that links the release files: bounded in size, decoded whatever its charset."""

from __future__ import annotations

import httpx

from borderdesk.errors import DownloadError, TransientDownloadError
from borderdesk.remote.budget import UNLIMITED, Budget
from borderdesk.remote.client import (
    client_scope,
    describe,
    headers,
    is_transient,
    is_transient_status,
    status_reason,
)

#: An index page larger than this is refused (it is most likely a data file, not a page).
MAX_PAGE_BYTES = 16 * 1024 * 1024


def fetch_page(url: str, client: httpx.Client | None = None, *, timeout: float = 60) -> str:
    """The text of the index page at ``url``; raises DownloadError on any failure.

    A URL that points straight at a release file should not be fetched as a page: check it with
    :func:`~borderdesk.remote.is_release_url` and :func:`~borderdesk.remote.download` it instead.
    """
    with client_scope(client, timeout) as http:
        text, _final_url = fetch_page_and_url(http, url, timeout)
    return text


def fetch_page_and_url(
    http: httpx.Client, url: str, timeout: float, budget: Budget = UNLIMITED
) -> tuple[str, str]:
    """``(text, final URL after redirects)`` of the page at ``url``: links resolve against the final URL.
    The page counts against ``budget``'s deadline (a page trickled byte by byte stops the update)."""
    try:
        with http.stream(
            "GET", url, headers=headers(http, {}), timeout=budget.timeout(timeout), follow_redirects=True
        ) as response:
            if not response.is_success:
                kind = TransientDownloadError if is_transient_status(response.status_code) else DownloadError
                raise kind(f"cannot fetch {url}: {status_reason(response)}")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_PAGE_BYTES:
                    raise DownloadError(
                        f"cannot fetch {url}: the page is larger than {MAX_PAGE_BYTES // (1024 * 1024)} MiB"
                        " (is it a data file rather than a page?)"
                    )
                if budget.expired():
                    raise budget.out_of_time(f"cannot fetch {url}: {budget.deadline_reason()}")
            final_url = str(response.url)
            encoding = response.encoding or "utf-8"
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
        if isinstance(exc, httpx.TimeoutException) and budget.expired():
            raise budget.out_of_time(f"cannot fetch {url}: {budget.deadline_reason()}") from exc
        kind = TransientDownloadError if is_transient(exc) else DownloadError
        raise kind(f"cannot fetch {url}: {describe(exc, timeout)}") from exc
    try:
        text = body.decode(encoding, errors="replace")
    except LookupError:  # the server named an unknown charset
        text = body.decode("utf-8", errors="replace")
    return text, final_url
