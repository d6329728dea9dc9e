"""Plain ASGI middleware (no per-request task or body copy, unlike Starlette's BaseHTTPMiddleware):
security headers on every response, request-body and query-string limits, and HTTP caching.

Caching: the server is read-only, so an answer is a function of the data (the set of releases, the
newest first), the code that renders it and the request. The ETag is computed from those *before* the
handler runs: a matching ``If-None-Match`` gets its 304 without a query.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ]
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]

API_CACHE = b"public, max-age=300"  # answers change only when the server restarts on new data
PAGE_CACHE = b"no-cache"  # pages revalidate (cheap: 304 from the ETag) so a new release shows at once
STATIC_CACHE = b"public, max-age=3600"
STATIC_VERSIONED = b"public, max-age=31536000, immutable"  # ?v=<content hash>
NO_STORE = b"no-store"
#: GET answers about the server process itself (its memory, what it has loaded), not about the data:
#: they change without the data changing, so they are never cached.
LIVE = frozenset({"/api/status"})


def _has(headers: list[tuple[bytes, bytes]], name: bytes) -> bool:
    return any(k.lower() == name for k, _ in headers)


class SecurityHeaders:
    """CSP (no inline script or style, no framing, no plugins), nosniff and friends on every answer, the
    500 of an unexpected error included; and ``HEAD`` wherever ``GET`` works.

    The outermost of our middleware: an exception that escapes the app is answered here, with the headers,
    before Starlette's own error middleware (outside every user middleware) would answer it without them;
    the exception is raised on so that it is still logged. ``HEAD`` is answered as ``GET`` without the body
    (FastAPI's routes declare ``GET`` only, so ``HEAD`` was a 405 everywhere)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = dict(scope, method="GET")
        started = False

        async def with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                headers += [(k, v) for k, v in SECURITY_HEADERS if not _has(headers, k)]
                message["headers"] = headers
            elif head and message["type"] == "http.response.body":
                message = dict(message, body=b"")
            await send(message)

        try:
            await self.app(scope, receive, with_headers)
        except Exception:
            if not started:
                body = b"" if head else b"Internal Server Error"
                await with_headers(
                    {
                        "type": "http.response.start",
                        "status": 500,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8")],
                    }
                )
                await with_headers({"type": "http.response.body", "body": body})
            raise


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413 (declared or streamed), before any parsing."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(scope, send)
            return
        # Read it all (it is at most `limit` bytes), then replay it: a handler never sees a partial body.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(scope, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        problem = {
            "status": 413,
            "error": "request too large",
            "message": f"the request body is over {self.limit:,} bytes",
            "limit": self.limit,
        }
        api = scope["path"].startswith("/api/")
        body = (
            json.dumps(problem).encode()
            if api
            else f"<!doctype html><title>413</title><p>{problem['message']}.".encode()
        )
        ctype = b"application/json" if api else b"text/html; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", ctype),
                    (b"content-length", str(len(body)).encode()),
                    (b"cache-control", NO_STORE),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


MAX_QUERY = 8192  # bytes of query string; fifty filter values take about a kilobyte


class QueryLimit:
    """Refuse a query string over ``limit`` bytes with 414, before routing or parsing (each parameter
    is bounded too, but this bounds how many of them, and how much is parsed to find that out)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_QUERY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        size = len(scope.get("query_string", b"")) if scope["type"] == "http" else 0
        if size <= self.limit:
            await self.app(scope, receive, send)
            return
        problem = {
            "status": 414,
            "error": "query string too long",
            "message": f"the query string has {size:,} bytes, over the limit of {self.limit:,}",
            "limit": self.limit,
            "received": size,
            "unit": "bytes",
        }
        await _refuse(scope, send, problem)


class InFlightLimit:
    """Answer 503 with ``Retry-After`` to a request that arrives while ``limit`` requests are in
    progress, instead of queueing work without end (idle connections are not requests: see
    :mod:`borderdesk.serve.connections`)."""

    def __init__(self, app: ASGIApp, limit: int = 200, retry_after: int = 1) -> None:
        self.app = app
        self.limit = limit
        self.retry_after = retry_after
        self.active = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.active >= self.limit:
            problem = {
                "status": 503,
                "error": "busy",
                "message": f"the server is answering {self.active:,} requests, its limit; "
                f"try again in {self.retry_after} s",
                "limit": self.limit,
            }
            await _refuse(scope, send, problem, [(b"retry-after", str(self.retry_after).encode())])
            return
        self.active += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.active -= 1


async def _refuse(
    scope: Scope, send: Send, problem: dict[str, Any], headers: Sequence[tuple[bytes, bytes]] = ()
) -> None:
    """Answer ``problem`` (a JSON error under /api/, a short page elsewhere) and close the connection."""
    api = scope["path"].startswith("/api/")
    body = (
        json.dumps(problem).encode()
        if api
        else f"<!doctype html><title>{problem['status']}</title><p>{problem['message']}.".encode()
    )
    await send(
        {
            "type": "http.response.start",
            "status": problem["status"],
            "headers": [
                (b"content-type", b"application/json" if api else b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", NO_STORE),
                (b"connection", b"close"),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class Caching:
    """ETag + Cache-Control for GET answers, 304 on ``If-None-Match``; ``no-store`` on everything else.

    ``version`` identifies the data and the code (see :func:`borderdesk.serve.app.data_version`): a string,
    or a function of the request's scope when the data can change while the server runs."""

    def __init__(self, app: ASGIApp, version: str | Callable[[Scope], str]) -> None:
        self.app = app
        self.version = version

    def etag(self, scope: Scope) -> bytes:
        version = self.version if isinstance(self.version, str) else self.version(scope)
        key = b"\0".join([version.encode(), scope["path"].encode(), scope.get("query_string", b"")])
        return b'W/"' + hashlib.sha256(key).hexdigest()[:32].encode() + b'"'

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if scope["method"] not in ("GET", "HEAD") or path in LIVE:
            await self.app(scope, receive, self._set(send, None, NO_STORE))
            return
        if path.startswith("/static/"):
            versioned = b"v=" in scope.get("query_string", b"")
            await self.app(
                scope, receive, self._set(send, None, STATIC_VERSIONED if versioned else STATIC_CACHE)
            )
            return
        tag = self.etag(scope)
        policy = API_CACHE if path.startswith("/api/") or path == "/openapi.json" else PAGE_CACHE
        match = dict(scope.get("headers", [])).get(b"if-none-match")
        if match is not None and (match.strip() == b"*" or tag in [m.strip() for m in match.split(b",")]):
            await send(
                {
                    "type": "http.response.start",
                    "status": 304,
                    "headers": [(b"etag", tag), (b"cache-control", policy)],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        await self.app(scope, receive, self._set(send, tag, policy))

    @staticmethod
    def _set(send: Send, tag: bytes | None, policy: bytes) -> Send:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                ok = message["status"] == 200
                if ok and tag is not None and not _has(headers, b"etag"):
                    headers.append((b"etag", tag))
                if not _has(headers, b"cache-control"):
                    headers.append((b"cache-control", policy if ok or message["status"] == 304 else NO_STORE))
                message["headers"] = headers
            await send(message)

        return wrapped
