"""Idle and slow connections cannot deny service (issue 15, finding 2): the request deadline and the
idle caps of :mod:`borderdesk.serve.connections`, on a real uvicorn server over loopback sockets."""

from __future__ import annotations

import functools
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from borderdesk.config import ServeSettings
from borderdesk.serve.connections import ConnectionGuard, GuardedH11Protocol


async def _hello(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
    if scope["type"] != "http":
        return
    while True:  # read the whole body, as a real endpoint does
        message = await receive()
        if not message.get("more_body"):
            break
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"ok"})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(guard: ConnectionGuard) -> Iterator[int]:
    port = _free_port()
    protocol = functools.partial(GuardedH11Protocol, connection_guard=guard)
    config = uvicorn.Config(_hello, host="127.0.0.1", port=port, log_level="warning", http=protocol)  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield port
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def guard() -> ConnectionGuard:
    return ConnectionGuard(request_timeout=1.0, idle_per_client=4, max_connections=50)


@pytest.fixture
def port(guard: ConnectionGuard) -> Iterator[int]:
    yield from _serve(guard)


def _get(port: int, timeout: float = 5.0) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(4096):
            data += chunk
    return data


def _is_open(s: socket.socket) -> bool:
    """Whether the server still holds ``s`` open (it has sent nothing, so a read times out)."""
    s.settimeout(0.05)
    try:
        return s.recv(1) != b""
    except TimeoutError:
        return True
    except OSError:
        return False


def _wait_until(predicate, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_200_idle_connections_do_not_stop_an_answer(port: int, guard: ConnectionGuard) -> None:
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(200)]
    try:
        started = time.monotonic()
        assert _get(port).startswith(b"HTTP/1.1 200")
        assert time.monotonic() - started < 0.9  # answered at once, not after the idle ones timed out
        # the address keeps at most idle_per_client connections without a request; the rest were closed
        assert _wait_until(lambda: sum(_is_open(s) for s in idle) <= guard.idle_per_client, 2)
        assert guard.closed_idle >= 200 - guard.idle_per_client
    finally:
        for s in idle:
            s.close()


def test_a_client_trickling_its_request_is_cut_off_at_the_deadline(port: int, guard: ConnectionGuard) -> None:
    s = socket.create_connection(("127.0.0.1", port))
    started = time.monotonic()
    closed_at = None
    try:
        for byte in b"GET / HTTP/1.1\r\nHost: t\r\nX-Slow: " + b"a" * 40:
            try:
                s.sendall(bytes([byte]))
            except OSError:
                closed_at = time.monotonic()
                break
            if not _is_open(s):
                closed_at = time.monotonic()
                break
            time.sleep(0.05)  # a byte every 50 ms: each one would reset a per-read timeout
    finally:
        s.close()
    assert closed_at is not None, "the trickling connection was never closed"
    assert guard.request_timeout <= closed_at - started < guard.request_timeout + 1.5
    assert guard.closed_late >= 1


def test_a_slow_body_is_cut_off_too(port: int, guard: ConnectionGuard) -> None:
    s = socket.create_connection(("127.0.0.1", port))
    try:
        s.sendall(b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\nabc")
        assert _wait_until(lambda: not _is_open(s), guard.request_timeout + 2)
    finally:
        s.close()


def test_a_kept_alive_connection_answers_again_and_then_times_out(port: int, guard: ConnectionGuard) -> None:
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        for _ in range(3):  # three requests on one connection, each well within the deadline
            s.sendall(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            answer = b""
            while not answer.endswith(b"\r\n\r\nok"):
                answer += s.recv(4096)
            assert answer.startswith(b"HTTP/1.1 200")
        assert _wait_until(lambda: not _is_open(s), guard.request_timeout + 2)
    finally:
        s.close()


def test_one_address_cannot_starve_the_server_of_connections() -> None:
    guard = ConnectionGuard(request_timeout=30, idle_per_client=100, max_connections=20)
    for port in _serve(guard):
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(40)]
        try:
            assert _get(port).startswith(b"HTTP/1.1 200")  # the oldest idle one made room
            assert _wait_until(lambda: len(guard.open) <= guard.max_connections, 2)
        finally:
            for s in idle:
                s.close()


def test_the_limits_travel_from_the_cli_to_the_server_process_in_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings = ServeSettings(
        tmp_path / "x.duckdb",
        snapshot=False,
        check_timeout=0.0,
        check_workers=3,
        request_timeout=2.5,
        idle_per_client=7,
        max_connections=99,
    )
    for name, value in settings.to_environment().items():
        monkeypatch.setenv(name, value)
    assert ServeSettings.from_environment() == settings
    guard = ConnectionGuard.from_settings(settings)
    assert (guard.request_timeout, guard.idle_per_client, guard.max_connections) == (2.5, 7, 99)
