"""``format=csv`` answers a spreadsheet will not run (issue 15, finding 12): citizenship values from a
hand-made release that are formulas come back with a leading quote; the counts stay numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from api_support import TestClient

import borderdesk
import hostile_support as hostile
from borderdesk.serve import create_app


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("api-hostile")
    db = tmp / "hostile.duckdb"
    with borderdesk.open(db, snapshot=False, read_only=False) as desk:
        desk.ingest(hostile.write_release(tmp))
    app = create_app(db, snapshot=False)
    yield TestClient(app, raise_server_exceptions=False)
    app.state.desk.close()


def _shown(raw: str) -> str:
    stored = raw.upper()  # borderdesk stores citizenships upper-cased
    return "'" + stored if stored[0] in "=+-@" else stored


@pytest.mark.parametrize("path", ["/api/table?by=citizenship", "/api/series?by=citizenship"])
def test_csv_neutralises_text_cells_and_keeps_numbers(hostile_client: TestClient, path: str) -> None:
    r = hostile_client.get(f"{path}&period={hostile.PERIOD}&format=csv")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text, newline="")))
    got = {row["citizenship"]: row["encounters"] for row in rows}
    assert got == {_shown(raw): str(n) for raw, n in hostile.CITIZENSHIPS.items()}


def test_json_keeps_the_values_as_they_are(hostile_client: TestClient) -> None:
    """Only CSV is neutralised: JSON is data for programs, and gets the stored text unchanged."""
    body = hostile_client.get(f"/api/table?by=citizenship&period={hostile.PERIOD}").json()
    assert {row[0] for row in body["rows"]} == {raw.upper() for raw in hostile.CITIZENSHIPS}
