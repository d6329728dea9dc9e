"""``releases`` shows when CBP published each release (issue 16, point 5): the date from the known
releases (metadata/data/known_releases.csv, by sha256), a date given at ingest, or "unknown"; never the
time the file was stored here, which the table labels "stored". JSON rows carry "published" (or null)
and "official" (a trusted release in CBP's own format) in the CLI, the API and the web page alike."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import borderdesk
import hostile_support as hostile
from borderdesk import metadata

BORDERDESK = Path(sys.executable).parent / "borderdesk"


def _cli(db: Path, *args: str) -> str:
    env = {**os.environ, "BORDERDESK_HOME": str(db.parent), "NO_COLOR": "1", "COLUMNS": "200"}
    proc = subprocess.run(
        [str(BORDERDESK), "releases", *args, "--db", str(db)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _expected(sha256: str) -> str | None:
    known = metadata.known_release(sha256)
    return known.published if known else None


def test_api_releases_have_publication_dates_and_official(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/api/releases").json()
    by_label = {r["label"]: r for r in body}
    for r in body:
        assert r["published"] == _expected(r["sha256"])
    assert by_label["state-2023-10"]["published"] == "2023-11-14"  # CBP's October 2023 update
    assert by_label["state-2023-10"]["official"] is True
    assert by_label["aor-2024-09-derived"]["official"] is False  # derived from CBP's file, not CBP's own
    assert by_label["usbp-historical-nationwide-2019-09"]["published"] is None  # no source gives a date
    dated = [r for r in body if r["published"]]
    assert len(dated) == 15 and all(len(r["published"]) == 10 for r in dated)  # YYYY-MM-DD


def test_cli_table_says_published_or_unknown_and_stored(api_db: Path) -> None:
    table = _cli(api_db)
    line = next(x for x in table.splitlines() if "state-2023-10" in x)
    assert "2023-11-14" in line and "official" in line
    history = next(x for x in table.splitlines() if "usbp-historical-nationwide-2019-09" in x)
    assert "unknown" in history
    header = next(x for x in table.splitlines() if "label" in x and "coverage" in x)
    assert "stored" in header and "ingested" not in header
    assert "not a CBP date" in table  # the caption says what "stored" is
    rows = json.loads(_cli(api_db, "--format", "json"))
    assert {r["label"]: r["official"] for r in rows}["state-2025-11"] is True


def test_a_file_ingested_by_hand_is_unknown_unless_dated(api_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "borderdesk.duckdb"
    shutil.copy(api_db, db)
    with borderdesk.writing(db) as desk:
        desk.ingest(hostile.write_release(tmp_path))
        desk.ingest(hostile.write_release(tmp_path, name="second-state.csv", scale=2), published="2024-05-02")
    rows = {r["file"]: r for r in json.loads(_cli(db, "--format", "json"))}
    undated, dated = rows[hostile.FILE_NAME], rows["second-state.csv"]
    assert undated["published"] is None and undated["official"] is False and undated["unofficial"] is True
    assert dated["published"] == "2024-05-02"
    assert undated["ingested_at"]  # when it was stored is still there, under its own name
    line = next(x for x in _cli(db).splitlines() if "second-state" not in x and "unofficial" in x)
    assert "unknown" in line


@pytest.mark.parametrize("label", ["state-2025-11", "state-2023-10"])
def test_releases_page_is_compact(client, app, label: str) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/releases").text
    release = next(r for r in app.state.desk.release_list() if r.label == label)
    assert f"{release.sha256[:12]}…" in page  # the short hash shows
    assert f'title="sha256 {release.sha256}"' in page  # the whole one on demand
    current, _, older = page.partition('id="older-releases"')
    assert (label in current) == (label == "state-2025-11")  # older vintages are folded away
    assert "2023-11-14" in older if label == "state-2023-10" else "2025-12-16" in current
