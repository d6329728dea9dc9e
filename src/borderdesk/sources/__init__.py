"""Release formats: one module per format, a registry that sniffs the header, and the shared reader.

``load(path)`` is the one entry point: it reads, checks and normalizes a file completely (raising a
:class:`~borderdesk.errors.ReleaseFormatError` that names file, line and column) and touches no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from borderdesk.sources.base import FAMILIES, SourceFormat

if TYPE_CHECKING:
    from borderdesk.sources.history import LoadedHistory
    from borderdesk.sources.normalize import Normalized
    from borderdesk.sources.reader import RawFile
    from borderdesk.sources.registry import FORMATS, Sniffed, sniff

# Reading files needs NumPy and Arrow; these names are imported on first use, so that code which only
# needs a format's metadata (the query path) stays light.
_LAZY = {
    "LoadedHistory": "borderdesk.sources.history",
    "Normalized": "borderdesk.sources.normalize",
    "RawFile": "borderdesk.sources.reader",
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
    "SourceFormat",
    "load",
    "read_raw",
    "sniff",
]


@dataclass(frozen=True)
class LoadedRelease:
    raw: RawFile
    sniffed: Sniffed
    data: Normalized

    @property
    def format_name(self) -> str:
        fmt = self.sniffed.format.name
        return fmt if not self.sniffed.derived else f"{fmt} ({self.sniffed.variant})"


def load(path: Path, raw: RawFile | None = None) -> LoadedRelease | LoadedHistory:
    from borderdesk.sources.history import load as load_history
    from borderdesk.sources.normalize import normalize
    from borderdesk.sources.reader import parse, read_raw

    raw = raw or read_raw(path)
    history = load_history(raw)  # Border Patrol history tables and workbooks, recognised by content
    if history is not None:
        return history
    sniffed, table = parse(raw)
    return LoadedRelease(raw=raw, sniffed=sniffed, data=normalize(raw.name, sniffed, table))
