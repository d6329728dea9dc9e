"""The analysis pages: surges, revisions, Border Patrol history and the monthly brief — what the CLI
(``borderdesk surges|revisions|history|brief``) and the API answer, as dashboard pages with their
filters in the URL, a chart, the numbers as a table and the releases they came from.

They ask the core (the desk) only, as every page does; a bad value gives the page back with its error
beside the form, never a 500.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from borderdesk.charts import (
    revisions_spec,
    surges_spec,
    title_for,
)
from borderdesk.errors import PARAMETER, BorderdeskError, ParameterError
from borderdesk.http.live import current_desk
from borderdesk.store.releases import recency
from borderdesk.values import Month
from borderdesk.web import forms
from borderdesk.web.forms import Field
from borderdesk.web.pages import answered, chart_of, page
from borderdesk.web.tables import Cell, Table, series_table

if TYPE_CHECKING:
    from borderdesk.analysis.result import Table as Result
    from borderdesk.desk import Desk

router = APIRouter(include_in_schema=False)

SURGES_FIELDS = ("period", "region", "component", "top", "min_value", "include_other", "as_of")
REVISIONS_FIELDS = ("from", "to", "region", "component", "citizenship", "period", "changed_only")
HISTORY_FIELDS = ("period", "region", "citizenship", "source")
BRIEF_FIELDS = ("period", "region", "component")
HISTORY_FROM = "since FY1925"  # the history page's default: every fiscal year the tables have
HISTORY_SOURCES = (
    ("", "History (exact USBP tables first, then OHSS)"),
    ("usbp-historical", "USBP historical statistics (FY1925-FY2019, exact)"),
    ("ohss", "DHS OHSS workbook (FY2000 on, rounded to 10)"),
)
YES_NO = (("", "No"), ("yes", "Yes"))
BRIEF_CONTEXT_MONTHS = 24  # as the brief's own chart: the two years up to the period's end
SURGE_COLUMNS = {
    "nationality": ("Nationality", "text"),
    "region": ("Region", "text"),
    "value": ("Encounters", "number"),
    "baseline": ("Baseline", "number"),
    "ratio": ("Ratio", "text"),
    "score": ("Score", "text"),
    "previous": ("Month before", "number"),
    "year_earlier": ("Year earlier", "number"),
    "change_point": ("Surge began", "text"),
}
REVISION_COLUMNS = {
    "month": ("Month", "text"),
    "from_value": ("Older release", "number"),
    "to_value": ("Newer release", "number"),
    "change": ("Change", "text"),
    "percent": ("Percent", "text"),
}


def analysis_page(
    request: Request,
    template: str,
    title: str,
    names: tuple[str, ...],
    answer: Callable[[Desk, dict[str, str]], dict[str, Any]],
    extra: Callable[[Desk, dict[str, str]], list[Field]],
) -> Response:
    """Read ``names`` from the URL, let ``answer`` ask the core, render ``template``; the form gets the
    standard fields plus the page's own (``extra``), in ``names`` order. A core error gives the same
    page and form with the error and its status."""
    desk = current_desk(request)
    form, context, status = answered(request, desk, names, answer)
    own = {f.name: f for f in extra(desk, form)}
    standard = {f.name: f for f in forms.filter_fields(desk, form, names)}
    fields = [own.get(n) or standard[n] for n in names if n in own or n in standard]
    share = "?" + forms.query_string(form, names) if status == 200 else ""
    return page(request, template, status, title=title, fields=fields, share=share, **context)


def whole_number(form: dict[str, str], name: str, low: int, high: int, default: int) -> int:
    text = form.get(name, "")
    if not text:
        return default
    # ASCII digits only: str.isdigit() also accepts '²', which int() then refuses (a 500, not a 400)
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        message = f"{PARAMETER} must be a whole number from {low:,} to {high:,}, not {text!r}"
        raise ParameterError(name, message, value=text)
    return int(text)


def yes(form: dict[str, str], name: str) -> bool:
    text = form.get(name, "").strip().lower()
    if text in ("", "no", "false", "0"):
        return False
    if text in ("yes", "true", "1"):
        return True
    raise ParameterError(name, f"{PARAMETER} must be yes or no, not {text!r}", value=text)


def newest_month(desk: Desk) -> str:
    newest = desk.newest_release()
    return "" if newest is None else f"{newest.coverage_end:%Y-%m}"


def result_table(result: Result, columns: dict[str, tuple[str, str]], rows: list[dict[str, Any]]) -> Table:
    """An analysis result as an HTML-ready table: ratio, score, change and percent formatted here."""
    shown = [c for c in result.columns if c in columns]
    t = Table([columns[c] for c in shown])
    for r in rows:
        cells = []
        for c in shown:
            v, kind = r.get(c), columns[c][1]
            if c == "ratio" and v is not None:
                v = f"{v:.2f}×"
            elif c == "score" and v is not None:
                v = f"{v:.2f}"
            elif c == "change" and v is not None:
                v = f"{v:+,}"
            elif c == "percent" and v is not None:
                v = f"{v:+.2f}%"
            cells.append(Cell("—" if v is None else v, kind if v is not None else "text"))
        t.rows.append(cells)
    return t


# -- surges ----------------------------------------------------------------------------------------


@router.get("/surges", response_class=HTMLResponse)
def surges(request: Request) -> Response:
    """Nationalities far above their own seasonal baseline, with what the score and baseline mean."""
    return analysis_page(request, "surges.html", "Surges", SURGES_FIELDS, _surges, _surge_fields)


def _surges(desk: Desk, form: dict[str, str]) -> dict[str, Any]:
    form["period"] = form["period"] or newest_month(desk)
    top = whole_number(form, "top", 1, 100, 10)
    min_value = whole_number(form, "min_value", 0, 10_000_000, 100)
    table = desk.surges_result(
        top=top,
        min_value=min_value,
        include_pooled=yes(form, "include_other"),
        **forms.question_kwargs(form),
    )
    records = table.records()
    chart = {
        "spec": surges_spec(table),
        "title": f"Surges: {table.question.get('text', '')}",
        "subtitle": "Encounters in the period (bars) against each nationality's seasonal baseline (ticks)",
        "source": _releases_line(table),
        "events": [],
    }
    return {
        "result": table,
        "records": records,
        "table": result_table(table, SURGE_COLUMNS, records),
        "chart": chart if records else None,
        "api_json": "/api/surges?" + _api_query(form, SURGES_FIELDS),
    }


def _surge_fields(desk: Desk, form: dict[str, str]) -> list[Field]:
    return [
        Field("top", "How many", form.get("top", ""), hint="1 to 100; default 10"),
        Field(
            "min_value", "At least", form.get("min_value", ""), hint="encounters in the period; default 100"
        ),
        Field(
            "include_other", "Rank CBP's pooled OTHER", form.get("include_other", ""), "select", list(YES_NO)
        ),
    ]


def _releases_line(result: Result) -> str:
    rels = "; ".join(f"{r.label} ({r.file}, sha256 {r.sha256[:12]})" for r in result.releases)
    return f"Source: U.S. Customs and Border Protection, {rels}."


def _api_query(form: dict[str, str], names: tuple[str, ...]) -> str:
    """The page's filters as the API spells them (``include_other=true``)."""
    renamed = {k: ("true" if k in ("include_other", "changed_only") and v else v) for k, v in form.items()}
    return forms.query_string(renamed, names)


