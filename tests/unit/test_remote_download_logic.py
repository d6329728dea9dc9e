"""borderdesk.remote.download logic against httpx.MockTransport: no sockets at all."""

from __future__ import annotations

import dataclasses
import hashlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from borderdesk.errors import DownloadError
from borderdesk.remote import (
    USER_AGENT,
    DownloadedFile,
    ProgressEvent,
    download,
    download_releases,
    fetch_page,
    file_name_from_url,
    sanitize_file_name,
)

# The page size limit lives in the module that fetches pages.
pages_module = sys.modules["borderdesk.remote.pages"]

Handler = Callable[[httpx.Request], httpx.Response]
BODY = b"Fiscal Year,Month (abbv),Encounter Count\n2024,OCT,1\n2024,NOV,2\n"


def _client(handler: Handler, **kwargs: object) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler), **kwargs)  # type: ignore[arg-type]


class Recorder:
    """A MockTransport handler that answers from a list of callables and records every request."""

    def __init__(self, *answers: Handler) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answers.pop(0)(request)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param(
            "https://www.cbp.gov/sites/default/files/2024-10/a-state.csv", "a-state.csv", id="plain"
        ),
        pytest.param("https://h.example/dir/my%20file.csv?v=1#x", "my file.csv", id="percent-decoded"),
        pytest.param("https://h.example/dir/a%2Fb%5Cc.csv", "a_b_c.csv", id="encoded-separators"),
        pytest.param("https://h.example/dir/..%2F..%2Fetc%2Fpasswd", "_.._etc_passwd", id="traversal"),
        pytest.param("https://h.example/%2E%2E", "download", id="dot-dot"),
        pytest.param("https://h.example/.hidden.csv", "hidden.csv", id="hidden"),
        pytest.param("https://h.example/dir/", "download", id="directory"),
        pytest.param("https://h.example", "download", id="no-path"),
        pytest.param("https://h.example/a%00b%0A.csv", "a_b_.csv", id="control-characters"),
        pytest.param("https://h.example/caf%C3%A9.xlsx", "café.xlsx", id="utf-8"),
    ],
)
def test_file_name_from_url(url: str, expected: str) -> None:
    assert file_name_from_url(url) == expected


def test_sanitize_long_name_keeps_suffix() -> None:
    name = sanitize_file_name("x" * 300 + ".csv.gz")
    assert name.endswith("x.csv.gz")
    assert len(name.encode()) <= 200


def test_fresh_download_sends_user_agent_and_reports_progress(tmp_path: Path) -> None:
    recorder = Recorder(lambda request: httpx.Response(200, content=BODY))
    events: list[ProgressEvent] = []

    with _client(recorder) as client:
        result = download(
            "https://h.example/files/2024-10/a.csv", tmp_path, client=client, progress=events.append
        )

    assert result == DownloadedFile(
        url="https://h.example/files/2024-10/a.csv",
        path=tmp_path / "a.csv",
        sha256=hashlib.sha256(BODY).hexdigest(),
        bytes=len(BODY),
        resumed=False,
        published="2024-10",
    )
    [request] = recorder.requests
    assert request.headers["user-agent"] == USER_AGENT
    assert "range" not in request.headers
    assert request.headers["accept-encoding"] == "identity"
    assert [(e.received, e.total, e.done) for e in events] == [
        (0, len(BODY), False),
        (len(BODY), len(BODY), True),
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]


def test_caller_user_agent_is_kept(tmp_path: Path) -> None:
    recorder = Recorder(lambda request: httpx.Response(200, content=BODY))
    with _client(recorder, headers={"User-Agent": "newsroom-bot/2"}) as client:
        download("https://h.example/a.csv", tmp_path, client=client)
    assert recorder.requests[0].headers["user-agent"] == "newsroom-bot/2"


def test_unknown_length_progress_ends_with_total(tmp_path: Path) -> None:
    def chunked(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=iter([BODY[:10], BODY[10:]]))

    events: list[ProgressEvent] = []
    with _client(chunked) as client:
        result = download("https://h.example/a.csv", tmp_path, client=client, progress=events.append)

    assert result.bytes == len(BODY)
    assert [e.total for e in events[:-1]] == [None] * (len(events) - 1)
    assert (events[-1].received, events[-1].total, events[-1].done) == (len(BODY), len(BODY), True)


