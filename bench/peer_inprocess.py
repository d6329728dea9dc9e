"""``bench/peers.py``'s in-process measurement: one worker process per contestant (bench/peer_worker.py),
warm, the rounds interleaved.

While the workers are timed this process only waits on their pipes, so its own CPU use stays out of
the numbers.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from peer_questions import Question, mismatches, percentile

HERE = Path(__file__).resolve().parent
WORKER = HERE / "peer_worker.py"

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
    except (Exception, SystemExit):  # a worker that failed: its log says why
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
