"""borderdesk.remote against a real HTTP server on 127.0.0.1 serving copies of real CBP release files."""

from __future__ import annotations

import functools
import hashlib
import shutil
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from borderdesk.errors import BorderdeskError, DownloadError
from borderdesk.remote import (
    USER_AGENT,
    DownloadedFile,
    ProgressEvent,
    download,
    download_releases,
    fetch_page,
    make_client,
)
from repo_support import cbp_data

CBP_DATA = cbp_data()
OCT_STATE = "nationwide-encounters-fy21-fy24-oct-state.csv"
OCT_STATE_SHA256 = "7bcf35415b2ad9bac727c6a120c1083e73d5b8895adba5d204b5822fac8afc43"
FY20_FY23 = "nationwide-encounters-fy20-fy23-state.csv"
SBO_AUG = "sbo-encounters-fy22-fy25-aug.csv"
SOURCE_FILES = (OCT_STATE, FY20_FY23, SBO_AUG)

pytestmark = pytest.mark.skipif(
    not all((CBP_DATA / name).is_file() for name in SOURCE_FILES),
    reason=f"real CBP files not found in {CBP_DATA} (restored from data/cbp by bench/repo_data.py)",
)

CBP_PAGE_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Nationwide Encounters</title></head>
<body>
<a href="#main-content">Skip to main content</a>
<main id="main-content"><h1>Nationwide Encounters</h1>
<ul>
<li><a href="/sites/default/files/2024-10/nationwide-encounters-fy21-fy24-oct-state.csv?v=123"
  type="text/csv">Nationwide Encounters FY21-FY24 (State)</a></li>
<li><a href="/sites/default/files/assets/documents/2023-Nov/nationwide-encounters-fy20-fy23-state.csv">
  FY20-FY23 (State)</a></li>
<li><a href="/sites/default/files/2024-10/nationwide-encounters-data-dictionary.pdf">Data dictionary</a></li>
</ul>
<p><a href="mailto:stats@cbp.dhs.gov">Email</a> <a href="javascript:void(0)">Menu</a></p>
</main></body></html>
"""

NO_LINKS_HTML = """<!DOCTYPE html><html><body><h1>Stats</h1>
<a href="report.pdf">Report</a> <a href="notes/">Notes</a> <a href="mailto:x@example.org">Mail</a>
</body></html>
"""


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]


@dataclass
class ServerState:
    requests: list[Recorded] = field(default_factory=list)
    ignore_range: bool = False
    #: URL path -> number of body bytes to send (with the full Content-Length) before hanging up, once.
    truncate_once: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


class RangeServer(ThreadingHTTPServer):
    daemon_threads = True
    state: ServerState


class RangeHandler(SimpleHTTPRequestHandler):
    """Serves a folder like http.server does, plus ``Range: bytes=N-`` (206/416) and fault injection."""

    server: RangeServer

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        state = self.server.state
        url_path = urlsplit(self.path).path
        with state.lock:
            state.requests.append(Recorded(url_path, {k.lower(): v for k, v in self.headers.items()}))
            cut = state.truncate_once.pop(url_path, None)
        file_path = Path(self.translate_path(self.path))
        if not file_path.is_file():
            super().do_GET()  # directory listings, index.html, redirects to "dir/", 404s
            return
        data = file_path.read_bytes()
        size = len(data)
        if cut is not None:
            self._send(200, data[:cut], length=size)  # announce everything, send part, hang up
            return
        wanted = None if state.ignore_range else self.headers.get("Range")
        if wanted and wanted.startswith("bytes=") and wanted.endswith("-"):
            start = int(wanted[len("bytes=") : -1])
            if start >= size:
                self._send(416, b"", content_range=f"bytes */{size}")
            else:
                self._send(206, data[start:], content_range=f"bytes {start}-{size - 1}/{size}")
            return
        self._send(200, data)

    def _send(self, status: int, body: bytes, *, length: int | None = None, content_range: str = "") -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Last-Modified", "Tue, 01 Oct 2024 00:00:00 GMT")
        if content_range:
            self.send_header("Content-Range", content_range)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()


@dataclass
class Site:
    root: Path
    base: str
    state: ServerState

    def url(self, path: str) -> str:
        return self.base + path

    def requests_for(self, path: str) -> list[Recorded]:
        return [r for r in self.state.requests if r.path == path]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def site_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A served tree: a bare listing folder, a CBP-like page with its file folders, a page without files."""
    root = tmp_path_factory.mktemp("site")
    listing = root / "listing"
    (listing / "older").mkdir(parents=True)
    for name in SOURCE_FILES:
        shutil.copyfile(CBP_DATA / name, listing / name)
    shutil.copyfile(CBP_DATA / SBO_AUG, listing / "older" / "sbo-encounters-fy21-fy24-aug.csv")
    (listing / "README.md").write_text("# not a release\n", encoding="utf-8")
    (listing / "notes.pdf").write_bytes(b"%PDF-1.4\n")

    files = root / "sites" / "default" / "files"
    (files / "2024-10").mkdir(parents=True)
    (files / "assets" / "documents" / "2023-Nov").mkdir(parents=True)
    shutil.copyfile(CBP_DATA / OCT_STATE, files / "2024-10" / OCT_STATE)
    shutil.copyfile(CBP_DATA / FY20_FY23, files / "assets" / "documents" / "2023-Nov" / FY20_FY23)
    page = root / "document" / "stats" / "nationwide-encounters"
    page.mkdir(parents=True)
    (page / "index.html").write_text(CBP_PAGE_HTML, encoding="utf-8")

    empty = root / "empty"
    empty.mkdir()
    (empty / "index.html").write_text(NO_LINKS_HTML, encoding="utf-8")

    republished = root / "sites" / "default" / "files" / "2025-09"
    republished.mkdir(parents=True)
    shutil.copyfile(CBP_DATA / SBO_AUG, republished / SBO_AUG)

    spaced = root / "spaced"
    spaced.mkdir()
    shutil.copyfile(CBP_DATA / SBO_AUG, spaced / "sbo encounters (aug).csv")
    return root


