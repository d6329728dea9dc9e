"""The dashboard pages (server-rendered, readable without JavaScript): read the form, ask the core,
render a template. A bad filter value gives the same page, status 400, with the error beside the form.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from borderdesk import metadata, params
from borderdesk.charts import event_markers, series_spec, source_line, title_for
from borderdesk.errors import PARAMETER, BorderdeskError, ParameterError
from borderdesk.http.articles import fetch_for_check, reading
from borderdesk.http.checks import checks_of
from borderdesk.http.live import current_desk
from borderdesk.http.problems import coverage, pooled_values, problem
from borderdesk.http.settings import check_timeout
from borderdesk.limits import MAX_SHARED_TEXT, check_length
from borderdesk.store.releases import recency
from borderdesk.web import forms
from borderdesk.web.render import templates
from borderdesk.web.tables import pivot, series_table, share_table
from borderdesk.web.text import highlight

if TYPE_CHECKING:
    from borderdesk.desk import Desk
    from borderdesk.query.frames import Frame

router = APIRouter(include_in_schema=False)

NAV = (
    ("/", "Explore"),
    ("/citizenships", "Top citizenships"),
    ("/nationality", "One nationality"),
    ("/surges", "Surges"),
    ("/revisions", "Revisions"),
    ("/history", "History"),
    ("/brief", "Brief"),
    ("/releases", "Releases"),
    ("/check", "Check a text"),
    ("/docs", "API"),
)
EXPLORE_FIELDS = (
    "citizenship",
    "region",
    "period",
    "component",
    "by",
    "interval",
    "demographic",
    "title",
    "encounter_type",
    "state",
    "aor",
    "as_of",
)
TOP_FIELDS = (
    "region",
    "period",
    "component",
    "top",
    "demographic",
    "title",
    "encounter_type",
    "state",
    "aor",
)
NATIONALITY_FIELDS = ("citizenship", "period", "component", "demographic", "title", "encounter_type")
MAX_CHECK_TEXT = MAX_SHARED_TEXT  # characters, as POST /api/check; the 1 MB body limit comes first


def _desk(request: Request) -> Desk:
    return current_desk(request)


def page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    """Render ``template`` with what every page shows (navigation, the newest release)."""
    desk = _desk(request) if hasattr(request.app.state, "desk") else None
    newest = desk.newest_release() if desk is not None else None
    base = {"nav": NAV, "path": request.url.path, "newest": newest, "error": None}
    return templates.TemplateResponse(request, template, {**base, **context}, status_code=status)


def error_page(
    request: Request, status: int, message: str, headers: dict[str, Any] | None = None
) -> Response:
    title = "Page not found" if status == 404 else f"Error {status}"
    response = page(request, "error.html", status, title=title, status_code=status, message=message)
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


@functools.lru_cache(maxsize=256)
def _spec(frame: Frame) -> dict[str, Any]:
    """The Vega-Lite spec of a frame. Building it (Altair, with its validation and the event layers)
    takes ~50 ms; frames are frozen and the database is read-only, so the same slice is built once."""
    return series_spec(frame)


def chart_of(frame: Frame) -> dict[str, Any]:
    """What the chart macro shows for a series frame: its spec (built once per frame, shared: copy it
    before changing it), title, subtitle naming its months, source line and numbered events."""
    return {
        "spec": _spec(frame),
        "title": title_for(frame),
        "subtitle": frame.describe() or frame.period.describe(),
        "source": source_line(frame),
        "events": event_markers(frame),
    }


def answered(
    request: Request,
    desk: Desk,
    names: tuple[str, ...],
    answer: Callable[[Desk, dict[str, str]], dict[str, Any]],
) -> tuple[dict[str, str], dict[str, Any], int]:
    """``(form, context, status)``: the ``names`` read from the URL and what ``answer(desk, form)``
    gives for them, or, when a value is bad or the core refuses, the form as far as it was read, the
    error and the status it deserves (every filter page answers this way)."""
    form: dict[str, str] = dict.fromkeys(names, "")
    try:
        form = forms.read(request.query_params, names)
        return form, answer(desk, form), 200
    except BorderdeskError as e:
        p = problem(e, desk)
        return form, {"error": p}, p.status


def filter_page(
    request: Request,
    template: str,
    title: str,
    fields: tuple[str, ...],
    answer: Callable[[Desk, dict[str, str]], dict[str, Any]],
    **extra: Any,
) -> Response:
    """A page with a filter form: read the ``fields`` from the URL, let ``answer(desk, form)`` ask the
    core for what the template shows, and render it; a bad value gives the same page and form, with
    the error beside it and the status it deserves. ``answer`` may fill in a default in ``form``: the
    form then shows it."""
    desk = _desk(request)
    form, context, status = answered(request, desk, fields, answer)
    form_fields = forms.filter_fields(desk, form, fields)
    return page(request, template, status, title=title, fields=form_fields, **extra, **context)


# -- explore -----------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def explore(request: Request) -> Response:
    """A slice of the data: the filters in the URL, a chart, the same numbers as a table."""
    return filter_page(request, "explore.html", "Explore", EXPLORE_FIELDS, _explore)


def _explore(desk: Desk, form: dict[str, str]) -> dict[str, Any]:
    by = params.dimensions(form["by"], most=1)
    interval = params.interval(form["interval"] or "month")
    frame = desk.series_result(by=by, interval=interval, **forms.question_kwargs(form))
    api_query = forms.query_string(form, EXPLORE_FIELDS)
    return {
        "frame": frame,
        "chart": chart_of(frame),
        "table": pivot(frame) if by else series_table(frame),
        "api_json": "/api/series?" + api_query,
        "api_csv": "/api/series?" + forms.query_string(form, EXPLORE_FIELDS, format="csv"),
        "share": "/?" + api_query,
    }


# -- top citizenships ------------------------------------------------------------------------------


@router.get("/citizenships", response_class=HTMLResponse)
def citizenships(request: Request) -> Response:
    """The largest citizenships of a slice, with their shares of the whole."""
    return filter_page(request, "citizenships.html", "Top citizenships", TOP_FIELDS, _citizenships)


def _citizenships(desk: Desk, form: dict[str, str]) -> dict[str, Any]:
    if not form["period"]:
        form["period"] = forms.last_months(desk, 12) or ""
    top = _top(form["top"])
    frame = desk.table_result(by="citizenship", top=top, **forms.question_kwargs(form))
    keep = tuple(n for n in TOP_FIELDS if n not in ("top", "state", "aor", "region"))
    return {
        "frame": frame,
        "table": share_table(
            frame,
            link=lambda name: (
                "/nationality?" + forms.query_string({k: form[k] for k in keep}, citizenship=name)
            ),
        ),
        "api_json": "/api/table?" + forms.query_string(form, TOP_FIELDS, by="citizenship"),
    }


def _top(text: str) -> int:
    if not text:
        return 20
    # ASCII digits only: str.isdigit() also accepts '²', which int() then refuses (a 500, not a 400)
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 100:
        message = f"{PARAMETER} must be a whole number from 1 to 100, not {text!r}"
        raise ParameterError("top", message, value=text)
    return int(text)


# -- one nationality -------------------------------------------------------------------------------


@router.get("/nationality", response_class=HTMLResponse)
def nationality(request: Request) -> Response:
    """One nationality's monthly encounters, region by region; the countries CBP pools into OTHER are
    listed apart, each linked to its Border Patrol figures (the history tables)."""
    desk = _desk(request)
    suggestions = [v for v, _ in forms.choices(desk, "citizenship") if not metadata.is_grouping(v)]
    return filter_page(
        request,
        "nationality.html",
        "One nationality",
        NATIONALITY_FIELDS,
        _nationality,
        suggestions=suggestions,
        pooled=pooled_values(desk, "citizenship") or [],
    )


def _nationality(desk: Desk, form: dict[str, str]) -> dict[str, Any]:
    if not form["citizenship"]:
        return {}  # the page offers a list of nationalities to pick from
    frame = desk.series_result(by="region", **forms.question_kwargs(form))
    return {
        "frame": frame,
        "chart": chart_of(frame),
        "table": pivot(frame),
        "api_json": "/api/series?" + forms.query_string(form, NATIONALITY_FIELDS, by="region"),
    }


# -- releases ------------------------------------------------------------------------------------


@router.get("/releases", response_class=HTMLResponse)
def releases(request: Request) -> Response:
    """Every release (vintage) in the database with its coverage, rows, sha256 and source."""
    desk = _desk(request)
    rels = sorted(
        desk.release_list(), key=lambda r: (r.coverage_end, r.published or "", r.label), reverse=True
    )
    # a short page: the newest release of each family up top, the older vintages folded away
    newest = {r.family: r.release_id for r in sorted(rels, key=recency)}
    current = [r for r in rels if newest[r.family] == r.release_id or r.unofficial]
    return page(
        request,
        "releases.html",
        title="Releases",
        releases=rels,
        current=current,
        older=[r for r in rels if r not in current],
        coverage=coverage(desk),
        revised=revised(desk) if callable(getattr(desk, "revisions_table", None)) else None,
    )


@functools.lru_cache(maxsize=8)
def revised(desk: Desk) -> dict[str, dict[str, Any]]:
    """What each release changed in the months its predecessor (same family) already had: nationwide
    totals, from the core's revisions. Keyed by release label. Computed once per (read-only) desk."""
    by_family: dict[str, list[Any]] = {}
    for r in desk.release_list():
        by_family.setdefault(r.family, []).append(r)
    out: dict[str, dict[str, Any]] = {}
    for rels in by_family.values():
        rels.sort(key=recency)  # oldest vintage first, by the one recency rule
        for old, new in itertools.pairwise(rels):
            try:
                table = desk.revisions_result(
                    from_release=old.sha256[:16], to_release=new.sha256[:16], changed_only=True
                )
            except BorderdeskError:
                continue
            rows = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
            changes = [(str(r.get("month")), int(r.get("change") or 0)) for r in rows]
            largest = max(changes, key=lambda c: abs(c[1]), default=None)
            out[new.label] = {
                "previous": old.label,
                "months": len(changes),
                "net": sum(c for _, c in changes),
                "largest": largest,
                "href": "/api/revisions?" + forms.query_string({"from": old.label, "to": new.label}),
            }
    return out


