"""Download CBP release files over HTTP(S): every release file a page links to, one after the other.

Core library code: nothing here prints or logs. Callers see progress through a callback receiving
:class:`ProgressEvent` values and failures as :class:`~borderdesk.errors.DownloadError` (never a raw
``httpx`` exception). The parts have a module each: :mod:`~borderdesk.remote.client` (the shared HTTP
client and failure wording), :mod:`~borderdesk.remote.names` (local file names),
:mod:`~borderdesk.remote.pages` (the index page), :mod:`~borderdesk.remote.transfer` (one resumable
file) and :mod:`~borderdesk.remote.links` (which links are release files).
"""

from __future__ import annotations

from pathlib import Path

import httpx

from borderdesk.errors import DownloadError
from borderdesk.remote.client import USER_AGENT, client_scope, make_client
from borderdesk.remote.links import RELEASE_SUFFIXES, find_release_links, is_release_url
from borderdesk.remote.names import file_name_from_url, sanitize_file_name, unique_names
from borderdesk.remote.pages import fetch_page, fetch_page_and_url
from borderdesk.remote.transfer import DownloadedFile, ProgressCallback, ProgressEvent, download

__all__ = [
    "DEFAULT_PAGE_URL",
    "USER_AGENT",
    "DownloadedFile",
    "ProgressCallback",
    "ProgressEvent",
    "download",
    "download_releases",
    "fetch_page",
    "file_name_from_url",
    "is_release_url",
    "make_client",
    "sanitize_file_name",
]

#: The CBP page that links the current Nationwide Encounters release files.
DEFAULT_PAGE_URL = "https://www.cbp.gov/document/stats/nationwide-encounters"


def download_releases(
    page_url: str,
    dest_dir: Path,
    *,
    client: httpx.Client | None = None,
    progress: ProgressCallback | None = None,
    timeout: float = 60,
) -> list[DownloadedFile]:
    """Download every release file ``page_url`` links to (or the file itself if it is a release URL).

    Files are downloaded one after the other, in page order; two links with the same file name get
    distinct local names (``-2`` before the suffix). Raises DownloadError if the page cannot be fetched,
    links no release file, or any download fails (files finished before that stay in ``dest_dir``).
    """
    with client_scope(client, timeout) as http:
        if is_release_url(page_url):
            return [download(page_url, dest_dir, client=http, progress=progress, timeout=timeout)]
        html, final_url = fetch_page_and_url(http, page_url, timeout)
        links = find_release_links(html, final_url)
        if not links:
            suffixes = ", ".join(RELEASE_SUFFIXES)
            raise DownloadError(f"no release files ({suffixes}) are linked from {page_url}")
        return [
            download(link, dest_dir, client=http, progress=progress, timeout=timeout, file_name=name)
            for link, name in zip(links, unique_names(links), strict=True)
        ]