def test_short_body_keeps_part_then_resumes_with_if_range(tmp_path: Path) -> None:
    def short(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Length": str(len(BODY)), "ETag": '"v1"', "Last-Modified": "Tue, 01 Oct 2024"}
        return httpx.Response(200, headers=headers, content=BODY[:20])

    def rest(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Range": f"bytes 20-{len(BODY) - 1}/{len(BODY)}", "ETag": '"v1"'}
        return httpx.Response(206, headers=headers, content=BODY[20:])

    recorder = Recorder(short, rest)
    url = "https://h.example/a.csv"
    with _client(recorder) as client:
        with pytest.raises(DownloadError, match=f"{url}: received 20 of {len(BODY)} bytes"):
            download(url, tmp_path, client=client)
        assert (tmp_path / "a.csv.part").read_bytes() == BODY[:20]
        assert (tmp_path / "a.csv.part.json").exists()
        result = download(url, tmp_path, client=client)

    resume = recorder.requests[1]
    assert resume.headers["range"] == "bytes=20-"
    assert resume.headers["if-range"] == '"v1"'
    assert result.resumed is True
    assert result.sha256 == hashlib.sha256(BODY).hexdigest()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]


def test_weak_etag_falls_back_to_last_modified(tmp_path: Path) -> None:
    def short(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Length": str(len(BODY)), "ETag": 'W/"v1"', "Last-Modified": "Tue, 01 Oct 2024"}
        return httpx.Response(200, headers=headers, content=BODY[:5])

    recorder = Recorder(short, lambda request: httpx.Response(200, content=BODY))
    with _client(recorder) as client:
        with pytest.raises(DownloadError):
            download("https://h.example/a.csv", tmp_path, client=client)
        result = download("https://h.example/a.csv", tmp_path, client=client)

    assert recorder.requests[1].headers["if-range"] == "Tue, 01 Oct 2024"
    assert result.resumed is False  # the server answered 200: the file changed, so it restarted
    assert result.sha256 == hashlib.sha256(BODY).hexdigest()


def test_416_without_content_range_asks_head_for_the_size(tmp_path: Path) -> None:
    (tmp_path / "a.csv.part").write_bytes(BODY)
    recorder = Recorder(
        lambda request: httpx.Response(416, content=b"Range Not Satisfiable"),
        lambda request: httpx.Response(200, headers={"Content-Length": str(len(BODY))}),
    )
    with _client(recorder) as client:
        result = download("https://h.example/a.csv", tmp_path, client=client)

    assert [r.method for r in recorder.requests] == ["GET", "HEAD"]
    assert result.resumed is True
    assert result.sha256 == hashlib.sha256(BODY).hexdigest()


def test_416_with_unknown_size_restarts(tmp_path: Path) -> None:
    (tmp_path / "a.csv.part").write_bytes(BODY)
    recorder = Recorder(
        lambda request: httpx.Response(416),
        lambda request: httpx.Response(405),
        lambda request: httpx.Response(200, content=BODY[::-1]),
    )
    with _client(recorder) as client:
        result = download("https://h.example/a.csv", tmp_path, client=client)

    assert [r.method for r in recorder.requests] == ["GET", "HEAD", "GET"]
    assert "range" not in recorder.requests[2].headers
    assert result.sha256 == hashlib.sha256(BODY[::-1]).hexdigest()


def test_206_for_another_offset_restarts(tmp_path: Path) -> None:
    (tmp_path / "a.csv.part").write_bytes(BODY[:10])
    recorder = Recorder(
        lambda request: httpx.Response(
            206, headers={"Content-Range": f"bytes 0-9/{len(BODY)}"}, content=BODY[:10]
        ),
        lambda request: httpx.Response(200, content=BODY),
    )
    with _client(recorder) as client:
        result = download("https://h.example/a.csv", tmp_path, client=client)

    assert "range" not in recorder.requests[1].headers
    assert result.resumed is False
    assert result.path.read_bytes() == BODY


def test_unrequested_206_is_an_error(tmp_path: Path) -> None:
    with (
        _client(lambda request: httpx.Response(206, content=BODY)) as client,
        pytest.raises(DownloadError, match="unexpected partial response"),
    ):
        download("https://h.example/a.csv", tmp_path, client=client)


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        pytest.param(httpx.ReadTimeout("timed out"), "timed out", id="read-timeout"),
        pytest.param(httpx.ConnectTimeout("timed out"), "timed out", id="connect-timeout"),
        pytest.param(httpx.ConnectError("[Errno 111] Connection refused"), "cannot connect", id="connect"),
        pytest.param(
            httpx.RemoteProtocolError("peer closed connection"), "connection broke off", id="protocol"
        ),
        pytest.param(httpx.ReadError("reset by peer"), "reset by peer", id="read-error"),
    ],
)
def test_transport_errors_become_download_errors(tmp_path: Path, error: Exception, reason: str) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise error

    url = "https://h.example/a.csv"
    with _client(fail) as client:
        with pytest.raises(DownloadError, match=reason) as failure:
            download(url, tmp_path, client=client)
        assert url in str(failure.value)
        assert isinstance(failure.value.__cause__, httpx.HTTPError)
        with pytest.raises(DownloadError, match=reason):
            fetch_page("https://h.example/page", client)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        pytest.param("ftp://h.example/a.csv", "unsupported URL", id="ftp"),
        pytest.param("h.example/a.csv", "unsupported URL", id="no-scheme"),
        pytest.param("https://[::1/a.csv", "invalid URL", id="bad-host"),
    ],
)
def test_bad_urls_become_download_errors(tmp_path: Path, url: str, reason: str) -> None:
    with pytest.raises(DownloadError, match=reason):
        download(url, tmp_path, timeout=1)


