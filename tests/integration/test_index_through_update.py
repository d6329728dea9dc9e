"""A running ``borderdesk serve`` whose newest release's facts are held as in-memory arrays (the
FactIndex, loaded once a release has answered RENT questions in SQL) answers from the new release once
``borderdesk update`` swaps it in: never from the arrays of the file it replaced (issue 17).

Expected values are summed from the CBP files with the csv module (``csv_truth``); the month CBP revised
between the two releases is found in the files, not written here.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from borderdesk.desk import writing
from borderdesk.query.index import RENT
from repo_support import load_bench

soak = load_bench("soak", "borderdesk_bench_soak")  # the server and folder-server helpers of bench/soak.py

BASE = "nationwide-encounters-fy20-fy23-state.csv"
OLD = "nationwide-encounters-fy21-fy24-oct-state.csv"  # the newest release the server starts with
NEW = "nationwide-encounters-fy21-fy24-nov-state.csv"  # the one `update` finds
REGION = "Southwest Land Border"
GEN = "x-borderdesk-generation"


@dataclass(frozen=True)
class Question:
    citizenship: str  # as the file spells it
    year: int
    month: int

    @property
    def params(self) -> dict[str, str]:
        return {
            "citizenship": self.citizenship,
            "region": "southwest",
            "period": f"{self.year}-{self.month:02d}",
        }


def _questions(cbp_data: Path, csv_truth: Any) -> tuple[Question, list[Question]]:
    """(a question whose answer CBP revised between OLD and NEW, more than 2 x RENT distinct questions
    answered by OLD -- the revised one first), over the last twelve months OLD covers."""
    months = csv_truth.months(cbp_data / OLD)[-12:]
    assert set(months) <= set(csv_truth.months(cbp_data / NEW))
    names = sorted(
        c
        for c in _citizenships(cbp_data / OLD)
        if c.replace(" ", "").isalpha() and csv_truth(cbp_data / OLD, citizenship=c, region=REGION) > 10_000
    )
    candidates = [Question(c, y, m) for c in names for y, m in months]
    revised = next(
        q for q in candidates if _truth(csv_truth, cbp_data / OLD, q) != _truth(csv_truth, cbp_data / NEW, q)
    )
    others = [q for q in candidates if q != revised][: 2 * RENT + 4]
    assert len(others) == 2 * RENT + 4
    return revised, [revised, *others]


def _citizenships(path: Path) -> set[str]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {row["Citizenship"].strip() for row in csv.DictReader(fh)}


def _truth(csv_truth: Any, path: Path, q: Question) -> int:
    return int(csv_truth(path, ym=(q.year, q.month), citizenship=q.citizenship, region=REGION))


@dataclass(frozen=True)
class Answer:
    question: Question
    generation: int
    value: int
    file: str
    sha256: str


def _ask(client: httpx.Client, q: Question) -> Answer:
    r = client.get("/api/count", params=q.params)
    assert r.status_code == 200, r.text[:300]
    body = r.json()
    return Answer(q, int(r.headers[GEN]), body["value"], body["release"]["file"], body["release"]["sha256"])


@pytest.fixture
def served(tmp_path: Path, cbp_data: Path) -> Iterator[tuple[Path, Path, str]]:
    """(home, database, server URL): ``borderdesk serve`` on BASE then OLD, ingested as the CLI does."""
    home, db = tmp_path / "home", tmp_path / "borderdesk.duckdb"
    for name in (BASE, OLD):
        with writing(db, snapshot=False) as d:
            d.ingest(cbp_data / name)
    proc, port = soak.start_server(db, home, tmp_path / "serve.log")
    try:
        yield home, db, f"http://127.0.0.1:{port}"
    finally:
        soak.stop_server(proc)


@pytest.mark.slow
def test_answers_follow_the_swapped_in_release_not_the_old_arrays(
    served: tuple[Path, Path, str], cbp_data: Path, csv_truth: Any, tmp_path: Path
) -> None:
    home, db, base = served
    revised, questions = _questions(cbp_data, csv_truth)
    sha = {name: hashlib.sha256((cbp_data / name).read_bytes()).hexdigest() for name in (OLD, NEW)}
    want = {name: {q: _truth(csv_truth, cbp_data / name, q) for q in questions} for name in (OLD, NEW)}
    assert want[OLD][revised] != want[NEW][revised]

    with httpx.Client(base_url=base, timeout=30, trust_env=False) as client:
        # Twice over: past RENT questions on OLD its arrays are loaded, and answer the rest.
        before = [_ask(client, q) for q in questions + questions]
        old_generation = before[0].generation
        assert {a.generation for a in before} == {old_generation}
        assert [(a.value, a.file, a.sha256) for a in before] == [
            (want[OLD][a.question], OLD, sha[OLD]) for a in before
        ]

        # `borderdesk update` finds NEW in a listing (BASE and OLD are known) while the questions go on.
        site = tmp_path / "site"
        site.mkdir()
        for name in (BASE, OLD, NEW):
            shutil.copyfile(cbp_data / name, site / name)
        during: list[Answer] = []
        with soak.folder_server(site) as url:
            done: list[Any] = []
            writer = threading.Thread(
                target=lambda: done.append(soak.cli(home, "update", "--url", url, "--db", db, timeout=300))
            )
            writer.start()
            while writer.is_alive():
                during += [_ask(client, q) for q in questions[:4]]
            writer.join()
        [result] = done
        assert result.returncode == 0 and "1 new release(s)" in result.stderr, result.stderr

        # The server moves to the new file by itself (it checks the file every half second).
        deadline = time.monotonic() + 30
        while _ask(client, revised).generation == old_generation and time.monotonic() < deadline:
            time.sleep(0.1)
        after = [_ask(client, q) for q in questions + questions]

    new_generation = after[0].generation
    assert new_generation != old_generation
    assert {a.generation for a in after} == {new_generation}
    # every answer after the swap is NEW's, the revised month included, before and after NEW's arrays load
    assert [(a.value, a.file, a.sha256) for a in after] == [
        (want[NEW][a.question], NEW, sha[NEW]) for a in after
    ]
    # and while the update ran, each answer was the whole of the generation it names
    by_generation = {old_generation: OLD, new_generation: NEW}
    assert {a.generation for a in during} <= set(by_generation)
    wrong = [
        a
        for a in during
        if (a.value, a.file) != (want[by_generation[a.generation]][a.question], by_generation[a.generation])
    ]
    assert wrong == []
