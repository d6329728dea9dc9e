"""Download CBP release files: find them on a page, fetch them resumably, report progress.

Each file is capped in size (``max_bytes``) and a whole run has a deadline (``deadline`` seconds):
a server cannot send 3 GB or keep a download alive for ever (:mod:`~borderdesk.remote.budget`).

Core library code with no printing or logging; shells render :class:`ProgressEvent` values themselves
and turn :class:`~borderdesk.errors.DownloadError` into a message.
"""

from __future__ import annotations

from borderdesk.remote.download import (
    DEFAULT_DEADLINE,
    DEFAULT_MAX_DOWNLOAD_BYTES,
    DEFAULT_PAGE_URL,
    USER_AGENT,
    DownloadedFile,
    FailedDownload,
    ProgressCallback,
    ProgressEvent,
    download,
    download_each,
    download_releases,
    fetch_page,
    file_name_from_url,
    make_client,
    sanitize_file_name,
)
from borderdesk.remote.links import (
    RELEASE_SUFFIXES,
    find_release_links,
    is_release_url,
    published_from_url,
)

__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_DOWNLOAD_BYTES",
    "DEFAULT_PAGE_URL",
    "RELEASE_SUFFIXES",
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
    "find_release_links",
    "is_release_url",
    "make_client",
    "published_from_url",
    "sanitize_file_name",
]
