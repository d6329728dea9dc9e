"""The question options every command shares, as Typer options built from the one parameter spec
(:mod:`borderdesk.params`): a command declares ``filters: F.Filters = F.NO_FILTERS`` once, and
:func:`with_filters` turns it into the eight filter options (``--citizenship/-c``, ``--region/-r``...).

>>> @with_filters                                                    # doctest: +SKIP
... def count(filters: Filters = NO_FILTERS, period: PeriodOpt = None) -> None:
...     desk.count(period=period, **filters)       # {"citizenship": "russia", ...}, unset ones left out
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Annotated, Any, TypeVar, get_type_hints, overload

import typer

from borderdesk import params as spec
from borderdesk.params import Param

F = TypeVar("F", bound=Callable[..., Any])


def option(p: Param) -> Any:
    """The ``Annotated`` type of one parameter's Typer option."""
    kind = list[str] | None if p.many else str | None
    return Annotated[kind, typer.Option(*p.flags or (p.cli,), help=p.help)]


#: The set filters of a command (name -> value, one-element lists plain), from :func:`with_filters`.
Filters = Annotated[Mapping[str, Any], "the filter options of borderdesk.params, added by with_filters"]
#: The default of a ``filters: Filters`` parameter (never used: :func:`with_filters` always passes them).
NO_FILTERS: Mapping[str, Any] = MappingProxyType({})

PeriodOpt = option(spec.PERIOD)
AsOf = option(spec.AS_OF)
OPTIONS: dict[str, Any] = {p.name: option(p) for p in spec.FILTERS}


@overload
def with_filters(command: F, *, only: None = None) -> F: ...
@overload
def with_filters(command: None = None, *, only: tuple[str, ...]) -> Callable[[F], F]: ...
def with_filters(command: F | None = None, *, only: tuple[str, ...] | None = None) -> Any:
    """Give ``command`` the filter options (``only`` some of them, if told) in place of its
    ``filters: Filters`` parameter, and call it with the filters that were set
    (:func:`borderdesk.params.collect`). Use as ``@with_filters`` or ``@with_filters(only=(...))``."""
    among = tuple(p for p in spec.FILTERS if only is None or p.name in only)
    if command is None:
        return functools.partial(with_filters, only=only)
    signature = inspect.signature(command)
    hints = get_type_hints(command, include_extras=True)
    parameters: list[inspect.Parameter] = []
    for name, parameter in signature.parameters.items():
        if hints.get(name) == Filters:
            kind = inspect.Parameter.KEYWORD_ONLY
            parameters += [
                inspect.Parameter(p.name, kind, default=None, annotation=OPTIONS[p.name]) for p in among
            ]
        else:
            annotation = hints.get(name, parameter.annotation)
            parameters.append(parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY, annotation=annotation))

    @functools.wraps(command)
    def run(**given: Any) -> Any:
        chosen = {p.name: given.pop(p.name, None) for p in among}
        return command(filters=spec.collect(chosen, among), **given)

    # Typer reads a command's options from its signature (and its type hints): these are run's
    run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in parameters}
    return run


def collect(options: dict[str, Any]) -> dict[str, Any]:
    """The filter options a command was given (pass ``locals()``): unset ones dropped, one-element
    lists made plain values."""
    return spec.collect(options)


NAMES = tuple(p.name for p in spec.FILTERS)

_OLD_NAMES = {
    "Citizenship": "citizenship",
    "Region": "region",
    "State": "state",
    "Aor": "aor",
    "Component": "component",
    "Demographic": "demographic",
    "Title": "title",
    "EncounterType": "encounter_type",
}


def __getattr__(name: str) -> Any:
    """The one-per-filter option types of before (``F.Citizenship``...): ``OPTIONS[name]`` now."""
    if name in _OLD_NAMES:
        warnings.warn(
            f"borderdesk.cli.filters.{name} is deprecated: use with_filters or OPTIONS[{_OLD_NAMES[name]!r}]",
            DeprecationWarning,
            stacklevel=2,
        )
        return OPTIONS[_OLD_NAMES[name]]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