# -- revisions -------------------------------------------------------------------------------------


@router.get("/revisions", response_class=HTMLResponse)
def revisions(request: Request) -> Response:
    """What changed between two releases, biggest changes first."""
    return analysis_page(
        request, "revisions.html", "Revisions", REVISIONS_FIELDS, _revisions, _revision_fields
    )


def default_pair(desk: Desk) -> tuple[str, str]:
    """The newest two releases of the newest release's family (older, newer); empty if fewer."""
    newest = desk.newest_release()
    if newest is None:
        return "", ""
    family = sorted((r for r in desk.release_list() if r.family == newest.family), key=recency)
    if len(family) < 2:
        return "", ""
    return family[-2].label, family[-1].label


def _revisions(desk: Desk, form: dict[str, str]) -> dict[str, Any]:
    if not form["from"] and not form["to"]:
        form["from"], form["to"] = default_pair(desk)
    changed_only = yes(form, "changed_only")
    kwargs = forms.question_kwargs(form)
    table = desk.revisions_result(
        from_release=form["from"] or None, to_release=form["to"] or None, changed_only=changed_only, **kwargs
    )
    records = table.records()
    biggest = sorted(records, key=lambda r: (-abs(r.get("change") or 0), str(r.get("month"))))
    changed = [r for r in records if r.get("change")]
    chart = {
        "spec": revisions_spec(table),
        "title": "Change by month: " + " → ".join(r.label for r in table.releases),
        "subtitle": table.question.get("text", ""),
        "source": _releases_line(table),
        "events": [],
    }
    return {
        "result": table,
        "table": result_table(table, REVISION_COLUMNS, biggest),
        "chart": chart if records else None,
        "months": len(records),
        "changed": len(changed),
        "net": sum(int(r.get("change") or 0) for r in records),
        "api_json": "/api/revisions?" + _api_query(form, REVISIONS_FIELDS),
    }


