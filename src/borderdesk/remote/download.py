"""Download CBP release files over HTTP(S): every release file a page links to, one after the other.

Core library code: nothing here prints or logs. Callers see progress through a callback receiving
:class:`ProgressEvent` values and failures as :class:`~borderdesk.errors.DownloadError` (never a raw
``httpx`` exception). The parts have a module each: :mod:`~borderdesk.remote.client` (the shared HTTP
client and failure wording), :mod:`~borderdesk.remote.names` (local file names),
:mod:`~borderdesk.remote.pages` (the index page), :mod:`~borderdesk.remote.transfer` (one resumable
file) and :mod:`~borderdesk.remote.links` (which links are release files).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from borderdesk.errors import DownloadError
from borderdesk.remote.budget import DEFAULT_DEADLINE, DEFAULT_MAX_DOWNLOAD_BYTES, Budget
from borderdesk.remote.client import USER_AGENT, client_scope, make_client
from borderdesk.remote.links import RELEASE_SUFFIXES, find_release_links, is_release_url, published_from_url
from borderdesk.remote.names import file_name_from_url, sanitize_file_name, unique_names
from borderdesk.remote.pages import fetch_page, fetch_page_and_url
from borderdesk.remote.retry import retrying
from borderdesk.remote.transfer import DownloadedFile, ProgressCallback, ProgressEvent, download, transfer

__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_DOWNLOAD_BYTES",
    "DEFAULT_PAGE_URL",
    "USER_AGENT",
    "DownloadedFile",
    "FailedDownload",
    "ProgressCallback",
    "ProgressEvent",
    "download",
    "download_each",
    "download_releases",
    "fetch_page",
    "file_name_from_url",
    "is_release_url",
    "make_client",
    "sanitize_file_name",
]

#: The CBP page that links the current Nationwide Encounters release files.
DEFAULT_PAGE_URL = "https://www.cbp.gov/document/stats/nationwide-encounters"


@dataclass(frozen=True, slots=True)
class FailedDownload:
    """A release file a page links to that could not be downloaded: missing (404, 410), refused by the
    server (5xx), cut off, or stopped by a limit. ``path`` is where it would have been saved (a partial
    file there, ``<path>.part``, is resumed by the next attempt); ``error`` says why."""

    url: str
    path: Path
    error: DownloadError
    published: str | None

    @property
    def reason(self) -> str:
        return str(self.error)


def download_each(
    page_url: str,
    dest_dir: Path,
    *,
    client: httpx.Client | None = None,
    progress: ProgressCallback | None = None,
    timeout: float = 60,
    max_bytes: int | None = DEFAULT_MAX_DOWNLOAD_BYTES,
    deadline: float | None = DEFAULT_DEADLINE,
    retries: int = 0,
    retry_wait: float = 1.0,
) -> list[DownloadedFile | FailedDownload]:
    """Download every release file ``page_url`` links to, each on its own: one that fails is a
    :class:`FailedDownload` in the list, and the files after it are still downloaded.

    Like :func:`download_releases` otherwise (page order, distinct names, limits, retries); raises
    DownloadError only when there is nothing to download: the page cannot be fetched in time or links
    no release file. Once the deadline has passed, the files not yet started fail without a request.
    """
    budget, tries = Budget(max_bytes, deadline), (retries, retry_wait)
    return list(
        _each(
            page_url, dest_dir, client=client, progress=progress, timeout=timeout, budget=budget, tries=tries
        )
    )


def download_releases(
    page_url: str,
    dest_dir: Path,
    *,
    client: httpx.Client | None = None,
    progress: ProgressCallback | None = None,
    timeout: float = 60,
    max_bytes: int | None = DEFAULT_MAX_DOWNLOAD_BYTES,
    deadline: float | None = DEFAULT_DEADLINE,
    retries: int = 0,
    retry_wait: float = 1.0,
) -> list[DownloadedFile]:
    """Download every release file ``page_url`` links to (or the file itself if it is a release URL).

    Files are downloaded one after the other, in page order; two links with the same file name get
    distinct local names (``-2`` before the suffix). Raises DownloadError if the page cannot be fetched,
    links no release file, or any download fails (files finished before that stay in ``dest_dir``).

    ``max_bytes`` caps each file (None: no cap), ``deadline`` the whole call, page included, in seconds
    (None: no deadline); either stops a transfer with :class:`~borderdesk.errors.DownloadLimitError`.
    A transient failure (a 5xx answer, a dropped connection; the page's too) is tried again
    ``retries`` times, after ``retry_wait`` seconds, then twice that...; the default is not to.
    """
    budget, tries = Budget(max_bytes, deadline), (retries, retry_wait)
    files: list[DownloadedFile] = []
    each = _each(
        page_url, dest_dir, client=client, progress=progress, timeout=timeout, budget=budget, tries=tries
    )
    for result in each:
        if isinstance(result, FailedDownload):
            raise result.error
        files.append(result)
    return files


def _each(
    page_url: str,
    dest_dir: Path,
    *,
    client: httpx.Client | None,
    progress: ProgressCallback | None,
    timeout: float,
    budget: Budget,
    tries: tuple[int, float],
) -> Iterator[DownloadedFile | FailedDownload]:
    """One result per release file, downloaded when it is asked for (so a caller that stops at the first
    failure downloads nothing after it)."""
    with client_scope(client, timeout) as http:
        if is_release_url(page_url):
            links, names = [page_url], [file_name_from_url(page_url)]
        else:
            retries, wait = tries
            html, final_url = retrying(
                lambda: fetch_page_and_url(http, page_url, timeout, budget),
                retries=retries,
                wait=wait,
                budget=budget,
            )
            links = find_release_links(html, final_url)
            if not links:
                suffixes = ", ".join(RELEASE_SUFFIXES)
                raise DownloadError(f"no release files ({suffixes}) are linked from {page_url}")
            names = unique_names(links)
        for link, name in zip(links, names, strict=True):
            if budget.expired():
                failure = budget.not_started(link)
                yield FailedDownload(link, Path(dest_dir) / name, failure, published_from_url(link))
                continue
            try:
                yield transfer(link, dest_dir, http, progress, timeout, name, budget, *tries)
            except DownloadError as e:
                yield FailedDownload(link, Path(dest_dir) / name, e, published_from_url(link))
