"""The HTTP application: ``create_app(db_path)`` → a FastAPI (ASGI) app serving the JSON API under
``/api`` (:mod:`borderdesk.api`), the dashboard pages (:mod:`borderdesk.web`), the vendored static files
and offline ``/docs``. The two shells know nothing of each other; this module, above both, puts them in
one app with the plumbing they share (:mod:`borderdesk.http`).

It opens the database read-only (creating it first from the bundled snapshot if it does not exist), so
the server can never change the data, and one :class:`~borderdesk.desk.Desk` serves every thread.

>>> from fastapi.testclient import TestClient                      # doctest: +SKIP
>>> client = TestClient(create_app("borderdesk.duckdb"))            # doctest: +SKIP
>>> client.get("/api/count?citizenship=russia&region=southwest&period=2022-11").json()["value"]
5507
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

# Imported now, in the one thread starting the server, not first by a request: the fact index and the
# charts import NumPy lazily, and two request threads importing it at once could see it half made
# ("partially initialized module 'numpy' has no attribute 'ndarray'", a 500 seen under load).
import numpy  # noqa: F401
import rapidfuzz  # noqa: F401
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

import borderdesk
from borderdesk import config
from borderdesk.api import analysis_routes, routes
from borderdesk.api.fast_path import CountFastPath
from borderdesk.desk import Desk
from borderdesk.errors import BorderdeskError
from borderdesk.http import middleware, problems
from borderdesk.http.checks import ProcessChecks, ServerBusy
from borderdesk.http.live import LiveDesk, PinState, current_desk, file_identity
from borderdesk.web import analysis_pages, pages, render

log = logging.getLogger("borderdesk.serve")

MAX_BODY = 1_000_000  # bytes; the longest news article is a few tens of kB

DESCRIPTION = """U.S. CBP border-encounter statistics: every number with the release (file, sha256) it came
from. Filters accept any case, aliases and demonyms (`russia`, `Russians`, `RU`; `southern border`).
Bad parameters get a 400/422 JSON error naming the parameter and the allowed values. Read-only."""


def open_read_only(db_path: Path | str, *, snapshot: bool = True) -> Desk:
    """The database at ``db_path``, read-only; created first (with the bundled snapshot unless
    ``snapshot=False``) when there is no file yet."""
    from borderdesk.desk import ensure_database

    ensure_database(db_path, snapshot=snapshot)
    return borderdesk.open(db_path, read_only=True)


def data_version(desk: Desk) -> str:
    """What every cached answer depends on: the releases (the newest named first), the package
    version and the templates. Any change gives every URL a new ETag."""
    h = hashlib.sha256(borderdesk.__version__.encode())
    newest = desk.newest_release()
    if newest is not None:
        h.update(f"newest {newest.label} {newest.sha256}\n".encode())
    for r in sorted(desk.release_list(), key=lambda r: r.sha256):
        h.update(f"{r.label} {r.sha256}\n".encode())
    h.update(render.code_digest().encode())
    return h.hexdigest()


def create_app(
    db_path: Path | str,
    *,
    snapshot: bool = True,
    desk: Desk | None = None,
    watch_interval: float = 0.5,
    check_workers: int = 0,
    max_in_flight: int = 200,
    allow_private_urls: bool = False,
    fast_path: bool = True,
) -> FastAPI:
    """The ASGI app over the database at ``db_path``, opened read-only (or over an open ``desk``).

    Opened from ``db_path``, the app follows the file: when ``borderdesk ingest``/``update`` swap in a
    new database, requests that start after the next check (every ``watch_interval`` seconds) answer
    from it, and those already running finish on the old one (see :mod:`borderdesk.http.live`).

    ``check_workers`` > 0 runs claim checks in that many worker processes over ``db_path`` (see
    :mod:`borderdesk.http.checks`), so that long checks cannot slow the quick answers; 0 runs them in
    the server's threads. At most ``max_in_flight`` requests are answered at once; more get 503.
    ``allow_private_urls`` lets a check by URL fetch pages on loopback and private addresses (see
    :mod:`borderdesk.http.articles`); off, they are refused. ``fast_path`` answers plain ``/api/count``
    requests without the framework (:mod:`borderdesk.api.fast_path`; off only to compare the two)."""
    # No lifespan hook closes the desk: test transports start and stop an app many times, and a
    # read-only DuckDB connection has nothing to flush; `app.state.desk.close()` is there for callers.
    # The file's identity is taken before it is opened, so a writer's swap in between is noticed.
    opened = file_identity(db_path) if desk is None else None
    the_desk = open_read_only(db_path, snapshot=snapshot) if desk is None else desk

    runner = ProcessChecks(db_path, workers=check_workers) if check_workers and desk is None else None

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if runner is not None:
            runner.start()
        try:
            yield
        finally:
            if runner is not None:
                runner.close()

    app = FastAPI(
        lifespan=lifespan,
        title="borderdesk",
        version=borderdesk.__version__,
        description=DESCRIPTION,
        docs_url=None,  # FastAPI's own pages load Swagger/ReDoc from a CDN: ours are vendored
        redoc_url=None,
    )
    app.state.desk = the_desk
    app.state.db_path = str(db_path)
    app.state.checks = runner
    app.state.allow_private_urls = allow_private_urls
    app.include_router(routes.router)
    analysis_routes.register(app)
    app.include_router(pages.router)
    app.include_router(analysis_pages.router)
    app.mount("/static", StaticFiles(directory=render.STATIC), name="static")
    _handlers(app)

    if fast_path:
        app.add_middleware(CountFastPath)  # innermost: everything added after applies to its answers
    app.add_middleware(GZipMiddleware, minimum_size=1400)
    if desk is None:  # follow the file: pin one state per request, reopen when a writer swaps it
        live = LiveDesk(
            Path(db_path),
            the_desk,
            version=data_version,
            interval=watch_interval,
            on_swap=lambda d: setattr(app.state, "desk", d),
            key=opened,
        )
        app.state.live = live
        app.add_middleware(middleware.Caching, version=lambda scope: scope["state"]["borderdesk"].version)
        app.add_middleware(PinState, live=live)
    else:
        app.add_middleware(middleware.Caching, version=data_version(the_desk))
    app.add_middleware(middleware.BodyLimit, limit=MAX_BODY)
    app.add_middleware(middleware.QueryLimit)
    app.add_middleware(middleware.InFlightLimit, limit=max_in_flight)
    app.add_middleware(middleware.SecurityHeaders)
    render.warm_up(the_desk)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _handlers(app: FastAPI) -> None:
    def desk(request: Request) -> Desk | None:
        return current_desk(request) if hasattr(request.app.state, "desk") else None

    @app.exception_handler(BorderdeskError)
    async def borderdesk_error(request: Request, exc: BorderdeskError) -> Response:
        p = problems.problem(exc, desk(request))
        if _wants_json(request):
            return JSONResponse(p.to_dict(), status_code=p.status)
        return pages.error_page(request, p.status, p.message)

    @app.exception_handler(ServerBusy)
    async def server_busy(request: Request, exc: ServerBusy) -> Response:
        message = f"the server is busy: {exc}; try again in {exc.retry_after} s"
        headers = {"Retry-After": str(exc.retry_after)}
        if _wants_json(request):
            body = {"status": 503, "error": "busy", "message": message}
            return JSONResponse(body, status_code=503, headers=headers)
        return pages.error_page(request, 503, message, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        p = problems.validation_problem(exc.errors())
        if _wants_json(request):
            return JSONResponse(p.to_dict(), status_code=p.status)
        return pages.error_page(request, 400, p.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = str(exc.detail) if exc.detail else "error"
        headers: dict[str, Any] = dict(exc.headers or {})
        if _wants_json(request):
            body = {"status": exc.status_code, "error": message.lower(), "message": message}
            return JSONResponse(body, status_code=exc.status_code, headers=headers)
        return pages.error_page(request, exc.status_code, message, headers=headers)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s", request.url.path)
        message = "internal error: the server could not answer this request"
        if _wants_json(request):
            return JSONResponse({"status": 500, "error": "internal error", "message": message}, 500)
        return HTMLResponse("<!doctype html><title>500</title><p>Internal error.", status_code=500)


def app_from_environment() -> FastAPI:
    """The app ``borderdesk serve`` runs, built by uvicorn from an import string
    (``borderdesk.serve:app_from_environment``, a factory) with the settings the CLI put in the
    environment (:class:`~borderdesk.config.ServeSettings`): so the CLI never imports the HTTP shells."""
    settings = config.ServeSettings.from_environment()
    app = create_app(
        settings.db,
        snapshot=settings.snapshot,
        check_workers=settings.check_workers,
        allow_private_urls=settings.allow_private_urls,
    )
    if settings.check_timeout is not None:  # else the default limit (http.settings)
        app.state.check_timeout = settings.check_timeout or None
    return app
