"""The question options every command shares, as Typer options built from the one parameter spec
(:mod:`borderdesk.params`): a command declares ``filters: F.Filters = F.NO_FILTERS`` once, and
:func:`with_filters` turns it into the eight filter options (``--citizenship/-c``, ``--region/-r``...).

>>> @with_filters                                                    # doctest: +SKIP
... def count(filters: Filters = NO_FILTERS, period: PeriodOpt = None) -> None:
...     desk.count(period=period, **filters)       # {"citizenship": "russia", ...}, unset ones left out
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Annotated, Any, TypeVar, overload

import typer

from borderdesk import params as spec
from borderdesk.cli.option_groups import expand
from borderdesk.cli.option_groups import option as group_option
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
    if command is None:
        return functools.partial(with_filters, only=only)
    among = tuple(p for p in spec.FILTERS if only is None or p.name in only)
    options = [group_option(p.name, OPTIONS[p.name]) for p in among]
    return expand(command, marker=Filters, options=options, make=lambda **chosen: spec.collect(chosen, among))


def collect(options: dict[str, Any]) -> dict[str, Any]:
    """The filter options a command was given (pass ``locals()``): unset ones dropped, one-element
    lists made plain values."""
    return spec.collect(options)


NAMES = tuple(p.name for p in spec.FILTERS)

#: The one-per-filter option types of before, by their old names (``EncounterType``...).
_OLD_NAMES = {"".join(word.title() for word in name.split("_")): name for name in NAMES}


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
