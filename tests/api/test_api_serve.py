"""`borderdesk serve` and create_app: read-only, creating the database first when missing, and one
app answering many threads at once on a real loopback socket."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import uvicorn
from api_support import TestClient
from typer.testing import CliRunner

from borderdesk.cli import app as cli_app
from borderdesk.serve import create_app, open_read_only


def test_serve_help_lists_its_options() -> None:
    result = CliRunner().invoke(cli_app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--db", "--no-snapshot"):
        assert option in result.output
    assert "127.0.0.1" in result.output


def test_missing_database_is_created_then_opened_read_only(tmp_path: Path) -> None:
    path = tmp_path / "new.duckdb"
    desk = open_read_only(path, snapshot=True)
    try:
        assert path.exists()
        assert desk.read_only
        assert desk.count(citizenship="russia", region="southwest", period="2022-11").value == 5507
    finally:
        desk.close()


def test_empty_database_answers_4xx_not_5xx(tmp_path: Path) -> None:
    app = create_app(tmp_path / "empty.duckdb", snapshot=False)
    client = TestClient(app, raise_server_exceptions=False)
    try:
        r = client.get("/api/count")
        assert r.status_code == 404
        assert "no releases" in r.json()["message"]
        assert client.get("/api/releases").json() == []
        for url in ("/", "/citizenships", "/nationality?citizenship=russia", "/releases", "/check", "/docs"):
            assert client.get(url).status_code < 500, url
        assert "No release has been ingested" in client.get("/releases").text
    finally:
        app.state.desk.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def live(app):  # type: ignore[no-untyped-def]
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_concurrent_requests_get_their_own_answers(live: str, client) -> None:  # type: ignore[no-untyped-def]
    questions = [
        f"/api/count?citizenship={c}&region={r}&period={p}"
        for c in ("russia", "ukraine", "mexico", "india")
        for r in ("southwest", "northern", "nationwide")
        for p in ("2022-11", "FY2023", "2021")
    ]
    expected = {q: client.get(q).json()["value"] for q in questions}
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def ask(q: str) -> tuple[str, int]:
        import json

        with opener.open(live + q, timeout=10) as r:
            return q, json.loads(r.read())["value"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(ask, questions * 5))
    assert len(answers) == len(questions) * 5
    assert all(expected[q] == v for q, v in answers)
