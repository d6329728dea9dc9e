"""Checking a web page on the server (``POST /api/check`` with ``url``, the check page's URL field).

The server fetches the page itself, so the address comes from whoever can reach the server: it is
fetched with the limits of :mod:`borderdesk.remote.article` (size, time, redirects, HTML only), and
hosts on loopback, private or link-local addresses are refused unless the server was started with
``--allow-private-urls`` (``app.state.allow_private_urls``): otherwise anyone could use the server to
read pages inside its own network (server-side request forgery).

The fetch runs in a thread (a blocking client with its own deadline, off the event loop); the article's
text then goes to the check runner like a pasted text (:mod:`borderdesk.http.checks`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from borderdesk.claims.check import as_date
from borderdesk.remote.article import Article, fetch_article

if TYPE_CHECKING:
    from borderdesk.desk import Desk


def allows_private_urls(request: Request) -> bool:
    """Whether this server fetches pages on loopback and private addresses (off unless set)."""
    return bool(getattr(request.app.state, "allow_private_urls", False))


async def fetch_for_check(request: Request, url: str) -> Article:
    """The article at ``url``, fetched in a thread; a :class:`~borderdesk.errors.PageError` says why not."""
    return await run_in_threadpool(fetch_article, url, allow_private=allows_private_urls(request))


def reading(article: Article, date: str | None, desk: Desk) -> tuple[str, dict[str, Any]]:
    """The date to check the article at (the caller's, else the page's, else the newest data's 'now',
    as a text without a date is read) and the answer's ``source`` naming it and where it came from."""
    used, origin = article.reading_date(date)
    day = used if used is not None else as_date(None, desk.catalog).isoformat()
    return day, article.source(day, origin)
