"""The tools follow the database file as the HTTP server does: when a writer swaps a new file in at the
path (what ``update`` and ``ingest`` do), the next call answers from it, and the old file is never
written. In-process, through the SDK's server object, with the file checked at every call."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import anyio

import borderdesk
from borderdesk.assistant import create_server
from borderdesk.http.live import LiveDesk, file_identity


def _releases(server: Any) -> list[dict[str, Any]]:
    result = anyio.run(server.call_tool, "releases", {})
    assert not result.is_error
    return json.loads(result.content[0].text)  # type: ignore[no-any-return]


def test_a_swapped_file_answers_the_next_call(snapshot_db_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "borderdesk.duckdb"
    shutil.copyfile(snapshot_db_file, path)
    key = file_identity(path)
    live = LiveDesk(path, borderdesk.open(path, read_only=True), version=lambda d: "", interval=0, key=key)
    try:
        server = create_server(live)
        before = _releases(server)
        assert before and all(len(r["sha256"]) == 64 for r in before)

        # a writer builds the next file beside it and renames it into place: here, one with no releases
        draft = tmp_path / "next.duckdb"
        borderdesk.open(draft, snapshot=False).close()
        os.replace(draft, path)

        assert _releases(server) == []
        assert live.swaps == 1
    finally:
        live.close()
