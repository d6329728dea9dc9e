"""The common question, answered without the framework: ``GET /api/count`` with plain filters.

Answering ``/api/count`` through FastAPI cost about five times the count itself: the dependencies
validate each of the ~16 declared query parameters one by one through pydantic on every request, and
that, not the answer, set the server's throughput. :class:`CountFastPath` sits just inside the
middlewares (so ETags, 304s, the pinned database state, the security headers and the limits all still
apply) and answers the requests it can prove are ordinary — every parameter a known filter, ``period``
or ``as_of``, every value within the same length limits the route declares — with the same call and
the same body as the route (:func:`borderdesk.api.routes.count`). Anything else, and any error while
answering, goes to FastAPI untouched, which then answers or refuses exactly as it always has: the
fast path never writes an error of its own. A test holds the two paths' responses byte for byte equal.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import QueryParams
from starlette.types import ASGIApp, Receive, Scope, Send

from borderdesk import params as spec
from borderdesk.http.live import current_desk_of_scope
from borderdesk.json_export import compact_json

PATH = "/api/count"
_MANY = frozenset(p.query for p in spec.FILTERS if p.many)
_ONE = frozenset(p.query for p in spec.FILTERS if not p.many) | {spec.PERIOD.query, spec.AS_OF.query}
_NAME_OF = {p.query: p.name for p in (*spec.FILTERS, spec.PERIOD, spec.AS_OF)}
_HEADERS = [(b"content-type", b"application/json")]


def plain_question(query_string: bytes) -> dict[str, Any] | None:
    """``Desk.count``'s keywords for an ordinary query string, as the route's dependencies would give
    them (the last of a repeated single value, lists for repeatable filters, unset ones dropped, period
    and release stripped); None when anything in it is not ordinary (the route then decides)."""
    query = QueryParams(query_string)
    given: dict[str, Any] = {}
    for key in query:
        values = query.getlist(key)
        if any(len(v) > spec.MAX_TEXT for v in values):
            return None
        if key in _MANY:
            if len(values) > spec.MAX_VALUES:
                return None
            given[_NAME_OF[key]] = values
        elif key in _ONE:
            given[_NAME_OF[key]] = values[-1]
        else:
            return None  # unknown, or a parameter such as compare= that the route reads itself
    period = (given.pop(spec.PERIOD.name, None) or "").strip() or None
    as_of = (given.pop(spec.AS_OF.name, None) or "").strip() or None
    return {"period": period, "as_of": as_of, **spec.collect(given)}


class CountFastPath:
    """ASGI middleware: ``GET /api/count`` with plain filters answered directly (see the module)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == PATH and scope["method"] == "GET":
            body = self._answer(scope)
            if body is not None:
                headers = [(b"content-length", str(len(body)).encode()), *_HEADERS]
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)

    @staticmethod
    def _answer(scope: Scope) -> bytes | None:
        question = plain_question(scope.get("query_string", b""))
        if question is None:
            return None
        try:
            return compact_json(current_desk_of_scope(scope).count(**question).to_dict())
        except Exception:  # the route meets it again, and the app's handlers word the answer
            return None
