"""Surges, revisions and events (interfaces.md): registered by :func:`register` only when the core
has them (:mod:`borderdesk.analysis`), and answered with the core's own ``Table.to_dict()``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query
from fastapi.responses import Response

from borderdesk.api import params
from borderdesk.api.routes import DeskDep, json_response
from borderdesk.api.schemas import ERRORS, AnalysisOut
from borderdesk.desk import Desk
from borderdesk.errors import ReleaseNotFoundError
from borderdesk.http.problems import problem

WhoWhere = Annotated[dict[str, Any], Depends(params.who_where)]
Release = Annotated[str | None, Query(max_length=params.MAX_TEXT)]


def available() -> dict[str, bool]:
    """Which analyses this core offers."""
    names = ("surges", "revisions", "events")
    return {name: callable(getattr(Desk, f"{name}_table", None)) for name in names}


def surges(
    desk: DeskDep,
    given: WhoWhere,
    period: params.Period = None,
    as_of: params.AsOf = None,
    top: Annotated[int, Query(ge=1, le=100, description="How many rows, highest score first.")] = 10,
    min_value: Annotated[
        int, Query(ge=0, le=10_000_000, description="Leave out nationalities with fewer encounters.")
    ] = 100,
    include_other: Annotated[bool, Query(description="Also rank CBP's pooled OTHER citizenship.")] = False,
) -> Response:
    """Nationalities far above their own seasonal baseline in a period (e.g. ``?period=2022-11&
    region=southwest``): value, baseline, ratio, score, previous, year earlier, change point."""
    table = desk.surges_result(
        period=period, as_of=as_of, top=top, min_value=min_value, include_pooled=include_other, **given
    )
    return json_response(table.to_dict())


def revisions(
    desk: DeskDep,
    given: WhoWhere,
    period: params.Period = None,
    from_release: Annotated[
        str | None,
        Query(alias="from", max_length=params.MAX_TEXT, description="Older release (label, file, sha256)."),
    ] = None,
    to_release: Annotated[
        str | None,
        Query(alias="to", max_length=params.MAX_TEXT, description="Newer release (default: the newest)."),
    ] = None,
    month: Annotated[
        str | None,
        Query(max_length=params.MAX_TEXT, description="One month's value in every release that holds it."),
    ] = None,
    changed_only: Annotated[bool, Query(description="Only months whose value changed.")] = False,
) -> Response:
    """What changed between two vintages, month by month (``?from=state-2023-10&region=southwest&
    period=2023-10``: 240,988 → 240,927), or one ``month`` across every vintage."""
    try:
        table = desk.revisions_result(
            from_release=from_release,
            to_release=to_release,
            month=month,
            period=period,
            changed_only=changed_only,
            **given,
        )
    except ReleaseNotFoundError as e:  # name the parameter: here it is from/to, not as_of
        p = problem(e, desk)
        p.parameter = "to" if to_release and repr(to_release.strip()) in str(e) else "from"
        return json_response(p.to_dict(), p.status)
    return json_response(table.to_dict())


def events(desk: DeskDep, period: params.Period = None) -> Response:
    """The dated policy and world events the charts are annotated with, each with its source."""
    return json_response(desk.events_result(period=period).to_dict())


SUMMARIES = {
    "surges": "Nationalities far above their seasonal baseline",
    "revisions": "What changed between two vintages",
    "events": "Dated policy and world events",
}


def register(app: FastAPI) -> list[str]:
    """Add the endpoints the core supports; returns their paths."""
    have = available()
    router = APIRouter(prefix="/api", dependencies=[Depends(params.no_unknown_parameters)], tags=["analysis"])
    added = []
    for name, handler in (("surges", surges), ("revisions", revisions), ("events", events)):
        if have[name]:
            router.add_api_route(
                f"/{name}",
                handler,
                methods=["GET"],
                response_model=AnalysisOut,
                responses=ERRORS,
                summary=SUMMARIES[name],
            )
            added.append(f"/api/{name}")
    if added:
        app.include_router(router)
    return added
