"""Downloading one file over HTTP(S): streamed, resumable, checksummed.

A download streams into ``<dest_dir>/<name>.part``. Beside it, ``<name>.part.json`` remembers the URL and
the server's validators (strong ETag or Last-Modified), so that a later call resumes the ``.part`` with
``Range``/``If-Range`` only if it belongs to the same URL and the server's file has not changed. The
``.part`` is renamed to ``<name>`` (atomically, with :func:`os.replace`) only once it is complete.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from borderdesk.errors import DownloadError, DownloadLimitError, TransientDownloadError
from borderdesk.remote.budget import DEFAULT_DEADLINE, DEFAULT_MAX_DOWNLOAD_BYTES, Budget
from borderdesk.remote.client import (
    client_scope,
    content_range,
    describe,
    headers,
    int_header,
    is_identity,
    is_transient,
    is_transient_status,
    status_reason,
)
from borderdesk.remote.links import published_from_url
from borderdesk.remote.names import file_name_from_url, sanitize_file_name
from borderdesk.remote.retry import retrying

#: A progress event is emitted each time at least this many new bytes have arrived.
PROGRESS_STEP = 256 * 1024


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """Progress of one file: ``received`` counts all bytes on disk so far, including resumed ones.

    ``total`` is the full file size when the server announced it (None otherwise); the final event has
    ``done=True`` and ``total == received``.
    """

    url: str
    file_name: str
    received: int
    total: int | None
    done: bool


ProgressCallback = Callable[[ProgressEvent], None]


@dataclass(frozen=True, slots=True)
class DownloadedFile:
    """A completely downloaded release file.

    ``published`` is the publication month (``"YYYY-MM"``) inferred from the URL, or None.
    """

    url: str
    path: Path
    sha256: str
    bytes: int
    resumed: bool
    published: str | None


def download(
    url: str,
    dest_dir: Path,
    *,
    client: httpx.Client | None = None,
    progress: ProgressCallback | None = None,
    timeout: float = 60,
    file_name: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_DOWNLOAD_BYTES,
    deadline: float | None = DEFAULT_DEADLINE,
    retries: int = 0,
    retry_wait: float = 1.0,
) -> DownloadedFile:
    """Download ``url`` into ``dest_dir`` (created if missing), resuming an earlier partial download.

    The file is named after the URL's last path segment (see
    :func:`~borderdesk.remote.file_name_from_url`) unless ``file_name`` is given. ``timeout``
    (seconds) applies to every request, also with a caller's ``client``. Raises DownloadError on a
    non-2xx status, a network failure, a timeout or a short body; whatever arrived is kept in
    ``<name>.part`` so that the next call resumes it.

    A file over ``max_bytes`` (announced, or as it arrives) is refused and its partial file deleted;
    the download stops ``deadline`` seconds after the call, keeping the partial file. Both raise
    :class:`~borderdesk.errors.DownloadLimitError` (a DownloadError); None lifts either limit. A
    transient failure (5xx, a dropped connection) is tried again ``retries`` times, after
    ``retry_wait`` seconds, then twice that...; the default is not to.
    """
    budget = Budget(max_bytes, deadline)
    return transfer(url, dest_dir, client, progress, timeout, file_name, budget, retries, retry_wait)


def transfer(
    url: str,
    dest_dir: Path,
    client: httpx.Client | None,
    progress: ProgressCallback | None,
    timeout: float,
    file_name: str | None,
    budget: Budget,
    retries: int = 0,
    retry_wait: float = 1.0,
) -> DownloadedFile:
    """:func:`download` within a ``budget`` shared with other files (one update's deadline)."""
    name = sanitize_file_name(file_name) if file_name is not None else file_name_from_url(url)
    dest = Path(dest_dir)
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"cannot download {url}: cannot create {dest}: {exc.strerror or exc}") from exc
    with client_scope(client, timeout) as http:
        job = _Transfer(http, url, dest, name, progress, timeout, budget)
        return retrying(job.run, retries=retries, wait=retry_wait, budget=budget)