@pytest.fixture
def site(site_root: Path) -> Iterator[Site]:
    state = ServerState()
    handler = functools.partial(RangeHandler, directory=str(site_root))
    server = RangeServer(("127.0.0.1", 0), handler)
    server.state = state
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield Site(site_root, f"http://127.0.0.1:{server.server_address[1]}", state)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    return tmp_path / "downloads"


def test_listing_page_downloads_every_release(site: Site, dest: Path) -> None:
    results = download_releases(site.url("/listing/"), dest, timeout=5)

    assert sorted(r.path.name for r in results) == sorted(SOURCE_FILES)
    for result in results:
        source = CBP_DATA / result.path.name
        assert result.path == dest / result.path.name
        assert result.sha256 == _sha256(source) == _sha256(result.path)
        assert result.bytes == source.stat().st_size
        assert result.resumed is False
        assert result.published is None
    by_name = {r.path.name: r for r in results}
    assert by_name[OCT_STATE].sha256 == OCT_STATE_SHA256
    assert sorted(p.name for p in dest.iterdir()) == sorted(SOURCE_FILES)  # no .part or sidecar left
    # Sub-folders, README.md and the PDF were not fetched; every request identified borderdesk.
    assert not site.requests_for("/listing/older/sbo-encounters-fy21-fy24-aug.csv")
    assert not site.requests_for("/listing/README.md")
    assert all(r.headers["user-agent"] == USER_AGENT for r in site.state.requests)
    assert USER_AGENT.startswith("borderdesk/")


def test_cbp_like_page_after_redirect_infers_publication_month(site: Site, dest: Path) -> None:
    # No trailing slash: the server redirects to ".../nationwide-encounters/" and links resolve from there.
    results = download_releases(site.url("/document/stats/nationwide-encounters"), dest, timeout=5)

    assert [(r.path.name, r.published) for r in results] == [(OCT_STATE, "2024-10"), (FY20_FY23, "2023-11")]
    assert results[0].url == site.url(f"/sites/default/files/2024-10/{OCT_STATE}?v=123")
    assert results[0].sha256 == OCT_STATE_SHA256
    assert results[1].sha256 == _sha256(CBP_DATA / FY20_FY23)


def test_release_url_is_downloaded_directly(site: Site, dest: Path) -> None:
    results = download_releases(site.url(f"/listing/{OCT_STATE}"), dest, timeout=5)

    assert [r.path.name for r in results] == [OCT_STATE]
    assert results[0].sha256 == OCT_STATE_SHA256
    assert [r.path for r in site.state.requests] == [f"/listing/{OCT_STATE}"]  # no page fetch


def test_percent_encoded_file_name_is_decoded(site: Site, dest: Path) -> None:
    results = download_releases(site.url("/spaced/"), dest, timeout=5)

    assert [r.path.name for r in results] == ["sbo encounters (aug).csv"]
    assert results[0].sha256 == _sha256(CBP_DATA / SBO_AUG)


def test_resume_from_partial_file(site: Site, dest: Path) -> None:
    source = (CBP_DATA / OCT_STATE).read_bytes()
    dest.mkdir()
    (dest / f"{OCT_STATE}.part").write_bytes(source[:1000])

    result = download(site.url(f"/listing/{OCT_STATE}"), dest, timeout=5)

    [request] = site.requests_for(f"/listing/{OCT_STATE}")
    assert request.headers["range"] == "bytes=1000-"
    assert result.resumed is True
    assert result.sha256 == OCT_STATE_SHA256
    assert result.bytes == len(source)
    assert result.path.read_bytes() == source
    assert not (dest / f"{OCT_STATE}.part").exists()


def test_server_ignoring_range_restarts_from_zero(site: Site, dest: Path) -> None:
    site.state.ignore_range = True
    dest.mkdir()
    (dest / f"{OCT_STATE}.part").write_bytes(b"stale bytes that must not survive" * 40)

    result = download(site.url(f"/listing/{OCT_STATE}"), dest, timeout=5)

    [request] = site.requests_for(f"/listing/{OCT_STATE}")
    assert request.headers["range"].startswith("bytes=")
    assert result.resumed is False
    assert result.sha256 == OCT_STATE_SHA256


