#!/usr/bin/env python3
"""borderdesk beside its peers on the same questions, in one run: in-process counts and HTTP throughput.

    .venv/bin/python bench/peers.py [--rounds 40] [--seconds 10] [--passes 1] [--quick] [--venv PATH]
                                    [--fresh] [--questions 50] [--seed 17] [--skip-inprocess] [--skip-http]

The questions: ``--questions`` different ones (seeded), citizenship x calendar month of FY2024-FY2025
at the Southwest border, citizenships drawn from those in the newest release (the database's newest
release names the file), a few with the answer 0. Every answer of every peer is checked against
borderdesk's, and borderdesk's against the release file summed with the ``csv`` module.

* In-process, warm, each contestant in a process of its own, the rounds interleaved (one round of
  every contestant in turn, so machine noise hits them all): borderdesk ``open(db).count(...)`` asked
  for the first time (its remembered answers forgotten before each call) and asked again; pandas
  mask + sum on a loaded frame; DuckDB on an in-memory table (parameterized); polars filter + sum on a
  loaded frame; polars on a frame pre-grouped by the questions' columns; a plain dict pre-aggregated
  from the CSV. p50/p95 per call and each p50 as a multiple of borderdesk's.
* HTTP, one server at a time (the machine's cores are shared with the load): ``borderdesk serve``
  ``/api/count``; Datasette 0.65 (immutable) on a SQLite table of the release indexed on the questions'
  columns, asked through its JSON API with one parameterized SQL; ten lines of FastAPI + DuckDB under
  uvicorn. Each is warmed up, then ``--clients`` client processes, each with its own keep-alive
  connection and starting at a different question, ask for ``--seconds``: requests/s, p50, p95 and
  errors (a status other than 200, or a wrong number in the body). With ``--passes N`` the servers
  take turns N times and each one's runs are pooled (steadier on a machine shared with other work).

The peers run in a throwaway virtualenv (``.cache/peers-venv``, made with pip on first use and reused
while the pinned requirement list is unchanged; see bench/peer_servers.py), borderdesk in this Python:
no peer is a dependency of borderdesk. Prints the issue's targets as "TARGET MET" or "TARGET MISSED"
lines. Exit status 1 when any answer is wrong (a missed target is not a failure of the script).
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/ holds an http.py that would shadow the standard library's http.client: its siblings are
# imported from the end of the path instead of the front.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [*(p for p in sys.path if Path(p or ".").resolve() != _HERE), str(_HERE)]

import argparse  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import tempfile  # noqa: E402

from peer_http import http_phase  # noqa: E402
from peer_inprocess import in_process_phase  # noqa: E402
from peer_questions import expected, pick_questions, read_release  # noqa: E402
from peer_servers import DEFAULT_VENV, peers_python  # noqa: E402
from repo_data import cbp_data  # noqa: E402


def newest_release(db: Path, home: Path) -> tuple[str, str]:
    """Build the database from the bundled snapshot (it holds every vintage) and name its newest
    release: (label, file name)."""
    os.environ["BORDERDESK_HOME"] = str(home)
    import borderdesk

    with borderdesk.open(db) as desk:
        newest = desk.catalog.newest
    if newest is None or not newest.file:
        raise SystemExit("the bundled snapshot holds no release file")
    return newest.label, newest.file


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=40, help="in-process rounds of every question (default 40)")
    ap.add_argument(
        "--seconds", type=float, default=10.0, help="length of each server's HTTP run (default 10)"
    )
    ap.add_argument("--clients", type=int, default=4, help="HTTP client processes (default 4)")
    ap.add_argument(
        "--passes",
        type=int,
        default=1,
        help="HTTP runs per server, the servers taking turns; the figures pool them (default 1)",
    )
    ap.add_argument("--questions", type=int, default=50)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--quick", action="store_true", help="a smoke test: 5 rounds, 3 s HTTP runs")
    ap.add_argument("--venv", type=Path, default=DEFAULT_VENV, help=f"the peers' virtualenv ({DEFAULT_VENV})")
    ap.add_argument("--fresh", action="store_true", help="make the peers' virtualenv anew")
    ap.add_argument("--skip-inprocess", action="store_true")
    ap.add_argument("--skip-http", action="store_true")
    ap.add_argument("--data", type=Path, help="folder of CBP files (default: the repo's data/cbp, restored)")
    args = ap.parse_args()
    if args.quick:
        args.rounds, args.seconds = min(args.rounds, 5), min(args.seconds, 3.0)
    # a SIGTERM stops the servers and workers as Ctrl-C does (the finally below)
    signal.signal(signal.SIGTERM, signal.default_int_handler)

    tmp = Path(tempfile.mkdtemp(prefix="bd-bench-peers-"))
    try:
        db = tmp / "borderdesk.duckdb"
        label, file = newest_release(db, tmp / "home")
        release = (args.data or cbp_data()) / file
        totals = read_release(release)
        questions = pick_questions(totals, args.questions, seed=args.seed)
        truth = expected(totals, questions)
        zeros = sum(1 for v in truth if v == 0)
        print(
            f"{len(questions)} questions (seed {args.seed}; {zeros} answered 0): citizenship x month of "
            f"FY2024-FY2025, Southwest border, from the newest release {label} ({file}, "
            f"{sum(1 for _ in release.open(encoding='utf-8')) - 1:,} rows); {os.cpu_count()} CPUs"
        )
        python = peers_python(args.venv, fresh=args.fresh)
        wrong = 0
        if not args.skip_inprocess:
            wrong += in_process_phase(tmp, db, release, questions, truth, python, args.rounds)
        if not args.skip_http:
            wrong += http_phase(
                tmp, db, release, questions, truth, python, args.seconds, args.clients, args.passes
            )
    except KeyboardInterrupt:
        print("interrupted: servers and workers stopped", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if wrong:
        print(f"\nWRONG: {wrong} answers differ (see the MISMATCH lines)")
        return 1
    print("\nevery answer equal to borderdesk's and to the release file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
