"""Checking the article on a web page: fetch it (:mod:`borderdesk.remote.article`), check its text as
of the page's date (or the caller's), and say in the report which page and date were used.

>>> from borderdesk.claims.webpage import check_url
>>> report = check_url(desk, "https://www.cbp.gov/newsroom/...")     # doctest: +SKIP
>>> report.source["date"], report.source["date_from"]                 # doctest: +SKIP
('2021-06-09', 'page')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from borderdesk.claims.check import check
from borderdesk.claims.model import Report
from borderdesk.claims.resolve import Asker
from borderdesk.remote.article import Article, fetch_article


def check_url(
    asker: Asker,
    url: str,
    *,
    date: str | dt.date | None = None,
    timeout: float | None = None,
    allow_private: bool = True,
) -> Report:
    """Fetch the web page at ``url``, take out its article and check it (``asker`` is a desk).

    ``date`` overrides the page's own publication date; without either, the text is read as of the
    newest data, as a text without a date is. ``report.source`` gives the page's URL after redirects,
    its title, the date used and where that date came from (``date_from``: "page", "--date" or
    "data"). A page that cannot be fetched or holds no article raises
    :class:`~borderdesk.errors.PageError` (one line naming why; a page too big or too slow is a
    :class:`~borderdesk.errors.PageLimitError`). ``allow_private=False`` refuses loopback and private
    addresses, as the server does."""
    article = fetch_article(url, allow_private=allow_private)
    return check_article(asker, article, date=date, timeout=timeout)


def check_article(
    asker: Asker, article: Article, *, date: str | dt.date | None = None, timeout: float | None = None
) -> Report:
    """Check an article already fetched, as :func:`check_url` does."""
    used, origin = article.reading_date(date)
    report = check(asker, article.text, used, timeout=timeout)
    return replace(report, source=article.source(report.date, origin))
