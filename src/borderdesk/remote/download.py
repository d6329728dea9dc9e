"""Download CBP release files over HTTP(S): streamed, resumable, checksummed.

Core library code: nothing here prints or logs. Callers see progress through a callback receiving
:class:`ProgressEvent` values and failures as :class:`~borderdesk.errors.DownloadError` (never a raw
``httpx`` exception).

A download streams into ``<dest_dir>/<name>.part``. Beside it, ``<name>.part.json`` remembers the URL and
the server's validators (strong ETag or Last-Modified), so that a later call resumes the ``.part`` with
``Range``/``If-Range`` only if it belongs to the same URL and the server's file has not changed. The
``.part`` is renamed to ``<name>`` (atomically, with :func:`os.replace`) only once it is complete.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx

from borderdesk.errors import DownloadError
from borderdesk.remote.links import (
    RELEASE_SUFFIXES,
    find_release_links,
    is_release_url,
    published_from_url,
)

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
PROJECT_URL = "https://github.com/borderdesk/borderdesk"
#: Name used when a URL has no usable last path segment.
FALLBACK_FILE_NAME = "download"
#: A progress event is emitted each time at least this many new bytes have arrived.
PROGRESS_STEP = 256 * 1024
#: An index page larger than this is refused (it is most likely a data file, not a page).
MAX_PAGE_BYTES = 16 * 1024 * 1024
_MAX_NAME_BYTES = 200
_UNSAFE_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


def _package_version() -> str:
    try:
        return metadata.version("borderdesk")
    except metadata.PackageNotFoundError:
        return "0"


USER_AGENT = f"borderdesk/{_package_version()} (+{PROJECT_URL})"


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


def make_client(*, timeout: float = 60) -> httpx.Client:
    """An ``httpx.Client`` set up like the one :func:`download` creates (User-Agent, redirects, timeout)."""
    return httpx.Client(
        follow_redirects=True,
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": USER_AGENT},
    )


@contextmanager
def _client_scope(client: httpx.Client | None, timeout: float) -> Iterator[httpx.Client]:
    """The caller's client (left open), or a new one closed on exit."""
    if client is not None:
        yield client
        return
    with make_client(timeout=timeout) as own:
        yield own


def _headers(client: httpx.Client, extra: dict[str, str]) -> dict[str, str]:
    headers = dict(extra)
    current = client.headers.get("User-Agent", "")
    if not current or current.startswith("python-httpx/"):  # keep a caller's own User-Agent
        headers["User-Agent"] = USER_AGENT
    return headers


# --------------------------------------------------------------------------------------------- names


def sanitize_file_name(name: str) -> str:
    """``name`` made safe as a single file name: no separators or control characters, not hidden."""
    cleaned = _UNSAFE_NAME_CHARS.sub("_", name).strip().lstrip(".").rstrip(". ")
    if not cleaned:
        return FALLBACK_FILE_NAME
    if len(cleaned.encode()) > _MAX_NAME_BYTES:
        stem, suffix = _split_suffix(cleaned)
        room = max(_MAX_NAME_BYTES - len(suffix.encode()), 1)
        cleaned = stem.encode()[:room].decode(errors="ignore") + suffix
    return cleaned


def file_name_from_url(url: str) -> str:
    """The local file name for ``url``: its last path segment, percent-decoded and sanitized."""
    try:
        path = urlsplit(url).path
    except ValueError:
        path = ""
    return sanitize_file_name(unquote(path.rsplit("/", 1)[-1]))


def _split_suffix(name: str) -> tuple[str, str]:
    lowered = name.lower()
    for suffix in sorted(RELEASE_SUFFIXES, key=len, reverse=True):
        if lowered.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)], name[-len(suffix) :]
    stem, dot, extension = name.rpartition(".")
    if dot and stem:
        return stem, dot + extension
    return name, ""


def _unique_names(urls: list[str]) -> list[str]:
    """One file name per URL; a name seen before (ignoring case) gets ``-2``, ``-3``... before its suffix."""
    names: list[str] = []
    taken: set[str] = set()
    for url in urls:
        name = file_name_from_url(url)
        stem, suffix = _split_suffix(name)
        counter = 1
        while name.lower() in taken:
            counter += 1
            name = f"{stem}-{counter}{suffix}"
        taken.add(name.lower())
        names.append(name)
    return names


# ------------------------------------------------------------------------------------- HTTP helpers


def _describe(exc: Exception, timeout: float) -> str:
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


def _status_reason(response: httpx.Response) -> str:
    phrase = response.reason_phrase
    return f"HTTP {response.status_code} {phrase}" if phrase else f"HTTP {response.status_code}"


def _int_header(response: httpx.Response, name: str) -> int | None:
    value = response.headers.get(name)
    if value is None or not value.strip().isdigit():
        return None
    return int(value.strip())


def _is_identity(response: httpx.Response) -> bool:
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    return encoding in ("", "identity")


_CONTENT_RANGE = re.compile(r"\s*bytes\s+(?:(\d+)-(\d+)|\*)/(\d+|\*)\s*", re.IGNORECASE)


def _content_range(response: httpx.Response) -> tuple[int | None, int | None] | None:
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


# ------------------------------------------------------------------------------------------- pages


def fetch_page(url: str, client: httpx.Client | None = None, *, timeout: float = 60) -> str:
    """The text of the index page at ``url``; raises DownloadError on any failure.

    A URL that points straight at a release file should not be fetched as a page: check it with
    :func:`is_release_url` and :func:`download` it instead.
    """
    with _client_scope(client, timeout) as http:
        text, _final_url = _fetch_page(http, url, timeout)
    return text


