"""GET /api/status: the database the server answers from and its in-memory fact index, never cached."""

from __future__ import annotations

from api_support import TestClient

from borderdesk.query.index import RENT


def test_status_names_the_database_and_reports_the_index_loading(client: TestClient) -> None:
    before = client.get("/api/status")
    assert before.status_code == 200
    assert before.headers["cache-control"] == "no-store"
    assert "etag" not in before.headers
    doc = before.json()
    releases = client.get("/api/releases").json()
    assert doc["database"]["releases"] == len(releases)
    assert doc["database"]["newest_release"] in {r["label"] for r in releases}
    assert doc["database"]["bytes"] > 0
    index = doc["index"]
    assert index["bytes"] <= index["max_bytes"]
    # more distinct questions than the rent: the newest release's arrays load, and status shows them
    for month in range(1, RENT + 4):
        period = f"2023-{(month - 1) % 12 + 1:02d}" if month <= 12 else f"2024-{month - 12:02d}"
        answered = client.get(f"/api/count?citizenship=mexico&region=southwest&period={period}")
        assert answered.status_code == 200
    after = client.get("/api/status").json()["index"]
    assert after["tables_loaded"] >= 1
    assert after["bytes"] > 0
    assert after["hits"] + after["misses"] > index["hits"] + index["misses"]
