"""HTTP behaviour: security headers everywhere, ETag/304 keyed on the data and the request, caching
policy per kind of answer, compression, offline docs (no CDN anywhere)."""

from __future__ import annotations

import re

import pytest

from borderdesk.http.middleware import CSP
from borderdesk.web.render import STATIC

COUNT = "/api/count?citizenship=russia&region=southwest&period=2022-11"
PAGES = [
    "/",
    "/citizenships",
    "/nationality",
    "/nationality?citizenship=russia",
    "/releases",
    "/check",
    "/docs",
]
CDNS = ("cdn.jsdelivr", "unpkg", "cdnjs", "googleapis", "cloudflare", "fastly", "swagger.io")


@pytest.mark.parametrize("url", [COUNT, "/api/count?period=FY20X4", "/openapi.json", *PAGES, "/nothing"])
def test_security_headers_on_every_answer(client, url: str) -> None:
    r = client.get(url)
    h = r.headers
    assert h["content-security-policy"] == CSP
    assert h["x-content-type-options"] == "nosniff"
    assert h["x-frame-options"] == "DENY"
    assert h["referrer-policy"] == "same-origin"


def test_csp_is_strict() -> None:
    parts = dict(p.strip().split(" ", 1) for p in CSP.split(";"))
    assert parts["script-src"] == "'self'"
    assert parts["style-src"] == "'self'"
    assert parts["object-src"] == "'none'"
    assert parts["frame-ancestors"] == "'none'"
    assert parts["default-src"] == "'none'"
    assert "unsafe" not in CSP


def test_etag_and_304(client) -> None:
    first = client.get(COUNT)
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=300"
    again = client.get(COUNT, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag
    assert client.get(COUNT, headers={"If-None-Match": 'W/"other", ' + tag}).status_code == 304
    assert client.get(COUNT, headers={"If-None-Match": 'W/"other"'}).status_code == 200


def test_etag_depends_on_the_request_and_the_data(client, app) -> None:
    a = client.get(COUNT).headers["etag"]
    b = client.get(COUNT.replace("2022-11", "2022-10")).headers["etag"]
    assert a != b
    caching = _caching(app)
    newest = app.state.desk.newest_release()
    assert newest is not None
    from borderdesk.serve import data_version

    # the app follows its file: the version is the one of the state pinned for the request
    scope = {"path": "/api/count", "query_string": b"x", "state": {"borderdesk": app.state.live.current()}}
    assert app.state.live.current().version == data_version(app.state.desk)
    assert caching.etag(scope) != caching.__class__(None, "other data").etag(scope)


def _caching(app):  # type: ignore[no-untyped-def]
    from borderdesk.http.middleware import Caching

    stack = app.middleware_stack or app.build_middleware_stack()
    while stack is not None and not isinstance(stack, Caching):
        stack = getattr(stack, "app", None)
    assert stack is not None
    return stack


def test_pages_revalidate_errors_are_not_stored(client) -> None:
    page = client.get("/")
    assert page.headers["cache-control"] == "no-cache"
    assert page.headers["etag"]
    assert client.get("/", headers={"If-None-Match": page.headers["etag"]}).status_code == 304
    bad = client.get("/?citizenship=Rusia")
    assert bad.status_code == 400
    assert bad.headers["cache-control"] == "no-store"
    assert "etag" not in bad.headers
    post = client.post("/api/check", json={"text": ""})
    assert post.headers["cache-control"] == "no-store"


def test_static_files_are_cached_and_versioned(client) -> None:
    page = client.get("/").text
    css = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]+)"', page)
    assert css is not None
    r = client.get(css.group(1))
    assert r.status_code == 200
    assert "immutable" in r.headers["cache-control"]
    assert r.headers["content-type"].startswith("text/css")
    plain = client.get("/static/css/site.css")
    assert plain.headers["cache-control"] == "public, max-age=3600"


def test_gzip(client) -> None:
    r = client.get("/static/vendor/vega/vega.min.js", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    assert r.headers["content-encoding"] == "gzip"


def test_vendored_scripts_and_their_licences() -> None:
    vendor = STATIC / "vendor"
    for name, script in [
        ("vega", "vega.min.js"),
        ("vega-lite", "vega-lite.min.js"),
        ("vega-embed", "vega-embed.min.js"),
        ("vega-interpreter", "vega-interpreter.js"),
        ("swagger-ui", "swagger-ui-bundle.js"),
    ]:
        assert (vendor / name / script).stat().st_size > 1000
        assert (vendor / name / "LICENSE").is_file()
    readme = (vendor / "README.md").read_text(encoding="utf-8")
    for version in ("6.4.0", "6.4.3", "7.3.0", "2.3.2", "5.35.0"):
        assert version in readme


@pytest.mark.parametrize("url", PAGES)
def test_no_cdn_and_no_inline_script_or_style(client, url: str) -> None:
    html = client.get(url).text
    assert not any(cdn in html for cdn in CDNS)
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html)  # no inline event handlers


def test_docs_work_offline(client) -> None:
    html = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "/static/js/docs.js" in html
    assert client.get("/redoc").status_code == 404
    js = client.get("/static/js/docs.js").text
    assert "validatorUrl: null" in js and "/openapi.json" in js


def test_dashboard_references_vendored_vega_embed(client) -> None:
    html = client.get("/?citizenship=russia&region=southwest").text
    refs = re.findall(r'src="(/static/vendor/vega-embed/[^"]+)"', html)
    assert refs
    assert len(client.get(refs[0]).content) > 1000
