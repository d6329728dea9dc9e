"""The request parameters every question shares, as FastAPI dependencies built from the one parameter
spec (:mod:`borderdesk.params`), typed and bounded for OpenAPI; and the check only HTTP needs: unknown
parameter names.

Values stay text here: aliases ("southern border", "Russians", "RU") and any case are the core's to
resolve, and its :class:`~borderdesk.errors.UnknownValueError` names the allowed values.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import StringConstraints

from borderdesk import params as spec
from borderdesk.errors import ParameterError
from borderdesk.params import MAX_TEXT, MAX_VALUES, Param, dimensions, interval

__all__ = [
    "MAX_TEXT",
    "MAX_VALUES",
    "AsOf",
    "Filters",
    "Period",
    "dimensions",
    "filters",
    "interval",
    "no_unknown_parameters",
    "who_where",
]

#: One value of a repeatable filter (the length limit is per value; MAX_VALUES bounds the list).
Value = Annotated[str, StringConstraints(max_length=MAX_TEXT)]


def query(p: Param) -> Any:
    """How FastAPI reads one parameter: its name in the URL, description, example and length limit."""
    doc: dict[str, Any] = {"alias": p.query, "description": p.help, "examples": [p.example]}
    if p.many:  # on a list, pydantic's max_length is the number of items (OpenAPI maxItems)
        doc["description"] += f" At most {MAX_VALUES} values of at most {MAX_TEXT} characters."
        return Query(max_length=MAX_VALUES, **doc)
    return Query(max_length=MAX_TEXT, **doc)


def _typed(p: Param) -> Any:
    return Annotated[list[Value] | None, query(p)] if p.many else Annotated[str | None, query(p)]


@dataclass(frozen=True)
class Filters:
    """What to count, where and when, as the user typed it."""

    filters: dict[str, Any]
    period: str | None
    as_of: str | None

    def kwargs(self) -> dict[str, Any]:
        return {"period": self.period, "as_of": self.as_of, **self.filters}


async def _who_where(**given: Any) -> dict[str, Any]:
    return spec.collect(given)


# FastAPI reads a dependency's parameters from its signature: this one's are the spec's filters.
_who_where.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
    [
        inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=_typed(p))
        for p in spec.FILTERS
    ],
    return_annotation=dict[str, Any],
)
_who_where.__doc__ = """The filters (the CLI's FILTERS), unset ones dropped, one-element lists plain."""
who_where = _who_where

Period = Annotated[str | None, query(spec.PERIOD)]
AsOf = Annotated[str | None, query(spec.AS_OF)]


async def filters(
    given: Annotated[dict[str, Any], Depends(who_where)], period: Period = None, as_of: AsOf = None
) -> Filters:
    """Filters, period and release: every question endpoint's parameters."""
    # an empty field of a GET form means "not set", as for the filters
    return Filters(given, (period or "").strip() or None, (as_of or "").strip() or None)


def _query_names(dependant: Dependant) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


_KNOWN: dict[int, frozenset[str]] = {}


def _known(route: APIRoute) -> frozenset[str]:
    names = _KNOWN.get(id(route))
    if names is None:
        names = _KNOWN[id(route)] = frozenset(_query_names(route.dependant))
    return names


async def no_unknown_parameters(request: Request) -> None:
    """Refuse ``?citizen=russia``: a misspelt filter would otherwise be dropped and the answer silently
    widen to every citizenship."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    known = _known(route)
    for name in request.query_params:
        if name not in known:
            raise ParameterError(
                name, f"unknown parameter {name!r}", value=request.query_params[name], allowed=sorted(known)
            )


def __getattr__(name: str) -> Any:
    """``check_timeout`` moved to :mod:`borderdesk.http.settings` (the pages use it too)."""
    if name == "check_timeout":
        import warnings

        from borderdesk.http.settings import check_timeout

        warnings.warn(
            "borderdesk.api.params.check_timeout is deprecated: use borderdesk.http.settings.check_timeout",
            DeprecationWarning,
            stacklevel=2,
        )
        return check_timeout
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
