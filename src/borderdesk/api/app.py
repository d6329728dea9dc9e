"""Deprecated: the app is :mod:`borderdesk.serve.app` now (it puts the API and the pages together, so
it sits above both). ``create_app``, ``data_version``, ``open_read_only`` and ``MAX_BODY`` still work
from here, with a :class:`DeprecationWarning`, for one release."""

from typing import Any

from borderdesk.api._moved import moved_to_serve

_MOVED = ("create_app", "data_version", "open_read_only", "MAX_BODY", "DESCRIPTION")


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        return moved_to_serve(__name__, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
