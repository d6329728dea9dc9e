"""The JSON API (interfaces.md): parse parameters, ask the core, return its ``to_dict()``.

Handlers are plain ``def``: FastAPI runs them in its thread pool, and :class:`~borderdesk.desk.Desk`
gives each thread its own DuckDB cursor, so requests are answered concurrently. Their shared
dependencies (the desk, the filters) are ``async def``: they do no I/O, and a sync dependency costs a
thread-pool hop per request. Plain ``/api/count`` requests never reach here: see
:mod:`borderdesk.api.fast_path`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from borderdesk import metadata
from borderdesk.api import params
from borderdesk.api.params import Filters
from borderdesk.api.schemas import (
    CHECK_ERRORS,
    ERRORS,
    MAX_URL,
    CheckIn,
    CheckOut,
    CountOut,
    DimensionOut,
    FrameOut,
    ReleaseOut,
    StatusOut,
)
from borderdesk.csv_export import csv_text
from borderdesk.desk import Desk
from borderdesk.http.articles import fetch_for_check, reading
from borderdesk.http.checks import checks_of
from borderdesk.http.live import current_desk
from borderdesk.http.problems import Problem, allowed_values, pooled_values
from borderdesk.http.settings import check_timeout
from borderdesk.json_export import compact_json
from borderdesk.limits import MAX_SHARED_TEXT, check_length
from borderdesk.metadata import FILTERS
from borderdesk.params import FILTERS as FILTER_PARAMS
from borderdesk.query.frames import Frame
from borderdesk.query.reader import status
from borderdesk.store import Release

C = TypeVar("C", bound=Callable[..., Any])

router = APIRouter(prefix="/api", dependencies=[Depends(params.no_unknown_parameters)])

FormatParam = Annotated[
    Literal["json", "csv"],
    Query(
        alias="format",
        description="json (default) or csv (the columns and rows, then release_label, release_file and "
        "release_sha256: the release each row came from).",
    ),
]


async def desk_of(request: Request) -> Desk:
    """The database as of this request: the newest one the server has swapped in (see http.live)."""
    return current_desk(request)


DeskDep = Annotated[Desk, Depends(desk_of)]
FiltersDep = Annotated[Filters, Depends(params.filters)]


def json_response(obj: Any, status_code: int = 200) -> Response:
    """JSON of the core's dicts (dates as ISO text), compact, UTF-8."""
    return Response(compact_json(obj), status_code=status_code, media_type="application/json")


def _frame(frame: Frame, fmt: str) -> Response:
    if fmt == "csv":  # text that starts like a formula is neutralised (csv_export); rows name their release
        body = csv_text(frame.export_columns(), frame.export_rows())
        return Response(body, media_type="text/csv; charset=utf-8")
    return json_response(frame.to_dict())


FRAME_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The rows as JSON, or as CSV with `format=csv`",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    },
    **ERRORS,
}


def question(path: str, summary: str, model: type[BaseModel]) -> Callable[[C], C]:
    """Register a question's GET route: tagged "questions", with its errors documented, and for the
    frames (``FrameOut``: table, series) the CSV they also answer in."""
    responses = FRAME_RESPONSES if model is FrameOut else ERRORS
    return router.get(path, summary=summary, response_model=model, responses=responses, tags=["questions"])


@question("/count", "One number with its provenance", CountOut)
def count(
    desk: DeskDep,
    f: FiltersDep,
    compare: Annotated[
        bool, Query(description="Also the previous period and the same period a year earlier.")
    ] = False,
) -> Response:
    """One number with its provenance, e.g. ``?citizenship=russia&region=southwest&period=2022-11``
    → ``{"value": 5507, ...}``."""
    if compare:
        return json_response(desk.change(**f.kwargs()).to_dict())
    return json_response(desk.count(**f.kwargs()).to_dict())


@question("/table", "A breakdown with shares", FrameOut)
def table(
    desk: DeskDep,
    f: FiltersDep,
    by: Annotated[
        str,
        Query(
            max_length=params.MAX_TEXT,
            description="Dimension(s) to break down by, comma-separated: " + ", ".join(FILTERS),
            examples=["citizenship"],
        ),
    ],
    top: Annotated[
        int | None,
        Query(ge=1, le=10_000, description="Only the N largest groups (shares stay of the whole)."),
    ] = None,
    fmt: FormatParam = "json",
) -> Response:
    """A breakdown with shares, largest first, e.g. ``?by=citizenship&region=southwest&period=FY2023``."""
    frame = desk.table_result(by=params.dimensions(by), top=top, **f.kwargs())
    return _frame(frame, fmt)


