"""Deprecated spellings of names that left the API package, kept for one release.

The app moved up to :mod:`borderdesk.serve`, which imports this package: a plain ``import`` of it from
here would make the API depend on the layer above it. So those old names are looked up by module name,
at the moment someone uses one. Every old name warns (:class:`DeprecationWarning`) where it lives now.
"""

from __future__ import annotations

import importlib
import warnings
from types import ModuleType
from typing import Any

SERVE = "borderdesk.serve.app"


def moved_to_serve(old_module: str, name: str) -> Any:
    warnings.warn(
        f"{old_module}.{name} is deprecated: use borderdesk.serve.{name}", DeprecationWarning, stacklevel=3
    )
    return getattr(importlib.import_module(SERVE), name)


def moved(old_module: str, name: str, new_module: ModuleType) -> Any:
    """``name`` from ``new_module`` (a module below this package: imported as usual), with a
    deprecation warning."""
    value = getattr(new_module, name)  # AttributeError for a name that never was
    warnings.warn(
        f"{old_module}.{name} is deprecated: use {new_module.__name__}.{name}",
        DeprecationWarning,
        stacklevel=3,
    )
    return value
