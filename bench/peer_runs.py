"""The two measurements of ``bench/peers.py``: in-process counts (one worker process per contestant,
rounds interleaved) and HTTP throughput (one server at a time, client processes for the load).

While anything is measured this process only waits on pipes and child processes, so its own CPU use
stays out of the numbers.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from peer_questions import (
    Question,
    borderdesk_path,
    datasette_path,
    fastapi_path,
    parse_value,
    percentile,
)
from peer_servers import (
    Server,
    borderdesk_server,
    build_sqlite,
    datasette_server,
    fastapi_app,
    fastapi_server,
)

HERE = Path(__file__).resolve().parent
WORKER = HERE / "peer_worker.py"
LOAD = HERE / "peer_load.py"

#: label, peer_worker engine, runs in the project's Python (True) or the peers' virtualenv (False)
CONTESTANTS = (
    ("borderdesk count, first asking", "borderdesk-first", True),
    ("borderdesk count, asked again", "borderdesk-again", True),
    ("pandas mask + sum, loaded frame", "pandas", False),
    ("DuckDB in-memory table, parameterized", "duckdb", False),
    ("polars filter + sum, loaded frame", "polars-filter", False),
    ("polars pre-grouped frame", "polars-grouped", False),
    ("dict pre-aggregated from the CSV", "dict", False),
)
REFERENCE = "borderdesk-first"
#: The issue's bar for the in-process count: the polars pre-grouped frame's p50.
IN_PROCESS_BAR = "polars-grouped"
HTTP_THROUGHPUT_FACTOR = 1.5  # borderdesk's requests/s at least 1.5 x Datasette's


def peer_env() -> dict[str, str]:
    """The peers' environment: without PYTHONPATH, so borderdesk's sources are not importable there."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


