"""The error type archive-report names for each label the claim checker gives a confused reading
(borderdesk.claims.confusions), worked out by the report's own SQL on rows shaped like check-archive's."""

from __future__ import annotations

import json

import duckdb
import pytest

from borderdesk.archive.report_queries import (
    NO_KNOWN_CONFUSION,
    REVISED,
    error_type_sql,
    matching_confusion_sql,
)
from borderdesk.claims.confusions import COMPONENT_WORDS
from borderdesk.claims.resolve import REGION_LABELS


def error_type(alternatives: list[dict[str, object]], verdict: str = "inaccurate") -> str:
    sql = (
        f"WITH claims AS (SELECT ? AS verdict, ? AS alternatives), "
        f"typed AS (SELECT verdict, {matching_confusion_sql()} AS confusion FROM claims) "
        f"SELECT {error_type_sql()} FROM typed"
    )
    with duckdb.connect() as con:  # its own connection: nothing left open on the shared default one
        row = con.execute(sql, [verdict, json.dumps(alternatives)]).fetchone()
    assert row is not None
    return str(row[0])


def alt(confusion: str, matches: bool = True) -> dict[str, object]:
    return {"question": {}, "value": 1, "matches": matches, "release": "r", "confusion": confusion}


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        (REGION_LABELS["nationwide"], "nationwide figure called southern border"),
        (REGION_LABELS["southwest"], "southern-border figure called nationwide"),
        (COMPONENT_WORDS[None], "all-CBP figure called Border Patrol (or ports)"),
        (COMPONENT_WORDS["usbp"], "Border Patrol figure called all of CBP"),
        (COMPONENT_WORDS["ofo"], "ports-of-entry figure called all of CBP"),
        ("October 2022 (the month before)", "wrong month"),
        ("December 2022 (the month after)", "wrong month"),
        ("calendar year 2023", "calendar year called fiscal year"),
        ("fiscal year 2023", "fiscal year called calendar year"),
        ("from the start of FY2023", "fiscal year to date called a shorter period"),
        ("FY2022", "wrong year (the fiscal year before)"),
        ("the figure as first published (release state-2023-09)", REVISED),
    ],
)
def test_each_confusion_label_names_its_error(label: str, expected: str) -> None:
    assert error_type([alt(label)]) == expected


def test_the_first_matching_reading_names_the_error() -> None:
    alternatives = [
        {"question": {"period": {}}, "value": 5, "matches": False, "release": "r"},  # another reading
        alt("nationwide", matches=False),
        alt("U.S. Border Patrol"),
        alt("FY2022"),
    ]
    assert error_type(alternatives) == "Border Patrol figure called all of CBP"


def test_no_matching_reading_and_revised_supported_claims() -> None:
    assert error_type([alt("nationwide", matches=False)]) == NO_KNOWN_CONFUSION
    assert error_type([]) == NO_KNOWN_CONFUSION
    assert error_type([], verdict="supported") == REVISED  # right as first published, revised since
