"""Fetching a page to check (``borderdesk.remote.article``): the article comes out of real page
furniture with its date, and every way a page can fail is one line naming why, within the limits.
All against a local server (tests/page_server_support.py) or an in-memory transport: no network."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from borderdesk.errors import LimitError, PageError, PageLimitError
from borderdesk.remote.addresses import is_public
from borderdesk.remote.article import MAX_REDIRECTS, Article, extract_article, fetch_article
from borderdesk.values import is_url
from page_server_support import DATED, GOLDEN_IDS, NPR_PAGE, PAGES, SEED_PAGE, UNDATED, serve_pages
from repo_support import SEED

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "articles" / "articles.jsonl"

#: Page furniture on the saved pages (navigation, ads, related links, promos, footer) that must not
#: reach the checker: several carry numbers a checker would read as claims.
BOILERPLATE = (
    "Subscribe: 99 cents",
    "2.76 million migrant encounters",  # a related link on the seed's page
    "Powerball jackpot",
    "save 40% on all mattresses",
    "saving $1,200 a year",
    "2,500 migrants a day",
    "All rights reserved",
    "We use cookies",
    "Play Live Radio",
    "Amarillo National Bank",
    "Wheat harvest down 30 percent",
    "Give $10 a month",
    "178,795 encounters",  # CBP's own related-content box
    "$2.3 Million in Methamphetamine",
    "through June 21, 2021",
    "Skip to main content",
    "Here's how you know",
)


def golden(article_id: str) -> dict[str, Any]:
    for line in GOLDEN.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["id"] == article_id:
            return row
    raise AssertionError(f"{article_id} is not in {GOLDEN}")


def claim_sentences(page: str) -> list[str]:
    """Sentences of the real article on ``page`` that carry its encounter figures."""
    if page == SEED_PAGE:
        text = SEED.read_text(encoding="utf-8")
        wanted = ("more than 31,600 Russians", "more than 5,500 Russian migrants", "about 4,100 encounters")
    else:
        text = golden(GOLDEN_IDS[page])["text"]
        wanted = (
            ("Almost 19,000 unaccompanied minors", "more than 170,000", "something like 18,900")
            if page == NPR_PAGE
            else ("CBP encountered 180,034 persons", "expelled 112,302 individuals", "62 percent of all May")
        )
    sentences = []
    for phrase in wanted:
        assert phrase in text, f"{phrase!r} is not in the real article"
        start = text.rfind(".", 0, text.index(phrase)) + 1
        end = text.index(".", text.index(phrase)) + 1
        sentences.append(" ".join(text[start:end].split()))
    return sentences


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve_pages() as base:
        yield base


@pytest.mark.parametrize("page", sorted(DATED))
def test_the_article_comes_out_of_the_page_without_its_furniture(page: str) -> None:
    html = (PAGES / page).read_bytes()
    for phrase in BOILERPLATE:  # the saved page does carry it...
        if phrase in html.decode():
            break
    else:
        raise AssertionError(f"{page} carries none of the boilerplate the test looks for")
    article = extract_article(html, f"https://news.example/{page}", encoding="utf-8")
    flat = " ".join(article.text.split())
    for sentence in claim_sentences(page):
        assert sentence in flat
    for phrase in BOILERPLATE:  # ...and the article text does not
        assert phrase not in article.text, phrase
    assert article.date == DATED[page]
    assert article.title is not None and article.text.startswith(article.title)


def test_the_fetched_page_is_the_saved_one_with_its_date_and_final_url(site: str) -> None:
    article = fetch_article(f"{site}/go/{NPR_PAGE}")
    assert article.url == f"{site}/{NPR_PAGE}"  # after the redirect
    assert article.title == golden(GOLDEN_IDS[NPR_PAGE])["title"]
    assert article.date == "2021-04-08"
    assert "Almost 19,000 unaccompanied minors" in article.text


def test_a_page_without_a_date_says_so(site: str) -> None:
    article = fetch_article(f"{site}/{UNDATED}")
    assert article.date is None
    assert "Almost 19,000 unaccompanied minors" in article.text


def test_the_date_used_is_the_callers_then_the_pages_then_none() -> None:
    dated = Article(url="https://news.example/a", title="A", date="2021-06-09", text="A\n\nbody")
    undated = Article(url="https://news.example/b", title=None, date=None, text="body")
    assert dated.reading_date("2021-07-01") == ("2021-07-01", "--date")
    assert dated.reading_date(None) == ("2021-06-09", "page")
    assert undated.reading_date(None) == (None, "data")
    assert dated.source("2021-06-09", "page") == {
        "url": "https://news.example/a",
        "title": "A",
        "date": "2021-06-09",
        "date_from": "page",
    }


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("https://www.cbp.gov/newsroom", True),
        ("HTTP://example.org/a", True),
        ("article.txt", False),
        ("-", False),
        ("./https:/x.txt", False),
        ("ftp://example.org/a.html", False),
    ],
)
def test_a_url_is_told_apart_from_a_file_and_stdin(source: str, expected: bool) -> None:
    assert is_url(source) is expected


def test_a_missing_page_is_one_line_naming_the_status(site: str) -> None:
    with pytest.raises(PageError) as caught:
        fetch_article(f"{site}/no-such-story.html")
    assert str(caught.value) == f"cannot fetch {site}/no-such-story.html: HTTP 404 Not Found"


def test_a_file_that_is_not_a_web_page_is_refused_by_its_type(site: str) -> None:
    with pytest.raises(PageError, match=r"it is not a web page \(application/pdf, not HTML\)"):
        fetch_article(f"{site}/report.pdf")


@pytest.mark.parametrize("path", ["/too-big", "/too-big-announced"])
def test_a_page_over_the_size_cap_is_stopped(site: str, path: str) -> None:
    with pytest.raises(PageLimitError) as caught:
        fetch_article(site + path, max_bytes=1024 * 1024)
    error = caught.value
    assert isinstance(error, LimitError) and error.exit_code == 4
    assert (error.limit, error.unit) == (1024 * 1024, "bytes")
    assert "over the limit of 1,048,576 bytes" in str(error)
    assert "\n" not in str(error)


def test_a_server_that_stalls_is_given_up_on_at_the_time_limit(site: str) -> None:
    with pytest.raises(PageLimitError) as caught:
        fetch_article(f"{site}/stall", deadline=0.5)
    assert (
        str(caught.value) == f"cannot fetch {site}/stall: timed out (the page was not all there within 0.5 s)"
    )
    assert (caught.value.limit, caught.value.unit) == (0.5, "seconds")


def test_a_redirect_loop_stops_after_a_few(site: str) -> None:
    with pytest.raises(PageError, match=f"more than {MAX_REDIRECTS} redirects"):
        fetch_article(f"{site}/loop")


def test_a_page_built_by_its_scripts_has_no_article_to_check(site: str) -> None:
    with pytest.raises(PageError) as caught:
        fetch_article(f"{site}/app.html")
    assert str(caught.value) == f"cannot check {site}/app.html: no article text found on the page"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/story.html", "only http:// and https:// pages can be checked"),
        ("file:///etc/passwd", "only http:// and https:// pages can be checked"),
        ("http://", "names no host"),
    ],
)
def test_only_web_addresses_are_fetched(url: str, message: str) -> None:
    with pytest.raises(PageError, match=message):
        fetch_article(url, resolve=_no_dns)


def _no_dns(host: str, port: int, **_kw: Any) -> list[tuple[Any, ...]]:
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


def test_a_name_that_does_not_resolve_is_a_dns_failure() -> None:
    with pytest.raises(PageError) as caught:
        fetch_article("https://no-such-newsroom.example/story", resolve=_no_dns)
    assert str(caught.value).startswith(
        "cannot fetch https://no-such-newsroom.example/story: the name 'no-such-newsroom.example' "
        "was not found (DNS"
    )


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_the_server_setting_refuses_local_addresses(site: str, host: str) -> None:
    url = site.replace("127.0.0.1", host) + f"/{SEED_PAGE}"
    with pytest.raises(PageError, match=f"{host} is a private or local address"):
        fetch_article(url, allow_private=False)
    assert fetch_article(url).date == "2022-12-28"  # the CLI's setting fetches it


def test_a_redirect_to_a_private_address_is_refused_before_it_is_followed() -> None:
    """A public page that redirects inside the network (cloud metadata): each hop is checked."""
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})

    def resolve(host: str, port: int, **_kw: Any) -> list[tuple[Any, ...]]:
        address = {"news.example": "93.184.215.14"}.get(host, host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    refused = pytest.raises(PageError, match=r"169\.254\.169\.254 is a private or local address")
    with httpx.Client(transport=httpx.MockTransport(handler)) as client, refused:
        fetch_article("https://news.example/story", client=client, allow_private=False, resolve=resolve)
    assert asked == ["https://news.example/story"]  # the metadata address was never asked


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:4700::1111", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.10", False),
        ("172.16.5.4", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("::1", False),
        ("fe80::1%eth0", False),
        ("::ffff:127.0.0.1", False),
        ("224.0.0.1", False),
    ],
)
def test_which_addresses_are_public(address: str, public: bool) -> None:
    assert is_public(address) is public
