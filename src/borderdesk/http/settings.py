"""The server's settings a request handler reads, set on ``app.state`` by whoever built the app."""

from __future__ import annotations

from starlette.requests import Request

from borderdesk.limits import DEFAULT_TIMEOUT


def check_timeout(request: Request) -> float | None:
    """Seconds a check may take on this server: ``app.state.check_timeout`` when whoever built the app
    set it (None or 0 for no limit, as ``borderdesk check --timeout 0``), else
    :data:`~borderdesk.limits.DEFAULT_TIMEOUT`."""
    seconds: float | None = getattr(request.app.state, "check_timeout", DEFAULT_TIMEOUT)
    return seconds or None
