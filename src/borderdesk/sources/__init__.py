"""Release formats: one module per source family, the registry that offers a file to each, and the
shared reader.

``load(path)`` is the one entry point: it reads, checks and normalizes a file completely (raising a
:class:`~borderdesk.errors.ReleaseFormatError` that names file, line and column) and touches no database.
How a family is declared and added: :mod:`borderdesk.sources.family`, :mod:`borderdesk.sources.registry`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from borderdesk.sources.base import FAMILIES, SourceFormat

if TYPE_CHECKING:
    from borderdesk.sources.bounded import ReadLimits
    from borderdesk.sources.cbp import LoadedRelease
    from borderdesk.sources.history import LoadedHistory
    from borderdesk.sources.normalize import Normalized
    from borderdesk.sources.reader import RawFile
    from borderdesk.sources.registry import FORMATS, Sniffed, sniff

# Reading files needs NumPy and Arrow; these names are imported on first use, so that code which only
# needs a format's metadata (the query path) stays light.
_LAZY = {
    "LoadedHistory": "borderdesk.sources.history",
    "LoadedRelease": "borderdesk.sources.cbp",
    "Normalized": "borderdesk.sources.normalize",
    "RawFile": "borderdesk.sources.reader",
    "ReadLimits": "borderdesk.sources.bounded",
    "read_raw": "borderdesk.sources.reader",
    "FORMATS": "borderdesk.sources.registry",
    "Sniffed": "borderdesk.sources.registry",
    "sniff": "borderdesk.sources.registry",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'borderdesk.sources' has no attribute {name!r}")


__all__ = [
    "FAMILIES",
    "FORMATS",
    "LoadedHistory",
    "LoadedRelease",
    "Normalized",
    "ReadLimits",
    "Sniffed",
    "SourceFormat",
    "load",
    "read_raw",
    "sniff",
]


def load(
    path: Path, raw: RawFile | None = None, limits: ReadLimits | None = None
) -> LoadedRelease | LoadedHistory:
    """Read, check and normalize ``path`` with the family that recognises it (see the registry)."""
    from borderdesk.sources.reader import read_raw
    from borderdesk.sources.registry import load as load_with_family

    return load_with_family(raw or (read_raw(path) if limits is None else read_raw(path, limits)))
