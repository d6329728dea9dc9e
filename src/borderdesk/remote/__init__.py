"""Download CBP release files: find them on a page, fetch them resumably, report progress.

Core library code with no printing or logging; shells render :class:`ProgressEvent` values themselves
and turn :class:`~borderdesk.errors.DownloadError` into a message.
"""

from __future__ import annotations

from borderdesk.remote.download import (
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
