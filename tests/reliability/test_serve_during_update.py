"""``borderdesk serve`` keeps answering, and answers from one whole release set, while ``ingest`` and
``update`` swap new releases into the database it serves (see borderdesk.http.live, store.writer).

How the expected answers are found: one clean database per state of the served file is built first,
by the same steps (``borderdesk.desk.writing`` + ``ingest``, which is what the CLI runs), and asked every
question in-process; its answers are kept under its generation, the number the server sends in
``X-Borderdesk-Generation``. An answer from the live server must equal the clean answer of the generation
it names: an answer mixing two files, or naming a generation it did not come from, would differ, because
every question's answer names the releases (sha256) it used and the newest of them changes at each step.
Russia, southwest border, November 2022 is also checked against the release file itself (``csv_truth``).
bench/soak.py is the long version of the first test.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

import borderdesk
from borderdesk import Desk
from borderdesk.desk import writing
from borderdesk.serve import create_app
from repo_support import load_bench

with warnings.catch_warnings():  # starlette nags about the httpx version; the client works the same
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]


# bench/soak.py, the long version of the first test: its process helpers and its answer signature serve here
soak = load_bench("soak", "borderdesk_bench_soak")

BASE = "nationwide-encounters-fy20-fy23-state.csv"
OCT = "nationwide-encounters-fy21-fy24-oct-state.csv"
NOV = "nationwide-encounters-fy21-fy24-nov-state.csv"
NEWEST = "nationwide-encounters-fy23-fy26-nov-state.csv"
#: What the served database goes through after BASE: (how, file).
STEPS = (("ingest", OCT), ("update", NOV), ("ingest", NEWEST))

RUSSIA = "/api/count?citizenship=russia&region=southwest&period=2022-11"
SINCE = "/api/count?region=southwest&period=since%202023-01"
QUESTIONS = (
    RUSSIA,
    SINCE,
    "/api/count?citizenship=venezuela&region=southwest&period=since%202022-10&compare=true",
    "/api/table?by=region&period=since%202023-01",
    "/api/series?citizenship=russia&region=southwest",
    "/?citizenship=russia&region=southwest&period=since%202023-01",
)
GEN = "x-borderdesk-generation"
HOLD = 1.5  # seconds of load on each state once every client has seen it


@dataclass
class State:
    path: Path
    generation: int
    newest: str
    answers: dict[str, str]
    values: dict[str, Any]


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory, cbp_data: Path) -> dict[int, State]:
    """Generation -> the clean state: BASE, then each of STEPS, each in its own closed database file."""
    folder = tmp_path_factory.mktemp("states")
    build = folder / "build.duckdb"
    out: dict[int, State] = {}
    for k, name in enumerate([BASE, *(f for _, f in STEPS)]):
        with writing(build, snapshot=False) as d:
            d.ingest(cbp_data / name)
        path = folder / f"state-{k}.duckdb"
        shutil.copyfile(build, path)
        desk = borderdesk.open(path, read_only=True)
        try:
            client = TestClient(create_app(path, desk=desk), raise_server_exceptions=False)
            answers, values = {}, {}
            for q in QUESTIONS:
                r = client.get(q)
                assert r.status_code == 200, (name, q, r.text[:300])
                answers[q] = soak.signature(r.headers["content-type"], r.content)
                if q.startswith("/api/count"):
                    values[q] = r.json()["value"]
            newest = desk.newest_release()
            assert desk.generation is not None and newest is not None
            out[desk.generation] = State(path, desk.generation, newest.label, answers, values)
        finally:
            desk.close()
    assert sorted(out) == list(range(min(out), min(out) + len(STEPS) + 1)), "one generation per step"
    return out


def first(states: dict[int, State]) -> State:
    return states[min(states)]


# -- a real server, real writers --------------------------------------------------------------------


def run(home: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return soak.cli(home, *args, timeout=120)


@contextlib.contextmanager
def serve(db: Path, home: Path, log: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    proc, port = soak.start_server(db, home, log)
    try:
        yield proc, f"http://127.0.0.1:{port}"
    finally:
        soak.stop_server(proc)


@dataclass
class Seen:
    client: int
    question: str
    status: int | None
    generation: int | None
    problem: str | None


@dataclass
class Load:
    """Client threads asking QUESTIONS back to back, each answer checked against its generation."""

    base: str
    states: dict[int, State]
    stop: threading.Event = field(default_factory=threading.Event)
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def client(self, k: int) -> None:
        i, last = k, -1
        with httpx.Client(base_url=self.base, timeout=30, trust_env=False) as c:
            while not self.stop.is_set():
                q = QUESTIONS[i % len(QUESTIONS)]
                i += 1
                try:
                    r = c.get(q)
                except httpx.HTTPError as e:
                    rec = Seen(k, q, None, None, f"{type(e).__name__}: {e}")
                else:
                    rec = Seen(k, q, r.status_code, None, None)
                    raw = r.headers.get(GEN, "")
                    if r.status_code != 200:
                        rec.problem = f"status {r.status_code}: {r.text[:200]}"
                    elif not raw.isdigit() or int(raw) not in self.states:
                        rec.problem = f"generation header {raw!r} is no state of the file"
                    else:
                        rec.generation = int(raw)
                        want = self.states[rec.generation].answers[q]
                        if soak.signature(r.headers.get("content-type", ""), r.content) != want:
                            rec.problem = f"not generation {raw}'s answer: {r.text[:300]}"
                        elif rec.generation < last:
                            rec.problem = f"generation went back from {last} to {raw}"
                        last = max(last, rec.generation)
                with self.lock:
                    self.seen.append(rec)

    def wait_for(self, generation: int, timeout: float = 15) -> None:
        """Until every client has had an answer from ``generation``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                got = {s.client for s in self.seen if s.generation == generation}
            if len(got) == 4:
                return
            time.sleep(0.05)
        raise AssertionError(f"clients did not all see generation {generation} within {timeout} s")


