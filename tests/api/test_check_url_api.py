"""Checking a web page on the server: ``POST /api/check`` with ``url`` and the check page's URL field.
The saved pages come from a local server, which only a server started with ``--allow-private-urls``
(``create_app(allow_private_urls=True)``) may fetch; by default loopback is refused (SSRF)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import TestClient

from borderdesk.config import ServeSettings
from borderdesk.serve import create_app
from page_server_support import CBP_PAGE, NPR_PAGE, SEED_PAGE, UNDATED, serve_pages


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve_pages() as base:
        yield base


@pytest.fixture(scope="module")
def trusting(api_db: Path) -> Iterator[TestClient]:
    """A client of a server that may fetch pages on private addresses (the tests' local pages)."""
    app = create_app(api_db, allow_private_urls=True)
    yield TestClient(app, raise_server_exceptions=False)
    app.state.desk.close()


def test_a_url_is_checked_with_the_pages_date_and_named_in_source(
    trusting: TestClient, site: str, seed_text: str
) -> None:
    r = trusting.post("/api/check", json={"url": f"{site}/go/{SEED_PAGE}"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["date"] == "2022-12-28"
    assert body["source"] == {
        "url": f"{site}/{SEED_PAGE}",
        "title": "Russians fleeing Putin's draft join migrants waiting at US southern border",
        "date": "2022-12-28",
        "date_from": "page",
    }
    direct = trusting.post("/api/check", json={"text": seed_text, "date": "2022-12-28"}).json()
    assert "source" not in direct
    assert [(c["text"], c["verdict"], c["value"]) for c in body["claims"]] == [
        (c["text"], c["verdict"], c["value"]) for c in direct["claims"]
    ]
    assert [c["verdict"] for c in body["claims"]] == ["inaccurate", "supported", "supported"]


def test_the_requests_date_overrides_the_pages(trusting: TestClient, site: str) -> None:
    body = trusting.post("/api/check", json={"url": f"{site}/{CBP_PAGE}", "date": "2021-07-01"}).json()
    assert body["date"] == "2021-07-01"
    assert (body["source"]["date"], body["source"]["date_from"]) == ("2021-07-01", "--date")


def test_a_page_without_a_date_is_read_as_of_the_newest_data(trusting: TestClient, site: str) -> None:
    body = trusting.post("/api/check", json={"url": f"{site}/{UNDATED}"}).json()
    newest = trusting.app.state.desk.check_report("").date  # the date a text without one is read at
    assert (body["date"], body["source"]["date"], body["source"]["date_from"]) == (newest, newest, "data")


def test_the_server_refuses_a_local_address_by_default(client: TestClient, site: str) -> None:
    r = client.post("/api/check", json={"url": f"{site}/{SEED_PAGE}"})
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "cannot check page" and body["parameter"] == "url"
    assert body["message"] == (
        f"cannot fetch {site}/{SEED_PAGE}: 127.0.0.1 is a private or local address (127.0.0.1), "
        "which this server does not fetch"
    )


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing.html", "cannot fetch {site}/missing.html: HTTP 404 Not Found"),
        ("/report.pdf", "cannot check {site}/report.pdf: it is not a web page (application/pdf, not HTML)"),
        ("/app.html", "cannot check {site}/app.html: no article text found on the page"),
    ],
)
def test_a_page_that_cannot_be_checked_is_422_naming_why(
    trusting: TestClient, site: str, path: str, message: str
) -> None:
    r = trusting.post("/api/check", json={"url": site + path})
    assert r.status_code == 422
    assert r.json()["message"] == message.format(site=site)


def test_a_page_over_the_size_cap_is_422_with_the_limit(trusting: TestClient, site: str) -> None:
    body = trusting.post("/api/check", json={"url": f"{site}/too-big-announced"}).json()
    assert (body["status"], body["limit"], body["unit"]) == (422, 5 * 1024 * 1024, "bytes")


@pytest.mark.parametrize(
    "sent", [{"text": "In May 2021 ...", "url": "https://news.example/a"}, {"date": "2021-06-01"}]
)
def test_text_or_url_exactly_one(client: TestClient, sent: dict[str, str]) -> None:
    r = client.post("/api/check", json=sent)
    assert r.status_code == 422
    assert r.json()["message"] == "give either text or url to check, not both and not neither"
    assert r.json()["parameter"] == "text"


def test_a_url_that_is_not_a_web_address_is_refused_without_fetching(client: TestClient) -> None:
    r = client.post("/api/check", json={"url": "file:///etc/passwd"})
    assert r.status_code == 422
    assert "only http:// and https:// pages can be checked" in r.json()["message"]


def test_openapi_documents_url_and_source(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    url = schemas["CheckIn"]["properties"]["url"]
    assert "--allow-private-urls" in url["description"] and url["maxLength"] == 2048
    assert "text" not in schemas["CheckIn"].get("required", [])
    assert set(schemas["SourceOut"]["properties"]) == {"url", "title", "date", "date_from"}
    assert "source" in schemas["CheckOut"]["properties"]


def test_serve_carries_the_setting_to_the_app(monkeypatch: pytest.MonkeyPatch, api_db: Path) -> None:
    for allowed in (True, False):
        for key, value in ServeSettings(api_db, allow_private_urls=allowed).to_environment().items():
            monkeypatch.setenv(key, value)
        assert ServeSettings.from_environment().allow_private_urls is allowed


# -- the check page ---------------------------------------------------------------------------------


def test_the_check_page_has_a_url_field(client: TestClient) -> None:
    page = client.get("/check").text
    assert '<label for="f-url">Web page</label>' in page
    assert re.search(r'<input id="f-url" name="url" type="url"', page)
    assert '<textarea id="f-text" name="text" rows="12">' in page  # not required: a URL will do


def test_the_check_page_checks_a_url(trusting: TestClient, site: str) -> None:
    r = trusting.post("/check", data={"url": f"{site}/{NPR_PAGE}", "text": "", "date": ""})
    assert r.status_code == 200, r.text
    page = html.unescape(r.text)
    assert "<dt>Page</dt><dd>March Saw Record-Breaking Numbers At The U.S.-Mexico Border</dd>" in page
    assert f'<a href="{site}/{NPR_PAGE}"' in page
    assert "<dt>Read as of</dt><dd>2021-04-08 (the page's publication date)</dd>" in page
    direct = trusting.post("/api/check", json={"url": f"{site}/{NPR_PAGE}"}).json()
    marks = re.findall(r'<mark class="v-(\w+)" id="mark-(\d+)">', r.text)
    assert [v for v, _ in marks] == [c["verdict"] for c in direct["claims"]]
    assert "unaccompanied minors were taken into custody at the U.S.-Mexico border" in page
    assert "Amarillo National Bank" not in page  # the station's ad stayed on its page
    assert f'value="{site}/{NPR_PAGE}"' in page  # the field keeps the address


def test_the_check_page_shows_why_a_url_is_refused(client: TestClient, site: str) -> None:
    r = client.post("/check", data={"url": f"{site}/{SEED_PAGE}", "text": ""})
    assert r.status_code == 422
    assert "127.0.0.1 is a private or local address" in html.unescape(r.text)
    assert 'id="f-url"' in r.text and 'aria-invalid="true"' in r.text


def test_the_check_page_wants_a_text_or_a_url_not_both(client: TestClient) -> None:
    r = client.post("/check", data={"url": "https://news.example/a", "text": "In May 2021 ..."})
    assert r.status_code == 400
    assert "give a text or the URL of a page, not both" in html.unescape(r.text)
