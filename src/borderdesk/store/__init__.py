"""The DuckDB store: schema, atomic ingest, releases (vintages) and the bundled snapshot.

Ingest (which needs NumPy and Arrow) is imported on first use, so answering a question only loads DuckDB.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from borderdesk.store.database import connect
from borderdesk.store.releases import Release, find_release, list_releases
from borderdesk.store.snapshot import export_snapshot, load_snapshot, snapshot_available

if TYPE_CHECKING:
    from borderdesk.store.ingest import IngestResult, ingest_path, ingest_paths

__all__ = [
    "IngestResult",
    "Release",
    "connect",
    "export_snapshot",
    "find_release",
    "ingest_path",
    "ingest_paths",
    "list_releases",
    "load_snapshot",
    "snapshot_available",
]


def __getattr__(name: str) -> Any:
    if name in ("IngestResult", "ingest_path", "ingest_paths"):
        from borderdesk.store import ingest

        return getattr(ingest, name)
    raise AttributeError(f"module 'borderdesk.store' has no attribute {name!r}")
