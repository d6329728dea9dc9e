"""The HTTP shell: the JSON API under ``/api`` (:mod:`.routes`, :mod:`.analysis_routes`), its
parameters (:mod:`.params`) and response shapes (:mod:`.schemas`).

The app that serves it, with the dashboard pages, is :func:`borderdesk.serve.create_app`;
``borderdesk.api.create_app`` still works, deprecated, for one release.
"""

from typing import Any

from borderdesk.api._moved import moved_to_serve


def __getattr__(name: str) -> Any:
    if name == "create_app":
        return moved_to_serve(__name__, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