@dataclass
class Worker:
    label: str
    engine: str
    proc: subprocess.Popen[str]
    hello: dict[str, Any]

    @classmethod
    def start(
        cls, label: str, engine: str, python: Path, setup: Path, env: dict[str, str], log: IO[str]
    ) -> Worker:
        proc = subprocess.Popen(
            [str(python), str(WORKER), engine, str(setup)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env=env,
        )
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line:
            proc.wait(timeout=10)
            raise SystemExit(f"{label}: the worker exited with {proc.returncode} (see its log above)")
        return cls(label, engine, proc, json.loads(line))

    def round(self, start: int) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(f"round {start}\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"{self.label}: the worker died mid-run")
        return dict(json.loads(line))

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.write("quit\n")
                self.proc.stdin.close()
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait(timeout=5)


def mismatches(label: str, questions: list[Question], got: list[int], want: list[int], of: str) -> int:
    bad = [(q, g, w) for q, g, w in zip(questions, got, want, strict=True) if g != w]
    for q, g, w in bad[:10]:
        print(f"MISMATCH {label}: {q.citizenship} {q.period}: {g:,}, {of} {w:,}")
    return len(bad)


def in_process_phase(
    tmp: Path, db: Path, release: Path, questions: list[Question], truth: list[int], python: Path, rounds: int
) -> int:
    """Warm in-process counts; prints the table and the target line; returns the wrong answers."""
    setup = tmp / "setup.json"
    setup.write_text(
        json.dumps({"csv": str(release), "db": str(db), "questions": [q.to_json() for q in questions]}),
        encoding="utf-8",
    )
    log_path = tmp / "workers.log"
    workers: list[Worker] = []
    wrong = 0
    try:
        with log_path.open("w") as log:
            for label, engine, own in CONTESTANTS:
                env = dict(os.environ) if own else peer_env()
                workers.append(
                    Worker.start(label, engine, Path(sys.executable) if own else python, setup, env, log)
                )
        ref = next(w for w in workers if w.engine == REFERENCE)
        wrong += mismatches(ref.label, questions, ref.hello["answers"], truth, "the release file")
        newest = release.name
        for q, source in zip(questions, ref.hello["sources"], strict=True):
            if source != newest:
                print(
                    f"MISMATCH {ref.label}: {q.citizenship} {q.period} answered from {source}, not {newest}"
                )
                wrong += 1
        for w in workers:
            if w is not ref:
                wrong += mismatches(
                    w.label, questions, w.hello["answers"], ref.hello["answers"], "borderdesk"
                )
        ns: dict[str, list[int]] = {w.engine: [] for w in workers}
        per_question: list[list[int]] = [[] for _ in questions]  # borderdesk's, first asking
        for r in range(rounds):
            start = r * 7 % len(questions)
            for w in workers:  # interleaved: one round of each in turn
                result = w.round(start)
                ns[w.engine] += result["ns"]
                if w is ref:
                    for j, t in enumerate(result["ns"]):
                        per_question[(start + j) % len(questions)].append(t)
                if result["changed"]:
                    print(f"MISMATCH {w.label}: {result['changed']} answers changed in round {r}")
                    wrong += result["changed"]
    except BaseException:
        if log_path.exists():
            sys.stderr.write(log_path.read_text(errors="replace")[-4000:])
        raise
    finally:
        for w in workers:
            w.stop()

    p50 = {e: statistics.median(v) / 1000 for e, v in ns.items()}
    base = p50[REFERENCE]
    print(f"\nIn-process, warm: {len(questions)} questions x {rounds} rounds per contestant, interleaved")
    print(f"{'contestant':<40} {'version':<22} {'p50 µs':>9} {'p95 µs':>9} {'p50 ÷ borderdesk':>17}")
    for w in workers:
        p95 = percentile([float(x) for x in ns[w.engine]], 0.95) / 1000
        version = str(w.hello["version"])
        ratio = p50[w.engine] / base
        print(f"{w.label:<40} {version:<22} {p50[w.engine]:>9.1f} {p95:>9.1f} {ratio:>16.2f}x")
    print("(p50 ÷ borderdesk: each p50 over borderdesk's first-asking p50; above 1, borderdesk is faster)")
    slow = slowest(questions, per_question, ref.hello["answers"], base)
    if slow:
        print("borderdesk's slow questions (first asking; p50 over 5x the whole p50):")
        for line in slow:
            print(f"  {line}")
    bar = p50[IN_PROCESS_BAR]
    verdict = "TARGET MET" if base <= bar else "TARGET MISSED"
    print(f"{verdict}: in-process count p50 {base:.1f} µs (first asking) <= polars pre-grouped {bar:.1f} µs")
    return wrong


def slowest(questions: list[Question], ns: list[list[int]], answers: list[int], p50_us: float) -> list[str]:
    """The questions whose own p50 is over 5x the p50 of all (slowest first, at most 5): where a
    faster path is missing."""
    own = [(statistics.median(v) / 1000, q, a) for q, v, a in zip(questions, ns, answers, strict=True) if v]
    slow = sorted((x for x in own if x[0] > 5 * p50_us), key=lambda x: -x[0])
    return [f"{q.citizenship} {q.period} (answer {a:,}): p50 {us:,.1f} µs" for us, q, a in slow[:5]]


# -- HTTP -----------------------------------------------------------------------------------------


@dataclass
class Load:
    requests: int
    seconds: float
    ms: list[float]
    errors: int
    wrong: int
    samples: list[str]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def warm_up(server: Server, paths: list[str], shape: str, truth: list[int], questions: list[Question]) -> int:
    """Every question twice on one connection; the first pass's answers are checked (the wrong ones
    returned)."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    got: list[int] = []
    for attempt in range(2):
        for path in paths:
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            if attempt == 0:
                got.append(parse_value(shape, body) if response.status == 200 else -response.status)
    conn.close()
    return mismatches(server.name, questions, got, truth, "borderdesk")


def load(
    tmp: Path, server: Server, paths: list[str], shape: str, truth: list[int], seconds: float, clients: int
) -> Load:
    spec = tmp / f"load-{server.port}.json"
    start_at = time.time() + 1.5  # every client process started and waiting
    spec.write_text(
        json.dumps(
            {
                "port": server.port,
                "paths": paths,
                "expected": truth,
                "shape": shape,
                "clients": clients,
                "start_at": start_at,
                "seconds": seconds,
            }
        ),
        encoding="utf-8",
    )
    procs = [
        subprocess.Popen([sys.executable, str(LOAD), str(spec), str(k)], stdout=subprocess.PIPE, text=True)
        for k in range(clients)
    ]
    results = []
    try:
        for p in procs:
            out, _ = p.communicate(timeout=seconds + 120)
            results.append(json.loads(out))
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait(timeout=5)
    ms = [x for r in results for x in r["ms"]]
    samples = [s for r in results for s in r["samples"]]
    errors = sum(r["errors"] for r in results)
    return Load(len(ms), seconds, ms, errors, sum(r["wrong"] for r in results), samples)


def http_phase(
    tmp: Path,
    db: Path,
    release: Path,
    questions: list[Question],
    truth: list[int],
    python: Path,
    seconds: float,
    clients: int,
) -> int:
    """Each server in turn under the same load; prints the table and the target lines; returns the
    wrong answers."""
    served = tmp / "served.duckdb"
    shutil.copy(db, served)  # a copy of the fresh database, as a newsroom would serve it
    sqlite = build_sqlite(release, tmp / "peers.db")
    app = fastapi_app(tmp)
    versions = json.loads(
        subprocess.run(
            [
                str(python),
                "-c",
                "import importlib.metadata as m, json; "
                "print(json.dumps({p: m.version(p) for p in ('datasette', 'fastapi', 'duckdb', 'uvicorn')}))",
            ],
            capture_output=True,
            text=True,
            check=True,
            env=peer_env(),
        ).stdout
    )
    runs = [
        (
            "value",
            [borderdesk_path(q) for q in questions],
            lambda probe: borderdesk_server(served, tmp / "home", probe),
            "borderdesk serve",
        ),
        (
            "array",
            [datasette_path(sqlite.stem, q) for q in questions],
            lambda probe: datasette_server(python, sqlite, probe),
            f"Datasette {versions['datasette']}",
        ),
        (
            "value",
            [fastapi_path(q) for q in questions],
            lambda probe: fastapi_server(python, app, release, probe),
            f"FastAPI {versions['fastapi']} + DuckDB {versions['duckdb']}",
        ),
    ]
    loads: dict[str, Load] = {}
    wrong = 0
    for shape, paths, make, label in runs:
        server = make(paths[0])
        try:
            server.start(tmp / f"{server.port}.log")
            wrong += warm_up(server, paths, shape, truth, questions)
            result = load(tmp, server, paths, shape, truth, seconds, clients)
        except BaseException:
            sys.stderr.write(server.tail())
            raise
        finally:
            server.stop()
        loads[label] = result
        wrong += result.wrong
    print(
        f"\nHTTP on loopback: {clients} keep-alive clients (separate processes), {seconds:g} s per server, "
        "one server at a time"
    )
    print(f"{'server':<36} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for label, r in loads.items():
        p50, p95 = statistics.median(r.ms), percentile(r.ms, 0.95)
        print(f"{label:<36} {r.requests:>9,} {r.rate:>8.0f} {p50:>8.2f} {p95:>8.2f} {r.errors:>7}")
        for s in r.samples[:3]:
            print(f"  error: {s}")
    bd, ds = loads["borderdesk serve"], next(r for k, r in loads.items() if k.startswith("Datasette"))
    ratio = bd.rate / ds.rate
    bd95, ds95 = percentile(bd.ms, 0.95), percentile(ds.ms, 0.95)
    print(f"borderdesk ÷ Datasette: {ratio:.2f}x the requests/s; p95 {bd95:.2f} ms vs {ds95:.2f} ms")
    verdict = "TARGET MET" if ratio >= HTTP_THROUGHPUT_FACTOR else "TARGET MISSED"
    print(f"{verdict}: /api/count {bd.rate:.0f} req/s >= {HTTP_THROUGHPUT_FACTOR}x Datasette's {ds.rate:.0f}")
    verdict = "TARGET MET" if bd95 <= ds95 else "TARGET MISSED"
    print(f"{verdict}: /api/count p95 {bd95:.2f} ms no worse than Datasette's {ds95:.2f} ms")
    verdict = "TARGET MET" if bd.errors == 0 else "TARGET MISSED"
    print(f"{verdict}: /api/count {bd.errors} errors")
    return wrong
