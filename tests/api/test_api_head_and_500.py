"""HEAD works wherever GET does, and an unexpected error's 500 carries the same security headers as
every other answer (issue 15, finding 7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_support import TestClient

from borderdesk.http.middleware import SECURITY_HEADERS
from borderdesk.serve import create_app


@pytest.mark.parametrize(
    "url",
    ["/api/count?citizenship=russia&region=southwest&period=2022-11", "/", "/citizenships", "/api/releases"],
)
def test_head_answers_as_get_without_a_body(client: TestClient, url: str) -> None:
    got, head = client.get(url), client.head(url)
    assert got.status_code == 200 and head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    for name, value in SECURITY_HEADERS:
        assert head.headers[name.decode()] == value.decode()


def test_an_unexpected_error_is_a_500_with_the_security_headers(api_db: Path) -> None:
    app = create_app(api_db)

    def boom() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/api/boom", boom)
    try:
        r = TestClient(app, raise_server_exceptions=False).get("/api/boom")
        assert r.status_code == 500
        assert "a bug" not in r.text  # no internals in the answer
        for name, value in SECURITY_HEADERS:
            assert r.headers[name.decode()] == value.decode()
    finally:
        app.state.desk.close()
