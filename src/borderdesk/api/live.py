"""Deprecated: :mod:`borderdesk.http.live` now (the pages use it too). The old names still work from
here, with a :class:`DeprecationWarning`, for one release."""

from typing import Any

from borderdesk.api._moved import moved
from borderdesk.http import live


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return moved(__name__, name, live)
