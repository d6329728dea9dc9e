"""The DuckDB store: schema, atomic ingest, releases (vintages) and the bundled snapshot."""

from borderdesk.store.database import connect
from borderdesk.store.ingest import IngestResult, ingest_path, ingest_paths
from borderdesk.store.releases import Release, find_release, list_releases
from borderdesk.store.snapshot import export_snapshot, load_snapshot, snapshot_available

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