@pytest.mark.slow
def test_serve_answers_from_one_release_set_while_releases_are_swapped_in(
    states: dict[int, State], cbp_data: Path, tmp_path: Path, csv_truth: Any
) -> None:
    home, db, site = tmp_path / "home", tmp_path / "borderdesk.duckdb", tmp_path / "site"
    shutil.copyfile(first(states).path, db)  # BASE alone, as `ingest --no-snapshot BASE` leaves it
    site.mkdir()
    for name in (BASE, OCT, NOV):  # the listing: only NOV is new when `update` runs
        shutil.copyfile(cbp_data / name, site / name)
    gens = sorted(states)

    with serve(db, home, tmp_path / "serve.log") as (proc, base), soak.folder_server(site) as url:
        load = Load(base, states)
        threads = [threading.Thread(target=load.client, args=(k,), daemon=True) for k in range(4)]
        for t in threads:
            t.start()
        try:
            load.wait_for(gens[0])
            time.sleep(HOLD)
            for (how, name), gen in zip(STEPS, gens[1:], strict=True):
                if how == "ingest":
                    result = run(home, "ingest", "--db", db, cbp_data / name)
                else:
                    result = run(home, "update", "--url", url, "--db", db)
                    assert "1 new release(s)" in result.stderr, result.stderr
                assert result.returncode == 0, result.stderr
                assert name in result.stdout and "ingested" in result.stdout, result.stdout
                load.wait_for(gen)
                time.sleep(HOLD)  # some load on this state before the next swap

                # The CLI reads the database the server has open, meanwhile.
                cli = run(
                    home,
                    "count",
                    "-c",
                    "russia",
                    "-r",
                    "southwest",
                    "-p",
                    "2022-11",
                    "--db",
                    db,
                    "-f",
                    "json",
                )
                assert cli.returncode == 0, cli.stderr
                assert json.loads(cli.stdout)["value"] == states[gen].values[RUSSIA]
        finally:
            load.stop.set()
            for t in threads:
                t.join(timeout=30)

        # Switched to the newest release, by itself: same process, newest generation, newest label.
        assert proc.poll() is None
        with httpx.Client(base_url=base, trust_env=False) as c:
            r = c.get(RUSSIA)
        newest = states[gens[-1]]
        assert r.status_code == 200 and int(r.headers[GEN]) == gens[-1]
        assert r.json()["release"]["label"] == newest.newest
        assert r.json()["release"]["file"] == NEWEST
        truth = csv_truth(
            cbp_data / NEWEST, ym=(2022, 11), citizenship="RUSSIA", region="Southwest Land Border"
        )
        assert r.json()["value"] == truth == 5507

    failed = [s for s in load.seen if s.status != 200]
    wrong = [s for s in load.seen if s.problem and s.status == 200]
    assert not failed, failed[:5]
    assert not wrong, wrong[:5]
    assert {s.generation for s in load.seen} == set(gens)
    assert len(load.seen) > 100


