"""Find the release files a CBP page (or a plain directory listing) links to.

Pure functions, no I/O: :func:`find_release_links` parses HTML with the standard library's
:mod:`html.parser` and :func:`published_from_url` reads the publication month CBP puts in its file paths.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import quote, unquote, urldefrag, urljoin, urlsplit, urlunsplit

from borderdesk.values import MONTH_NAMES

__all__ = ["RELEASE_SUFFIXES", "find_release_links", "is_release_url", "published_from_url"]

#: File suffixes (compared case-insensitively) that mark a link as a release file.
RELEASE_SUFFIXES: tuple[str, ...] = (".csv", ".csv.gz", ".xlsx")

_SCHEMES = frozenset({"http", "https"})
# Characters left alone when re-quoting a path or query: reserved characters and "%" (so existing
# percent-escapes survive); everything else (spaces, non-ASCII) is percent-encoded as UTF-8.
_PATH_SAFE = "/%:@!$&'()*+,;="
_QUERY_SAFE = _PATH_SAFE + "?"
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{1,2}|[A-Za-z]{3,9})")


class _LinkCollector(HTMLParser):
    """Collects ``href`` values of ``<a>`` and ``<area>`` tags and the first ``<base href>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.base_href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("a", "area", "base"):
            return
        href = next((value for name, value in attrs if name == "href" and value is not None), None)
        if href is None:
            return
        if tag == "base":
            if self.base_href is None:
                self.base_href = href
        else:
            self.hrefs.append(href)


def is_release_url(url: str) -> bool:
    """True if the URL's path (query and fragment ignored, percent-decoded) ends in a release suffix."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return False
    return unquote(path).lower().endswith(RELEASE_SUFFIXES)


def find_release_links(html: str, base_url: str) -> list[str]:
    """The absolute http(s) URLs of release files linked from ``html``, in page order, without duplicates.

    Relative links are resolved against ``base_url`` (or the page's ``<base href>``). A link counts as a
    release if its path ends in ``.csv``, ``.csv.gz`` or ``.xlsx`` (any case); fragments are dropped,
    query strings kept, and unsafe characters (spaces, non-ASCII) percent-encoded. Directory links,
    other files, ``mailto:``/``javascript:`` links and in-page anchors are ignored. Off-site links are
    kept (CBP may serve files from a CDN).
    """
    collector = _LinkCollector()
    collector.feed(html)
    collector.close()

    base = base_url
    if collector.base_href is not None:
        resolved_base = _resolve(base_url, collector.base_href)
        if resolved_base is not None:
            base = resolved_base

    links: list[str] = []
    seen: set[str] = set()
    for href in collector.hrefs:
        url = _resolve(base, href)
        if url is None or url in seen or not is_release_url(url):
            continue
        seen.add(url)
        links.append(url)
    return links


def _resolve(base: str, href: str) -> str | None:
    """``href`` made absolute and normalised, or None if it is empty, an anchor or not http(s)."""
    # Browsers strip surrounding whitespace and drop tabs and newlines anywhere in a URL.
    cleaned = href.strip().replace("\t", "").replace("\n", "").replace("\r", "")
    if not cleaned or cleaned.startswith("#"):
        return None
    try:
        absolute, _fragment = urldefrag(urljoin(base, cleaned))
        parts = urlsplit(absolute)
    except ValueError:  # e.g. a malformed IPv6 host
        return None
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES or not parts.netloc:
        return None
    netloc = parts.netloc if "@" in parts.netloc else parts.netloc.lower()
    path = quote(parts.path, safe=_PATH_SAFE) or "/"
    query = quote(parts.query, safe=_QUERY_SAFE)
    return urlunsplit((scheme, netloc, path, query, ""))


def published_from_url(url: str) -> str | None:
    """The publication month (``"YYYY-MM"``) CBP encodes in a file's folder, or None.

    CBP stores uploads in month folders: ``/sites/default/files/2024-10/...`` gives ``"2024-10"`` and
    ``/sites/default/files/assets/documents/2023-Nov/...`` gives ``"2023-11"`` (month names or
    abbreviations in any case). Only folders are examined, never the file name; the innermost match wins.
    """
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    folders = unquote(path).split("/")[:-1]
    for folder in reversed(folders):
        match = _YEAR_MONTH.fullmatch(folder)
        if match is None:
            continue
        year = int(match.group(1))
        month = _month_number(match.group(2))
        if month is not None and 1900 <= year <= 2999:
            return f"{year:04d}-{month:02d}"
    return None


def _month_number(token: str) -> int | None:
    if token.isdigit():
        number = int(token)
        return number if 1 <= number <= 12 else None
    word = token.capitalize()
    for number, name in enumerate(MONTH_NAMES, start=1):
        if name.startswith(word):  # "nov", "Sept", "SEPTEMBER"; the pattern guarantees >= 3 letters
            return number
    return None
