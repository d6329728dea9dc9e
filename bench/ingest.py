#!/usr/bin/env python3
"""Ingest speed on the real data: all 12 CBP by-state releases, side by side with the obvious alternatives.

    .venv/bin/python bench/ingest.py [--data FOLDER] [--runs 5]

Each run starts a fresh process into a fresh database, in turn (A B C A B C ...), so machine drift hits
all three alike; medians are quoted and ratios are taken against the raw DuckDB load:

  borderdesk : ``borderdesk ingest --no-snapshot --db NEW.duckdb`` the 12 files (checks every row, keeps
               every vintage with provenance, one transaction per file)
  duckdb     : ``CREATE TABLE t AS SELECT * FROM read_csv([...], union_by_name=true, filename=true,
               types={'Fiscal Year': 'VARCHAR'})`` into a DuckDB file (no checks, no provenance; the
               ``types`` override is needed because the running year is labelled "2024 (FYTD)")
  pandas     : ``pd.read_csv`` of each file + ``concat`` (in memory only; no database at all)

Prints the medians, the ratios, and a last line ``ingest vs raw DuckDB load: R.RRx``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from repo_data import cbp_data  # a sibling in bench/

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent

RAW = (
    "import sys, duckdb\n"
    "c = duckdb.connect(sys.argv[1])\n"
    'c.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, union_by_name=true, filename=true, '
    "types={'Fiscal Year': 'VARCHAR'})\", [sys.argv[2:]])\n"
    "c.close()\n"
)
PANDAS = (
    "import sys, pandas as pd\n"
    "df = pd.concat([pd.read_csv(f, dtype={'Fiscal Year': str}) for f in sys.argv[2:]], ignore_index=True)\n"
    "assert len(df) > 0\n"
)


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--data", type=Path, default=None, help="folder of CBP files (default: the repo's data/cbp, restored)"
    )
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    args.data = args.data or cbp_data()
    files = sorted(str(p) for p in args.data.glob("nationwide-encounters-*-state.csv"))
    if len(files) != 12:
        print(f"expected 12 by-state files in {args.data}, found {len(files)}", file=sys.stderr)
        return 1
    mb = sum(Path(f).stat().st_size for f in files) / 1e6
    bd = str(VENV_BIN / "borderdesk")
    tmp = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:

        def fresh(name: str) -> str:
            for p in tmp.glob(name + "*"):
                p.unlink()
            return str(tmp / name)

        commands = {
            "borderdesk": lambda: [bd, "ingest", "--no-snapshot", "--db", fresh("a.duckdb"), *files],
            "duckdb": lambda: [sys.executable, "-c", RAW, fresh("b.duckdb"), *files],
            "pandas": lambda: [sys.executable, "-c", PANDAS, "-", *files],
        }
        times: dict[str, list[float]] = {k: [] for k in commands}
        for cmd in commands.values():  # warm-up: page cache, .pyc files
            timed(cmd())
        for _ in range(args.runs):
            for name, cmd in commands.items():
                times[name].append(timed(cmd()))
        # the last borderdesk run left its database: prove it is right
        out = subprocess.run(
            [
                bd,
                "count",
                "--db",
                str(tmp / "a.duckdb"),
                "--region",
                "southwest",
                "--period",
                "FY2022",
                "--format",
                "csv",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        assert "2378944" in out, out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"12 by-state releases, {mb:.1f} MB of CSV, {args.runs} runs each (whole processes, medians):")
    for k, v in med.items():
        spread = f"min {min(times[k]):.2f} max {max(times[k]):.2f}"
        print(f"  {k:<11} {v:6.2f} s   ({spread})   {v / med['duckdb']:.2f}x the raw DuckDB load")
    print(f"borderdesk vs pandas read_csv+concat: {med['borderdesk'] / med['pandas']:.2f}x")
    print(f"ingest vs raw DuckDB load: {med['borderdesk'] / med['duckdb']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