def test_destination_that_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    with (
        _client(lambda request: httpx.Response(200, content=BODY)) as client,
        pytest.raises(DownloadError, match="cannot create"),
    ):
        download("https://h.example/a.csv", blocker / "sub", client=client)


def test_error_status_on_page_and_file(tmp_path: Path) -> None:
    with _client(lambda request: httpx.Response(503)) as client:
        with pytest.raises(
            DownloadError, match=r"cannot fetch https://h.example/page: HTTP 503 Service Unavailable"
        ):
            download_releases("https://h.example/page", tmp_path, client=client)
        with pytest.raises(DownloadError, match=r"cannot download https://h.example/a.csv: HTTP 503"):
            download_releases("https://h.example/a.csv", tmp_path, client=client)


def test_same_file_name_twice_gets_distinct_local_names(tmp_path: Path) -> None:
    page = b'<a href="/files/2024-10/x.csv">a</a> <a href="/files/2024-11/X.csv">b</a> <a href="/y.csv">c</a>'

    def serve(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/page":
            return httpx.Response(200, content=page, headers={"Content-Type": "text/html"})
        return httpx.Response(200, content=request.url.path.encode())

    with _client(serve) as client:
        results = download_releases("https://h.example/page", tmp_path, client=client)

    assert [r.path.name for r in results] == ["x.csv", "X-2.csv", "y.csv"]
    assert [r.published for r in results] == ["2024-10", "2024-11", None]
    assert (tmp_path / "X-2.csv").read_bytes() == b"/files/2024-11/X.csv"


def test_fetch_page_decodes_declared_charset() -> None:
    def latin1(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, content="café".encode("latin-1"), headers={"Content-Type": "text/html; charset=latin-1"}
        )

    def bogus(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, content="café".encode(), headers={"Content-Type": "text/html; charset=no-such"}
        )

    with _client(latin1) as client:
        assert fetch_page("https://h.example/", client) == "café"
    with _client(bogus) as client:
        assert fetch_page("https://h.example/", client) == "café"


def test_fetch_page_refuses_huge_bodies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages_module, "MAX_PAGE_BYTES", 100)

    def big(request: httpx.Request) -> httpx.Response:
        def chunks() -> Iterator[bytes]:
            while True:
                yield b"x" * 64

        return httpx.Response(200, content=chunks())

    with _client(big) as client, pytest.raises(DownloadError, match="larger than"):
        fetch_page("https://h.example/huge", client)


def test_results_are_frozen() -> None:
    event = ProgressEvent("u", "f", 1, None, False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.received = 2  # type: ignore[misc]
