"""The limits and retries of one update's downloads (issue 15, finding 9), against httpx.MockTransport:
a size cap per file, checked on the announced size and as bytes arrive; a deadline for the whole run,
checked as bytes arrive (a fake clock stands in for time; tests/integration/test_update_limits.py uses
real sockets); and another try for a failure that may pass (a 503), never for a 404."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from borderdesk.errors import (
    BorderdeskError,
    DownloadError,
    DownloadLimitError,
    LimitError,
    TransientDownloadError,
)
from borderdesk.limits import MAX_DOWNLOAD_BYTES, UPDATE_DEADLINE
from borderdesk.remote import FailedDownload, download, download_each, download_releases
from borderdesk.remote.budget import Budget
from borderdesk.remote.retry import retrying
from borderdesk.remote.transfer import transfer

Handler = Callable[[httpx.Request], httpx.Response]
BODY = b"Fiscal Year,Month (abbv),Encounter Count\n2024,OCT,1\n2024,NOV,2\n"
URL = "https://h.example/files/a-state.csv"


def _client(handler: Handler) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


def _endless(chunk: bytes = b"x" * 65_536) -> Iterator[bytes]:
    while True:  # a body without end: only the cap stops it
        yield chunk


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_defaults_are_the_documented_ones() -> None:
    assert MAX_DOWNLOAD_BYTES == 64 * 1024 * 1024 and UPDATE_DEADLINE == 900.0
    budget = Budget()
    assert (budget.max_bytes, budget.deadline) == (MAX_DOWNLOAD_BYTES, UPDATE_DEADLINE)


def test_a_size_over_the_cap_announced_is_refused_before_the_body_is_read(tmp_path: Path) -> None:
    sent: list[int] = []

    def huge(request: httpx.Request) -> httpx.Response:
        def body() -> Iterator[bytes]:
            for chunk in _endless():
                sent.append(len(chunk))
                yield chunk

        return httpx.Response(200, headers={"Content-Length": "3000000000"}, content=body())

    with _client(huge) as client, pytest.raises(DownloadLimitError) as caught:
        download(URL, tmp_path, client=client, max_bytes=1_000_000)

    error = caught.value
    assert isinstance(error, DownloadError) and isinstance(error, LimitError) and error.exit_code == 4
    assert (error.limit, error.received, error.unit) == (1_000_000, 3_000_000_000, "bytes")
    assert str(error) == (
        f"cannot download {URL}: the server announces 3,000,000,000 bytes, over the limit of 1,000,000 "
        "bytes per file; the download was stopped and nothing kept (if the file is genuine, raise the "
        "limit: `borderdesk update --max-download-bytes N`)"
    )
    assert sent == []
    assert list(tmp_path.iterdir()) == []  # no .part, no sidecar


def test_a_body_that_grows_past_the_cap_is_stopped(tmp_path: Path) -> None:
    endless = _client(lambda request: httpx.Response(200, content=_endless()))
    with endless as client, pytest.raises(DownloadLimitError, match="grew past 1,000,000 bytes") as caught:
        download(URL, tmp_path, client=client, max_bytes=1_000_000)
    assert caught.value.received is None  # how large it would have been is not known
    assert list(tmp_path.iterdir()) == []


def test_a_server_sending_more_than_it_announced_is_stopped_at_the_cap(tmp_path: Path) -> None:
    def liar(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Length": "100"}, content=_endless())

    with _client(liar) as client, pytest.raises(DownloadLimitError, match="grew past 200,000 bytes"):
        download(URL, tmp_path, client=client, max_bytes=200_000)


def test_a_resumed_download_counts_the_bytes_already_on_disk(tmp_path: Path) -> None:
    (tmp_path / "a-state.csv.part").write_bytes(b"x" * 900)
    (tmp_path / "a-state.csv.part.json").write_text(f'{{"url": "{URL}"}}', encoding="utf-8")

    def rest(request: httpx.Request) -> httpx.Response:
        assert request.headers["range"] == "bytes=900-"
        return httpx.Response(206, headers={"Content-Range": "bytes 900-1999/2000"}, content=b"y" * 1100)

    with _client(rest) as client, pytest.raises(DownloadLimitError, match="announces 2,000 bytes"):
        download(URL, tmp_path, client=client, max_bytes=1000)
    assert list(tmp_path.iterdir()) == []


def test_a_file_at_the_cap_and_no_cap_at_all_are_fine(tmp_path: Path) -> None:
    with _client(lambda request: httpx.Response(200, content=BODY)) as client:
        assert download(URL, tmp_path / "at", client=client, max_bytes=len(BODY)).bytes == len(BODY)
        assert download(URL, tmp_path / "none", client=client, max_bytes=None, deadline=None).bytes == len(
            BODY
        )


def test_the_deadline_stops_a_trickle_and_keeps_the_partial_file(tmp_path: Path) -> None:
    clock = FakeClock()

    def trickle(request: httpx.Request) -> httpx.Response:
        def body() -> Iterator[bytes]:
            for byte in BODY:
                clock.now += 20  # one byte every 20 s: no read ever times out
                yield bytes([byte])

        return httpx.Response(200, headers={"Content-Length": str(len(BODY))}, content=body())

    budget = Budget(None, 90, clock=clock)
    with _client(trickle) as client, pytest.raises(DownloadLimitError) as caught:
        transfer(URL, tmp_path, client, None, 60, None, budget)

    error = caught.value
    assert error.exit_code == 4 and (error.limit, error.unit) == (90, "seconds")
    part = tmp_path / "a-state.csv.part"
    assert str(error) == (
        f"cannot download {URL}: the update's deadline of 90 s passed, the download was stopped; the "
        f"partial file {part} is kept and the next attempt resumes it (allow more time: "
        "`borderdesk update --deadline SECONDS`)"
    )
    assert part.read_bytes() == BODY[:5]  # stopped at the first byte past the deadline
    assert (tmp_path / "a-state.csv.part.json").exists()


def test_a_request_never_waits_past_the_deadline() -> None:
    clock = FakeClock()
    budget = Budget(None, 30, clock=clock)
    assert budget.timeout(60) == 30
    clock.now += 29.5
    assert budget.timeout(60) == pytest.approx(0.5)
    clock.now += 10
    assert budget.expired() and budget.timeout(60) == 0.001
    assert Budget(None, None).timeout(60) == 60


def test_a_file_complete_at_the_deadline_lands_and_the_next_fails_without_a_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = '<a href="a-state.csv">a</a> <a href="b-state.csv">b</a>'
    requested: list[str] = []
    clock = FakeClock()

    def site(request: httpx.Request) -> httpx.Response:
        requested.append(request.url.path)
        if request.url.path == "/":
            return httpx.Response(200, html=page)
        clock.now += 5  # the first file takes all the time there is, and arrives whole
        return httpx.Response(200, headers={"Content-Length": str(len(BODY))}, content=BODY)

    module = sys.modules["borderdesk.remote.download"]  # the package's name `download` is the function
    monkeypatch.setattr(module, "Budget", lambda max_bytes, deadline: Budget(max_bytes, 1, clock=clock))
    with _client(site) as client:
        results = download_each("https://h.example/", tmp_path, client=client)

    assert requested == ["/", "/a-state.csv"]
    complete, late = results
    assert not isinstance(complete, FailedDownload) and complete.path.read_bytes() == BODY
    assert isinstance(late, FailedDownload) and isinstance(late.error, DownloadLimitError)
    assert late.reason == (
        "cannot download https://h.example/b-state.csv: not started, the update's deadline of 1 s passed "
        "(allow more time: `borderdesk update --deadline SECONDS`)"
    )


def test_download_each_reports_each_failure_and_download_releases_still_stops_at_the_first(
    tmp_path: Path,
) -> None:
    page = '<a href="gone-state.csv">a</a> <a href="huge-state.csv">b</a> <a href="ok-state.csv">c</a>'

    def site(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/":
            return httpx.Response(200, html=page)
        if request.url.path == "/gone-state.csv":
            return httpx.Response(404)
        if request.url.path == "/huge-state.csv":
            return httpx.Response(200, headers={"Content-Length": "999999"}, content=b"")
        return httpx.Response(200, content=BODY)

    with _client(site) as client:
        results = download_each("https://h.example/", tmp_path, client=client, max_bytes=1000)
        gone, huge, ok = results
        assert isinstance(gone, FailedDownload) and "HTTP 404" in gone.reason
        assert gone.path == tmp_path / "gone-state.csv" and gone.error.exit_code == 1
        assert isinstance(huge, FailedDownload) and isinstance(huge.error, DownloadLimitError)
        assert not isinstance(ok, FailedDownload) and ok.path.read_bytes() == BODY

        with pytest.raises(DownloadError, match="HTTP 404"):
            download_releases("https://h.example/", tmp_path / "again", client=client)
        assert not (tmp_path / "again" / "ok-state.csv").exists()  # stopped at the first failure


@pytest.mark.parametrize(
    ("max_bytes", "deadline"),
    [(0, 10.0), (-1, 10.0), (10, 0.0), (10, -5.0), (10, float("nan"))],
)
def test_nonsense_limits_are_refused(max_bytes: int, deadline: float) -> None:
    with pytest.raises(BorderdeskError):
        Budget(max_bytes, deadline)


def _answers(*answers: httpx.Response) -> tuple[Handler, list[httpx.Request]]:
    """A handler giving ``answers`` in turn, and the requests it received."""
    seen: list[httpx.Request] = []
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return queue.pop(0)

    return handler, seen


def test_a_busy_server_is_tried_again(tmp_path: Path) -> None:
    handler, seen = _answers(httpx.Response(503), httpx.Response(502), httpx.Response(200, content=BODY))
    with _client(handler) as client:
        result = download(URL, tmp_path, client=client, retries=2, retry_wait=0)
    assert result.path.read_bytes() == BODY and len(seen) == 3


def test_after_the_last_try_the_failure_says_how_many_there_were(tmp_path: Path) -> None:
    handler, seen = _answers(*(httpx.Response(503) for _ in range(3)))
    with _client(handler) as client, pytest.raises(TransientDownloadError) as caught:
        download(URL, tmp_path, client=client, retries=2, retry_wait=0)
    assert str(caught.value) == f"cannot download {URL}: HTTP 503 Service Unavailable (tried 3 times)"
    assert caught.value.exit_code == 1 and len(seen) == 3


def test_a_missing_file_is_not_tried_again(tmp_path: Path) -> None:
    handler, seen = _answers(httpx.Response(404), httpx.Response(200, content=BODY))
    with _client(handler) as client, pytest.raises(DownloadError, match="HTTP 404") as caught:
        download(URL, tmp_path, client=client, retries=2, retry_wait=0)
    assert not isinstance(caught.value, TransientDownloadError) and len(seen) == 1


def test_a_body_cut_short_is_resumed_by_the_next_try(tmp_path: Path) -> None:
    length = {"Content-Length": str(len(BODY))}
    rest = {"Content-Range": f"bytes 20-{len(BODY) - 1}/{len(BODY)}"}
    handler, seen = _answers(
        httpx.Response(200, headers=length, content=BODY[:20]),
        httpx.Response(206, headers=rest, content=BODY[20:]),
    )
    with _client(handler) as client:
        result = download(URL, tmp_path, client=client, retries=1, retry_wait=0)
    assert result.path.read_bytes() == BODY and result.resumed
    assert seen[1].headers["range"] == "bytes=20-"


def test_a_busy_page_is_tried_again(tmp_path: Path) -> None:
    handler, seen = _answers(
        httpx.Response(503),
        httpx.Response(200, html='<a href="a-state.csv">a</a>'),
        httpx.Response(200, content=BODY),
    )
    with _client(handler) as client:
        [result] = download_each("https://h.example/", tmp_path, client=client, retries=1, retry_wait=0)
    assert not isinstance(result, FailedDownload) and [r.url.path for r in seen] == ["/", "/", "/a-state.csv"]


def test_waits_double_and_never_run_past_the_deadline() -> None:
    clock = FakeClock()
    waits: list[float] = []
    tries: list[int] = []

    def busy() -> None:
        tries.append(1)
        raise TransientDownloadError("cannot download u: HTTP 503")

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock.now += seconds

    with pytest.raises(TransientDownloadError, match=r"\(tried 3 times\)"):
        retrying(busy, retries=5, wait=1, budget=Budget(None, 5, clock=clock), sleep=sleep)
    assert waits == [1, 2] and len(tries) == 3  # a wait of 4 s would end after the deadline (5 s)
