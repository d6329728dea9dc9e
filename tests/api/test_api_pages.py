"""The dashboard pages, in-process: the numbers are in the HTML (readable without JavaScript), the chart
spec is embedded safely, bad filters give the page back with the error (400), and nothing a user typed
comes back unescaped."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import quote

import pytest
from api_support import has_check

XSS = "<script>alert(1)</script>"
HOSTILE = [
    XSS,
    '"><img src=x onerror=alert(1)>',
    "</script><script>alert(1)</script>",
    "{{7*7}}",
    "' onfocus='x",
]


def _spec(page: str) -> dict:  # type: ignore[type-arg]
    m = re.search(r'<script type="application/json" id="chart-spec">(.*?)</script>', page, re.S)
    assert m is not None
    assert "</" not in m.group(1)  # nothing in the JSON can close the script element
    return json.loads(m.group(1))  # type: ignore[no-any-return]


def test_explore_russians_southwest(client) -> None:
    r = client.get("/?citizenship=russia&region=southwest&period=2022-01..2022-12")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    page = r.text
    spec = _spec(page)
    assert spec["title"]["text"] == "Russia: CBP encounters, Southwest border"
    assert any("Source: U.S. Customs and Border Protection" in s for s in spec["title"]["subtitle"])
    values = spec["data"]["values"] if "data" in spec else spec["layer"][0]["data"]["values"]
    assert {"month": "2022-11", "encounters": 5507} in [
        {k: v for k, v in rec.items() if k in ("month", "encounters")} for rec in values
    ]
    # the table: readable without JavaScript
    assert '<th scope="row">2022-11</th>' in page and "5,507" in page
    assert "Encounters per month" in json.dumps(spec)  # axis with units
    assert 'value="russia"' in page  # the form keeps what was asked
    assert "/api/series?citizenship=russia&amp;region=southwest&amp;period=2022-01..2022-12" in page


def test_explore_split_by_region_is_a_pivot(client) -> None:
    page = client.get("/?citizenship=russia&period=2022-11..2022-12&by=region").text
    assert "Southwest Land Border" in page  # the region's label as a column heading
    assert re.search(r'<th scope="row">2022-11</th>\s*<td class="number">5,507</td>', page)


def test_explore_default_page(client) -> None:
    r = client.get("/")
    assert r.status_code == 200
    _spec(r.text)
    assert 'href="#main"' in r.text and 'id="main"' in r.text  # skip link


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("field", ["citizenship", "period", "region", "by", "as_of", "aor"])
def test_hostile_filters_come_back_escaped(client, field: str, text: str) -> None:
    r = client.get(f"/?{field}={quote(text)}&q={quote(text)}")
    assert r.status_code in (400, 404), r.status_code
    assert r.headers["content-type"].startswith("text/html")
    if any(c in text for c in "<>\"'&"):
        assert text not in r.text  # never raw...
    assert text in html.unescape(r.text)  # ...but shown, escaped (a template expression stays text)
    assert 'role="alert"' in r.text


def test_acceptance_reflection_case(client) -> None:
    q = quote(XSS)
    r = client.get(f"/?citizenship={q}&period={q}&q={q}")
    assert r.status_code < 500
    assert XSS.lower() not in r.text.lower()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        pytest.param("/?citizenship=Rusia", "did you mean RUSSIA", id="explore"),
        pytest.param("/citizenships?period=FY20X4", "cannot read period", id="citizenships"),
        pytest.param("/citizenships?top=1000", "top must be", id="top"),
        pytest.param("/citizenships?top=%C2%B2", "top must be", id="top-superscript"),  # '²' passes isdigit()
        pytest.param("/nationality?citizenship=Atlantis", "unknown citizenship", id="nationality"),
        pytest.param("/?interval=week", "unknown interval", id="interval"),
    ],
)
def test_bad_filter_gives_the_page_with_an_error(client, url: str, message: str) -> None:
    r = client.get(url)
    assert r.status_code == 400
    assert message in html.unescape(r.text)
    assert '<form class="filters"' in r.text
    assert 'aria-invalid="true"' in r.text


def test_outside_the_data_is_404_page_with_coverage(client) -> None:
    r = client.get("/?period=2030")
    assert r.status_code == 404
    assert "Not in the data" in r.text and "2019-10" in r.text


def test_top_citizenships(client) -> None:
    r = client.get("/citizenships?region=southwest&period=FY2023&top=5")
    assert r.status_code == 200
    page = r.text
    assert "717,333" in page and "29.0%" in page
    assert '<meter min="0" max="1" value="0.289753"' in page
    assert 'href="/nationality?period=FY2023&amp;citizenship=MEXICO"' in page
    assert "2,475,669" in page


def test_top_citizenships_defaults_to_the_last_twelve_months(client, app) -> None:
    end = app.state.desk.newest_release().coverage_end
    page = client.get("/citizenships").text
    assert f"..{end:%Y-%m}" in page


def test_nationality(client) -> None:
    page = client.get("/nationality?citizenship=Russians&period=FY2023").text
    spec = _spec(page)
    assert "Russia" in spec["title"]["text"]
    assert "Southwest Land Border" in page and "Northern Land Border" in page
    chooser = client.get("/nationality").text
    assert 'href="/nationality?citizenship=RUSSIA"' in chooser


def test_releases_page(client, app) -> None:
    page = client.get("/releases").text
    for r in app.state.desk.release_list():
        assert r.label in page
        assert r.sha256 in page
    assert "2019-10 to 2025-11" in page or "to 2025-11" in page


def test_check_form(client) -> None:
    page = client.get("/check").text
    assert '<label for="f-text">' in page and 'id="f-text"' in page
    assert 'method="post" action="/check#claims-heading"' in page


@pytest.mark.skipif(not has_check(), reason="the core has no Desk.check yet")
def test_check_page_highlights_the_seed_claims(client, seed_text: str) -> None:
    r = client.post("/check", data={"text": seed_text, "date": "2022-12-28"})
    assert r.status_code == 200
    page = r.text
    marks = re.findall(r'<mark class="v-(\w+)" id="mark-(\d)">', page)
    assert marks == [("inaccurate", "1"), ("supported", "2"), ("supported", "3")]
    assert "24,724" in page and "5,507" in page and "4,103" in page
    assert page.count('<li id="claim-') == 3
    assert "nationwide: 36,593 — <strong>matches the claim</strong>" in page  # the confusion, in words
    # the article comes back whole, escaped
    assert html.escape("“Thank you Joseph Biden") in page


@pytest.mark.skipif(not has_check(), reason="the core has no Desk.check yet")
def test_check_page_escapes_the_text(client) -> None:
    text = XSS + " In November alone, CBP encountered more than 5,500 Russians at the southern border."
    page = client.post("/check", data={"text": text, "date": "2022-12-28"}).text
    assert XSS not in page
    assert html.escape(XSS) in page


def test_check_page_bad_date(client) -> None:
    r = client.post("/check", data={"text": "x", "date": "yesterday"})
    assert r.status_code == 400
    assert "date must be YYYY-MM-DD" in html.unescape(r.text)
    assert "yesterday" in r.text


def test_check_page_body_limit(client) -> None:
    r = client.post("/check", data={"text": "x" * 1_100_000})
    assert r.status_code == 413


@pytest.mark.parametrize("period", ["since 2022-02", ""])
def test_pages_name_the_months_an_open_period_covers(client, app, period: str) -> None:  # type: ignore[no-untyped-def]
    """'since …' and no period at all are described with the months the answer covers, on the page
    and in the chart's subtitle, not as 'to the newest data'."""
    frame = app.state.desk.series_result(citizenship="russia", region="southwest", period=period or None)
    months = frame.describe()
    assert re.search(r"\(\w{3} \d{4} - \w{3} \d{4}\)", months), months
    r = client.get(f"/?citizenship=russia&region=southwest&period={quote(period)}")
    assert r.status_code == 200
    assert html.escape(months) in r.text
    assert months in json.dumps(_spec(r.text))
