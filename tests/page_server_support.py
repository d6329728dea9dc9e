"""A local web server for the tests of ``check URL``: the saved news pages in tests/integration/pages
(real articles inside real page furniture: navigation, ads, related links, footer), and the ways a page
can fail (404, a PDF, a page too big, a server that stalls, redirect loops). Nothing leaves the machine.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

PAGES = Path(__file__).resolve().parent / "integration" / "pages"
SEED_PAGE = "courier-russians-2022-12-28.html"
NPR_PAGE = "hppr-npr-march-record-2021-04-08.html"
CBP_PAGE = "cbp-may-2021-operational-update.html"
#: Every saved page with the date it carries (as <meta property="article:published_time">, as
#: JSON-LD, as a Drupal <time> and dcterms.date) and the golden-corpus id of its article (None: the seed).
DATED = {SEED_PAGE: "2022-12-28", NPR_PAGE: "2021-04-08", CBP_PAGE: "2021-06-09"}
GOLDEN_IDS = {NPR_PAGE: "npr-2021-04-08-march-record", CBP_PAGE: "cbp-2021-06-09-may-2021-operational-update"}
#: Where the server serves the NPR page with no date anywhere (:func:`undated`).
UNDATED = "news/record-numbers-at-the-border.html"
#: How much the /too-big pages send (more than the 5 MB cap, whatever the tests set it to).
BIG = 6 * 1024 * 1024


def undated(html: str) -> str:
    """The page with the dates its furniture carries taken out (meta tags, JSON-LD, <time>, the
    byline, a canonical URL with the date in it); a date in the article's own text stays."""
    html = re.sub(r"<meta [^>]*(?:published_time|modified_time|dcterms\.date)[^>]*>", "", html)
    html = re.sub(r'"date(?:Published|Modified)": "[^"]*",?', "", html)
    html = re.sub(r"<time [^>]*>[^<]*</time>", "", html)
    html = re.sub(r'<link rel="canonical"[^>]*>', "", html)
    html = re.sub(r'<div class="(?:ArticlePage-datePublished|byline)">.*?</div>', "", html)
    return html


class PageServer(ThreadingHTTPServer):
    daemon_threads = True
    #: Set when the test is over: a stalling handler stops waiting and the server can shut down.
    done: threading.Event


class PageHandler(BaseHTTPRequestHandler):
    server: PageServer

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/stall":  # headers, then nothing: the client's time limit must end it
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(b"<html><head><title>slow</title>")
            self.wfile.flush()
            self.server.done.wait(60)
            return
        if path == "/too-big":  # no Content-Length: the cap must stop the stream itself
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"filler " * 1000 + b"</p>\n"
            sent = 0
            try:
                while sent < BIG and not self.server.done.is_set():
                    self.wfile.write(chunk)
                    sent += len(chunk)
            except OSError:  # the client hung up at its cap, as it should
                pass
            return
        if path == "/too-big-announced":
            self._send(200, b"", "text/html", length=BIG)
            return
        if path == "/report.pdf":
            self._send(200, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf")
            return
        if path == "/loop":
            self._redirect("/loop")
            return
        if path.startswith("/go/"):  # a short link: redirects to the page named after it
            self._redirect("/" + path[len("/go/") :])
            return
        if path == "/app.html":  # a page its scripts build in the browser: no article in the HTML
            shell = '<html><head><title>News</title></head><body><div id="root"></div>'
            self._send(200, (shell + '<script src="/app.js"></script></body></html>').encode(), "text/html")
            return
        name = path.lstrip("/")
        if name == UNDATED:  # a URL without the date in it, too
            self._send(200, undated((PAGES / NPR_PAGE).read_text()).encode(), "text/html; charset=utf-8")
            return
        if "/" not in name and name.endswith(".html") and (PAGES / name).is_file():
            self._send(200, (PAGES / name).read_bytes(), "text/html; charset=utf-8")
            return
        self._send(404, b"<html><body><h1>Not found</h1></body></html>", "text/html")

    def _send(self, status: int, body: bytes, kind: str, *, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


@contextmanager
def serve_pages() -> Iterator[str]:
    """A running page server; yields its base URL (``http://127.0.0.1:PORT``)."""
    server = PageServer(("127.0.0.1", 0), PageHandler)
    server.done = threading.Event()
    thread = threading.Thread(target=server.serve_forever, name="page-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.done.set()
        server.shutdown()
        server.server_close()
        thread.join(10)
