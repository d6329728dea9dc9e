"""Errors at the HTTP edge, for the API and the pages alike: each
:class:`~borderdesk.errors.BorderdeskError` becomes one status and a JSON body that names the parameter
at fault (spelt as in a URL: ``as_of``, ``from``) and what it may be.

The body (also what the pages show, escaped) is a :class:`Problem`::

    {"status": 400, "error": "unknown value", "message": "unknown citizenship 'Rusia' (did you mean
     RUSSIA?)...", "parameter": "citizenship", "value": "Rusia", "allowed": ["BRAZIL", ...],
     "suggestions": ["RUSSIA"]}

A citizenship CBP pools into OTHER gets ``"error": "pooled value"``, ``"pooled": true`` and, where the
Border Patrol history tables list it, ``"see"``: the CLI command, API call and page that answer for the
Border Patrol. ``allowed`` lists only what CBP's releases can answer.

Which status an error gets is the :data:`STATUS` registry below (most specific class first), not an
if-chain; the details each class carries are read by the function registered next to it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from borderdesk import metadata
from borderdesk.errors import (
    BorderdeskError,
    CheckTimeoutError,
    CoverageError,
    DatabaseError,
    LimitError,
    PageError,
    ParameterError,
    PeriodError,
    PooledValueError,
    ReleaseNotFoundError,
    TextTooLongError,
    UnknownValueError,
)
from borderdesk.params import PERIOD_FORMS, REGIONS, http_name
from borderdesk.query import names

if TYPE_CHECKING:
    from borderdesk.desk import Desk


@dataclass
class Problem:
    """One error as the API answers it (and as a page shows it)."""

    status: int
    error: str
    message: str
    parameter: str | None = None
    value: str | None = None
    allowed: list[str] | None = None
    suggestions: list[str] | None = None
    coverage: list[dict[str, str]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"status": self.status, "error": self.error, "message": self.message}
        for name in ("parameter", "value", "allowed", "suggestions", "coverage"):
            value = getattr(self, name)
            if value is not None:
                body[name] = value
        body.update(self.extra)
        return body


# -- allowed values, from the database's own metadata --------------------------------------------


def allowed_values(desk: Desk | None, parameter: str) -> list[str] | None:
    """The canonical values of a filter parameter that CBP's releases can answer (aliases and any case
    work too): a closed list as the metadata has it, an open one (citizenship, state, aor) as the
    releases hold it, so no country CBP pools into OTHER is offered (see :func:`pooled_values`)."""
    if parameter == "region":
        return list(REGIONS)
    if parameter == "as_of":
        return [r.label for r in desk.release_list()] if desk is not None else None
    if desk is None:
        return None
    codes = desk.catalog.codes.get(parameter)
    if codes is None:
        return None
    dimension = metadata.DIMENSIONS.get(parameter)
    return (
        sorted(codes) if dimension is None or dimension.closed else names.answerable(desk.catalog, parameter)
    )


def pooled_values(desk: Desk | None, parameter: str) -> list[str] | None:
    """The countries CBP's releases pool into OTHER that the database knows (its Border Patrol history
    tables list them), for a citizenship parameter; None for any other parameter."""
    if desk is None or parameter != names.POOLED_DIMENSION:
        return None
    return names.pooled(desk.catalog)


def coverage(desk: Desk | None) -> list[dict[str, str]]:
    """What the database covers, per source family: first and last month, newest release."""
    if desk is None:
        return []
    spans: dict[str, dict[str, str]] = {}
    for r in desk.release_list():
        start, end = f"{r.coverage_start:%Y-%m}", f"{r.coverage_end:%Y-%m}"
        s = spans.setdefault(r.family, {"family": r.family, "start": start, "end": end, "newest": r.label})
        s["start"] = min(s["start"], start)
        if end >= s["end"]:
            s["end"], s["newest"] = end, r.label
    return sorted(spans.values(), key=lambda s: s["family"])


# -- the registry -----------------------------------------------------------------------------


def _unknown_value(e: UnknownValueError, desk: Desk | None) -> Problem:
    return Problem(
        400,
        "ambiguous value" if e.problem == "ambiguous" else "unknown value",
        str(e),
        parameter=http_name(e.dimension),
        value=e.value,
        allowed=allowed_values(desk, e.dimension),
        suggestions=e.suggestions,
    )


def _pooled(e: PooledValueError, desk: Desk | None) -> Problem:
    """A citizenship CBP pools into OTHER: 400 like any value the data cannot answer, with the answerable
    list as ``allowed``, ``pooled: true``, and where Border Patrol figures are (``see``)."""
    extra: dict[str, Any] = {"pooled": True, "pooled_values": e.values}
    if e.in_history:
        pairs = [*((e.dimension, v) for v in e.in_history), ("component", "usbp")]
        query = urlencode(pairs + ([("period", e.period)] if e.period else []))
        extra["see"] = {"cli": e.history_command, "api": f"/api/count?{query}", "page": f"/?{query}"}
    return Problem(
        400,
        "pooled value",
        str(e),
        parameter=http_name(e.dimension),
        value=",".join(e.values),
        allowed=allowed_values(desk, e.dimension),
        extra=extra,
    )


def _parameter(e: ParameterError, desk: Desk | None) -> Problem:
    """The message names the parameter as a URL does (``by``, not the CLI's ``--by``)."""
    parameter = http_name(e.parameter)
    return Problem(
        400, "bad parameter", e.worded(http_name), parameter=parameter, value=e.value, allowed=e.allowed
    )


def _period(e: PeriodError, desk: Desk | None) -> Problem:
    return Problem(
        400, "bad period", str(e), parameter="period", allowed=list(PERIOD_FORMS), coverage=coverage(desk)
    )


def _coverage(e: CoverageError, desk: Desk | None) -> Problem:
    return Problem(404, "not in the data", str(e), coverage=coverage(desk))


def _release(e: ReleaseNotFoundError, desk: Desk | None) -> Problem:
    return Problem(404, "unknown release", str(e), parameter="as_of", allowed=allowed_values(desk, "as_of"))


def _limit(e: LimitError, desk: Desk | None) -> Problem:
    """413 for a text over the size limit, 422 for one that took longer than the time limit to check
    (retrying the same text would take as long), 413 for any other input over a limit; the body names
    the limit and what was received."""
    extra: dict[str, Any] = {"limit": e.limit, "unit": e.unit}
    if e.received is not None:
        extra["received"] = e.received
    if isinstance(e, TextTooLongError):
        return Problem(413, "text too long", str(e), parameter="text", extra=extra)
    if isinstance(e, CheckTimeoutError):
        return Problem(422, "check timed out", str(e), parameter="text", extra=extra)
    return Problem(413, "over a limit", str(e), extra=extra)


def _page(e: PageError, desk: Desk | None) -> Problem:
    """422 for a page given by URL that could not be checked (not found, not HTML, too big, too slow,
    a private address, no article): the request was well formed, the page it names is not usable."""
    extra: dict[str, Any] = {"limit": e.limit, "unit": e.unit} if isinstance(e, LimitError) else {}
    return Problem(422, "cannot check page", str(e), parameter="url", extra=extra)


def _database(e: DatabaseError, desk: Desk | None) -> Problem:
    return Problem(503, "database unavailable", str(e))


def _other(e: BorderdeskError, desk: Desk | None) -> Problem:
    return Problem(400, "bad request", e.worded(http_name))


STATUS: dict[type[BorderdeskError], Callable[[Any, Desk | None], Problem]] = {
    UnknownValueError: _unknown_value,
    PooledValueError: _pooled,
    ParameterError: _parameter,
    PeriodError: _period,
    CoverageError: _coverage,
    ReleaseNotFoundError: _release,
    PageError: _page,
    LimitError: _limit,
    DatabaseError: _database,
    BorderdeskError: _other,
}


def problem(e: BorderdeskError, desk: Desk | None = None) -> Problem:
    """The HTTP answer to ``e``: the registry entry of its nearest class."""
    for cls in type(e).__mro__:
        handler = STATUS.get(cls)
        if handler is not None:
            return handler(e, desk)
    return _other(e, desk)  # unreachable: BorderdeskError is registered


def validation_problem(errors: Sequence[Any]) -> Problem:
    """FastAPI's request-validation errors as one :class:`Problem` naming the first bad parameter."""
    first = dict(errors[0]) if errors else {}
    loc = [str(p) for p in first.get("loc", ()) if not isinstance(p, int)]
    parameter = loc[-1] if len(loc) > 1 else (loc[0] if loc else None)
    if parameter in ("query", "body") and len(loc) == 1:
        parameter = None
    ctx = first.get("ctx") or {}
    allowed = None
    if "expected" in ctx:  # enum/literal errors: "'month', 'fiscal_year' or 'calendar_year'"
        allowed = [a.strip(" '\"") for a in str(ctx["expected"]).replace(" or ", ",").split(",") if a.strip()]
    msg = str(first.get("msg", "invalid request"))
    value = first.get("input")
    return Problem(
        422,
        "invalid parameter",
        f"{parameter}: {msg}" if parameter else msg,
        parameter=parameter,
        value=value if isinstance(value, str) else None,
        allowed=allowed,
        extra={"detail": [_plain(e) for e in errors]},
    )


def _plain(error: Any) -> dict[str, Any]:
    """A validation error without the exception objects pydantic may put in ``ctx`` (not JSON)."""
    e = dict(error)
    e.pop("url", None)
    if "ctx" in e:
        e["ctx"] = {k: str(v) for k, v in dict(e["ctx"]).items()}
    if "input" in e and not isinstance(e["input"], str | int | float | bool | type(None)):
        e["input"] = str(e["input"])
    e["loc"] = [str(p) if not isinstance(p, int) else p for p in e.get("loc", ())]
    return e
