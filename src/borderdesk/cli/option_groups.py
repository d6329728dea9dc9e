"""Option groups: several Typer options that a command takes as one value.

Typer reads a command's options from its signature, so options every command shares (the eight
filters, ``--db`` with ``--no-snapshot``) would be spelled out again in every command, with the same
lines to turn them into what the core wants. Instead a command declares one parameter for the group,
annotated with the group's marker (``filters: Filters``, ``db: Database``); the group's decorator,
built on :func:`expand`, shows Typer the group's options in that place and calls the command with the
one value made from them. The groups: :func:`borderdesk.cli.filters.with_filters` and
:func:`borderdesk.cli.app.with_database`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, get_type_hints

C = TypeVar("C", bound=Callable[..., Any])


def option(name: str, annotation: Any, default: Any = None) -> inspect.Parameter:
    """One option of a group, as it stands in the signature Typer reads."""
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


def expand(command: C, *, marker: Any, options: Sequence[inspect.Parameter], make: Callable[..., Any]) -> C:
    """``command`` with ``options`` in place of its parameter annotated ``marker``; it is called with
    ``make(**the options given)`` for that parameter (an option not given has its default)."""
    signature = inspect.signature(command)
    hints = get_type_hints(command, include_extras=True)
    grouped = [name for name in signature.parameters if hints.get(name) == marker]
    if len(grouped) != 1:
        raise TypeError(f"{command.__name__} needs one parameter annotated {marker}, not {grouped}")
    parameters: list[inspect.Parameter] = []
    for name, parameter in signature.parameters.items():
        if name in grouped:
            parameters += options
        else:
            annotation = hints.get(name, parameter.annotation)
            parameters.append(parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY, annotation=annotation))

    @functools.wraps(command)
    def run(**given: Any) -> Any:
        chosen = {p.name: given.pop(p.name, p.default) for p in options}
        return command(**{grouped[0]: make(**chosen)}, **given)

    # Typer reads a command's options from its signature (and its type hints): these are run's
    run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in parameters}
    return run  # type: ignore[return-value]
