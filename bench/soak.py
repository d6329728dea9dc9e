#!/usr/bin/env python3
"""Soak `borderdesk serve` on loopback while `borderdesk update`/`ingest` swap in new releases.

    .venv/bin/python bench/soak.py [--seconds 180] [--quick] [--clients 4]

What it does, in a new temporary folder (its own BORDERDESK_HOME, removed at the end):

1. **Expected answers, before anything runs.** The 12 by-state releases of data/cbp (restored) are
   taken in publication order. A separate database is built with the same CLI command sequence the soak
   uses (`borderdesk ingest --no-snapshot` of the oldest release, then one more release per command) and
   copied after each step, giving one clean database per state of the served file. Each state is asked
   every question of the soak in-process (``create_app`` over that file, FastAPI's TestClient), and the
   answers are kept under that state's *generation* (the ``updates`` table's number, which the server
   sends as ``X-Borderdesk-Generation``): for JSON the whole answer (value, rows, total, comparisons,
   the release (label, sha256) it cites and the releases it used, the SQL parameters) except how each
   release came in (source URL, publication date: a download and an ingest record them differently);
   for an HTML page the release labels and the thousands-separated numbers it shows. Why this is
   sound: a generation is one published database file, and the served file goes through the same
   ingest sequence, so generation *g* on the server holds exactly the releases of state *g* (the soak
   also checks this after each write by opening the served file read-only). An answer that mixed two
   files, or came from one file while its header named another, differs from that generation's
   answer (the soak prints how many of the answers change from one state to the next).
2. **The server.** The served database starts as the oldest state-format release alone
   (`borderdesk ingest --no-snapshot nationwide-encounters-fy20-fy23-state.csv`); `borderdesk serve`
   runs on a free port as a subprocess (stopped by its own PID). A local ``http.server`` serves a
   folder that starts with that release in it.
3. **Load.** ``--clients`` threads (one httpx.Client each, keep-alive) ask, back to back, a fixed mix:
   /api/count (6 questions), /api/table (2), /api/series (2) and two dashboard pages (/ and
   /citizenships). Every request is recorded: phase, status, latency, generation header, release.
4. **Phases.** "warm-up" (10 s: a server that has just started answers more slowly for a while, which
   would flatter the comparison; its requests are checked too but not in the totals), then "before"
   (1/6 of ``--seconds``), "during" (2/3), "after" (1/6). During, a writer loop puts
   the 11 newer releases in, one at a time and evenly spread over the phase: most by copying the next
   file into the served folder and running `borderdesk update --url http://127.0.0.1:PORT2/` (the
   listing then has exactly one new release), every third by `borderdesk ingest FILE` (then copied
   into the folder too). Between those it keeps running `borderdesk update` against the folder, which
   finds nothing new (it checks, downloads nothing, changes nothing).

Checks, any of which makes the exit status 1: a request that failed (a status other than 200, or a
connection error); an answer that is not the expected answer of the generation it names (or names
none); a client that saw a generation go backwards; a writer command that failed; a served file whose
generation/releases differ from the clean state's; a server that did not end on the newest state.

Prints per phase: requests, failures, inconsistent answers, p50/p95/p99 latency, requests/s and the
swaps observed (new generations first seen by a client in that phase; the server's own count of
reopenings is printed too), then the p95 ratio during/before.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is in bench/, next to bench/http.py: run as a script, its folder comes first on sys.path and
# that file would shadow the standard library's `http` package. Drop the folder before any import.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import contextlib  # noqa: E402
import functools  # noqa: E402
import importlib.util  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer  # noqa: E402
from typing import Any  # noqa: E402

import httpx  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _repo_data() -> Any:
    """bench/repo_data.py, loaded by path (this script keeps bench/ off sys.path, see above)."""
    if "repo_data" not in sys.modules:
        spec = importlib.util.spec_from_file_location("repo_data", Path(__file__).with_name("repo_data.py"))
        assert spec is not None and spec.loader is not None
        sys.modules["repo_data"] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules["repo_data"])
    return sys.modules["repo_data"]


DATA = _repo_data().cbp_data()
BORDERDESK = Path(sys.executable).parent / "borderdesk"

#: The by-state releases in publication order; the first is the served database's starting state.
RELEASES = (
    "nationwide-encounters-fy20-fy23-state.csv",
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

#: The fixed questions: each answers (200) in every state. Open-ended periods ("since ...") and the
#: series change with every release; closed months keep their value but change the release they cite.
QUESTIONS = (
    "/api/count?citizenship=russia&region=southwest&period=2022-11",
    "/api/count?region=southwest&period=since%202023-01",
    "/api/count?citizenship=venezuela&region=southwest&period=since%202022-10",
    "/api/count?citizenship=ukraine&period=since%202020-01",
    "/api/count?citizenship=mexico&period=FY2023",
    "/api/count?citizenship=india&region=northern&period=FY2023&compare=true",
    "/api/table?by=citizenship&region=southwest&period=FY2023&top=10",
    "/api/table?by=region&period=since%202023-01",
    "/api/series?citizenship=russia&region=southwest",
    "/api/series?by=region&period=since%202023-01",
    "/?citizenship=russia&region=southwest&period=since%202023-01",
    "/citizenships?region=southwest&period=since%202023-06",
)

PHASES = ("warm-up", "before", "during", "after")
MEASURED = PHASES[1:]
LABEL = re.compile(r"\bstate-\d{4}-\d{2}\b")
THOUSANDS = re.compile(r"(?<![\d,])\d{1,3}(?:,\d{3})+(?![\d,])")


#: Release fields that say how a file got into the database (a download records its URL, an ingest of a
#: known file the catalog's), not which data it holds: left out of the comparison.
HOW_IT_CAME = frozenset({"source", "published", "ingested_at"})


def _data(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _data(v) for k, v in obj.items() if k not in HOW_IT_CAME}
    if isinstance(obj, list):
        return [_data(v) for v in obj]
    return obj


def signature(content_type: str, body: bytes) -> str:
    """What identifies an answer's data: equal for two answers from the same database state. JSON: the
    whole answer (value, rows, total, releases, comparisons, SQL parameters) but how each release came
    in; a page: the release labels and the thousands-separated numbers it shows."""
    if content_type.startswith("application/json"):
        return json.dumps(_data(json.loads(body)), sort_keys=True, separators=(",", ":"))
    text = body.decode("utf-8", errors="replace")
    return json.dumps([sorted(set(LABEL.findall(text))), sorted(Counter(THOUSANDS.findall(text)).items())])


# -- processes ---------------------------------------------------------------------------------------


def env_for(home: Path) -> dict[str, str]:
    env = {**os.environ, "BORDERDESK_HOME": str(home), "COLUMNS": "200", "NO_COLOR": "1"}
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        env.pop(proxy, None)
    return env


def cli(home: Path, *args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BORDERDESK), *map(str, args)], env=env_for(home), capture_output=True, text=True, timeout=timeout
    )


def must(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(result.args)} failed ({result.returncode}):\n{result.stderr}")
    return result


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, home: Path, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    with log.open("wb") as err:  # a file, not a pipe: a full pipe would stall the server
        proc = subprocess.Popen(
            [str(BORDERDESK), "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env=env_for(home),
        )
    deadline = time.monotonic() + 60
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=2, trust_env=False) as c:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise SystemExit(f"server exited: {log.read_text(errors='replace')}")
            with contextlib.suppress(httpx.HTTPError):
                if c.get("/openapi.json").status_code == 200:
                    return proc, port
            time.sleep(0.1)
    stop_server(proc)
    raise SystemExit("server did not start in 60 s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def rss_mb(pid: int) -> float | None:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return None


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def folder_server(root: Path) -> Iterator[str]:
    """http.server over ``root`` on a free loopback port (a directory listing at /), in a thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# -- expected answers ------------------------------------------------------------------------------


