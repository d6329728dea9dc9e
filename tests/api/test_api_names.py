"""Names over HTTP (issue 16, point 3): a pooled citizenship is a 400 that says so and where Border
Patrol figures are; ``allowed``, ``/api/dimensions`` and the pages' lists offer only what CBP's releases
answer, with the pooled countries apart. Truths come from the stored rows by SQL of their own."""

from __future__ import annotations

import re

from borderdesk import metadata


def _cbp_citizenships(app) -> list[str]:  # type: ignore[no-untyped-def]
    rows = app.state.desk.con.execute(
        "SELECT DISTINCT d.value FROM facts f JOIN dimension_values d "
        "ON d.dimension = 'citizenship' AND d.code = f.citizenship"
    ).fetchall()
    return sorted(r[0] for r in rows)


def _pooled(app) -> list[str]:  # type: ignore[no-untyped-def]
    rows = app.state.desk.con.execute(
        "SELECT DISTINCT d.value FROM history_facts h JOIN dimension_values d "
        "ON d.dimension = 'citizenship' AND d.code = h.citizenship"
    ).fetchall()
    named = set(_cbp_citizenships(app))
    return sorted(r[0] for r in rows if r[0] not in named and not metadata.is_grouping(r[0]))


def test_a_pooled_citizenship_is_a_400_that_says_so(client, app) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/api/count", params={"citizenship": "Germany", "period": "FY2023"})
    assert r.status_code == 400
    body = r.json()
    assert body["error"] == "pooled value" and body["pooled"] is True
    assert body["parameter"] == "citizenship" and body["value"] == "GERMANY"
    assert body["pooled_values"] == ["GERMANY"]
    assert "pooled into OTHER in CBP's encounter files" in body["message"]
    assert body["allowed"] == _cbp_citizenships(app)
    see = body["see"]
    assert see["cli"] == "borderdesk history --citizenship GERMANY --period FY2023 --total"
    assert see["api"] == "/api/count?citizenship=GERMANY&component=usbp&period=FY2023"
    # and the call it points to answers, from the Border Patrol history tables
    answer = client.get(see["api"]).json()
    assert answer["value"] == 20 and answer["release"]["label"].startswith("ohss-usbp")


def test_allowed_lists_only_what_a_count_can_answer(client, app) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/api/count", params={"citizenship": "Rusia"}).json()
    assert body["suggestions"] == ["RUSSIA"]
    assert body["allowed"] == _cbp_citizenships(app)
    assert not set(body["allowed"]) & set(_pooled(app))


def test_dimensions_mark_the_pooled_countries_apart(client, app) -> None:  # type: ignore[no-untyped-def]
    body = {d["name"]: d for d in client.get("/api/dimensions").json()}
    citizenship = body["citizenship"]
    assert citizenship["values"] == _cbp_citizenships(app)
    assert citizenship["pooled"] == _pooled(app)
    assert {"GERMANY", "UNITED KINGDOM"} <= set(citizenship["pooled"])
    assert "pooled" not in body["region"]
    states = app.state.desk.con.execute(
        "SELECT DISTINCT d.value FROM facts f JOIN dimension_values d "
        "ON d.dimension = 'state' AND d.code = f.state"
    ).fetchall()
    assert body["state"]["values"] == sorted(r[0] for r in states)


def test_short_forms_work_over_http(client) -> None:  # type: ignore[no-untyped-def]
    russia = client.get("/api/count", params={"citizenship": "RU", "period": "FY2023"}).json()["value"]
    assert (
        client.get("/api/count", params={"citizenship": "Russians", "period": "FY2023"}).json()["value"]
        == russia
    )
    uk = client.get("/api/count", params={"citizenship": "U.K.", "period": "FY2023"})
    assert uk.status_code == 400 and uk.json()["pooled_values"] == ["UNITED KINGDOM"]


def test_explore_offers_only_answerable_citizenships(client, app) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/").text
    datalist = page[page.index('id="f-citizenship-list"') :]
    datalist = datalist[: datalist.index("</datalist>")]
    assert re.findall(r'<option value="([^"]*)"', datalist) == [
        v.replace("'", "&#39;") for v in _cbp_citizenships(app)
    ]


def test_a_pooled_citizenship_on_a_page_links_to_border_patrol_figures(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/", params={"citizenship": "Dominicans", "period": "FY2023"})
    assert r.status_code == 400
    assert "Pooled into OTHER" in r.text and "DOMINICAN REPUBLIC is pooled into OTHER" in r.text
    link = re.search(r'<a href="([^"]+)">See the Border Patrol figures</a>', r.text)
    assert link is not None
    target = client.get(link.group(1).replace("&amp;", "&"))
    assert target.status_code == 200 and "ohss-usbp" in target.text


def test_the_nationality_page_lists_pooled_countries_apart(client, app) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/nationality").text
    pick, pooled = page.split('<details class="pooled"', 1)
    assert "GERMANY" not in pick and "?citizenship=RUSSIA" in pick
    links = re.findall(r'href="/nationality\?citizenship=([^"&]+)&amp;component=usbp"', pooled)
    assert len(links) == len(_pooled(app)) and "GERMANY" in links
