"""borderdesk: U.S. CBP border-encounter statistics, every release a vintage, every number traceable.

>>> import borderdesk
>>> desk = borderdesk.open()                       # doctest: +SKIP
>>> desk.count(citizenship="russia", region="southwest", period="2022-11").value   # doctest: +SKIP
5507

Names are imported on first use, so ``borderdesk --help`` does not pay for DuckDB and Arrow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from borderdesk.errors import BorderdeskError

if TYPE_CHECKING:
    from borderdesk.desk import Desk, open, writing
    from borderdesk.query import Answer, Period, Question
    from borderdesk.store import Release

__all__ = [
    "Answer",
    "BorderdeskError",
    "Desk",
    "Period",
    "Question",
    "Release",
    "__version__",
    "open",
    "writing",
]

_LAZY = {
    "Desk": "borderdesk.desk",
    "open": "borderdesk.desk",
    "writing": "borderdesk.desk",
    "Answer": "borderdesk.query",
    "Period": "borderdesk.query",
    "Question": "borderdesk.query",
    "Release": "borderdesk.store",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from borderdesk.config import package_version

        return package_version()
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'borderdesk' has no attribute {name!r}")
