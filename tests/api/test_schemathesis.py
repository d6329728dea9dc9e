"""Property-based run over the OpenAPI schema (schemathesis, in-process ASGI): for every operation a
bounded number of generated requests, valid and invalid, and never a 5xx; answers match the documented
status codes, content types and response schemas.

(The schemathesis pytest plugin's ``from_fixture`` does not work with this pytest, so each operation
runs its own hypothesis test here.)
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from api_support import has_analysis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi import checks

MAX_EXAMPLES = int(os.environ.get("BORDERDESK_SCHEMATHESIS_EXAMPLES", "25"))  # bounded: CI time
OPERATIONS = [
    "GET /api/count",
    "GET /api/table",
    "GET /api/series",
    "POST /api/check",
    "GET /api/releases",
    "GET /api/dimensions",
    "GET /api/status",
    *[f"GET /api/{name}" for name in ("surges", "revisions", "events") if has_analysis(name)],
]
CHECKS = [
    schemathesis.checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture(scope="session")
def operations(app):  # type: ignore[no-untyped-def]
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    return {op.label: op for op in (r.ok() for r in schema.get_all_operations())}


def test_every_operation_is_exercised(operations) -> None:  # type: ignore[no-untyped-def]
    assert set(operations) == set(OPERATIONS)


@pytest.mark.parametrize("label", OPERATIONS)
def test_operation_never_fails(operations, label: str) -> None:  # type: ignore[no-untyped-def]
    operation = operations[label]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )
    def run(case) -> None:  # type: ignore[no-untyped-def]
        case.call_and_validate(checks=CHECKS)

    run()