@dataclass
class State:
    generation: int
    newest: str  # label of the newest release
    releases: frozenset[str]  # sha256 of every release in the file
    answers: dict[str, Any]  # question -> signature


def db_state(db: Path) -> tuple[int | None, str | None, frozenset[str]]:
    """(generation, newest label, release sha256s) of a database file, opened read-only."""
    import borderdesk

    desk = borderdesk.open(db, read_only=True)
    try:
        newest = desk.newest_release()
        shas = frozenset(r.sha256 for r in desk.release_list())
        return desk.generation, newest.label if newest else None, shas
    finally:
        desk.close()


def expected_states(work: Path, home: Path, files: list[Path]) -> dict[int, State]:
    """One clean database per state of the served file (built with the same CLI sequence), and each
    state's answer to every question, keyed by generation."""
    import borderdesk
    from borderdesk.serve import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    build = work / "expected.duckdb"
    states: dict[int, State] = {}
    for k, f in enumerate(files):
        must(cli(home, "ingest", "--no-snapshot", "--db", build, f))
        snap = work / f"state-{k:02d}.duckdb"
        shutil.copyfile(build, snap)
        desk = borderdesk.open(snap, read_only=True)
        try:
            client = TestClient(create_app(snap, desk=desk), raise_server_exceptions=False)
            answers = {}
            for q in QUESTIONS:
                r = client.get(q)
                if r.status_code != 200:
                    raise SystemExit(f"state {k} ({f.name}): {q} answered {r.status_code}: {r.text[:300]}")
                answers[q] = signature(r.headers.get("content-type", ""), r.content)
            gen = desk.generation
            newest = desk.newest_release()
            shas = frozenset(r.sha256 for r in desk.release_list())
        finally:
            desk.close()
        assert gen is not None and newest is not None
        if gen in states:
            raise SystemExit(f"two states share generation {gen}")
        states[gen] = State(gen, newest.label, shas, answers)
        snap.unlink()
    return states