def _revision_fields(desk: Desk, form: dict[str, str]) -> list[Field]:
    rels = sorted(desk.release_list(), key=lambda r: (r.family, recency(r)), reverse=True)
    options = [(r.label, f"{r.label} (data to {r.coverage_end:%Y-%m})") for r in rels]
    return [
        Field("from", "Older release", form.get("from", ""), "select", options),
        Field("to", "Newer release", form.get("to", ""), "select", options),
        Field("changed_only", "Only changed months", form.get("changed_only", ""), "select", list(YES_NO)),
    ]


# -- history ---------------------------------------------------------------------------------------


@router.get("/history", response_class=HTMLResponse)
def history(request: Request) -> Response:
    """Border Patrol apprehensions by fiscal year from FY1925, with what the series counts."""
    return analysis_page(
        request, "history.html", "Border Patrol history", HISTORY_FIELDS, _history, _history_fields
    )


def _history(desk: Desk, form: dict[str, str]) -> dict[str, Any]:
    source = form["source"] or "history"
    frame = None
    if not form["period"]:  # every fiscal year from FY1925 when the tables have them, as the CLI otherwise
        try:
            frame = desk.series_result(
                interval="fiscal_year",
                source=source,
                **forms.question_kwargs({**form, "period": HISTORY_FROM}),
            )
            form["period"] = HISTORY_FROM
        except BorderdeskError:
            frame = None
    if frame is None:
        frame = desk.series_result(interval="fiscal_year", source=source, **forms.question_kwargs(form))
    chart = chart_of(frame)
    chart["spec"] = copy.deepcopy(chart["spec"])  # the spec is the cached one Explore shares: retitle a copy
    chart["title"] = title_for(frame).replace("CBP encounters", "Border Patrol")
    chart["spec"]["title"]["text"] = chart["title"]
    _retitle_y(chart["spec"], "Border Patrol apprehensions / encounters per year")
    return {
        "frame": frame,
        "chart": chart,
        "table": series_table(frame),
        "api_json": "/api/series?" + forms.query_string(form, HISTORY_FIELDS, interval="fiscal_year"),
    }


def _retitle_y(spec: Any, title: str) -> None:
    """The y axis of every layer: the history tables count Border Patrol apprehensions (encounters,
    with Title 42 expulsions, from FY2020), not CBP's encounters the shared chart names."""
    if isinstance(spec, dict):
        y = spec.get("encoding", {}).get("y") if isinstance(spec.get("encoding"), dict) else None
        if isinstance(y, dict) and "title" in y:
            y["title"] = title
        for value in spec.values():
            _retitle_y(value, title)
    elif isinstance(spec, list):
        for value in spec:
            _retitle_y(value, title)


def _history_fields(desk: Desk, form: dict[str, str]) -> list[Field]:
    return [Field("source", "Source", form.get("source", ""), "select", list(HISTORY_SOURCES))]


# -- brief -----------------------------------------------------------------------------------------


@router.get("/brief", response_class=HTMLResponse)
def brief(request: Request) -> Response:
    """The monthly brief (``borderdesk brief``'s content, from its builder) as a page."""
    return analysis_page(request, "brief.html", "Monthly brief", BRIEF_FIELDS, _brief, lambda d, f: [])


def _brief(desk: Desk, form: dict[str, str]) -> dict[str, Any]:
    from markdown_it import MarkdownIt

    form["period"] = form["period"] or newest_month(desk)
    kwargs = forms.question_kwargs(form)
    period = kwargs.pop("period")
    the_brief = desk.brief(period=period, charts=False, **kwargs)
    end = the_brief.period.end
    assert end is not None
    span = f"{Month.from_index(end - BRIEF_CONTEXT_MONTHS + 1)}..{Month.from_index(end)}"
    frame = desk.series_result(period=span, **kwargs)
    # html=False: any HTML in the text is escaped by the renderer, so its output is safe to embed
    text = the_brief.markdown()
    text = text.split("\n", 1)[1] if text.startswith("# ") else text  # the title is the page's <h1>
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    # the page's CSP allows no inline style: right-aligned columns get the stylesheet's class instead
    body = body.replace(' style="text-align:right"', ' class="number"')
    return {
        "brief": the_brief,
        "body": Markup(body),  # safe: rendered with raw HTML disabled (see above)
        "frame": frame,
        "chart": chart_of(frame),
    }