def test_complete_partial_file_is_accepted_on_416(site: Site, dest: Path) -> None:
    dest.mkdir()
    shutil.copyfile(CBP_DATA / SBO_AUG, dest / f"{SBO_AUG}.part")

    result = download(site.url(f"/listing/{SBO_AUG}"), dest, timeout=5)

    assert result.resumed is True
    assert result.sha256 == _sha256(CBP_DATA / SBO_AUG)
    assert len(site.requests_for(f"/listing/{SBO_AUG}")) == 1


def test_oversized_partial_file_restarts_on_416(site: Site, dest: Path) -> None:
    dest.mkdir()
    (dest / f"{SBO_AUG}.part").write_bytes((CBP_DATA / SBO_AUG).read_bytes() + b"garbage")

    result = download(site.url(f"/listing/{SBO_AUG}"), dest, timeout=5)

    requests = site.requests_for(f"/listing/{SBO_AUG}")
    assert [("range" in r.headers) for r in requests] == [True, False]
    assert result.resumed is False
    assert result.sha256 == _sha256(CBP_DATA / SBO_AUG)


def test_dropped_connection_keeps_part_and_next_call_resumes(site: Site, dest: Path) -> None:
    path = f"/listing/{OCT_STATE}"
    site.state.truncate_once[path] = 300_000
    part = dest / f"{OCT_STATE}.part"

    with pytest.raises(DownloadError) as failure:
        download(site.url(path), dest, timeout=5)

    assert site.url(path) in str(failure.value)
    assert "kept" in str(failure.value)
    assert 0 < part.stat().st_size <= 300_000
    assert not (dest / OCT_STATE).exists()
    kept = part.stat().st_size

    result = download(site.url(path), dest, timeout=5)

    assert site.requests_for(path)[-1].headers["range"] == f"bytes={kept}-"
    assert result.resumed is True
    assert result.sha256 == OCT_STATE_SHA256
    assert not part.exists()


def test_partial_file_of_another_url_is_not_resumed(site: Site, dest: Path) -> None:
    # Same file name under two URLs (CBP re-publishes names in new month folders): never splice them.
    first = site.url(f"/listing/{SBO_AUG}")
    site.state.truncate_once[f"/listing/{SBO_AUG}"] = 50_000
    with pytest.raises(DownloadError):
        download(first, dest, timeout=5)
    assert (dest / f"{SBO_AUG}.part").exists()

    other = site.url(f"/sites/default/files/2025-09/{SBO_AUG}")
    result = download(other, dest, timeout=5)

    [request] = site.requests_for(f"/sites/default/files/2025-09/{SBO_AUG}")
    assert "range" not in request.headers
    assert result.resumed is False
    assert result.published == "2025-09"
    assert result.sha256 == _sha256(CBP_DATA / SBO_AUG)


def test_not_found_names_the_url(site: Site, dest: Path) -> None:
    url = site.url("/listing/missing-fy99.csv")

    with pytest.raises(DownloadError) as failure:
        download(url, dest, timeout=5)

    assert url in str(failure.value)
    assert "404" in str(failure.value)
    assert isinstance(failure.value, BorderdeskError)
    assert not any(dest.iterdir())


def test_page_without_release_links(site: Site, dest: Path) -> None:
    url = site.url("/empty/")

    with pytest.raises(DownloadError, match="no release files") as failure:
        download_releases(url, dest, timeout=5)

    assert url in str(failure.value)


def test_missing_page(site: Site, dest: Path) -> None:
    url = site.url("/document/stats/no-such-page")

    with pytest.raises(DownloadError, match="404") as failure:
        download_releases(url, dest, timeout=5)

    assert url in str(failure.value)


def test_fetch_page_returns_text(site: Site) -> None:
    text = fetch_page(site.url("/document/stats/nationwide-encounters/"), timeout=5)

    assert "Nationwide Encounters FY21-FY24 (State)" in text


def test_connection_refused(dest: Path) -> None:
    with socket.socket() as probe:  # a port that nobody listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/x.csv"

    with pytest.raises(DownloadError, match="cannot connect") as failure:
        download(url, dest, timeout=5)
    assert url in str(failure.value)
    with pytest.raises(DownloadError, match="cannot connect"):
        download_releases(f"http://127.0.0.1:{port}/page", dest, timeout=5)


def test_progress_events_are_monotonic_and_end_done(site: Site, dest: Path) -> None:
    events: list[ProgressEvent] = []
    size = (CBP_DATA / OCT_STATE).stat().st_size

    with make_client(timeout=5) as client:
        result: DownloadedFile = download(
            site.url(f"/listing/{OCT_STATE}"), dest, client=client, progress=events.append
        )

    assert len(events) >= 3
    received = [e.received for e in events]
    assert received == sorted(received)
    assert all(e.total == size for e in events)
    assert all(e.file_name == OCT_STATE and e.url == result.url for e in events)
    assert [e.done for e in events] == [False] * (len(events) - 1) + [True]
    assert events[-1].received == size == result.bytes