# -- load ------------------------------------------------------------------------------------------


@dataclass
class Record:
    client: int
    phase: str
    question: str
    t: float  # start, seconds since the soak began
    ms: float
    status: int | None  # None: connection error
    generation: int | None
    release: str | None
    error: str | None = None  # failure: non-200 or connection error
    wrong: str | None = None  # inconsistency


@dataclass
class Soak:
    states: dict[int, State]
    t0: float = field(default_factory=time.perf_counter)
    phase: str = "warm-up"
    stop: threading.Event = field(default_factory=threading.Event)
    records: list[Record] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, q: str, r: httpx.Response) -> tuple[int | None, str | None, str | None]:
        """(generation, cited release label, what is wrong or None) of a 200 answer."""
        raw = r.headers.get("x-borderdesk-generation")
        gen = int(raw) if raw and raw.isdigit() else None
        release = None
        ctype = r.headers.get("content-type", "")
        if ctype.startswith("application/json"):
            with contextlib.suppress(ValueError, AttributeError):
                release = (r.json().get("release") or {}).get("label")
        if gen is None:
            return None, release, f"no generation header ({raw!r})"
        state = self.states.get(gen)
        if state is None:
            return gen, release, f"generation {gen} is no state of the file"
        try:
            got = signature(ctype, r.content)
        except ValueError as e:
            return gen, release, f"unreadable body: {e}"
        if got != state.answers[q]:
            return (
                gen,
                release,
                f"answer differs from generation {gen}'s: {got[:200]} != {state.answers[q][:200]}",
            )
        return gen, release, None

    def client(self, k: int, port: int) -> None:
        last_gen = -1
        i = k
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30, trust_env=False) as c:
            while not self.stop.is_set():
                q = QUESTIONS[i % len(QUESTIONS)]
                i += 1
                phase = self.phase
                start = time.perf_counter()
                try:
                    r = c.get(q)
                    ms = (time.perf_counter() - start) * 1000
                except httpx.HTTPError as e:
                    ms = (time.perf_counter() - start) * 1000
                    rec = Record(
                        k, phase, q, start - self.t0, ms, None, None, None, f"{type(e).__name__}: {e}"
                    )
                else:
                    rec = Record(k, phase, q, start - self.t0, ms, r.status_code, None, None)
                    if r.status_code != 200:
                        rec.error = f"status {r.status_code}: {r.text[:200]}"
                    else:
                        rec.generation, rec.release, rec.wrong = self.check(q, r)
                        if rec.generation is not None:
                            if rec.generation < last_gen and rec.wrong is None:
                                rec.wrong = f"generation went back from {last_gen} to {rec.generation}"
                            last_gen = max(last_gen, rec.generation)
                with self.lock:
                    self.records.append(rec)


