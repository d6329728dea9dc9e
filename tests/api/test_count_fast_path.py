"""``GET /api/count`` answered without the framework (:mod:`borderdesk.api.fast_path`) gives exactly the
response FastAPI's route gives: same status, same headers, same bytes, for ordinary questions and for
every kind of request the fast path must hand over (unknown parameters, errors, over-long values)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_support import TestClient

from borderdesk.api.fast_path import CountFastPath, plain_question
from borderdesk.serve import create_app

ORDINARY = [
    "citizenship=russia&region=southwest&period=2022-11",
    "citizenship=RUSSIA&region=southern+border&period=FY2021",
    "citizenship=russia&citizenship=ukraine&period=2023-01",  # a sum over two values
    "citizenship=russia,ukraine&period=2023-01",
    "region=southwest&period=2019-10..2025-09",  # many vintages: a body over gzip's 1,400 bytes
    "region=nationwide&period=FY2024&component=usbp",
    "citizenship=mexico&period=2022-11&as_of=state-2023-09",  # as published in an older release
    "citizenship=mexico&period=2022-11&as_of=",  # an empty field is "not set"
    "period=2022-11&period=2023-11",  # a repeated single value: the last one counts, as in FastAPI
    "citizenship=Venezuela&demographic=fmua&period=2024-01",
    "title=title+42&period=2021-03",
    "",  # every month the data holds
]
HANDED_OVER = [
    "citizen=russia&period=2022-11",  # unknown parameter
    "citizenship=atlantis&period=2022-11",  # unknown value: did-you-mean
    "citizenship=germany&period=2022-11",  # pooled into OTHER
    "period=2030-01",  # outside the data
    "period=" + "9" * 201,  # over the length limit
    "citizenship=russia&period=2022-11&compare=true",  # the route's own parameter
    "citizenship=%FF%FE&period=2022-11",  # not UTF-8
    "region=southwest&period=2023-06&title=title+42",  # after Title 42 ended: a refusal
]


@pytest.fixture(scope="module")
def framework_only(api_db: Path) -> Iterator[TestClient]:
    app = create_app(api_db, fast_path=False)
    yield TestClient(app, raise_server_exceptions=False)
    app.state.desk.close()


class Spy:
    """Stands between the fast path and the framework: which requests it handed over."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seen: list[bytes] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.seen.append(scope.get("query_string", b""))
        await self.app(scope, receive, send)


@pytest.fixture(scope="module")
def spy(client: TestClient) -> Spy:
    client.get("/api/count?period=2022-11")  # builds the middleware stack
    layer: Any = client.app.middleware_stack  # type: ignore[attr-defined]
    while not isinstance(layer, CountFastPath):
        layer = layer.app
    if not isinstance(layer.app, Spy):
        layer.app = Spy(layer.app)
    return layer.app


def _same(fast: Any, slow: Any) -> None:
    assert fast.status_code == slow.status_code, fast.text
    assert fast.content == slow.content
    assert sorted(fast.headers.multi_items()) == sorted(slow.headers.multi_items())


@pytest.mark.parametrize("query", ORDINARY)
@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_ordinary_question_is_answered_by_the_fast_path_as_the_route_answers_it(
    client: TestClient, framework_only: TestClient, spy: Spy, query: str, encoding: str
) -> None:
    headers = {"accept-encoding": encoding}
    spy.seen.clear()
    fast = client.get(f"/api/count?{query}", headers=headers)
    assert spy.seen == [], "the framework answered a question the fast path should have"
    _same(fast, framework_only.get(f"/api/count?{query}", headers=headers))
    assert fast.status_code == 200


def test_a_revalidation_is_a_304_with_the_same_etag(client: TestClient, framework_only: TestClient) -> None:
    first = client.get("/api/count?citizenship=russia&period=2022-11")
    again = client.get(
        "/api/count?citizenship=russia&period=2022-11", headers={"if-none-match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert (
        first.headers["etag"]
        == framework_only.get("/api/count?citizenship=russia&period=2022-11").headers["etag"]
    )


@pytest.mark.parametrize("query", HANDED_OVER)
def test_anything_else_goes_to_the_framework_unchanged(
    client: TestClient, framework_only: TestClient, spy: Spy, query: str
) -> None:
    spy.seen.clear()
    fast = client.get(f"/api/count?{query}")
    assert len(spy.seen) == 1
    _same(fast, framework_only.get(f"/api/count?{query}"))
    assert fast.status_code >= 400 or "compare" in query


def test_the_fast_path_reads_parameters_as_the_routes_dependencies_do() -> None:
    assert plain_question(b"citizenship=russia&citizenship=ukraine&period=+FY2023+&as_of=") == {
        "period": "FY2023",
        "as_of": None,
        "citizenship": ["russia", "ukraine"],
    }
    assert plain_question(b"citizenship=russia") == {"period": None, "as_of": None, "citizenship": "russia"}
    assert plain_question(b"period=a&period=b") == {"period": "b", "as_of": None}
    assert plain_question(b"citizen=russia") is None
    assert plain_question(b"compare=1") is None
    assert plain_question(b"period=" + b"x" * 201) is None
    assert plain_question(b"citizenship=x&" * 51) is None
