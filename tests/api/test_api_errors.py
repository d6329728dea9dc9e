"""Bad parameters get a 4xx JSON error naming the parameter and what it may be — never a 500, and
hostile strings are data, not SQL or markup."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

INJECTIONS = [
    "'; DROP TABLE facts;--",
    "<script>alert(1)</script>",
    "russia' OR '1'='1",
    "../../etc/passwd",
    "\x00",
    "%00",
    "${jndi:ldap://x}",
    "{{7*7}}",
    "RUSSIA\r\nSet-Cookie: x=1",
    "ру́сский",
    "🙂" * 50,
]


def _error(r, status: int | tuple[int, ...]) -> dict:  # type: ignore[type-arg]
    statuses = (status,) if isinstance(status, int) else status
    assert r.status_code in statuses, (r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/json")
    assert r.headers["cache-control"] == "no-store"
    return r.json()  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("url", "status", "parameter"),
    [
        pytest.param("/api/count?period=FY20X4", 400, "period", id="bad-period"),
        pytest.param("/api/count?period=", 200, None, id="empty-period-is-all"),
        pytest.param("/api/count?citizenship=Rusia", 400, "citizenship", id="misspelt"),
        pytest.param("/api/count?region=%3Cscript%3E", 400, "region", id="region-script"),
        pytest.param("/api/count?component=cbp", 400, "component", id="component"),
        pytest.param("/api/count?demographic=elderly", 400, "demographic", id="demographic"),
        pytest.param("/api/count?title=9", 400, "title", id="title"),
        pytest.param("/api/count?encounter_type=arrests", 400, "encounter_type", id="encounter-type"),
        pytest.param("/api/count?state=ZZ", 400, "state", id="state"),
        pytest.param("/api/count?aor=El%20Paso", 400, "aor", id="aor-ambiguous"),
        pytest.param("/api/count?as_of=state-1999-01", 404, "as_of", id="unknown-release"),
        pytest.param("/api/count?citizen=russia", 400, "citizen", id="unknown-parameter"),
        pytest.param("/api/count?compare=maybe", 422, "compare", id="bool"),
        pytest.param("/api/table?by=colour", 400, "by", id="by"),
        pytest.param("/api/table", 422, "by", id="by-missing"),
        pytest.param("/api/table?by=citizenship&top=0", 422, "top", id="top-zero"),
        pytest.param("/api/table?by=citizenship&top=x", 422, "top", id="top-text"),
        pytest.param("/api/table?by=citizenship&format=xml", 422, "format", id="format"),
        pytest.param("/api/series?interval=week", 400, "interval", id="interval"),
        pytest.param("/api/series?by=region,component", 400, "by", id="series-two-dims"),
        pytest.param("/api/count?period=" + "1" * 201, 422, "period", id="too-long"),
        pytest.param("/api/count?citizenship=" + "x" * 201, 422, "citizenship", id="too-long-list"),
    ],
)
def test_bad_parameter_is_named(client, url: str, status: int, parameter: str | None) -> None:
    r = client.get(url)
    if status == 200:
        assert r.status_code == 200
        return
    body = _error(r, status)
    assert body["status"] == status
    assert body["parameter"] == parameter
    assert body["message"]


def test_unknown_value_lists_allowed_and_suggests(client) -> None:
    body = _error(client.get("/api/count?citizenship=Rusia"), 400)
    assert body["suggestions"] == ["RUSSIA"]
    assert "RUSSIA" in body["allowed"] and "MEXICO" in body["allowed"]
    assert body["value"] == "Rusia"
    region = _error(client.get("/api/count?region=eastern"), 400)
    assert region["allowed"] == ["nationwide", "southwest", "northern", "other"]


def test_period_error_says_what_a_period_looks_like(client) -> None:
    body = _error(client.get("/api/count?period=FY20X4"), 400)
    assert "FY2022" in body["allowed"] and "2022-02..2022-11" in body["allowed"]
    assert {c["family"] for c in body["coverage"]} >= {"state"}


def test_outside_the_data_is_404_with_coverage(client) -> None:
    body = _error(client.get("/api/count?period=2030-01"), 404)
    assert body["error"] == "not in the data"
    state = next(c for c in body["coverage"] if c["family"] == "state")
    assert state["start"] == "2019-10"


def test_reporter_periods_and_impossible_slices_over_http(client) -> None:  # type: ignore[no-untyped-def]
    """The HTTP API reads periods with the same parser, and refuses a slice the data cannot hold."""
    same = [
        client.get(f"/api/count?region=southwest&period={quote(p)}").json()
        for p in ("Q1 FY2024", "2023-10..2023-12")
    ]
    assert same[0]["value"] == same[1]["value"] > 0
    assert same[0]["question"]["months"] == {"start": "2023-10", "end": "2023-12"}
    body = _error(client.get("/api/count?aor=" + quote("Del Rio Sector") + "&component=ofo"), 404)
    assert body["message"] == "Del Rio Sector is a Border Patrol sector: it has no ports of entry (OFO)"


def test_unknown_release_lists_the_releases(client, app) -> None:
    body = _error(client.get("/api/count?as_of=nope"), 404)
    assert body["allowed"] == [r.label for r in app.state.desk.release_list()]


@pytest.mark.parametrize("text", INJECTIONS, ids=lambda t: repr(t)[:20])
@pytest.mark.parametrize("parameter", ["citizenship", "region", "period", "aor", "as_of", "state"])
def test_hostile_strings_are_4xx_json(client, parameter: str, text: str) -> None:
    r = client.get(f"/api/count?{parameter}={quote(text)}")
    assert 400 <= r.status_code < 500, (r.status_code, r.text)
    body = json.loads(r.text)
    assert body["parameter"] == parameter
    assert parameter in r.text
    # the database is untouched and still answers
    assert client.get("/api/count?citizenship=russia&region=southwest&period=2022-11").json()["value"] == 5507


def test_acceptance_check_cases(client) -> None:
    for param, path in [
        ("period", "/api/count?period=FY20X4"),
        ("citizenship", "/api/count?citizenship=%27%3B%20DROP%20TABLE%20x%3B--"),
        ("region", "/api/count?region=" + quote("<script>")),
    ]:
        r = client.get(path)
        assert 400 <= r.status_code < 500
        assert param in r.text
        json.loads(r.text)


def test_unknown_paths_and_methods(client) -> None:
    assert _error(client.get("/api/nothing"), 404)["status"] == 404
    assert _error(client.delete("/api/count"), 405)["status"] == 405
    assert client.get("/nothing").status_code == 404
    assert "text/html" in client.get("/nothing").headers["content-type"]


@pytest.mark.parametrize(
    ("body", "content_type", "status", "parameter"),
    [
        pytest.param(b'{"text": "x", "date": "28/12/2022"}', "application/json", 422, "date", id="bad-date"),
        pytest.param(b'{"date": "2022-12-28"}', "application/json", 422, "text", id="no-text"),
        pytest.param(b'{"text": 5}', "application/json", 422, "text", id="text-not-string"),
        pytest.param(b'{"text": "x", "lang": "en"}', "application/json", 422, "lang", id="extra-field"),
        pytest.param(b"{not json", "application/json", 422, None, id="not-json"),
        pytest.param(b"text=x", "application/x-www-form-urlencoded", 422, None, id="form-body"),
    ],
)
def test_check_bad_bodies(client, body: bytes, content_type: str, status: int, parameter: str | None) -> None:
    r = client.post("/api/check", content=body, headers={"content-type": content_type})
    err = _error(r, status)
    if parameter is not None:
        assert err["parameter"] == parameter


def test_check_body_over_one_megabyte_is_413(client) -> None:
    big = json.dumps({"text": "x" * 1_000_001}).encode()
    r = client.post("/api/check", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json()["error"] == "request too large"


def test_check_chunked_body_over_the_limit_is_413(client) -> None:
    def chunks():  # no Content-Length: the limit must hold on the bytes actually sent
        yield b'{"text": "'
        for _ in range(11):
            yield b"x" * 100_000
        yield b'"}'

    r = client.post("/api/check", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


@pytest.mark.parametrize(
    ("url", "parameter", "says"),
    [
        pytest.param("/api/table?by=", "by", "needs by", id="table-without-by"),
        pytest.param("/api/table?by=citizenship&top=0", "top", "top", id="top-0"),
        pytest.param("/api/revisions?month=FY2023", "month", "month needs one month", id="revisions-month"),
    ],
)
def test_core_errors_name_the_parameter_as_a_url_does(client, url: str, parameter: str, says: str) -> None:  # type: ignore[no-untyped-def]
    body = _error(client.get(url), (400, 422))
    assert body["parameter"] == parameter
    assert says in body["message"] and "--" not in body["message"], body["message"]
