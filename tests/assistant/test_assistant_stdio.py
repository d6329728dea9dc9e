"""``borderdesk mcp`` as an AI assistant's client sees it: the real command started as a subprocess and
spoken to over stdio by the official SDK's own client (``stdio_client`` + ``ClientSession``).

One session answers every call (starting the server is the slow part); each test reads its answers.
The same questions are put to the HTTP API in-process, over the same database file and at the same
time (so the server and the tools share the file, both read-only): a tool's JSON must be the
endpoint's JSON, and a tool error's body the endpoint's error body.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.types import CallToolResult, Tool

from borderdesk.serve import create_app

with warnings.catch_warnings():  # starlette nags about httpx versions; the client works the same
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

BORDERDESK = Path(sys.executable).parent / "borderdesk"
TOOLS = {"count", "table", "series", "releases", "surges", "check"}
SEED_SENTENCE = (
    "In November alone, CBP officers came across more than 5,500 Russian migrants at the southern border."
)

#: name -> (tool, arguments, the same question as an HTTP request: path, query parameters)
CALLS: dict[str, tuple[str, dict[str, Any], str, list[tuple[str, str]]]] = {
    "count": (
        "count",
        {"citizenship": "russia", "region": "southwest", "period": "2022-11"},
        "/api/count",
        [("citizenship", "russia"), ("region", "southwest"), ("period", "2022-11")],
    ),
    "count-aliases": (
        "count",
        {"citizenship": "Russians", "region": "southern border", "period": "Nov 2022"},
        "/api/count",
        [("citizenship", "Russians"), ("region", "southern border"), ("period", "Nov 2022")],
    ),
    "count-list": (
        "count",
        {"citizenship": ["russia", "ukraine"], "region": "sw", "period": "FY2023"},
        "/api/count",
        [("citizenship", "russia"), ("citizenship", "ukraine"), ("region", "sw"), ("period", "FY2023")],
    ),
    "count-compare": (
        "count",
        {"citizenship": "russia", "region": "southwest", "period": "2022-11", "compare": True},
        "/api/count",
        [("citizenship", "russia"), ("region", "southwest"), ("period", "2022-11"), ("compare", "true")],
    ),
    "table": (
        "table",
        {"by": "citizenship", "region": "southwest", "period": "FY2023", "top": 5},
        "/api/table",
        [("by", "citizenship"), ("region", "southwest"), ("period", "FY2023"), ("top", "5")],
    ),
    "series": (
        "series",
        {"citizenship": "ukraine", "region": "southwest", "period": "2022"},
        "/api/series",
        [("citizenship", "ukraine"), ("region", "southwest"), ("period", "2022")],
    ),
    "releases": ("releases", {}, "/api/releases", []),
    "surges": (
        "surges",
        {"period": "2022-11", "region": "southwest", "top": 5},
        "/api/surges",
        [("period", "2022-11"), ("region", "southwest"), ("top", "5")],
    ),
    "unknown-citizenship": (
        "count",
        {"citizenship": "Rusia", "period": "2022-11"},
        "/api/count",
        [("citizenship", "Rusia"), ("period", "2022-11")],
    ),
    "bad-by": ("table", {"by": "colour"}, "/api/table", [("by", "colour")]),
    "bad-period": ("count", {"period": "Smarch 2022"}, "/api/count", [("period", "Smarch 2022")]),
}

pytestmark = pytest.mark.skipif(not BORDERDESK.is_file(), reason=f"no borderdesk command at {BORDERDESK}")


@dataclass
class Session:
    """What one MCP session answered."""

    tools: dict[str, Tool] = field(default_factory=dict)
    results: dict[str, CallToolResult] = field(default_factory=dict)
    server_name: str = ""
    stderr: str = ""

    def json(self, name: str) -> Any:
        result = self.results[name]
        assert len(result.content) == 1 and result.content[0].type == "text"
        return json.loads(result.content[0].text)


@pytest.fixture(scope="module")
def db(snapshot_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mcp") / "borderdesk.duckdb"
    shutil.copyfile(snapshot_db_file, path)
    return path


@pytest.fixture(scope="module")
def http(db: Path) -> Iterator[TestClient]:
    """The HTTP API over the same file, read-only: open while the MCP server answers."""
    app = create_app(db)
    yield TestClient(app, raise_server_exceptions=False)
    app.state.desk.close()


async def _converse(db: Path) -> Session:
    # An MCP client passes the server only a few safe variables; this one names the worktree's code
    # (PYTHONPATH) and a home of its own, as a user's client configuration would.
    env = {"BORDERDESK_HOME": str(db.parent / "home"), "NO_COLOR": "1"}
    if os.environ.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    params = StdioServerParameters(
        command=str(BORDERDESK), args=["mcp", "--db", str(db), "--check-timeout", "0"], env=env
    )
    session = Session()
    with (db.parent / "mcp-stderr.log").open("w") as errlog:
        async with (
            stdio_client(params, errlog=errlog) as (read, write),
            ClientSession(read, write, read_timeout_seconds=300) as client,
        ):
            init = await client.initialize()
            session.server_name = init.server_info.name
            session.tools = {t.name: t for t in (await client.list_tools()).tools}
            for name, (tool, arguments, _, _) in CALLS.items():
                session.results[name] = await client.call_tool(tool, arguments)
            session.results["check"] = await client.call_tool(
                "check", {"text": SEED_SENTENCE, "date": "2022-12-21"}
            )
    session.stderr = (db.parent / "mcp-stderr.log").read_text()
    return session


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def before(db: Path) -> str:
    """The database file's digest before the server opens it."""
    return _digest(db)