class _Transfer:
    """One file's download; :meth:`run` makes at most two requests (a resume, then a restart)."""

    def __init__(
        self,
        http: httpx.Client,
        url: str,
        dest: Path,
        name: str,
        progress: ProgressCallback | None,
        timeout: float,
        budget: Budget,
    ) -> None:
        self.http = http
        self.url = url
        self.name = name
        self.final = dest / name
        self.part = dest / f"{name}.part"
        self.meta = dest / f"{name}.part.json"
        self.progress = progress
        self.timeout = timeout
        self.budget = budget

    def run(self) -> DownloadedFile:
        try:
            for _attempt in range(2):
                if self.budget.expired():
                    raise self._out_of_time()
                result = self._attempt()
                if result is not None:
                    return result
        except httpx.TimeoutException as exc:
            if self.budget.expired():  # the request's timeout was cut to the time left
                raise self._out_of_time() from exc
            raise TransientDownloadError(self._failure(describe(exc, self.timeout))) from exc
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
            kind = TransientDownloadError if is_transient(exc) else DownloadError
            raise kind(self._failure(describe(exc, self.timeout))) from exc
        except OSError as exc:
            raise DownloadError(f"cannot download {self.url}: {exc.strerror or exc}") from exc
        # Unreachable: the second attempt never sends a Range request, so it returns or raises.
        raise DownloadError(f"cannot download {self.url}: the server answered a restart inconsistently")

    def _out_of_time(self) -> DownloadLimitError:
        return self.budget.out_of_time(
            self._failure(f"{self.budget.deadline_reason()}, the download was stopped")
        )

    def _too_large(self, size: int, *, announced: bool) -> DownloadLimitError:
        self._discard_part()  # not worth resuming: it would be refused again
        return self.budget.too_large(self.url, size, announced=announced)

    def _failure(self, reason: str) -> str:
        text = f"cannot download {self.url}: {reason}"
        if self._part_size() > 0:
            text += f"; the partial file {self.part} is kept and the next attempt resumes it"
        return text

    # -- the partial file and its sidecar

    def _part_size(self) -> int:
        try:
            return self.part.stat().st_size
        except FileNotFoundError:
            return 0

    def _read_meta(self) -> dict[str, str] | None:
        try:
            data = json.loads(self.meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict):
            return None
        return {str(key): str(value) for key, value in data.items() if isinstance(value, str)}

    def _write_meta(self, response: httpx.Response) -> None:
        meta = {"url": self.url}
        etag = response.headers.get("ETag")
        if etag and not etag.startswith("W/"):  # If-Range accepts strong validators only
            meta["etag"] = etag
        last_modified = response.headers.get("Last-Modified")
        if last_modified:
            meta["last_modified"] = last_modified
        self.meta.write_text(json.dumps(meta), encoding="utf-8")

    def _discard_part(self) -> None:
        self.part.unlink(missing_ok=True)
        self.meta.unlink(missing_ok=True)

    # -- requests

    def _attempt(self) -> DownloadedFile | None:
        """Download (or resume) once; None means the partial file was discarded and a restart is due."""
        offset = self._part_size()
        meta = self._read_meta()
        if offset > 0 and meta is not None and meta.get("url") != self.url:
            self._discard_part()  # a partial file of another URL that happens to share the name
            offset = 0
        extra = {"Accept-Encoding": "identity"}
        if offset > 0:
            extra["Range"] = f"bytes={offset}-"
            validator = (meta or {}).get("etag") or (meta or {}).get("last_modified")
            if validator:
                extra["If-Range"] = validator

        complete_total: int | None = None
        with self.http.stream(
            "GET",
            self.url,
            headers=headers(self.http, extra),
            timeout=self.budget.timeout(self.timeout),
            follow_redirects=True,
        ) as response:
            status = response.status_code
            if status == 416 and offset > 0:
                span = content_range(response)
                complete_total = span[1] if span is not None else None
                if complete_total is None:
                    complete_total = self._size_by_head()
                if complete_total != offset:
                    self._discard_part()
                    return None
            elif status == 206:
                if offset == 0:
                    raise DownloadError(f"cannot download {self.url}: unexpected partial response (HTTP 206)")
                span = content_range(response)
                if span is None or span[0] != offset or not is_identity(response):
                    self._discard_part()  # cannot splice this answer onto the partial file
                    return None
                total = span[1]
                if total is None and (length := int_header(response, "Content-Length")) is not None:
                    total = offset + length
                if total is not None and self.budget.over_size(total):
                    raise self._too_large(total, announced=True)
                if meta is None:
                    self._write_meta(response)
                return self._receive(response, offset=offset, total=total)
            elif response.is_success:  # 200: fresh download (also when the server ignored Range)
                total = int_header(response, "Content-Length") if is_identity(response) else None
                if total is not None and self.budget.over_size(total):
                    raise self._too_large(total, announced=True)  # before a byte of it is read
                self._write_meta(response)
                return self._receive(response, offset=0, total=total)
            else:
                kind = TransientDownloadError if is_transient_status(status) else DownloadError
                raise kind(self._failure(status_reason(response)))

        # 416 and the partial file already holds the whole file.
        return self._finish(self._hash_part(), offset, total=offset, resumed=True)

    def _size_by_head(self) -> int | None:
        try:
            response = self.http.head(
                self.url,
                headers=headers(self.http, {"Accept-Encoding": "identity"}),
                timeout=self.budget.timeout(self.timeout),
                follow_redirects=True,
            )
        except httpx.HTTPError:
            return None
        return int_header(response, "Content-Length") if response.is_success else None

    def _hash_part(self) -> hashlib._Hash:
        digest = hashlib.sha256()
        with self.part.open("rb") as fh:
            for block in iter(lambda: fh.read(1024 * 1024), b""):
                digest.update(block)
        return digest

    def _emit(self, received: int, total: int | None, done: bool) -> None:
        if self.progress is not None:
            self.progress(ProgressEvent(self.url, self.name, received, total, done))

    def _receive(self, response: httpx.Response, *, offset: int, total: int | None) -> DownloadedFile:
        resumed = offset > 0
        digest = self._hash_part() if resumed else hashlib.sha256()
        received = offset
        self._emit(received, total, False)
        last_emitted = received
        stopped: str | None = None  # "size" or "time": a limit stopped the transfer
        with self.part.open("ab" if resumed else "wb") as fh:
            try:
                for chunk in response.iter_bytes():
                    fh.write(chunk)
                    digest.update(chunk)
                    received += len(chunk)
                    if received - last_emitted >= PROGRESS_STEP:
                        self._emit(received, total, False)
                        last_emitted = received
                    # checked on every chunk: a server that sends more than it announced, or trickles
                    # a byte at a time (each one restarting the read timeout), is stopped here
                    if self.budget.over_size(received):
                        stopped = "size"
                        break
                    if self.budget.expired() and (total is None or received < total):
                        stopped = "time"
                        break
            finally:
                fh.flush()
                os.fsync(fh.fileno())
        if stopped == "size":
            raise self._too_large(received, announced=False)
        if stopped == "time":
            raise self._out_of_time()  # the partial file is kept: the next update resumes it
        if total is not None and received != total:
            raise TransientDownloadError(self._failure(f"received {received} of {total} bytes"))
        return self._finish(digest, received, total=received, resumed=resumed)

    def _finish(self, digest: hashlib._Hash, size: int, *, total: int, resumed: bool) -> DownloadedFile:
        os.replace(self.part, self.final)
        self.meta.unlink(missing_ok=True)
        self._emit(size, total, True)
        return DownloadedFile(
            url=self.url,
            path=self.final,
            sha256=digest.hexdigest(),
            bytes=size,
            resumed=resumed,
            published=published_from_url(self.url),
        )
