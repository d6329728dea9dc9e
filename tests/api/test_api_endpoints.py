"""Every endpoint of interfaces.md answers with the core's numbers and provenance (in-process)."""

from __future__ import annotations

import csv
import io

import pytest
from api_support import has_analysis, has_check

import borderdesk

COUNT = "/api/count?citizenship=russia&region=southwest&period=2022-11"


def test_count_is_the_seed_figure_with_provenance(client) -> None:
    r = client.get(COUNT)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["value"] == 5507
    assert set(body["release"]) >= {"label", "file", "sha256", "published"}
    assert len(body["release"]["sha256"]) == 64
    assert body["question"]["citizenship"] == "RUSSIA"
    assert body["question"]["region"] == "southwest"
    assert body["question"]["period"] == "2022-11"
    assert body["sql"].startswith("SELECT") and "?" in body["sql"]


@pytest.mark.parametrize(
    ("query", "value"),
    [
        pytest.param("citizenship=Russians&region=southern%20border&period=Nov%202022", 5507, id="aliases"),
        pytest.param("citizenship=RU&region=SW&period=2022-11", 5507, id="codes"),
        pytest.param("citizenship=russians&region=southwest&period=2022-02..2022-11", 24724, id="seed-range"),
        pytest.param("citizenship=russia&period=2022-02..2022-11", 36593, id="seed-nationwide"),
        pytest.param("citizenship=russia&region=southwest&period=FY2021", 4103, id="seed-fy2021"),
        pytest.param("region=southwest&period=2023-10&as_of=state-2023-10", 240988, id="as-of-first-figure"),
        pytest.param("region=southwest&period=2023-10", 240927, id="newest-vintage"),
        pytest.param("region=nationwide&citizenship=russia&period=2022-11", 6931, id="nationwide-word"),
    ],
)
def test_count_answers(client, query: str, value: int) -> None:
    r = client.get("/api/count?" + query)
    assert r.status_code == 200, r.text
    assert r.json()["value"] == value


def test_count_repeated_citizenship_is_a_sum(client) -> None:
    one = client.get("/api/count?citizenship=russia&period=2022-04").json()["value"]
    two = client.get("/api/count?citizenship=ukraine&period=2022-04").json()["value"]
    both = client.get("/api/count?citizenship=russia&citizenship=ukraine&period=2022-04").json()
    assert both["value"] == one + two
    assert both["question"]["citizenship"] == ["RUSSIA", "UKRAINE"]


def test_count_compare(client) -> None:
    body = client.get(COUNT + "&compare=true").json()
    assert body["value"] == 5507
    assert body["previous"]["value"] == 3876
    assert body["year_earlier"]["value"] == 1710


def test_table_by_citizenship_with_shares(client) -> None:
    r = client.get("/api/table?by=citizenship&period=FY2023&region=southwest&top=5")
    assert r.status_code == 200
    body = r.json()
    assert body["columns"] == ["citizenship", "encounters", "share"]
    assert [row[0] for row in body["rows"]][:2] == ["MEXICO", "VENEZUELA"]
    assert body["rows"][0][1] == 717333
    assert body["total"] == 2475669
    assert len(body["rows"]) == 5
    assert body["rows"][0][2] == pytest.approx(717333 / 2475669, abs=1e-6)


def test_table_two_dimensions(client) -> None:
    body = client.get("/api/table?by=citizenship,region&period=2022-11&citizenship=russia").json()
    assert body["columns"] == ["citizenship", "region", "encounters", "share"]
    assert {tuple(r[:2]) for r in body["rows"]} >= {("RUSSIA", "southwest")}
    assert sum(r[2] for r in body["rows"]) == 6931


def test_series_monthly(client) -> None:
    r = client.get("/api/series?citizenship=ukraine&region=southern%20border&period=2022-01..2022-06")
    assert r.status_code == 200
    body = r.json()
    assert body["columns"] == ["month", "encounters"]
    assert body["rows"] == [
        ["2022-01", 248],
        ["2022-02", 272],
        ["2022-03", 3274],
        ["2022-04", 20118],
        ["2022-05", 375],
        ["2022-06", 116],
    ]
    assert body["total"] == 24403