def _fetch_page(http: httpx.Client, url: str, timeout: float) -> tuple[str, str]:
    """``(text, final URL after redirects)`` of the page at ``url``."""
    try:
        with http.stream(
            "GET", url, headers=_headers(http, {}), timeout=timeout, follow_redirects=True
        ) as response:
            if not response.is_success:
                raise DownloadError(f"cannot fetch {url}: {_status_reason(response)}")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_PAGE_BYTES:
                    raise DownloadError(
                        f"cannot fetch {url}: the page is larger than {MAX_PAGE_BYTES // (1024 * 1024)} MiB"
                        " (is it a data file rather than a page?)"
                    )
            final_url = str(response.url)
            encoding = response.encoding or "utf-8"
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
        raise DownloadError(f"cannot fetch {url}: {_describe(exc, timeout)}") from exc
    try:
        text = body.decode(encoding, errors="replace")
    except LookupError:  # the server named an unknown charset
        text = body.decode("utf-8", errors="replace")
    return text, final_url


# --------------------------------------------------------------------------------------- downloads


def download(
    url: str,
    dest_dir: Path,
    *,
    client: httpx.Client | None = None,
    progress: ProgressCallback | None = None,
    timeout: float = 60,
    file_name: str | None = None,
) -> DownloadedFile:
    """Download ``url`` into ``dest_dir`` (created if missing), resuming an earlier partial download.

    The file is named after the URL's last path segment (see :func:`file_name_from_url`) unless
    ``file_name`` is given. ``timeout`` (seconds) applies to every request, also with a caller's
    ``client``. Raises DownloadError on a non-2xx status, a network failure, a timeout or a short body;
    whatever arrived is kept in ``<name>.part`` so that the next call resumes it.
    """
    name = sanitize_file_name(file_name) if file_name is not None else file_name_from_url(url)
    dest = Path(dest_dir)
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"cannot download {url}: cannot create {dest}: {exc.strerror or exc}") from exc
    with _client_scope(client, timeout) as http:
        return _Transfer(http, url, dest, name, progress, timeout).run()


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
    ) -> None:
        self.http = http
        self.url = url
        self.name = name
        self.final = dest / name
        self.part = dest / f"{name}.part"
        self.meta = dest / f"{name}.part.json"
        self.progress = progress
        self.timeout = timeout

    def run(self) -> DownloadedFile:
        try:
            for _attempt in range(2):
                result = self._attempt()
                if result is not None:
                    return result
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
            raise DownloadError(self._failure(_describe(exc, self.timeout))) from exc
        except OSError as exc:
            raise DownloadError(f"cannot download {self.url}: {exc.strerror or exc}") from exc
        # Unreachable: the second attempt never sends a Range request, so it returns or raises.
        raise DownloadError(f"cannot download {self.url}: the server answered a restart inconsistently")

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
            "GET", self.url, headers=_headers(self.http, extra), timeout=self.timeout, follow_redirects=True
        ) as response:
            status = response.status_code
            if status == 416 and offset > 0:
                content_range = _content_range(response)
                complete_total = content_range[1] if content_range is not None else None
                if complete_total is None:
                    complete_total = self._size_by_head()
                if complete_total != offset:
                    self._discard_part()
                    return None
            elif status == 206:
                if offset == 0:
                    raise DownloadError(f"cannot download {self.url}: unexpected partial response (HTTP 206)")
                content_range = _content_range(response)
                if content_range is None or content_range[0] != offset or not _is_identity(response):
                    self._discard_part()  # cannot splice this answer onto the partial file
                    return None
                total = content_range[1]
                if total is None and (length := _int_header(response, "Content-Length")) is not None:
                    total = offset + length
                if meta is None:
                    self._write_meta(response)
                return self._receive(response, offset=offset, total=total)
            elif response.is_success:  # 200: fresh download (also when the server ignored Range)
                total = _int_header(response, "Content-Length") if _is_identity(response) else None
                self._write_meta(response)
                return self._receive(response, offset=0, total=total)
            else:
                raise DownloadError(self._failure(_status_reason(response)))

        # 416 and the partial file already holds the whole file.
        return self._finish(self._hash_part(), offset, total=offset, resumed=True)

    def _size_by_head(self) -> int | None:
        try:
            response = self.http.head(
                self.url,
                headers=_headers(self.http, {"Accept-Encoding": "identity"}),
                timeout=self.timeout,
                follow_redirects=True,
            )
        except httpx.HTTPError:
            return None
        return _int_header(response, "Content-Length") if response.is_success else None

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
        with self.part.open("ab" if resumed else "wb") as fh:
            try:
                for chunk in response.iter_bytes():
                    fh.write(chunk)
                    digest.update(chunk)
                    received += len(chunk)
                    if received - last_emitted >= PROGRESS_STEP:
                        self._emit(received, total, False)
                        last_emitted = received
            finally:
                fh.flush()
                os.fsync(fh.fileno())
        if total is not None and received != total:
            raise DownloadError(self._failure(f"received {received} of {total} bytes"))
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
    with _client_scope(client, timeout) as http:
        if is_release_url(page_url):
            return [download(page_url, dest_dir, client=http, progress=progress, timeout=timeout)]
        html, final_url = _fetch_page(http, page_url, timeout)
        links = find_release_links(html, final_url)
        if not links:
            suffixes = ", ".join(RELEASE_SUFFIXES)
            raise DownloadError(f"no release files ({suffixes}) are linked from {page_url}")
        return [
            download(link, dest_dir, client=http, progress=progress, timeout=timeout, file_name=name)
            for link, name in zip(links, _unique_names(links), strict=True)
        ]
