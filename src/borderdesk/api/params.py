"""The request parameters every question shares (the CLI's filters), typed for OpenAPI, and the checks
the core leaves to its shells (``by``, ``interval``, unknown parameter names).

Values stay text here: aliases ("southern border", "Russians", "RU") and any case are the core's to
resolve, and its :class:`~borderdesk.errors.UnknownValueError` names the allowed values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import StringConstraints

from borderdesk.api.errors import ParameterError
from borderdesk.limits import DEFAULT_TIMEOUT
from borderdesk.query import FILTERS
from borderdesk.query.frames import INTERVALS

MAX_TEXT = 200  # no filter value or period is longer; longer input is an error, not a query
MAX_VALUES = 50  # values of one repeatable filter; a sum over more is a table, not a count

#: One value of a repeatable filter (the length limit is per value; MAX_VALUES bounds the list).
Value = Annotated[str, StringConstraints(max_length=MAX_TEXT)]


def _doc(text: str, *examples: str, many: bool = False) -> dict[str, Any]:
    doc: dict[str, Any] = {"description": text, "examples": list(examples)}
    if many:  # on a list, pydantic's max_length is the number of items (OpenAPI maxItems)
        doc["max_length"] = MAX_VALUES
        doc["description"] += f" At most {MAX_VALUES} values of at most {MAX_TEXT} characters."
    else:
        doc["max_length"] = MAX_TEXT
    return doc


@dataclass(frozen=True)
class Filters:
    """What to count, where and when, as the user typed it."""

    filters: dict[str, Any]
    period: str | None
    as_of: str | None

    def kwargs(self) -> dict[str, Any]:
        return {"period": self.period, "as_of": self.as_of, **self.filters}


def _one(values: list[str] | None) -> Any:
    if not values:
        return None
    return values[0] if len(values) == 1 else values


def who_where(
    citizenship: Annotated[
        list[Value] | None,
        Query(
            **_doc(
                "Country of citizenship; any case, demonyms and ISO codes work (Russians, RU). "
                "Repeat for a sum over several.",
                "russia",
                many=True,
            )
        ),
    ] = None,
    region: Annotated[
        str | None,
        Query(
            **_doc(
                "southwest (aliases: 'southern border', SW, 'U.S.-Mexico border'), northern, other, "
                "nationwide (default).",
                "southwest",
            )
        ),
    ] = None,
    state: Annotated[
        list[Value] | None,
        Query(**_doc("State code or name (by-state releases). Repeatable.", "TX", many=True)),
    ] = None,
    aor: Annotated[
        list[Value] | None,
        Query(**_doc("Border Patrol sector or OFO field office. Repeatable.", "Del Rio Sector", many=True)),
    ] = None,
    component: Annotated[
        str | None, Query(**_doc("usbp (Border Patrol) or ofo (ports of entry).", "usbp"))
    ] = None,
    demographic: Annotated[
        list[Value] | None,
        Query(**_doc("single-adults, family-units, uac, accompanied-minors. Repeatable.", "uac", many=True)),
    ] = None,
    title: Annotated[str | None, Query(**_doc("Title of authority: 8 or 42.", "42"))] = None,
    encounter_type: Annotated[
        str | None, Query(**_doc("apprehensions, inadmissibles or expulsions.", "expulsions"))
    ] = None,
) -> dict[str, Any]:
    """The filters (what the CLI calls FILTERS), unset ones dropped."""
    given = {
        "citizenship": _one(citizenship),
        "region": region,
        "state": _one(state),
        "aor": _one(aor),
        "component": component,
        "demographic": _one(demographic),
        "title": title,
        "encounter_type": encounter_type,
    }
    return {k: v for k, v in given.items() if v is not None}


Period = Annotated[
    str | None,
    Query(
        **_doc(
            "FY2022, FY22, 2022-11, 'Nov 2022', 2022 (calendar year), 2022-02..2022-11, "
            "'since 2022-02', FY2023-to-date, 'last 12 months'. Default: all the data.",
            "2022-11",
        )
    ),
]
AsOf = Annotated[
    str | None,
    Query(
        **_doc(
            "Answer from this release (label, file name or sha256 prefix) instead of the newest.",
            "state-2023-10",
        )
    ),
]


def filters(
    given: Annotated[dict[str, Any], Depends(who_where)], period: Period = None, as_of: AsOf = None
) -> Filters:
    """Filters, period and release: every question endpoint's parameters."""
    # an empty field of a GET form means "not set", as for the filters
    return Filters(given, (period or "").strip() or None, (as_of or "").strip() or None)


def dimensions(value: str | None, *, parameter: str = "by", most: int | None = None) -> tuple[str, ...]:
    """``by=citizenship,region`` checked against the metadata's dimensions."""
    if value is None or not value.strip():
        return ()
    dims = tuple(d.strip().lower().replace("-", "_") for d in value.split(",") if d.strip())
    bad = [d for d in dims if d not in FILTERS]
    if bad:
        raise ParameterError(
            parameter, value, f"cannot break down by {bad[0]!r}; choose from {', '.join(FILTERS)}", FILTERS
        )
    if most is not None and len(dims) > most:
        raise ParameterError(
            parameter, value, f"a series can be broken down by {most} dimension at a time", FILTERS
        )
    return dims


def interval(value: str) -> str:
    """month, fiscal_year or calendar_year (hyphens accepted)."""
    key = value.strip().lower().replace("-", "_")
    if key not in INTERVALS:
        raise ParameterError(
            "interval", value, f"unknown interval {value!r}; choose from {', '.join(INTERVALS)}", INTERVALS
        )
    return key


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
                name, request.query_params[name], f"unknown parameter {name!r}", sorted(known)
            )


# -- checking a text: how long it may take (the answer when it is over a limit: errors._limit) ------


def check_timeout(request: Request) -> float | None:
    """Seconds a check may take on this server: ``app.state.check_timeout`` when whoever built the app
    set it (None or 0 for no limit, as ``borderdesk check --timeout 0``), else
    :data:`~borderdesk.limits.DEFAULT_TIMEOUT`."""
    seconds: float | None = getattr(request.app.state, "check_timeout", DEFAULT_TIMEOUT)
    return seconds or None