def test_series_by_region_and_fiscal_years(client) -> None:
    body = client.get("/api/series?citizenship=russia&period=FY2022..FY2023&by=region").json()
    assert body["columns"] == ["month", "region", "encounters"]
    assert {r[1] for r in body["rows"]} == {"southwest", "northern", "other"}
    fy = client.get(
        "/api/series?citizenship=russia&region=southwest&period=FY2021&interval=fiscal-year"
    ).json()
    assert fy["columns"] == ["fiscal_year", "encounters", "months"]
    assert fy["rows"] == [["FY2021", 4103, 12]]


def test_csv_format(client) -> None:
    r = client.get("/api/table?by=citizenship&period=FY2023&region=southwest&top=3&format=csv")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == [
        "citizenship",
        "encounters",
        "share",
        "release_label",
        "release_file",
        "release_sha256",
    ]
    assert rows[1][:2] == ["MEXICO", "717333"]
    release = client.get("/api/table?by=citizenship&period=FY2023&region=southwest&top=3").json()["release"]
    assert rows[1][3:] == [release["label"], release["file"], release["sha256"]]  # where the rows came from


def test_releases(client, app) -> None:
    r = client.get("/api/releases")
    assert r.status_code == 200
    body = r.json()
    desk = app.state.desk
    assert [x["sha256"] for x in body] == [x.sha256 for x in desk.release_list()]
    first = body[0]
    assert set(first) >= {"label", "file", "sha256", "rows", "coverage", "ingested_at", "source"}
    assert set(first["coverage"]) == {"start", "end"}


def test_dimensions_list_the_allowed_values(client) -> None:
    body = {d["name"]: d for d in client.get("/api/dimensions").json()}
    assert "RUSSIA" in body["citizenship"]["values"]
    assert body["region"]["values"] == ["nationwide", "southwest", "northern", "other"]
    assert set(body["component"]["values"]) == {"usbp", "ofo"}


@pytest.mark.skipif(not has_check(), reason="the core has no Desk.check yet")
def test_check_seed_article(client, seed_text: str) -> None:
    r = client.post("/api/check", json={"text": seed_text, "date": "2022-12-28"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["date"] == "2022-12-28"
    got = sorted((float(c["number"]), c["verdict"]) for c in body["claims"])
    assert got == [(4100.0, "supported"), (5500.0, "supported"), (31600.0, "inaccurate")]
    for c in body["claims"]:
        start, end = c["span"]
        assert seed_text[start:end] == c["text"]
        assert c["release"]["sha256"]


@pytest.mark.skipif(not has_check(), reason="the core has no Desk.check yet")
def test_check_without_date_and_empty_text(client) -> None:
    r = client.post("/api/check", json={"text": ""})
    assert r.status_code == 200
    assert r.json() == {"date": None, "claims": []}


@pytest.mark.skipif(not has_analysis("surges"), reason="the core has no surges yet")
def test_surges_find_russia_in_november_2022(client) -> None:
    body = client.get("/api/surges?period=2022-11&region=southwest&top=5").json()
    assert body["columns"][0] == "nationality"
    assert "RUSSIA" in [r[0] for r in body["rows"]]


@pytest.mark.skipif(not has_analysis("revisions"), reason="the core has no revisions yet")
def test_revisions_southwest_october_2023(client) -> None:
    r = client.get("/api/revisions?from=state-2023-10&region=southwest&period=2023-10")
    assert r.status_code == 200, r.text
    row = dict(zip(r.json()["columns"], r.json()["rows"][0], strict=True))
    assert (row["from_value"], row["to_value"]) == (240988, 240927)


@pytest.mark.skipif(not has_analysis("events"), reason="the core has no events yet")
def test_events_are_dated_and_sourced(client) -> None:
    body = client.get("/api/events?period=2022").json()
    cols = body["columns"]
    assert "date" in cols and "title" in cols
    titles = " ".join(str(r[cols.index("title")]) for r in body["rows"])
    assert "Ukraine" in titles


def test_openapi_lists_every_endpoint(client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    expected = {"/api/count", "/api/table", "/api/series", "/api/check", "/api/releases"}
    expected |= {f"/api/{n}" for n in ("surges", "revisions", "events") if has_analysis(n)}
    assert expected <= set(paths)
    count = paths["/api/count"]["get"]
    names = {p["name"] for p in count["parameters"]}
    assert {"citizenship", "region", "period", "as_of", "component", "demographic", "title"} <= names
    assert "400" in count["responses"]


def test_server_is_read_only(app) -> None:
    assert app.state.desk.read_only
    with pytest.raises(borderdesk.BorderdeskError):
        app.state.desk.ingest("nothing.csv")
