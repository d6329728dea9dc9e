"""Every input the server takes is bounded: the text to check (size and time), each repeatable filter
(how many values), each number (a range), and the query string as a whole. Over a bound is a 4xx JSON
error that names the parameter and the limit — never a 500, never a hang — and the schema says so."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import has_analysis, has_check

from borderdesk.http.middleware import MAX_QUERY
from borderdesk.limits import DEFAULT_TIMEOUT, MAX_SHARED_TEXT
from borderdesk.params import MAX_TEXT, MAX_VALUES
from repo_support import SEED

COUNT = "/api/count?citizenship=russia&region=southwest&period=2022-11"
SEED_CLAIMS = [(31600, "inaccurate", 24724), (5500, "supported", 5507), (4100, "supported", 4103)]
needs_check = pytest.mark.skipif(not has_check(), reason="the core has no Desk.check yet")


def _error(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, (r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("application/json")
    assert r.headers["cache-control"] == "no-store"
    body: dict[str, Any] = r.json()
    assert body["status"] == status
    return body


@pytest.fixture
def time_limit(app, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Set the server's check time limit for one test (the app is shared by the session)."""

    def set_to(seconds: float | None) -> None:
        monkeypatch.setattr(app.state, "check_timeout", seconds, raising=False)

    return set_to


# ------------------------------------------------------------------------------------- check: size


@needs_check
def test_check_text_over_the_limit_is_413_naming_it(client) -> None:
    r = client.post("/api/check", json={"text": "x" * (MAX_SHARED_TEXT + 1), "date": "2022-12-28"})
    body = _error(r, 413)
    assert body["error"] == "text too long"
    assert body["parameter"] == "text"
    assert (body["limit"], body["received"], body["unit"]) == (200_000, 200_001, "characters")
    assert body["message"] == (
        "the text has 200,001 characters, over the limit of 200,000 characters: split it and check each part"
    )


@needs_check
def test_check_text_at_the_limit_is_checked(client) -> None:
    sentence = "In November alone, CBP officers came across more than 5,500 Russian migrants. "
    text = (sentence * (MAX_SHARED_TEXT // len(sentence) + 1))[:MAX_SHARED_TEXT]
    assert len(text) == MAX_SHARED_TEXT
    r = client.post("/api/check", json={"text": text, "date": "2022-12-28"})
    assert r.status_code == 200, r.text[:500]
    claims = r.json()["claims"]
    assert claims and {(c["value"], c["verdict"]) for c in claims} == {(5507, "supported")}


@needs_check
def test_check_limit_counts_characters_not_bytes(client) -> None:
    """200,000 Cyrillic letters are 400,000 bytes of UTF-8: under the body limit, at the text limit."""
    r = client.post("/api/check", json={"text": "ж" * MAX_SHARED_TEXT})
    assert r.status_code == 200, r.text[:500]
    assert r.json()["claims"] == []
    body = _error(client.post("/api/check", json={"text": "ж" * (MAX_SHARED_TEXT + 1)}), 413)
    assert body["received"] == MAX_SHARED_TEXT + 1


@needs_check
def test_check_page_over_the_limit_is_413(client) -> None:
    r = client.post("/check", data={"text": "x" * (MAX_SHARED_TEXT + 1), "date": "2022-12-28"})
    assert r.status_code == 413
    assert "text/html" in r.headers["content-type"]
    assert "the text has 200,001 characters, over the limit of 200,000 characters" in r.text


# ------------------------------------------------------------------------------------- check: time


@needs_check
def test_seed_article_checks_within_the_default_time_limit(client) -> None:
    assert DEFAULT_TIMEOUT == 10.0
    r = client.post("/api/check", json={"text": SEED.read_text(encoding="utf-8"), "date": "2022-12-28"})
    assert r.status_code == 200, r.text
    assert [(c["number"], c["verdict"], c["value"]) for c in r.json()["claims"]] == SEED_CLAIMS


@needs_check
def test_check_over_the_time_limit_is_422_naming_it(client, time_limit) -> None:  # type: ignore[no-untyped-def]
    time_limit(0.000001)
    r = client.post("/api/check", json={"text": SEED.read_text(encoding="utf-8"), "date": "2022-12-28"})
    body = _error(r, 422)
    assert body["error"] == "check timed out"
    assert body["parameter"] == "text"
    assert (body["limit"], body["unit"]) == (0.000001, "seconds")
    assert body["message"] == "the text took longer than 1e-06 s to check; split it (or allow more time)"
    # the server is fine afterwards
    assert client.get(COUNT).json()["value"] == 5507


@needs_check
def test_check_page_over_the_time_limit(client, time_limit) -> None:  # type: ignore[no-untyped-def]
    time_limit(0.000001)
    r = client.post("/check", data={"text": SEED.read_text(encoding="utf-8"), "date": "2022-12-28"})
    assert r.status_code == 422
    assert "the text took longer than 1e-06 s to check" in r.text


@needs_check
def test_a_server_without_a_time_limit(client, time_limit) -> None:  # type: ignore[no-untyped-def]
    time_limit(None)
    r = client.post("/api/check", json={"text": SEED.read_text(encoding="utf-8"), "date": "2022-12-28"})
    assert [(c["number"], c["verdict"], c["value"]) for c in r.json()["claims"]] == SEED_CLAIMS


# ------------------------------------------------------------------------------------- list parameters


@pytest.mark.parametrize(
    ("parameter", "value"),
    [("citizenship", "russia"), ("state", "TX"), ("aor", "Del Rio Sector"), ("demographic", "uac")],
)
@pytest.mark.parametrize("endpoint", ["/api/count", "/api/table?by=region", "/api/series"])
def test_too_many_values_of_a_filter(client, endpoint: str, parameter: str, value: str) -> None:
    sep = "&" if "?" in endpoint else "?"
    url = endpoint + sep + "&".join([f"{parameter}={value}"] * (MAX_VALUES + 1))
    body = _error(client.get(url), 422)
    assert body["parameter"] == parameter
    assert f"at most {MAX_VALUES} items" in body["message"] and "not 51" in body["message"]


def test_fifty_values_are_allowed(client) -> None:
    one = client.get(COUNT).json()["value"]
    many = client.get(COUNT + "&citizenship=russia" * (MAX_VALUES - 1))
    assert many.status_code == 200, many.text[:300]
    assert many.json()["value"] == one == 5507  # the same citizenship fifty times is still Russia


@pytest.mark.skipif(not has_analysis("surges"), reason="no surges in this core")
def test_too_many_values_on_an_analysis_endpoint(client) -> None:
    url = "/api/surges?period=2022-11&" + "&".join(["state=TX"] * (MAX_VALUES + 1))
    assert _error(client.get(url), 422)["parameter"] == "state"


# ------------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        pytest.param("/api/table?by=citizenship&top=0", "top", id="table-top-0"),
        pytest.param("/api/table?by=citizenship&top=10001", "top", id="table-top-10001"),
        pytest.param("/api/table?by=citizenship&top=99999999999999999999999", "top", id="table-top-huge"),
        pytest.param("/api/table?by=citizenship&top=-5", "top", id="table-top-negative"),
        pytest.param("/api/surges?period=2022-11&top=0", "top", id="surges-top-0"),
        pytest.param("/api/surges?period=2022-11&top=101", "top", id="surges-top-101"),
        pytest.param("/api/surges?period=2022-11&min_value=-1", "min_value", id="surges-min-negative"),
        pytest.param("/api/surges?period=2022-11&min_value=10000001", "min_value", id="surges-min-huge"),
    ],
)
def test_numbers_out_of_range(client, url: str, parameter: str) -> None:
    if url.startswith("/api/surges") and not has_analysis("surges"):
        pytest.skip("no surges in this core")
    assert _error(client.get(url), 422)["parameter"] == parameter