@pytest.fixture(scope="module")
def session(db: Path, before: str, http: TestClient) -> Session:
    return anyio.run(_converse, db)


def test_read_only_and_quiet(session: Session, db: Path, before: str) -> None:
    """The file is as it was (opened read-only, beside the HTTP app over the same file); the server's
    stderr has its one note and no traceback."""
    assert _digest(db) == before
    assert "read-only" in session.stderr
    assert "Traceback" not in session.stderr


def _http_json(http: TestClient, name: str) -> tuple[int, Any]:
    _, _, path, query = CALLS[name]
    r = http.get(path, params=query)
    return r.status_code, r.json()


# -- the tools offered ---------------------------------------------------------------------------


def test_the_six_tools_are_offered(session: Session) -> None:
    assert session.server_name == "borderdesk"
    assert set(session.tools) == TOOLS


def test_tools_take_the_http_endpoints_parameters(session: Session, http: TestClient) -> None:
    """Same names as the query parameters of the endpoint of the same name (``format``, the CSV
    switch, aside: a tool answers JSON)."""
    openapi = http.get("/openapi.json").json()["paths"]
    for name in TOOLS - {"check"}:
        schema = session.tools[name].input_schema
        endpoint = {p["name"] for p in openapi[f"/api/{name}"]["get"].get("parameters", [])} - {"format"}
        assert set(schema.get("properties", {})) == endpoint, name
    check_body = openapi["/api/check"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "$ref" in check_body
    assert set(session.tools["check"].input_schema["properties"]) == {"text", "date"}


def test_input_schemas_say_what_is_required_and_bounded(session: Session) -> None:
    count = session.tools["count"].input_schema
    assert not count.get("required")
    assert session.tools["table"].input_schema["required"] == ["by"]
    assert session.tools["check"].input_schema["required"] == ["text"]
    citizenship = count["properties"]["citizenship"]
    kinds = {option.get("type") for option in citizenship["anyOf"]}
    assert kinds == {"array", "string", "null"}  # one country, several, or none
    assert session.tools["surges"].input_schema["properties"]["top"]["maximum"] == 100


def test_descriptions_help_a_model_choose(session: Session) -> None:
    count = session.tools["count"]
    assert count.description is not None
    assert "southern border" in count.description and "southwest" in count.description
    for form in ("FY2022", "2022-11", "Nov 2022", "2022-02..2022-11", "since 2022-02"):
        assert form in count.description
    assert "sha256" in count.description and "SQL" in count.description
    period = count.input_schema["properties"]["period"]["description"]
    assert "FY2023-to-date" in period
    assert "baseline" in (session.tools["surges"].description or "")
    for tool in session.tools.values():
        assert tool.annotations is not None and tool.annotations.read_only_hint is True


# -- the answers ---------------------------------------------------------------------------------


def test_count_russia_southwest_november_2022(session: Session, http: TestClient) -> None:
    result = session.results["count"]
    assert not result.is_error
    body = session.json("count")
    assert body["value"] == 5507
    assert result.structured_content == body
    release = body["release"]
    listed = {r["label"]: r for r in http.get("/api/releases").json()}
    assert release["sha256"] == listed[release["label"]]["sha256"]
    assert release["file"] == listed[release["label"]]["file"]
    assert len(release["sha256"]) == 64
    assert body["question"]["months"] == {"start": "2022-11", "end": "2022-11"}
    assert body["sql"].startswith("SELECT") and "FROM facts" in body["sql"]


def test_count_is_the_release_files_own_sum(session: Session, cbp_data: Path, csv_truth: Any) -> None:
    """5,507 is what the file the answer names says, and the sha256 is that file's."""
    release = session.json("count")["release"]
    path = cbp_data / release["file"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == release["sha256"]
    truth = csv_truth(path, ym=(2022, 11), citizenship="RUSSIA", region="Southwest Land Border")
    assert session.json("count")["value"] == truth


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("count", id="count-russia-nov-2022-sw"),
        pytest.param("count-aliases", id="count-russians-southern-border"),
        pytest.param("count-list", id="count-russia-and-ukraine"),
        pytest.param("count-compare", id="count-compare"),
        pytest.param("table", id="table-by-citizenship-fy2023-sw"),
        pytest.param("series", id="series-ukraine-2022-sw"),
        pytest.param("releases", id="releases"),
        pytest.param("surges", id="surges-nov-2022-sw"),
    ],
)
def test_answers_are_the_http_apis_json(session: Session, http: TestClient, name: str) -> None:
    status, expected = _http_json(http, name)
    assert status == 200
    assert not session.results[name].is_error
    assert session.json(name) == expected


