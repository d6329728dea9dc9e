"""``update``'s size cap and deadline against a real local HTTP server that misbehaves (issue 15, finding 9):
it announces 3 GB, sends without end, trickles a byte at a time, or goes quiet after the headers.

The server is test_update.py's folder server (same site, same fixtures) with a few extra routes.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from test_update import DEC, LABELS, OCT, QuietHandler, Requests, Server, Site, releases, run, sha256
from test_update import site_root as site_root  # the module fixture: the same folder of real releases

from borderdesk.errors import DownloadLimitError
from borderdesk.remote import FailedDownload, download, download_each

FLOOD_LIMIT = 64 * 1024 * 1024  # the server gives up flooding after this much (a test must end)
TRICKLE_GAP = 0.2  # seconds between two bytes of a trickle: every read succeeds, none times out

LIMITS_PAGE = f"""<!DOCTYPE html><html><body><ul>
<li><a href="/sites/default/files/2024-01/{DEC}">December (State)</a></li>
<li><a href="/limits/trickle-state.csv">a release served one byte at a time</a></li>
<li><a href="/listing/{OCT}">October (State)</a></li>
</ul></body></html>
"""


def _headers(handler: QuietHandler, length: int | None, content_type: str = "text/csv") -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", content_type)
    if length is not None:
        handler.send_header("Content-Length", str(length))
    handler.end_headers()
    handler.wfile.flush()


def _flood(handler: QuietHandler) -> None:
    chunk = b"0" * 65_536
    for _ in range(FLOOD_LIMIT // len(chunk)):
        handler.wfile.write(chunk)


def _trickle(handler: QuietHandler, data: bytes) -> None:
    for i in range(len(data)):
        handler.wfile.write(data[i : i + 1])
        handler.wfile.flush()
        time.sleep(TRICKLE_GAP)


def huge(handler: QuietHandler) -> None:
    _headers(handler, 3_000_000_000)
    _flood(handler)


def endless(handler: QuietHandler) -> None:
    _headers(handler, None)  # HTTP/1.0 without a length: the body ends when the connection does
    _flood(handler)


def trickle(handler: QuietHandler) -> None:
    data = b"x" * 10_000  # 2,000 s at this pace
    _headers(handler, len(data))
    _trickle(handler, data)


def silent(handler: QuietHandler) -> None:
    _headers(handler, 10_000)
    time.sleep(30)  # says nothing after the headers; the client's read timeout is 60 s


def slow_page(handler: QuietHandler) -> None:
    _headers(handler, None, "text/html")
    _trickle(handler, LIMITS_PAGE.encode())


def page(handler: QuietHandler) -> None:
    body = LIMITS_PAGE.encode()
    _headers(handler, len(body), "text/html")
    handler.wfile.write(body)


def busy(handler: QuietHandler) -> None:
    handler.send_error(503)  # always: a server down for the whole update


def busy_once(handler: QuietHandler) -> None:
    """503 to the first request, then December's file: a server that was busy for a moment."""
    with handler.server.requests.lock:
        first = handler.server.requests.paths.count(urlsplit(handler.path).path) == 1
    if first:
        handler.send_error(503)
        return
    data = (Path(handler.directory) / "sites/default/files/2024-01" / DEC).read_bytes()
    _headers(handler, len(data))
    handler.wfile.write(data)


RETRY_PAGE = """<!DOCTYPE html><html><body>
<a href="/limits/down-state.csv">down</a> <a href="/limits/flaky-state.csv">flaky</a>
</body></html>
"""


def retry_page(handler: QuietHandler) -> None:
    body = RETRY_PAGE.encode()
    _headers(handler, len(body), "text/html")
    handler.wfile.write(body)


ROUTES: dict[str, Callable[[QuietHandler], None]] = {
    "/limits/huge-state.csv": huge,
    "/limits/endless-state.csv": endless,
    "/limits/trickle-state.csv": trickle,
    "/limits/silent-state.csv": silent,
    "/limits/slow-page/": slow_page,
    "/limits/page/": page,
    "/limits/down-state.csv": busy,
    "/limits/flaky-state.csv": busy_once,
    "/limits/retry-page/": retry_page,
}


class LimitsHandler(QuietHandler):
    def do_GET(self) -> None:
        route = ROUTES.get(urlsplit(self.path).path)
        if route is None:
            super().do_GET()
            return
        with self.server.requests.lock:
            self.server.requests.paths.append(urlsplit(self.path).path)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client stopped reading:
            route(self)  # what these tests expect of it