def test_numbers_at_their_bounds(client) -> None:
    r = client.get("/api/table?by=citizenship&region=southwest&period=2022-11&top=1")
    assert r.status_code == 200 and r.json()["rows"][0][0] == "MEXICO"
    assert client.get("/api/table?by=citizenship&period=2022-11&top=10000").status_code == 200
    if has_analysis("surges"):
        assert client.get("/api/surges?period=2022-11&top=100&min_value=0").status_code == 200


# ------------------------------------------------------------------------------------- query string


def test_query_string_over_the_limit_is_414(client) -> None:
    url = COUNT + "&period=" + "1" * MAX_QUERY
    body = _error(client.get(url), 414)
    assert body["error"] == "query string too long"
    received = len(url.split("?", 1)[1])
    assert (body["limit"], body["received"], body["unit"]) == (8192, received, "bytes")
    assert body["message"] == f"the query string has {received:,} bytes, over the limit of 8,192"


def test_query_string_at_the_limit_is_read(client) -> None:
    """Exactly 8,192 bytes passes the middleware; the over-long period is then the parameter's error."""
    query = "period=" + "1" * (MAX_QUERY - len("period="))
    assert len(query) == MAX_QUERY
    assert _error(client.get("/api/count?" + query), 422)["parameter"] == "period"


def test_query_string_limit_on_pages(client) -> None:
    r = client.get("/?" + "citizenship=russia&" * 500)
    assert r.status_code == 414
    assert "text/html" in r.headers["content-type"]
    assert r.headers["content-security-policy"]  # still inside the security headers
    assert "over the limit of 8,192" in r.text


# ------------------------------------------------------------------------------------- the schema


def _bounded(schema: dict[str, Any]) -> bool:
    if "anyOf" in schema:
        return all(_bounded(s) for s in schema["anyOf"])
    kind = schema.get("type")
    if kind == "null" or kind == "boolean" or "enum" in schema:
        return True
    if kind == "string":
        return schema.get("maxLength", MAX_TEXT + 1) <= MAX_TEXT
    if kind == "integer":
        return "minimum" in schema and "maximum" in schema
    if kind == "array":
        return schema.get("maxItems", MAX_VALUES + 1) <= MAX_VALUES and _bounded(schema["items"])
    return False


def test_every_parameter_in_the_schema_is_bounded(app) -> None:  # type: ignore[no-untyped-def]
    spec = app.openapi()
    seen = 0
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            for p in op.get("parameters", []):
                seen += 1
                assert _bounded(p["schema"]), f"{method.upper()} {path} ?{p['name']}: {p['schema']}"
            assert "414" in op["responses"] or not op.get("parameters"), f"{method.upper()} {path}"
    assert seen > 30
    check_in = spec["components"]["schemas"]["CheckIn"]["properties"]["text"]
    assert check_in["maxLength"] == MAX_SHARED_TEXT
    assert "200,000 characters" in check_in["description"]
    check = spec["paths"]["/api/check"]["post"]["responses"]
    assert {"413", "422"} <= set(check)
    assert {"limit", "received", "unit"} <= set(spec["components"]["schemas"]["ErrorOut"]["properties"])