def test_aliases_answer_as_the_canonical_names(session: Session) -> None:
    assert session.json("count-aliases")["value"] == session.json("count")["value"] == 5507


def test_table_series_and_surges_name_their_data(session: Session) -> None:
    table = session.json("table")
    assert table["columns"] == ["citizenship", "encounters", "share"]
    assert table["rows"][0][0] == "MEXICO" and len(table["rows"]) == 5
    assert table["sql"].startswith("SELECT") and table["release"]["sha256"]
    series = session.json("series")
    assert [row[0] for row in series["rows"]] == [f"2022-{m:02d}" for m in range(1, 13)]
    assert series["sql"].startswith("SELECT") and series["release"]["sha256"]
    surges = session.json("surges")
    assert "RUSSIA" in [row[0] for row in surges["rows"]]
    assert surges["release"]["sha256"] and surges["method"]


def test_releases_is_a_list_as_text(session: Session) -> None:
    """MCP structured content must be an object, so the list travels as the text alone."""
    releases = session.json("releases")
    assert isinstance(releases, list) and releases
    assert session.results["releases"].structured_content is None
    assert all(len(r["sha256"]) == 64 for r in releases)


def test_check_the_seed_sentence(session: Session) -> None:
    result = session.results["check"]
    assert not result.is_error
    body = json.loads(result.content[0].text)  # type: ignore[union-attr]
    assert body["date"] == "2022-12-21"
    [claim] = body["claims"]
    assert claim["verdict"] == "supported"
    assert claim["value"] == 5507 and claim["number"] == 5500
    assert claim["release"]["sha256"] and claim["sql"].startswith("SELECT")
    assert SEED_SENTENCE[claim["span"][0] : claim["span"][1]] == claim["text"]


# -- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status"),
    [
        pytest.param("unknown-citizenship", 400, id="unknown-citizenship"),
        pytest.param("bad-by", 400, id="bad-by"),
        pytest.param("bad-period", 400, id="bad-period"),
    ],
)
def test_errors_are_tool_errors_with_https_body(
    session: Session, http: TestClient, name: str, status: int
) -> None:
    result = session.results[name]
    assert result.is_error
    http_status, expected = _http_json(http, name)
    assert http_status == status
    assert session.json(name) == expected
    assert result.structured_content == expected


def test_unknown_citizenship_says_did_you_mean(session: Session) -> None:
    body = session.json("unknown-citizenship")
    assert body["parameter"] == "citizenship" and body["value"] == "Rusia"
    assert "did you mean RUSSIA" in body["message"]
    assert body["suggestions"][0] == "RUSSIA"
