"""Deprecated: :mod:`borderdesk.http.middleware` now (it wraps the pages too). The old names still
work from here, with a :class:`DeprecationWarning`, for one release."""

from typing import Any

from borderdesk.api._moved import moved
from borderdesk.http import middleware


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return moved(__name__, name, middleware)
