"""Claim checks in worker processes (issue 15, finding 13): the same answers as in the server's own
threads, errors that cross the process boundary as themselves, a bounded queue (503 + Retry-After), a
pool that survives a dead worker, and the cap on requests in progress."""

from __future__ import annotations

import asyncio
import os
import pickle
import signal
from pathlib import Path

import pytest
from api_support import TestClient

import borderdesk
from borderdesk import errors
from borderdesk.errors import CheckTimeoutError
from borderdesk.http.checks import ProcessChecks, ServerBusy
from borderdesk.serve import create_app

TEXT = (
    "In November 2022, 5,507 Russians were encountered at the southwest border, up from 4,000 in "
    "October. Since February, more than 30,000 Russians have arrived at the southern border."
)


@pytest.fixture(scope="module")
def workers(api_db: Path):  # type: ignore[no-untyped-def]
    runner = ProcessChecks(api_db, workers=1)
    runner.start()
    yield runner
    runner.close()


def _dicts(results) -> list[dict]:  # type: ignore[no-untyped-def]
    return [r.to_dict() for r in results]


def test_a_worker_answers_as_the_server_itself_would(workers: ProcessChecks, api_db: Path) -> None:
    with borderdesk.open(api_db, read_only=True) as desk:
        here = _dicts(desk.check(TEXT, date="2022-12-21"))
        there = _dicts(asyncio.run(workers.check(desk, TEXT, date="2022-12-21", timeout=30)))
    assert there == here
    assert any(c["verdict"] == "supported" and c["value"] == 5507 for c in there)
    assert workers.worker_pids() and os.getpid() not in workers.worker_pids()


def test_a_timeout_in_a_worker_arrives_as_the_same_error(workers: ProcessChecks, api_db: Path) -> None:
    with borderdesk.open(api_db, read_only=True) as desk, pytest.raises(CheckTimeoutError) as caught:
        asyncio.run(workers.check(desk, TEXT * 2000, date="2022-12-21", timeout=1e-6))
    assert caught.value.exit_code == 4
    assert "1e-06" in str(caught.value) or "second" in str(caught.value)


def test_a_full_queue_is_refused_at_once(workers: ProcessChecks, api_db: Path) -> None:
    limit = workers.queue_limit
    workers.queue_limit = 0
    try:
        with borderdesk.open(api_db, read_only=True) as desk, pytest.raises(ServerBusy):
            asyncio.run(workers.check(desk, TEXT, date=None, timeout=30))
    finally:
        workers.queue_limit = limit


def test_a_dead_worker_costs_one_check_then_the_pool_is_back(api_db: Path) -> None:
    runner = ProcessChecks(api_db, workers=1)
    try:
        with borderdesk.open(api_db, read_only=True) as desk:
            asyncio.run(runner.check(desk, TEXT, date=None, timeout=30))  # the worker is up
            (pid,) = runner.worker_pids()
            os.kill(pid, signal.SIGKILL)
            with pytest.raises(ServerBusy, match="worker stopped"):
                asyncio.run(runner.check(desk, TEXT, date=None, timeout=30))
            again = asyncio.run(runner.check(desk, TEXT, date=None, timeout=30))
        assert again and runner.worker_pids() != [pid]
    finally:
        runner.close()


def test_the_server_with_workers_answers_checks_and_says_when_it_is_busy(api_db: Path) -> None:
    app = create_app(api_db, check_workers=1)
    try:
        with TestClient(app, raise_server_exceptions=False) as client:  # runs the lifespan: starts the pool
            r = client.post("/api/check", json={"text": TEXT, "date": "2022-12-21"})
            assert r.status_code == 200
            with borderdesk.open(api_db, read_only=True) as desk:
                assert r.json()["claims"] == _dicts(desk.check(TEXT, date="2022-12-21"))
            page = client.post("/check", data={"text": TEXT, "date": "2022-12-21"})
            assert page.status_code == 200 and "5,507" in page.text
            app.state.checks.queue_limit = 0
            busy = client.post("/api/check", json={"text": TEXT})
            assert busy.status_code == 503
            assert busy.headers["retry-after"].isdigit()
            assert busy.json()["error"] == "busy"
            assert "x-content-type-options" in busy.headers  # the security headers, as on every answer
            assert client.post("/check", data={"text": TEXT}).status_code == 503
            quick = client.get("/api/count?citizenship=russia&period=2022-11&region=southwest")
            assert quick.status_code == 200
    finally:
        app.state.desk.close()


def test_requests_over_the_in_flight_cap_get_503_with_retry_after(api_db: Path) -> None:
    app = create_app(api_db, max_in_flight=0)
    try:
        r = TestClient(app).get("/api/count?citizenship=russia&period=2022-11")
        assert r.status_code == 503 and r.headers["retry-after"] == "1"
        assert r.json()["error"] == "busy" and "limit" in r.json()["message"]
    finally:
        app.state.desk.close()
    app = create_app(api_db, max_in_flight=1)
    try:
        client = TestClient(app)
        assert [client.get("/api/releases").status_code for _ in range(3)] == [200, 200, 200]  # freed
    finally:
        app.state.desk.close()


@pytest.mark.parametrize(
    "error",
    [
        errors.BorderdeskError("plain"),
        errors.BorderdeskError("{parameter} is wrong", parameter="by"),
        errors.ParameterError("top", "{parameter} must be at least 1", value="0", allowed=["1", "2"]),
        errors.UnknownValueError("citizenship", "Rusia", ["RUSSIA"], "RUSSIA, UKRAINE"),
        errors.ReleaseFormatError("f.csv", "bad month", line=3, column="Month", value="Foo", expected="JAN"),
        errors.LimitError("too big", limit=5, received=7, unit="bytes"),
        errors.TextTooLongError(10, 5),
        errors.CheckTimeoutError(2.5),
    ],
    ids=lambda e: type(e).__name__,
)
def test_every_error_crosses_a_process_boundary_as_itself(error: errors.BorderdeskError) -> None:
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error)
    assert str(back) == str(error) and back.__dict__ == error.__dict__
    assert back.worded(lambda n: "--" + n) == error.worded(lambda n: "--" + n)
