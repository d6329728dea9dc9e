"""Connections that cannot hold the server: a deadline for each request to arrive, and a cap on idle ones.

uvicorn (0.55, h11) has no deadline for a request's head and body: a client that connects and sends
nothing, or one byte every few seconds, keeps its connection, and its ``limit_concurrency`` counts those
connections, so 200 idle sockets made every other client get 503. ``borderdesk serve`` runs uvicorn
without ``limit_concurrency`` and with :class:`GuardedH11Protocol`, uvicorn's own h11 protocol plus:

* **a request deadline**: from the moment a connection waits for a request (when it opens, and after
  each answer on a kept-alive connection), the client has ``request_timeout`` seconds to send the whole
  request, head and body; bytes trickled in do not reset it. Then the connection is closed.
* **a cap on idle connections per client address** (``idle_per_client``): a connection that has not
  yet sent a whole request is idle; one more from the same address closes that address's oldest idle
  one. An address cannot starve others, and a new connection is never refused because of old idle ones.
* **a cap on all connections** (``max_connections``, below the process's file limit): one more closes
  the oldest idle connection anywhere, or, when every connection has a request in progress, itself.

Requests in progress are bounded separately, by :class:`~borderdesk.http.middleware.InFlightLimit`.
Behind a reverse proxy every client has the proxy's address: let the proxy apply its own limits then.

The settings come from the environment (:class:`~borderdesk.config.ServeSettings`), as the app's do,
because uvicorn creates each connection's protocol itself from the import string
``borderdesk.serve.connections:GuardedH11Protocol``.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from borderdesk.config import ServeSettings

log = logging.getLogger("borderdesk.serve")


class ConnectionGuard:
    """The open connections of one server process, and which of them are idle (oldest first)."""

    def __init__(self, *, request_timeout: float, idle_per_client: int, max_connections: int) -> None:
        self.request_timeout = request_timeout
        self.idle_per_client = idle_per_client
        self.max_connections = max_connections
        self.open: set[GuardedH11Protocol] = set()
        #: idle connections in the order they became idle (a dict keeps insertion order)
        self.idle: dict[GuardedH11Protocol, None] = {}
        self.closed_idle = 0
        self.closed_late = 0

    @classmethod
    def from_settings(cls, settings: ServeSettings) -> ConnectionGuard:
        return cls(
            request_timeout=settings.request_timeout,
            idle_per_client=settings.idle_per_client,
            max_connections=settings.max_connections,
        )

    def admit(self, conn: GuardedH11Protocol) -> bool:
        """Take a new connection in, making room as the caps say; False if it must be closed."""
        same_client = [c for c in self.idle if c.client_host == conn.client_host]
        for old in same_client[: max(0, len(same_client) - self.idle_per_client + 1)]:
            self._close_idle(old)
        if len(self.open) >= self.max_connections:
            if not self.idle:
                log.warning("refused a connection: %d connections are all busy", len(self.open))
                return False
            self._close_idle(next(iter(self.idle)))
        self.open.add(conn)
        return True

    def _close_idle(self, conn: GuardedH11Protocol) -> None:
        self.idle.pop(conn, None)
        self.open.discard(conn)
        self.closed_idle += 1
        conn.close_quietly()

    def became_idle(self, conn: GuardedH11Protocol) -> None:
        self.idle.pop(conn, None)
        self.idle[conn] = None

    def became_busy(self, conn: GuardedH11Protocol) -> None:
        self.idle.pop(conn, None)

    def forget(self, conn: GuardedH11Protocol) -> None:
        self.idle.pop(conn, None)
        self.open.discard(conn)


_guard: ConnectionGuard | None = None


def guard() -> ConnectionGuard:
    """This process's guard, built from the settings ``borderdesk serve`` put in the environment."""
    global _guard
    if _guard is None:
        _guard = ConnectionGuard.from_settings(ServeSettings.from_environment())
    return _guard


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a request deadline and the idle caps of :class:`ConnectionGuard`."""

    def __init__(self, *args: Any, connection_guard: ConnectionGuard | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guard = connection_guard or guard()
        self.client_host: str | None = None
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.client_host = self.client[0] if self.client else None
        if not self.guard.admit(self):
            self.close_quietly()
            return
        self._track()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._track()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._track()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_deadline()
        self.guard.forget(self)
        super().connection_lost(exc)

    # -- the state machine, read from h11 --------------------------------------------------------------
    def _receiving(self) -> bool:
        """Whether the server waits for this client's request (its head, or the rest of its body)."""
        if self.transport is None or self.transport.is_closing():
            return False
        answering = self.cycle is not None and not self.cycle.response_complete
        state = self.conn.their_state
        return (state is h11.IDLE and not answering) or state is h11.SEND_BODY

    def _track(self) -> None:
        if not self._receiving():
            self._stop_deadline()
            self.guard.became_busy(self)
            return
        if self.conn.their_state is h11.IDLE:
            self.guard.became_idle(self)
        else:
            self.guard.became_busy(self)
        if self._deadline is None:  # started when the wait began: trickled bytes do not move it
            self._deadline = self.loop.call_later(self.guard.request_timeout, self._overdue)

    def _stop_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _overdue(self) -> None:
        self._deadline = None
        if self._receiving():
            self.guard.closed_late += 1
            self.close_quietly()

    def close_quietly(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.close()