# -- check a text ----------------------------------------------------------------------------------


def _can_check(desk: Desk) -> bool:
    return callable(getattr(desk, "check", None))


@router.get("/check", response_class=HTMLResponse)
def check_form(request: Request) -> Response:
    desk = _desk(request)
    return page(
        request,
        "check.html",
        title="Check a text",
        available=_can_check(desk),
        text="",
        url="",
        date="",
        result=None,
    )


@router.post("/check", response_class=HTMLResponse)
async def check_text(request: Request) -> Response:
    """The text back with every claim highlighted, and each claim's verdict, value, reason, release.
    With a URL instead of a text, the page's article is fetched here (off the event loop, within the
    fetch limits) and checked like a pasted text, as of the page's date unless one is given."""
    desk = _desk(request)
    data = await request.form()
    text = str(data.get("text") or "")
    url = str(data.get("url") or "").strip()
    date = str(data.get("date") or "").strip()
    context: dict[str, Any] = {
        "text": text,
        "url": url,
        "date": date,
        "result": None,
        "available": _can_check(desk),
    }
    status = 200
    try:
        check_length(text, MAX_CHECK_TEXT)
        if date:
            try:
                dt.date.fromisoformat(date)
            except ValueError:
                message = f"{PARAMETER} must be YYYY-MM-DD, not {date!r}"
                raise ParameterError("date", message, value=date) from None
        if url and text.strip():
            raise ParameterError("url", "give a text or the URL of a page, not both", value=url)
        source: dict[str, Any] | None = None
        date_used: str | None = date or None
        if not context["available"]:
            status = 501
        elif url:
            article = await fetch_for_check(request, url)
            text = article.text
            check_length(text, MAX_CHECK_TEXT)
            date_used, source = reading(article, date_used, desk)
        if context["available"] and text.strip():
            runner = checks_of(request.app)
            results = await runner.check(desk, text, date=date_used, timeout=check_timeout(request))
            claims = [r.to_dict() for r in results]
            context["result"] = {"claims": claims, "segments": highlight(text, claims), "source": source}
    except BorderdeskError as e:
        p = problem(e, desk)
        status, context["error"] = p.status, p
    return page(request, "check.html", status, title="Check a text", **context)


# -- offline API docs --------------------------------------------------------------------------


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> Response:
    """Swagger UI from the vendored swagger-ui-dist (FastAPI's default loads it from a CDN)."""
    return page(request, "docs.html", title="API")
