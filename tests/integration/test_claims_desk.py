"""``Desk.check`` in-process: the Python twin of ``borderdesk check`` (shape, speed, readings, releases)."""

from __future__ import annotations

import dataclasses
import time

import pytest

from borderdesk import Desk
from borderdesk.claims import ClaimResult
from borderdesk.errors import BorderdeskError
from repo_support import SEED


def test_claim_result_is_frozen_with_the_json_fields(snapshot_desk: Desk) -> None:
    (c,) = snapshot_desk.check("CBP encountered 189,913 migrants at the southwest border.", date="2024-03-12")
    assert isinstance(c, ClaimResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.verdict = "inaccurate"  # type: ignore[misc]
    d = c.to_dict()
    assert list(d) == [
        "span", "text", "number", "qualifier", "kind", "question", "value", "verdict", "reason",
        "alternatives", "release", "sql", "as_published", "figure_span", "cues",
    ]  # fmt: skip
    assert d["question"]["period"]["label"] == "Feb 2024"  # the 5th-19th rule: Feb matched, Jan is the other
    assert {"question": {"period": {"start": "2024-01", "end": "2024-01", "label": "Jan 2024"}}}.items() <= {
        "question": d["alternatives"][0]["question"]
    }.items()
    assert d["sql"].startswith("SELECT")


def test_report_without_a_date_reads_as_of_the_newest_data(snapshot_desk: Desk) -> None:
    report = snapshot_desk.check_report("CBP encountered 11,647 migrants at the southwest border.")
    newest = snapshot_desk.catalog.newest
    assert newest is not None
    assert report.date[:7] > f"{newest.coverage_end:%Y-%m}"  # the month after the newest data
    (c,) = report.claims
    assert c.question is not None and c.question["period"]["end"] == f"{newest.coverage_end:%Y-%m}"


def test_bad_date_is_a_borderdesk_error(snapshot_desk: Desk) -> None:
    with pytest.raises(BorderdeskError, match="YYYY-MM-DD"):
        snapshot_desk.check("CBP encountered 5,000 migrants.", date="28/12/2022")


def test_seed_is_fast_when_warm(snapshot_desk: Desk) -> None:
    if not SEED.is_file():
        pytest.skip(f"no seed article at {SEED}")
    text = SEED.read_text(encoding="utf-8")
    snapshot_desk.check(text, date="2022-12-28")  # warm: regexes compiled, catalog read
    t0 = time.perf_counter()
    results = snapshot_desk.check(text, date="2022-12-28")
    assert time.perf_counter() - t0 < 1.0
    assert [c.number for c in results] == [31600, 5500, 4100]


def test_comparison_sides_come_from_one_release(snapshot_desk: Desk) -> None:
    """Jul 2021 vs Feb 2022: no newer file than fy21-fy24 holds both months, so both sides come from it
    even though Feb 2022 alone would be answered by fy22-fy25."""
    (c,) = snapshot_desk.check(
        "Encounters at the southern border rose 26% in February from July.", date="2022-03-25"
    )
    assert c.release is not None and c.release["label"] == "state-2024-09"
    assert "state-2024-09" in c.reason


def test_usbp_reading_for_a_nationality_pooled_into_other(snapshot_desk: Desk) -> None:
    (c,) = snapshot_desk.check(
        "Border Patrol agents apprehended more than 15,000 Mauritanians at the southern border in "
        "fiscal 2023.",
        date="2023-11-20",
    )
    if "ohss" not in {r.family.split("-")[0] for r in snapshot_desk.release_list()}:
        assert c.verdict == "unverifiable"
        return
    assert c.verdict == "supported" and c.release is not None and c.release["label"].startswith("ohss")
    assert "rounded" in c.reason.lower() and "Border Patrol only" in c.reason


def test_same_question_is_asked_once(snapshot_desk: Desk) -> None:
    text = "CBP encountered 189,913 migrants at the southwest border in February 2024. " * 500
    t0 = time.perf_counter()
    results = snapshot_desk.check(text, date="2024-03-25")
    assert len(results) == 500 and {c.verdict for c in results} == {"supported"}
    assert time.perf_counter() - t0 < 5


def test_thousands_of_claims_are_capped(snapshot_desk: Desk) -> None:
    text = "\n\n".join(
        f"CBP encountered {1000 + i:,} migrants at the southwest border in May 2024." for i in range(1500)
    )
    report = snapshot_desk.check_report(text, date="2024-06-24")
    assert len(report.claims) == 1000 and report.notes