# -- writer ----------------------------------------------------------------------------------------


@dataclass
class Step:
    kind: str  # "update (new)", "ingest", "update (nothing new)"
    file: str | None
    t: float
    seconds: float
    rc: int
    stderr: str
    generation: int | None = None
    problem: str | None = None


def writer(
    soak: Soak,
    home: Path,
    db: Path,
    site: Path,
    url: str,
    files: list[Path],
    seconds: float,
) -> list[Step]:
    """Put ``files`` in, one at a time, evenly over ``seconds``; between them run updates that find
    nothing new. Checks the served file against the clean state after each write."""
    steps: list[Step] = []
    start = time.perf_counter()
    end = start + seconds
    spacing = seconds / (len(files) + 1)
    by_releases = {s.releases: s for s in soak.states.values()}

    def run(kind: str, f: Path | None, *args: str | Path) -> Step:
        t = time.perf_counter()
        res = cli(home, *args)
        step = Step(
            kind, f.name if f else None, t - soak.t0, time.perf_counter() - t, res.returncode, res.stderr
        )
        steps.append(step)
        if res.returncode != 0:
            step.problem = f"exit status {res.returncode}: {res.stderr.strip()[-300:]}"
        return step

    for n, f in enumerate(files):
        due = start + (n + 0.5) * spacing
        while time.perf_counter() < due - 1.5 and time.perf_counter() < end:
            run("update (nothing new)", None, "update", "--url", url, "--db", db)
            time.sleep(0.5)
        time.sleep(max(0.0, min(due, end) - time.perf_counter()))
        if time.perf_counter() >= end:
            break
        if n % 3 == 2:
            step = run("ingest", f, "ingest", "--db", db, f)
            shutil.copyfile(f, site / f.name)  # the listing has it too from now on
        else:
            shutil.copyfile(f, site / f.name)
            step = run("update (new)", f, "update", "--url", url, "--db", db)
        gen, _, shas = db_state(db)
        step.generation = gen
        state = soak.states.get(gen) if gen is not None else None
        if step.problem is None and (state is None or state.releases != shas or shas not in by_releases):
            step.problem = f"served file at generation {gen} does not hold the clean state's releases"
    while time.perf_counter() < end - 1.0:
        run("update (nothing new)", None, "update", "--url", url, "--db", db)
        time.sleep(0.5)
    for s in steps:
        if s.kind == "update (nothing new)" and s.rc == 0 and "0 new release(s)" not in s.stderr:
            s.problem = f"an update with nothing new said: {s.stderr.strip()[-200:]}"
    return steps


# -- report ----------------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * (len(s) - 1) + 0.5))] if s else float("nan")


def swaps_by_phase(records: list[Record]) -> dict[str, int]:
    """New generations first seen (by any client) in each phase; the starting one is not a swap."""
    first: dict[int, Record] = {}
    for r in sorted(records, key=lambda r: r.t):
        if r.generation is not None and r.wrong is None:
            first.setdefault(r.generation, r)
    if not first:
        return {}
    start = min(first)
    return dict(Counter(r.phase for g, r in first.items() if g != start))


