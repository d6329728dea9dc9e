"""Fetch a news page and take out what a claim check needs: the article's text, title and date.

``borderdesk check https://...`` and the check page's URL field come here. The page is fetched within
limits, because the address comes from a user and the server at the other end may be anything: at most
:data:`~borderdesk.limits.MAX_ARTICLE_BYTES` of HTML (streamed, stopped as soon as it is over), all of it
within :data:`~borderdesk.limits.ARTICLE_DEADLINE` seconds (redirects included, so a server trickling
a byte at a time cannot hold a check open), http and https only, at most :data:`MAX_REDIRECTS`
redirects, and (on the server) public addresses only (:mod:`~borderdesk.remote.addresses`). Each
failure is one line naming the URL and why (a :class:`~borderdesk.errors.PageError`).

The text and the date are extracted by trafilatura from the HTML fetched here, with the navigation,
ads, related links and footer left out; trafilatura fetches nothing itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import time
from dataclasses import dataclass
from typing import Any

import httpx

from borderdesk.errors import PageError, PageLimitError
from borderdesk.limits import ARTICLE_DEADLINE, MAX_ARTICLE_BYTES
from borderdesk.remote.addresses import Resolver, refuse_private, resolve_host
from borderdesk.remote.client import client_scope, describe, headers, status_reason

#: Redirects followed before giving up (a news link often goes http -> https -> canonical path).
MAX_REDIRECTS = 5
#: Content types taken for a web page; anything else (a PDF, an image, JSON) is refused by name.
HTML_TYPES = ("text/html", "application/xhtml+xml")
_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"


@dataclass(frozen=True)
class Article:
    """A page's article: ``url`` is where it was found (after redirects), ``date`` its publication
    date (YYYY-MM-DD) when the page says, and ``text`` the article as checked (headline first)."""

    url: str
    title: str | None
    date: str | None
    text: str

    def reading_date(self, date: str | dt.date | None) -> tuple[str | None, str]:
        """The date to read the article at and where it comes from: a ``date`` given by the caller
        wins ("--date"), else the page's own ("page"), else none, and the check reads the text as of
        the newest data, as it does a text without a date ("data")."""
        if date is not None:
            return str(date), "--date"
        if self.date is not None:
            return self.date, "page"
        return None, "data"

    def source(self, date_used: str, date_from: str) -> dict[str, Any]:
        """The check JSON's ``source``: the page (after redirects), its title, the date the check used
        and where that date came from (see :meth:`reading_date`)."""
        return {"url": self.url, "title": self.title, "date": date_used, "date_from": date_from}


def fetch_article(
    url: str,
    *,
    client: httpx.Client | None = None,
    max_bytes: int = MAX_ARTICLE_BYTES,
    deadline: float = ARTICLE_DEADLINE,
    allow_private: bool = True,
    resolve: Resolver = socket.getaddrinfo,
) -> Article:
    """The article on the page at ``url``; raises :class:`~borderdesk.errors.PageError` (or its
    :class:`~borderdesk.errors.PageLimitError`) with a one-line reason when it cannot be had.

    ``allow_private=False`` refuses hosts on loopback, private or link-local addresses (the server's
    setting); ``resolve`` is ``socket.getaddrinfo`` unless a test gives its own."""
    body, final_url, encoding = fetch_html(
        url,
        client=client,
        max_bytes=max_bytes,
        deadline=deadline,
        allow_private=allow_private,
        resolve=resolve,
    )
    return extract_article(body, final_url, encoding=encoding)


def fetch_html(
    url: str,
    *,
    client: httpx.Client | None = None,
    max_bytes: int = MAX_ARTICLE_BYTES,
    deadline: float = ARTICLE_DEADLINE,
    allow_private: bool = True,
    resolve: Resolver = socket.getaddrinfo,
) -> tuple[bytes, str, str | None]:
    """``(HTML bytes, final URL, charset named by the server or None)`` of the page at ``url``."""
    ends = time.monotonic() + deadline
    current = url.strip()
    with client_scope(client, deadline) as http:
        for _hop in range(MAX_REDIRECTS + 1):
            target = _checked_url(url, current, allow_private, resolve)
            try:
                step = _get(http, url, target, max_bytes, deadline, ends)
            except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
                if isinstance(exc, httpx.TimeoutException):
                    raise _out_of_time(url, deadline) from exc
                raise PageError(f"cannot fetch {url}: {describe(exc, deadline)}") from exc
            if isinstance(step, str):  # a redirect: check the next address before following it
                current = step
                continue
            return step
    raise PageError(f"cannot fetch {url}: more than {MAX_REDIRECTS} redirects")


def _checked_url(url: str, current: str, allow_private: bool, resolve: Resolver) -> httpx.URL:
    """``current`` as a URL that may be fetched: http(s), a host that resolves, public if need be."""
    try:
        target = httpx.URL(current)
    except (httpx.InvalidURL, ValueError) as exc:
        raise PageError(f"cannot fetch {url}: not a valid URL ({exc})") from exc
    if target.scheme not in ("http", "https"):
        raise PageError(f"cannot fetch {url}: only http:// and https:// pages can be checked")
    if not target.host:
        raise PageError(f"cannot fetch {url}: the URL names no host")
    port = target.port or (443 if target.scheme == "https" else 80)
    addresses = resolve_host(url, target.host, port, resolve)
    if not allow_private:
        refuse_private(url, target.host, addresses)
    return target


def _get(
    http: httpx.Client, url: str, target: httpx.URL, max_bytes: int, deadline: float, ends: float
) -> str | tuple[bytes, str, str | None]:
    """One request: the next URL for a redirect, else the page (refused when not HTML, over the size
    cap, or not all there by ``ends``)."""
    left = max(ends - time.monotonic(), 0.001)
    request_headers = headers(http, {"Accept": _ACCEPT})
    with http.stream(
        "GET", target, headers=request_headers, timeout=httpx.Timeout(left), follow_redirects=False
    ) as response:
        if response.is_redirect and "Location" in response.headers:
            return str(response.url.join(response.headers["Location"]))
        if not response.is_success:
            raise PageError(f"cannot fetch {url}: {status_reason(response)}")
        kind = response.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if kind and kind not in HTML_TYPES:
            raise PageError(f"cannot check {url}: it is not a web page ({kind}, not HTML)")
        announced = response.headers.get("Content-Length", "").strip()
        if announced.isdigit() and int(announced) > max_bytes:
            raise _too_big(url, max_bytes, f"the server announces {int(announced):,} bytes")
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > max_bytes:
                raise _too_big(url, max_bytes, f"the page grew past {max_bytes:,} bytes")
            if time.monotonic() > ends:
                raise _out_of_time(url, deadline)
        return bytes(body), str(response.url), response.charset_encoding


def _too_big(url: str, limit: int, what: str) -> PageLimitError:
    return PageLimitError(
        f"cannot check {url}: {what}, over the limit of {limit:,} bytes for a page (is it an article?)",
        limit=limit,
        unit="bytes",
    )


def _out_of_time(url: str, deadline: float) -> PageLimitError:
    return PageLimitError(
        f"cannot fetch {url}: timed out (the page was not all there within {deadline:g} s)",
        limit=deadline,
        unit="seconds",
    )


def extract_article(html: bytes | str, url: str, *, encoding: str | None = None) -> Article:
    """The article in ``html`` (fetched from ``url``): its text without the page around it, its
    title and its publication date. Raises :class:`~borderdesk.errors.PageError` when the page has no
    article text (a front page, a login wall, a page built by scripts)."""
    import trafilatura  # imported here: lxml and its models cost a second, and only this needs them

    if isinstance(html, bytes) and encoding:
        # an unknown charset: left as bytes, and trafilatura reads the page's own <meta charset>
        with contextlib.suppress(LookupError):
            html = html.decode(encoding, errors="replace")
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        # dates from the page's metadata (meta tags, JSON-LD, <time>, the URL), not any date in the text
        date_extraction_params={"original_date": True, "extensive_search": False},
    )
    found = (getattr(document, "text", None) or "") if document is not None else ""
    # one paragraph a line in trafilatura's text; a blank line between them, as in a text file, so that
    # a headline or a caption without a full stop is not read as the start of the next sentence
    body = "\n\n".join(line.strip() for line in found.splitlines() if line.strip())
    if not body:
        raise PageError(f"cannot check {url}: no article text found on the page")
    title = (getattr(document, "title", None) or "").strip() or None
    date = _iso_date(getattr(document, "date", None))
    text = body if title is None or body.startswith(title) else f"{title}\n\n{body}"
    return Article(url=url, title=title, date=date, text=text)


def _iso_date(value: object) -> str | None:
    """``YYYY-MM-DD`` from trafilatura's date, or None when it found none that reads as a date."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None
