"""Deprecated: errors as HTTP answers are :mod:`borderdesk.http.problems` now (the pages use them
too), and :class:`~borderdesk.errors.ParameterError` is the core's. The old names still work from here,
with a :class:`DeprecationWarning`, for one release."""

import warnings
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from borderdesk import errors, params
from borderdesk.api._moved import moved
from borderdesk.http import problems

_NEW: dict[str, ModuleType] = {
    "Problem": problems,
    "STATUS": problems,
    "problem": problems,
    "validation_problem": problems,
    "allowed_values": problems,
    "coverage": problems,
    "PERIOD_FORMS": params,
    "REGIONS": params,
}


class ParameterError(errors.ParameterError):
    """Deprecated: :class:`borderdesk.errors.ParameterError`, whose message comes before the value."""

    def __init__(self, parameter: str, value: str, message: str, allowed: Sequence[str] = ()) -> None:
        warnings.warn(
            "borderdesk.api.errors.ParameterError(parameter, value, message) is deprecated: use "
            "borderdesk.errors.ParameterError(parameter, message, value=value)",
            DeprecationWarning,
            stacklevel=2,
        )
        super().__init__(parameter, message, value=value, allowed=allowed)


def __getattr__(name: str) -> Any:
    if name in _NEW:
        return moved(__name__, name, _NEW[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