def report(soak: Soak, durations: dict[str, float], steps: list[Step], server_log: str) -> int:
    records = soak.records
    swaps = swaps_by_phase(records)
    head = (
        f"{'phase':<8} {'requests':>8} {'failures':>8} {'inconsistent':>12} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'req/s':>7} {'swaps':>6}"
    )
    print("\n" + head)
    print("-" * len(head))
    p95: dict[str, float] = {}
    rows = [(p, [r for r in records if r.phase == p], durations[p]) for p in PHASES]
    measured = [r for r in records if r.phase in MEASURED]
    rows.append(("all", measured, sum(durations[p] for p in MEASURED)))
    for name, recs, secs in rows:
        lat = [r.ms for r in recs]
        p95[name] = pct(lat, 0.95)
        n_swaps = sum(swaps.values()) if name == "all" else swaps.get(name, 0)
        print(
            f"{name:<8} {len(recs):>8} {sum(r.error is not None for r in recs):>8} "
            f"{sum(r.wrong is not None for r in recs):>12} {pct(lat, 0.5):>8.1f} {p95[name]:>8.1f} "
            f"{pct(lat, 0.99):>8.1f} {pct(lat, 1.0):>8.1f} {len(recs) / secs:>7.1f} {n_swaps:>6}"
        )
    print(f"\np95 during/before: {p95['during'] / p95['before']:.2f}")
    print(f"p95 after/before:  {p95['after'] / p95['before']:.2f}")
    reopened = server_log.count("now serving generation")
    print(f"server reopened the database {reopened} time(s) (its own log)")

    kinds = Counter(s.kind for s in steps)
    step_secs = {k: sorted(s.seconds for s in steps if s.kind == k) for k in kinds}
    print(
        "writer: "
        + ", ".join(
            f"{n} x {k} (median {step_secs[k][len(step_secs[k]) // 2]:.2f} s)"
            for k, n in sorted(kinds.items())
        )
    )
    per_question = Counter(r.question for r in records if r.wrong)
    by_endpoint = Counter(r.question.split("?")[0] for r in records)
    print("requests by endpoint: " + ", ".join(f"{k} {n}" for k, n in sorted(by_endpoint.items())))

    problems = [
        f"failed request ({r.phase}, client {r.client}) {r.question}: {r.error}" for r in records if r.error
    ]
    problems += [
        f"inconsistent ({r.phase}, client {r.client}) {r.question}: {r.wrong}" for r in records if r.wrong
    ]
    problems += [f"writer {s.kind} {s.file or ''} at {s.t:.1f} s: {s.problem}" for s in steps if s.problem]
    if per_question:
        print("inconsistent answers by question: " + ", ".join(f"{q} {n}" for q, n in per_question.items()))

    # The server ended on the newest state the writer published, without a restart.
    published = [s.generation for s in steps if s.generation is not None and s.rc == 0]
    final_gen = max(published, default=min(soak.states))
    tail = [r for r in records if r.phase == "after" and r.generation is not None]
    last = {r.client: r for r in sorted(tail, key=lambda r: r.t)}
    if not last:
        problems.append("no answers in the after phase")
    for k, r in last.items():
        want = soak.states[final_gen].newest
        if r.generation != final_gen:
            problems.append(f"client {k} ended on generation {r.generation}, not the newest ({final_gen})")
        elif r.release is not None and r.question == QUESTIONS[1] and r.release != want:
            problems.append(f"client {k} ended citing {r.release}, not the newest release {want}")
    newest_answers = [r for r in tail if r.generation == final_gen and r.question == QUESTIONS[1]]
    print(
        f"ended on generation {final_gen} (newest release {soak.states[final_gen].newest}); "
        f"{len(newest_answers)} answers in the after phase cite it for {QUESTIONS[1]}"
    )
    if newest_answers and newest_answers[-1].release != soak.states[final_gen].newest:
        problems.append(f"the newest answer cites {newest_answers[-1].release}")

    for p in problems[:15]:
        print("  " + p)
    if len(problems) > 15:
        print(f"  ... and {len(problems) - 15} more")
    return len(problems)


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").strip().split("\n")[0])
    ap.add_argument("--seconds", type=float, default=180.0, help="total load time (default 180)")
    ap.add_argument("--quick", action="store_true", help="45 s in all (a smoke run)")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()
    total = 45.0 if args.quick else args.seconds
    durations = {
        "warm-up": min(10.0, total / 18),
        "before": total / 6,
        "during": total * 2 / 3,
        "after": total / 6,
    }

    files = [DATA / n for n in RELEASES]
    missing = [f for f in files if not f.is_file()]
    if missing:
        print(f"missing release files: {', '.join(str(m) for m in missing)}")
        return 2

    tmp = Path(tempfile.mkdtemp(prefix="bd-soak-"))
    home = tmp / "home"
    proc = None
    try:
        t = time.perf_counter()
        states = expected_states(tmp, home, files)
        gens = sorted(states)
        changed = [
            sum(states[a].answers[q] != states[b].answers[q] for q in QUESTIONS)
            for a, b in itertools.pairwise(gens)
        ]
        print(
            f"expected answers: {len(states)} states (generations {gens[0]}..{gens[-1]}) x "
            f"{len(QUESTIONS)} questions, built in {time.perf_counter() - t:.1f} s; from one state to the "
            f"next, {min(changed)}..{max(changed)} of the {len(QUESTIONS)} answers change"
        )
        db = tmp / "borderdesk.duckdb"
        must(cli(home, "ingest", "--no-snapshot", "--db", db, files[0]))
        gen0, _, shas0 = db_state(db)
        if gen0 not in states or states[gen0].releases != shas0:
            raise SystemExit(f"the served file starts at generation {gen0}, which is not the first state")
        site = tmp / "site"
        site.mkdir()
        shutil.copyfile(files[0], site / files[0].name)

        log = tmp / "serve.log"
        proc, port = start_server(db, home, log)
        rss0 = rss_mb(proc.pid)
        print(
            f"borderdesk serve on 127.0.0.1:{port} (pid {proc.pid}), {os.cpu_count()} CPUs, "
            f"{args.clients} clients; phases {' / '.join(f'{p} {durations[p]:.0f} s' for p in PHASES)}"
        )
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30, trust_env=False) as c:
            for q in QUESTIONS * 3:  # warm up (first pages build their charts), not recorded
                c.get(q)
        soak = Soak(states)
        threads = [
            threading.Thread(target=soak.client, args=(k, port), daemon=True) for k in range(args.clients)
        ]
        with folder_server(site) as url:
            soak.t0 = marks = time.perf_counter()
            for th in threads:
                th.start()
            time.sleep(durations["warm-up"])
            soak.phase = "before"
            durations["warm-up"], marks = time.perf_counter() - marks, time.perf_counter()
            time.sleep(durations["before"])
            soak.phase = "during"
            durations["before"], marks = time.perf_counter() - marks, time.perf_counter()
            steps = writer(soak, home, db, site, url, files[1:], durations["during"])
            soak.phase = "after"
            durations["during"], marks = time.perf_counter() - marks, time.perf_counter()
            time.sleep(durations["after"])
            soak.stop.set()
            durations["after"] = time.perf_counter() - marks
            for th in threads:
                th.join(timeout=60)
        rss1 = rss_mb(proc.pid)
        stop_server(proc)
        server_log = log.read_text(errors="replace")
        problems = report(soak, durations, steps, server_log)
        if rss0 is not None and rss1 is not None:
            print(f"server RSS: {rss0:.0f} MB at start, {rss1:.0f} MB at the end")
    finally:
        if proc is not None:
            stop_server(proc)
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n{'OK' if problems == 0 else 'FAIL'}: {problems} problem(s)")
    return 0 if problems == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