# -- in-process: ETag, generation, a request in flight across the swap --------------------------------


def test_a_swap_changes_etag_and_generation_and_lets_requests_in_flight_finish(
    states: dict[int, State], cbp_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "borderdesk.duckdb"
    shutil.copyfile(first(states).path, db)
    app = create_app(db, watch_interval=0)
    client = TestClient(app, raise_server_exceptions=False)
    before, after = first(states), states[first(states).generation + 1]
    try:
        r1 = client.get(SINCE)
        assert r1.status_code == 200 and int(r1.headers[GEN]) == before.generation
        etag1 = r1.headers["etag"]
        assert client.get(SINCE, headers={"If-None-Match": etag1}).status_code == 304

        # A request that is inside its handler when the file is swapped: it holds the old state.
        old = app.state.live.state
        inside, go = threading.Event(), threading.Event()
        count = Desk.count

        def held_count(self: Desk, **kw: Any) -> Any:
            if self is old.desk and not inside.is_set():
                inside.set()
                assert go.wait(20)
            return count(self, **kw)

        monkeypatch.setattr(Desk, "count", held_count)
        in_flight: list[Any] = []
        t = threading.Thread(target=lambda: in_flight.append(client.get(RUSSIA)))
        t.start()
        assert inside.wait(20)

        with writing(db, snapshot=False) as d:  # what `borderdesk ingest` does
            d.ingest(cbp_data / OCT)

        r2 = client.get(SINCE)
        assert r2.status_code == 200
        assert int(r2.headers[GEN]) == before.generation + 1 == after.generation
        assert r2.headers["etag"] != etag1
        assert r2.json()["value"] == after.values[SINCE] != before.values[SINCE]
        assert r2.json()["release"]["label"] == after.newest
        stale = client.get(SINCE, headers={"If-None-Match": etag1})  # the old ETag no longer matches
        assert stale.status_code == 200 and stale.headers["etag"] == r2.headers["etag"]
        fresh = client.get(SINCE, headers={"If-None-Match": r2.headers["etag"]})
        assert fresh.status_code == 304 and int(fresh.headers[GEN]) == after.generation

        go.set()
        t.join(timeout=20)
        [done] = in_flight
        assert done.status_code == 200 and int(done.headers[GEN]) == before.generation
        assert soak.signature(done.headers["content-type"], done.content) == before.answers[RUSSIA]

        # The old state's desk (and a new cursor on it, from another thread) still answers, unchanged.
        assert old.desk.count(region="southwest", period="since 2023-01").value == before.values[SINCE]
        other: list[int] = []
        th = threading.Thread(
            target=lambda: other.append(old.desk.count(region="southwest", period="since 2023-01").value)
        )
        th.start()
        th.join(timeout=20)
        assert other == [before.values[SINCE]]
        assert app.state.live.swaps == 1
        assert app.state.desk is app.state.live.state.desk is not old.desk
    finally:
        app.state.live.close()


def test_a_swap_while_the_app_starts_is_not_missed(
    states: dict[int, State], cbp_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer that publishes between the app opening the file and starting to watch it: the app
    must still move to the new file (it once kept the old one until the next write)."""
    from borderdesk.serve import app as app_module

    db = tmp_path / "borderdesk.duckdb"
    shutil.copyfile(first(states).path, db)
    opening = app_module.open_read_only

    def open_then_swap(path: Path | str, **kw: Any) -> Desk:
        desk = opening(path, **kw)
        with writing(db, snapshot=False) as d:
            d.ingest(cbp_data / OCT)
        return desk

    monkeypatch.setattr(app_module, "open_read_only", open_then_swap)
    app = create_app(db, watch_interval=0)
    try:
        r = TestClient(app, raise_server_exceptions=False).get(SINCE)
        after = states[first(states).generation + 1]
        assert r.status_code == 200 and int(r.headers[GEN]) == after.generation
        assert r.json()["release"]["label"] == after.newest
    finally:
        app.state.live.close()
