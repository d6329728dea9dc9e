"""Revisions between vintages: SW Oct 2023 as each monthly release gave it, computed here from the CSV
files themselves, against what borderdesk reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from borderdesk import Desk
from borderdesk.errors import BorderdeskError

# The releases that hold Oct 2023, in publication order (the fy20-fy23 file ends Sep 2023).
OCT_2023_RELEASES = (
    "nationwide-encounters-fy21-fy24-oct-state.csv",
    "nationwide-encounters-fy21-fy24-nov-state.csv",
    "nationwide-encounters-fy21-fy24-dec-state.csv",
    "nationwide-encounters-fy21-fy24-jan-state.csv",
    "nationwide-encounters-fy21-fy24-feb-state.csv",
    "nationwide-encounters-fy21-fy24-mar-state.csv",
    "nationwide-encounters-fy21-fy24-apr-state.csv",
    "nationwide-encounters-fy21-fy24-may-state.csv",
    "nationwide-encounters-fy21-fy24-state.csv",
    "nationwide-encounters-fy22-fy25-state.csv",
    "nationwide-encounters-fy23-fy26-nov-state.csv",
)
SW = "Southwest Land Border"


@pytest.fixture(scope="module")
def sw_oct_2023(cbp_data: Path, csv_truth) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {f: csv_truth(cbp_data / f, ym=(2023, 10), region=SW) for f in OCT_2023_RELEASES}


def test_the_csv_files_themselves_show_the_revisions(sw_oct_2023: dict[str, int]) -> None:
    values = list(sw_oct_2023.values())
    assert values[:3] == [240_988, 240_986, 240_981]
    assert sw_oct_2023["nationwide-encounters-fy21-fy24-state.csv"] == 240_927


def test_month_history_matches_every_file(ingested_desk: Desk, labels, sw_oct_2023) -> None:  # type: ignore[no-untyped-def]
    df = ingested_desk.revisions(month="2023-10", region="southwest")
    got = dict(zip(df["file"], df["value"], strict=True))
    assert got == sw_oct_2023
    assert list(df["file"])[:9] == list(OCT_2023_RELEASES[:9])  # oldest vintage first
    first = df.iloc[0]
    assert first["change"] is None or first["change"] != first["change"]  # nothing before the first
    assert df.iloc[1]["change"] == sw_oct_2023[OCT_2023_RELEASES[1]] - sw_oct_2023[OCT_2023_RELEASES[0]]


def test_compare_two_vintages(ingested_desk: Desk, labels, sw_oct_2023) -> None:  # type: ignore[no-untyped-def]
    old, new = labels[OCT_2023_RELEASES[0]], labels["nationwide-encounters-fy21-fy24-state.csv"]
    df = ingested_desk.revisions(from_release=old, to_release=new, region="southwest")
    row = df[df["month"] == "2023-10"].iloc[0]
    assert (row["from_value"], row["to_value"], row["change"]) == (240_988, 240_927, -61)
    assert row["percent"] == pytest.approx(-61 / 240_988 * 100, abs=1e-3)
    assert df["month"].iloc[0] == "2020-10"  # every month both releases hold
    # completed fiscal years were never revised (PROVENANCE.md): only FY2024 months change
    assert set(df[df["change"] != 0]["month"]) <= {"2023-10"}


def test_compare_by_file_name_and_sha256_prefix(ingested_desk: Desk) -> None:
    df = ingested_desk.revisions(
        from_release="nationwide-encounters-fy21-fy24-oct-state.csv",
        to_release="585f684dccff",
        region="southwest",
        period="2023-10",
        changed_only=True,
    )
    assert df.to_dict("records") == [
        {
            "month": "2023-10",
            "from_value": 240_988,
            "to_value": 240_927,
            "change": -61,
            "percent": round(-61 / 240_988 * 100, 3),
        }
    ]


def test_default_pair_is_the_newest_two_vintages(ingested_desk: Desk) -> None:
    t = ingested_desk.revisions_result(region="southwest")
    assert [r.label for r in t.releases] == ["state-2025-09", "state-2025-11"]


def test_different_families_are_refused(ingested_desk: Desk, labels) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BorderdeskError, match="family"):
        ingested_desk.revisions(
            from_release=labels["sbo-encounters-fy22-fy25-aug.csv"], to_release="state-2025-11"
        )


def test_cli_revisions_json(cli_db, borderdesk_cli) -> None:  # type: ignore[no-untyped-def]
    proc = borderdesk_cli(
        cli_db,
        "revisions",
        "--from",
        "state-2023-10",
        "--to",
        "nationwide-encounters-fy21-fy24-state.csv",
        "--region",
        "southwest",
        "--format",
        "json",
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["columns"] == ["month", "from_value", "to_value", "change", "percent"]
    assert doc["rows"][-1][:4] == ["2023-10", 240_988, 240_927, -61] or any(
        r[:4] == ["2023-10", 240_988, 240_927, -61] for r in doc["rows"]
    )
    assert doc["release"]["file"] == "nationwide-encounters-fy21-fy24-state.csv"


def test_cli_month_history_table(cli_db, borderdesk_cli) -> None:  # type: ignore[no-untyped-def]
    proc = borderdesk_cli(cli_db, "revisions", "--month", "2023-10", "--region", "southwest")
    assert proc.returncode == 0, proc.stderr
    assert "240,988" in proc.stdout and "240,927" in proc.stdout
