"""The analysis pages in-process (surges, revisions, history, brief): the numbers in the HTML are the
core's (readable without JavaScript), each with its release; defaults are filled in the form (a
shareable URL); bad values give the page with its error (400/404), never a 500, and come back escaped."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import quote

import pytest

from borderdesk.store.releases import recency

PAGES = ("/surges", "/revisions", "/history", "/brief")


def _text(page: str) -> str:
    """What a reader sees: tags dropped, entities decoded, white space collapsed."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page)))


def _spec(page: str) -> dict:  # type: ignore[type-arg]
    m = re.search(r'<script type="application/json" id="chart-spec">(.*?)</script>', page, re.S)
    assert m is not None, "no chart on the page"
    assert "</" not in m.group(1)
    return json.loads(m.group(1))  # type: ignore[no-any-return]


def _field(page: str, name: str) -> str:
    """The value a form field shows: a text input's value or a select's selected option."""
    m = re.search(rf'<input id="[^"]+" name="{name}" type="text" value="([^"]*)"', page)
    if m:
        return html.unescape(m.group(1))
    m = re.search(rf'<select id="[^"]+" name="{name}".*?</select>', page, re.S)
    assert m is not None, f"no field {name}"
    chosen = re.search(r'<option value="([^"]*)" selected>', m.group(0))
    return html.unescape(chosen.group(1)) if chosen else ""


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_in_the_nav(client, path: str) -> None:  # type: ignore[no-untyped-def]
    r = client.get(path)
    assert r.status_code == 200
    assert f'<a href="{path}" aria-current="page">' in r.text
    for other in PAGES:
        assert f'<a href="{other}"' in r.text
    assert " style=" not in r.text  # the CSP allows no inline style


def test_surges_page_is_the_cores_answer(client, app) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/surges?period=2022-11&region=southwest")
    assert r.status_code == 200
    page, text = r.text, _text(r.text)
    table = app.state.desk.surges_result(period="2022-11", region="southwest", top=10, min_value=100)
    records = table.records()
    assert records and "RUSSIA" in [rec["nationality"] for rec in records]
    for rec in records:
        row = re.search(rf'<th scope="row">{rec["nationality"]}</th>(.*?)</tr>', page, re.S)
        assert row is not None, rec["nationality"]
        cells = _text(row.group(1))
        assert f"{rec['value']:,}" in cells and f"{rec['baseline']:,}" in cells
        assert f"{rec['score']:.2f}" in cells and f"{rec['ratio']:.2f}×" in cells
    assert "5,507" in page  # Russians at the Southwest border, November 2022 (the CBP files)
    order = [m.group(1) for m in re.finditer(r'<th scope="row">([A-Z ,]+)</th>', page)]
    assert order == [rec["nationality"] for rec in records]  # highest score first
    for rel in table.releases:
        assert rel.sha256 in page and rel.label in page
    # the definitions in plain words
    assert "Baseline" in text and "12 months before the period" in text
    assert "usual month-to-month swings" in text
    spec = _spec(page)
    values = (spec.get("data") or spec["layer"][0]["data"])["values"]
    assert {v["nationality"] for v in values} == {rec["nationality"] for rec in records}
    assert "/api/surges?period=2022-11&amp;region=southwest" in page


def test_surges_default_is_the_newest_month(client, app) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/surges").text
    newest = app.state.desk.newest_release()
    assert _field(page, "period") == f"{newest.coverage_end:%Y-%m}"
    assert f'href="/surges?period={newest.coverage_end:%Y-%m}"' in page  # the share link names it


def test_surges_include_other(client) -> None:  # type: ignore[no-untyped-def]
    without = client.get("/surges?period=2022-11&region=southwest&top=100").text
    with_other = client.get("/surges?period=2022-11&region=southwest&top=100&include_other=yes").text
    assert _field(with_other, "include_other") == "yes"
    assert "OTHER" in re.findall(r'<th scope="row">([A-Z ,]+)</th>', with_other)
    assert "OTHER" not in re.findall(r'<th scope="row">([A-Z ,]+)</th>', without)


def test_revisions_default_is_the_newest_two_of_the_family(client, app) -> None:  # type: ignore[no-untyped-def]
    desk = app.state.desk
    newest = desk.newest_release()
    family = sorted((r for r in desk.release_list() if r.family == newest.family), key=recency)
    page = client.get("/revisions").text
    assert (_field(page, "from"), _field(page, "to")) == (family[-2].label, family[-1].label)
    assert f"{family[-2].label} → {family[-1].label}" in _text(page)