@question("/series", "Monthly or yearly series", FrameOut)
def series(
    desk: DeskDep,
    f: FiltersDep,
    by: Annotated[
        str | None,
        Query(
            max_length=params.MAX_TEXT,
            description="One dimension to split the series by: " + ", ".join(FILTERS),
            examples=["region"],
        ),
    ] = None,
    interval: Annotated[
        str, Query(max_length=params.MAX_TEXT, description="month (default), fiscal_year or calendar_year.")
    ] = "month",
    fmt: FormatParam = "json",
) -> Response:
    """Monthly (or yearly) encounters, e.g. ``?citizenship=ukraine&region=southwest&period=2022``."""
    frame = desk.series_result(
        by=params.dimensions(by, most=1), interval=params.interval(interval), **f.kwargs()
    )
    return _frame(frame, fmt)


@router.post(
    "/check",
    summary="Check the claims in a text or a web page",
    response_model=CheckOut,
    responses={**CHECK_ERRORS, 501: ERRORS[400]},
    tags=["claims"],
)
async def check(desk: DeskDep, body: CheckIn, request: Request) -> Response:
    """Check the numeric claims in a text (claim-check.md): each claim with its verdict and evidence.

    Send ``text``, or ``url``: the server fetches the page, takes out the article and its date, and
    checks it; the answer's ``source`` names the page, its title, the date used and where that date
    came from. A page that cannot be used gets 422 naming why.

    A text over the size limit gets 413; a check still running at the server's time limit stops
    and gets 422. Both errors name the limit. When every check worker is busy and the queue is full,
    503 with ``Retry-After``."""
    date = body.date.isoformat() if body.date else None
    checker = getattr(desk, "check", None)
    if checker is None:
        return json_response(
            {"status": 501, "error": "not available", "message": "this build has no claim checker yet"},
            status_code=501,
        )
    if (body.text is None) == (body.url is None):  # 422, as the body's other shape errors
        message = "give either text or url to check, not both and not neither"
        return json_response(Problem(422, "invalid parameter", message, parameter="text").to_dict(), 422)
    source = None
    text = body.text or ""
    if body.url is not None:
        if len(body.url) > MAX_URL:
            message = f"url is over the limit of {MAX_URL:,} characters"
            return json_response(Problem(422, "invalid parameter", message, parameter="url").to_dict(), 422)
        article = await fetch_for_check(request, body.url)  # a PageError answers 422
        text = article.text
        date, source = reading(article, date, desk)
    check_length(text, MAX_SHARED_TEXT)  # a LimitError answers 413/422 (http.problems)
    runner = checks_of(request.app)
    results = await runner.check(desk, text, date=date, timeout=check_timeout(request))
    answer: dict[str, Any] = {"date": date, "claims": [r.to_dict() for r in results]}
    if source is not None:
        answer["source"] = source
    return json_response(answer)


def release_json(r: Release) -> dict[str, Any]:
    """A release as ``borderdesk releases --format json`` prints it."""
    return r.to_json()


@router.get(
    "/releases",
    summary="The releases (vintages) in the database",
    response_model=list[ReleaseOut],
    tags=["data"],
)
def releases(desk: DeskDep) -> Response:
    """Every ingested release (vintage) with its coverage, sha256 and source."""
    return json_response([release_json(r) for r in desk.release_list()])


@router.get(
    "/status", summary="The database and the in-memory fact index", response_model=StatusOut, tags=["data"]
)
def server_status(desk: DeskDep) -> Response:
    """The database file this request answers from (size, schema, generation, releases) and the
    in-memory fact index of this server process: tables and rows loaded, bytes held against the cap
    (``BORDERDESK_INDEX_MAX_BYTES``), answers from it (hits) and by SQL (misses), evictions. The same
    JSON as ``borderdesk info --format json``."""
    return json_response(status(desk, desk.path))


@router.get(
    "/dimensions",
    summary="Filters and their allowed values",
    response_model=list[DimensionOut],
    tags=["data"],
)
def dimensions(desk: DeskDep) -> Response:
    """The filters and the canonical values CBP's releases answer (what the 400 errors call ``allowed``);
    for citizenship, also the countries they pool into OTHER (``pooled``)."""
    out = []
    for p in FILTER_PARAMS:
        d = metadata.DIMENSIONS[p.name]
        entry: dict[str, Any] = {
            "name": p.query,
            "label": d.label,
            "description": d.description,
            "values": allowed_values(desk, p.name) or [],
        }
        pooled = pooled_values(desk, p.name)
        if pooled is not None:
            entry["pooled"] = pooled
        out.append(entry)
    return json_response(out)
