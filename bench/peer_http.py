"""``bench/peers.py``'s HTTP measurement: each server alone on a loopback port (bench/peer_servers.py),
warmed up and checked, then loaded by client processes (bench/peer_load.py) for a fixed time.

While the clients run this process only waits for them, so its own CPU use stays out of the numbers.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from peer_inprocess import peer_env
from peer_questions import (
    Question,
    borderdesk_path,
    datasette_path,
    fastapi_path,
    mismatches,
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

LOAD = Path(__file__).resolve().parent / "peer_load.py"
HTTP_THROUGHPUT_FACTOR = 1.5  # the bar: borderdesk's requests/s at least 1.5 x Datasette's


@dataclass
class Load:
    requests: int
    seconds: float
    ms: list[float]
    errors: int
    wrong: int
    samples: list[str]
    busy: float = 0.0  # the machine's 1-minute load average as the run began (other work sharing it)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def pooled(self, other: Load) -> Load:
        """This run and ``other`` as one (requests/s over both durations; load average their mean)."""
        return Load(
            self.requests + other.requests,
            self.seconds + other.seconds,
            self.ms + other.ms,
            self.errors + other.errors,
            self.wrong + other.wrong,
            self.samples + other.samples,
            (self.busy * self.seconds + other.busy * other.seconds) / (self.seconds + other.seconds),
        )


@dataclass
class Contender:
    """A server under test: its name, how its bodies hold the number, its request for each question,
    and how to make its (not yet started) server given the path that says it is up."""

    label: str
    shape: str
    paths: list[str]
    make: Callable[[str], Server]


def warm_up(server: Server, who: Contender, truth: list[int], questions: list[Question]) -> int:
    """Every question twice on one connection; the first pass's answers are checked (returns how many
    are wrong: a status other than 200 or a body without the right number)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    got: list[int] = []
    for attempt in range(2):
        for path in who.paths:
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            if attempt == 0:
                try:
                    got.append(parse_value(who.shape, body) if response.status == 200 else -response.status)
                except ValueError:
                    got.append(-1)  # 200 without a number: printed as a mismatch
    conn.close()
    return mismatches(who.label, questions, got, truth, "expected")


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


def peer_versions(python: Path) -> dict[str, str]:
    code = (
        "import importlib.metadata as m, json; "
        "print(json.dumps({p: m.version(p) for p in ('datasette', 'fastapi', 'duckdb', 'uvicorn')}))"
    )
    done = subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, check=True, env=peer_env()
    )
    return dict(json.loads(done.stdout))


def http_phase(
    tmp: Path,
    db: Path,
    release: Path,
    questions: list[Question],
    truth: list[int],
    python: Path,
    seconds: float,
    clients: int,
    passes: int = 1,
) -> int:
    """Each server in turn under the same load; prints the table and the target lines; returns the
    wrong answers."""
    served = tmp / "served.duckdb"
    shutil.copy(db, served)  # a copy of the fresh database, as a newsroom would serve it
    sqlite = build_sqlite(release, tmp / "peers.db")
    app = fastapi_app(tmp)
    v = peer_versions(python)
    contenders = [
        Contender(
            "borderdesk serve",
            "value",
            [borderdesk_path(q) for q in questions],
            lambda probe: borderdesk_server(served, tmp / "home", probe),
        ),
        Contender(
            f"Datasette {v['datasette']}",
            "array",
            [datasette_path(sqlite.stem, q) for q in questions],
            lambda probe: datasette_server(python, sqlite, probe),
        ),
        Contender(
            f"FastAPI {v['fastapi']} + DuckDB {v['duckdb']}",
            "value",
            [fastapi_path(q) for q in questions],
            lambda probe: fastapi_server(python, app, release, probe),
        ),
    ]
    loads: dict[str, Load] = {}
    wrong = 0
    for _ in range(passes):  # with several passes the servers take turns, so noise hits them alike
        for who in contenders:
            server = who.make(who.paths[0])
            try:
                server.start(tmp / f"{server.port}.log")
                wrong += warm_up(server, who, truth, questions)
                busy = os.getloadavg()[0]
                run = load(tmp, server, who.paths, who.shape, truth, seconds, clients)
                run.busy = busy
            except Exception:
                sys.stderr.write(server.tail() + "\n")
                raise
            finally:
                server.stop()
            wrong += run.wrong
            loads[who.label] = loads[who.label].pooled(run) if who.label in loads else run
    print(
        f"\nHTTP on loopback: {clients} keep-alive clients (separate processes), {passes} x {seconds:g} s "
        "per server, one server at a time (load avg: the machine's 1-minute load average as each run "
        "began)"
    )
    print(
        f"{'server':<36} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7} "
        f"{'load avg':>9}"
    )
    for label, r in loads.items():
        p50, p95 = statistics.median(r.ms), percentile(r.ms, 0.95)
        print(
            f"{label:<36} {r.requests:>9,} {r.rate:>8.0f} {p50:>8.2f} {p95:>8.2f} {r.errors:>7} "
            f"{r.busy:>9.2f}"
        )
        for sample in r.samples[:3]:
            print(f"  error: {sample}")
    targets(loads[contenders[0].label], loads[contenders[1].label])
    return wrong


def targets(bd: Load, ds: Load) -> None:
    """The issue's HTTP targets, each a TARGET MET or TARGET MISSED line."""
    ratio = bd.rate / ds.rate
    bd95, ds95 = percentile(bd.ms, 0.95), percentile(ds.ms, 0.95)
    print(f"borderdesk ÷ Datasette: {ratio:.2f}x the requests/s; p95 {bd95:.2f} ms vs {ds95:.2f} ms")
    verdict = "TARGET MET" if ratio >= HTTP_THROUGHPUT_FACTOR else "TARGET MISSED"
    print(f"{verdict}: /api/count {bd.rate:.0f} req/s >= {HTTP_THROUGHPUT_FACTOR}x Datasette's {ds.rate:.0f}")
    verdict = "TARGET MET" if bd95 <= ds95 else "TARGET MISSED"
    print(f"{verdict}: /api/count p95 {bd95:.2f} ms no worse than Datasette's {ds95:.2f} ms")
    verdict = "TARGET MET" if bd.errors == 0 else "TARGET MISSED"
    print(f"{verdict}: /api/count {bd.errors} errors")