@pytest.fixture
def site(site_root: Path) -> Iterator[Site]:
    requests = Requests()
    server = Server(("127.0.0.1", 0), functools.partial(LimitsHandler, directory=str(site_root)))
    server.requests = requests
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield Site(site_root, f"http://127.0.0.1:{server.server_address[1]}", requests)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_a_file_announced_over_the_cap_is_refused_at_once(site: Site, tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(DownloadLimitError) as caught:
        download(site.url("/limits/huge-state.csv"), tmp_path, max_bytes=10_000_000)
    assert time.monotonic() - started < 5
    assert "announces 3,000,000,000 bytes, over the limit of 10,000,000 bytes" in str(caught.value)
    assert "--max-download-bytes" in str(caught.value) and caught.value.exit_code == 4
    assert list(tmp_path.iterdir()) == []


def test_a_body_without_length_is_stopped_when_it_passes_the_cap(site: Site, tmp_path: Path) -> None:
    with pytest.raises(DownloadLimitError, match="grew past 1,000,000 bytes"):
        download(site.url("/limits/endless-state.csv"), tmp_path, max_bytes=1_000_000)
    assert list(tmp_path.iterdir()) == []  # the partial file is deleted, not kept to resume


@pytest.mark.parametrize("path", ["/limits/trickle-state.csv", "/limits/silent-state.csv"])
def test_the_deadline_stops_a_trickling_or_silent_server(site: Site, tmp_path: Path, path: str) -> None:
    started = time.monotonic()
    with pytest.raises(DownloadLimitError, match="deadline of 1 s passed, the download was stopped"):
        download(site.url(path), tmp_path, deadline=1)
    assert 1 <= time.monotonic() - started < 1 + 5 * TRICKLE_GAP + 2


def test_a_trickled_page_is_stopped_by_the_deadline(site: Site, tmp_path: Path) -> None:
    with pytest.raises(DownloadLimitError, match=r"cannot fetch .*/limits/slow-page/: the update's deadline"):
        download_each(site.url("/limits/slow-page/"), tmp_path, deadline=1)


def test_update_stops_at_the_deadline_and_the_files_already_complete_land(
    site: Site, tmp_path: Path, cbp_data: Path
) -> None:
    db, dest = tmp_path / "u.duckdb", tmp_path / "downloads"
    started = time.monotonic()

    result = run(
        tmp_path, "update", "--url", site.url("/limits/page/"), "--db", db, "--dest", dest,
        "--no-snapshot", "--deadline", "2",
    )  # fmt: skip

    assert time.monotonic() - started < 60  # the ingest of December is most of it
    assert result.returncode == 4, result.stderr  # the first failure is a limit
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["ingested", LABELS[DEC]] and sha256(cbp_data / DEC) in lines[0]
    assert lines[1].startswith("skipped   trickle-state.csv: cannot download ")
    assert "the update's deadline of 2 s passed, the download was stopped" in lines[1]
    assert "--deadline SECONDS" in lines[1] and "is kept and the next attempt resumes it" in lines[1]
    assert lines[2].startswith(f"skipped   {OCT}: cannot download ")
    assert "not started, the update's deadline of 2 s passed" in lines[2]
    assert "3 file(s) found, 1 new release(s) ingested; 1 landed, 2 failed" in result.stderr
    assert set(releases(tmp_path, db)) == {DEC}
    assert (dest / "trickle-state.csv.part").stat().st_size > 0  # kept for the next update
    assert f"/listing/{OCT}" not in site.requests.paths


def test_update_refuses_files_over_the_cap_and_ingests_the_others(
    site: Site, tmp_path: Path, cbp_data: Path
) -> None:
    db, dest = tmp_path / "u.duckdb", tmp_path / "downloads"
    cap = (cbp_data / OCT).stat().st_size  # October fits exactly; the other two are larger

    result = run(
        tmp_path, "update", "--url", site.url("/listing/"), "--db", db, "--dest", dest,
        "--no-snapshot", "--max-download-bytes", str(cap),
    )  # fmt: skip

    assert result.returncode == 4, result.stderr
    skipped = [line for line in result.stdout.splitlines() if line.startswith("skipped")]
    assert len(skipped) == 2
    for line in skipped:
        assert f"over the limit of {cap:,} bytes per file" in line
        assert "`borderdesk update --max-download-bytes N`" in line
    assert "3 file(s) found, 1 new release(s) ingested; 1 landed, 2 failed" in result.stderr
    assert set(releases(tmp_path, db)) == {OCT}
    assert sorted(p.name for p in dest.iterdir()) == [OCT]  # nothing kept of the refused files


def test_desk_update_takes_the_limits(site: Site, tmp_path: Path) -> None:
    import borderdesk

    with borderdesk.open(tmp_path / "d.duckdb", snapshot=False, read_only=False) as desk:
        results = desk.update(
            site.url("/limits/page/"), dest=tmp_path / "downloads", deadline=2, max_download_bytes=None
        )
        assert [r.landed for r in results] == [True, False, False]
        assert all(isinstance(r.download, FailedDownload) for r in results[1:])
        assert all(isinstance(r.error, DownloadLimitError) for r in results[1:])
        assert [r.label for r in desk.release_list()] == [LABELS[DEC]]


def test_update_tries_a_busy_server_again_and_gives_up_on_one_that_stays_down(
    site: Site, tmp_path: Path, cbp_data: Path
) -> None:
    db, dest = tmp_path / "u.duckdb", tmp_path / "downloads"

    result = run(
        tmp_path, "update", "--url", site.url("/limits/retry-page/"), "--db", db, "--dest", dest,
        "--no-snapshot", "--retries", "1",
    )  # fmt: skip

    assert result.returncode == 1, result.stderr  # a server error is not a limit
    down, flaky = result.stdout.splitlines()
    assert down == (
        f"skipped   down-state.csv: cannot download {site.url('/limits/down-state.csv')}: "
        "HTTP 503 Service Unavailable (tried 2 times)"
    )
    assert flaky.split()[:2] == ["ingested", LABELS[DEC]] and sha256(cbp_data / DEC) in flaky
    assert site.requests.paths.count("/limits/down-state.csv") == 2
    assert site.requests.paths.count("/limits/flaky-state.csv") == 2
    assert "2 file(s) found, 1 new release(s) ingested; 1 landed, 1 failed" in result.stderr
