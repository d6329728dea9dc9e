"""bench/peers.py's pure helpers: the questions it asks every peer, their expected values, the requests
each server gets and how a body's number is read. (The benchmark itself, which makes a virtualenv and
runs servers, is not run by the tests: no timings and no downloads here.)"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from borderdesk import Desk
from repo_support import load_bench

peer_questions = load_bench("peer_questions")
NEWEST = "nationwide-encounters-fy23-fy26-nov-state.csv"


@pytest.fixture(scope="module")
def totals(cbp_data: Path) -> dict[tuple[str, str, int, str], int]:
    return dict(peer_questions.read_release(cbp_data / NEWEST))


def test_fiscal_months_are_written_as_calendar_months() -> None:
    cm = peer_questions.calendar_month
    assert [cm(2024, "OCT"), cm(2024, "DEC"), cm(2024, "JAN"), cm(2025, "SEP")] == [
        "2023-10",
        "2023-12",
        "2024-01",
        "2025-09",
    ]


def test_the_release_summed_by_question_equals_the_files_own_sums(totals, cbp_data, csv_truth) -> None:
    assert sum(totals.values()) == csv_truth(cbp_data / NEWEST)
    key = ("MEXICO", "Southwest Land Border", 2024, "MAR")
    assert totals[key] == csv_truth(
        cbp_data / NEWEST, citizenship="MEXICO", region="Southwest Land Border", fy=2024, month="MAR"
    )


def test_fifty_different_questions_with_a_few_answered_zero(totals) -> None:
    questions = peer_questions.pick_questions(totals, 50, seed=17)
    assert len(set(questions)) == 50
    assert questions == peer_questions.pick_questions(totals, 50, seed=17)  # the seed fixes them
    assert questions != peer_questions.pick_questions(totals, 50, seed=18)
    citizenships = {key[0] for key in totals}
    assert {q.citizenship for q in questions} <= citizenships
    assert {q.fiscal_year for q in questions} <= {2024, 2025}
    answers = peer_questions.expected(totals, questions)
    assert answers.count(0) == 3
    assert all(a > 0 for a, q in zip(answers, questions, strict=True) if totals.get(q.key, 0))


def test_borderdesk_gives_the_expected_values(totals, snapshot_desk: Desk) -> None:
    questions = peer_questions.pick_questions(totals, 50, seed=17)
    for q, want in zip(questions, peer_questions.expected(totals, questions), strict=True):
        answer = snapshot_desk.count(citizenship=q.citizenship, region="southwest", period=q.period)
        assert (answer.value, answer.release.file) == (want, NEWEST), q


def test_each_server_is_asked_the_same_question(totals) -> None:
    q = peer_questions.Question("CHINA, PEOPLES REPUBLIC OF", 2024, "NOV")
    bd = parse_qs(urlsplit(peer_questions.borderdesk_path(q)).query)
    assert bd == {"citizenship": [q.citizenship], "region": ["southwest"], "period": ["2023-11"]}
    ds = urlsplit(peer_questions.datasette_path("peers", q))
    assert ds.path == "/peers.json"
    params = parse_qs(ds.query)
    assert params["sql"] == [peer_questions.DATASETTE_SQL] and params["_shape"] == ["array"]
    assert (params["c"], params["r"], params["fy"], params["m"]) == (
        [q.citizenship],
        ["Southwest Land Border"],
        ["2024"],
        ["NOV"],
    )
    fa = parse_qs(urlsplit(peer_questions.fastapi_path(q)).query)
    assert fa == {
        "citizenship": [q.citizenship],
        "region": ["Southwest Land Border"],
        "fy": ["2024"],
        "month": ["NOV"],
    }


def test_the_number_is_read_from_each_body_shape() -> None:
    parse = peer_questions.parse_value
    assert parse("value", json.dumps({"value": 5507, "release": {}}).encode()) == 5507
    assert parse("array", b'[{"n": 0}]') == 0
    for shape, body in [
        ("value", b'{"value": true}'),
        ("value", b'{"detail": "not found"}'),
        ("value", b"[]"),
        ("array", b"[]"),
        ("array", b'[{"n": "12"}]'),
    ]:
        with pytest.raises(ValueError):
            parse(shape, body)
    with pytest.raises(ValueError):
        parse("value", b"<html>")


def test_percentile_is_the_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert peer_questions.percentile(values, 0.5) == 51.0
    assert peer_questions.percentile(values, 0.95) == 95.0
    assert peer_questions.percentile([3.0], 0.95) == 3.0