def test_revisions_page_biggest_changes_first(client, app) -> None:  # type: ignore[no-untyped-def]
    url = "/revisions?from=state-2023-10&to=state-2025-11&region=southwest"
    r = client.get(url)
    assert r.status_code == 200
    table = app.state.desk.revisions_result(
        from_release="state-2023-10", to_release="state-2025-11", region="southwest"
    )
    records = table.records()
    changed = [rec for rec in records if rec["change"]]
    assert changed, "these two releases differ for some month"
    months = re.findall(r'<th scope="row">(\d{4}-\d{2})</th>', r.text)
    assert sorted(months) == sorted(rec["month"] for rec in records)
    by_month = {rec["month"]: rec for rec in records}
    sizes = [abs(by_month[m]["change"]) for m in months]
    assert sizes == sorted(sizes, reverse=True)
    top = by_month[months[0]]
    row = re.search(rf'<th scope="row">{months[0]}</th>(.*?)</tr>', r.text, re.S)
    assert row is not None
    assert f"{top['from_value']:,}" in row.group(1) and f"{top['to_value']:,}" in row.group(1)
    assert f"{top['change']:+,}" in row.group(1)
    text = _text(r.text)
    assert f"{len(changed):,} of {len(records):,} months changed" in text
    for rel in table.releases:
        assert rel.sha256 in r.text
    spec = _spec(r.text)
    assert len(spec["data"]["values"]) == len(records)


def test_history_from_fy1925_with_its_caveats(client, app) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/history")
    assert r.status_code == 200
    frame = app.state.desk.series_result(interval="fiscal_year", source="history", period="since FY1925")
    assert frame.rows[0][0] == "FY1925"
    assert _field(r.text, "period") == "since FY1925"
    for year, n in (frame.rows[0], frame.rows[-1]):
        assert re.search(rf'<th scope="row">{year}</th>\s*<td class="number">{n:,}</td>', r.text)
    text = _text(r.text)
    for caveat in frame.caveats:
        assert caveat in text
    assert "Border Patrol only" in text and "Title 42 expulsions" in text  # what it counts, the break
    assert frame.releases[0].sha256 in r.text
    spec = _spec(r.text)
    assert spec["title"]["text"].startswith("All citizenships: Border Patrol")
    assert "Border Patrol apprehensions / encounters per year" in json.dumps(spec)
    assert "Encounters per year" not in json.dumps(spec)  # not CBP's encounters: Border Patrol only


def test_history_ohss_falls_back_to_its_own_years(client, app) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/history?region=southwest&source=ohss")
    assert r.status_code == 200
    frame = app.state.desk.series_result(interval="fiscal_year", source="ohss", region="southwest")
    assert frame.rows[0][0] == "FY2000"
    assert f"{frame.total:,}" in r.text
    assert "rounds every published figure to the nearest 10" in _text(r.text)


def test_brief_page_is_the_briefs_content(client, app) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/brief?period=2022-11&region=southwest")
    assert r.status_code == 200
    brief = app.state.desk.brief(period="2022-11", region="southwest", charts=False)
    text = _text(r.text)
    assert f"<h1>{html.escape(brief.title, quote=False)}</h1>" in r.text
    assert f"{brief.change.current.value:,} encounters in November 2022" in text
    for name, value, _ in brief.top.rows:
        assert re.search(rf"<td>{name}</td>\s*<td class=\"number\">{value:,}</td>", r.text)
    for rel in brief.releases:
        assert rel.sha256 in r.text
    assert "Surges" in text and "Revisions" in text
    spec = _spec(r.text)
    months = [v["month"] for v in (spec.get("data") or spec["layer"][0]["data"])["values"]]
    assert (months[0], months[-1], len(months)) == ("2020-12", "2022-11", 24)


def test_brief_default_is_the_newest_month(client, app) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/brief").text
    newest = app.state.desk.newest_release()
    assert _field(page, "period") == f"{newest.coverage_end:%Y-%m}"


BAD = [
    ("/surges?top=abc", 400, "top"),
    ("/surges?top=²", 400, "top"),
    ("/surges?min_value=-3", 400, "min_value"),
    ("/surges?include_other=maybe", 400, "include_other"),
    ("/surges?period=someday", 400, "period"),
    ("/revisions?from=nope", 404, "nope"),
    ("/revisions?changed_only=perhaps", 400, "changed_only"),
    ("/history?source=bad", 400, "source"),
    ("/history?period=FY1800", 400, "1800"),
    ("/brief?period=garbage", 400, "garbage"),
    ("/brief?region=atlantis", 400, "atlantis"),
]


@pytest.mark.parametrize(("url", "status", "named"), BAD, ids=[b[0] for b in BAD])
def test_bad_values_give_the_page_with_its_error(client, url: str, status: int, named: str) -> None:  # type: ignore[no-untyped-def]
    r = client.get(url)
    assert r.status_code == status, r.text[-500:]
    assert r.headers["content-type"].startswith("text/html")
    assert 'role="alert"' in r.text and named in _text(r.text)
    assert '<form class="filters"' in r.text  # the form is still there to fix it


@pytest.mark.parametrize("path", PAGES)
def test_hostile_values_come_back_escaped(client, path: str) -> None:  # type: ignore[no-untyped-def]
    xss = "<script>alert(1)</script>"
    r = client.get(f"{path}?period={quote(xss)}&from={quote(xss)}&region={quote(xss)}")
    assert r.status_code in (400, 404)
    assert xss not in r.text and xss in html.unescape(r.text)
