#!/usr/bin/env python3
"""Query speed on the real data: hundreds of *different* questions, side by side with pandas.

    .venv/bin/python bench/query.py [--data FOLDER] [--questions 400]

In one process, interleaved so machine noise hits both sides:
  * borderdesk: warm ``desk.count(citizenship=C, region=R, period=P)`` over distinct questions
    (citizenship x region x month/fiscal year), each answer checked against pandas;
  * pandas: the same question answered from the CSV (``read_csv`` + filter + sum) and from a frame
    already in memory (filter + sum).
Then the one-shot CLI: ``borderdesk count ...`` from process start to output, split into start-up
(interpreter + imports) and work. Answers are remembered per database state (``Catalog.answers``), but
every question here is asked once, so every call runs its query.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from repo_data import cbp_data  # a sibling in bench/

ROOT = Path(__file__).resolve().parents[1]
MONTHS = ["OCT", "NOV", "DEC", "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP"]
REGIONS = {"southwest": "Southwest Land Border", "northern": "Northern Land Border", "other": "Other"}


def ym(fy: int, mon: str) -> str:
    i = MONTHS.index(mon)
    return f"{fy - 1 if i < 3 else fy}-{(i + 10) % 12 or 12:02d}"


def load(csv: Path) -> pd.DataFrame:
    df = pd.read_csv(csv)
    df["FY"] = df["Fiscal Year"].astype(str).str[:4].astype(int)
    return df


def answer(df: pd.DataFrame, cit: str, region: str | None, fy: int, mon: str | None) -> int:
    m = (df["FY"] == fy) & (df["Citizenship"] == cit)
    if mon is not None:
        m &= df["Month (abbv)"] == mon
    if region is not None:
        m &= df["Land Border Region"] == REGIONS[region]
    return int(df.loc[m, "Encounter Count"].sum())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--data", type=Path, default=None, help="folder of CBP files (default: the repo's data/cbp, restored)"
    )
    ap.add_argument("--questions", type=int, default=400)
    args = ap.parse_args()
    args.data = args.data or cbp_data()
    csv = args.data / "nationwide-encounters-fy23-fy26-nov-state.csv"
    import borderdesk

    tmp = Path(tempfile.mkdtemp(prefix="bench-query-"))
    db = tmp / "desk.duckdb"
    desk = borderdesk.open(db)  # loads the bundled snapshot
    df = load(csv)
    cits = sorted(df["Citizenship"].unique())
    qs = [
        (c, r, fy, mon)
        for c in cits
        for r in (None, "southwest", "northern", "other")
        for fy in (2024, 2025)
        for mon in [*MONTHS, None]
    ]
    random.Random(7).shuffle(qs)
    qs = qs[: args.questions]
    expected = {q: answer(df, *q) for q in qs}

    def ask(q: tuple[str, str | None, int, str | None]) -> int:
        c, r, fy, mon = q
        kw = {"citizenship": c, "period": ym(fy, mon) if mon else f"FY{fy}"}
        if r:
            kw["region"] = r
        return int(desk.count(**kw).value)

    for q in qs[:30]:
        ask(q)  # warm-up
    bd, cold, warm, bad = [], [], [], []
    chunk = max(1, len(qs) // 5)
    for i in range(0, len(qs), chunk):
        for q in qs[i : i + chunk]:
            t = time.perf_counter()
            v = ask(q)
            bd.append(time.perf_counter() - t)
            if v != expected[q]:
                bad.append((q, v, expected[q]))
        q = qs[i]
        t = time.perf_counter()
        answer(load(csv), *q)
        cold.append(time.perf_counter() - t)
        for q in qs[i : i + 10]:
            t = time.perf_counter()
            answer(df, *q)
            warm.append(time.perf_counter() - t)
    desk.close()
    if bad:
        print(f"WRONG: {len(bad)} answers differ from pandas, e.g. {bad[0]}")
        return 1
    p50 = statistics.median(bd)
    p90 = sorted(bd)[int(0.9 * len(bd))]
    print(f"{len(qs)} distinct questions, every answer equal to pandas'")
    print(f"  borderdesk warm count   p50 {p50 * 1e3:.3f} ms   p90 {p90 * 1e3:.3f} ms")
    c, w = statistics.median(cold), statistics.median(warm)
    print(f"  pandas from CSV         {c * 1e3:8.1f} ms   ({c / p50:,.0f}x slower)")
    print(f"  pandas frame in memory  {w * 1e3:8.2f} ms   ({w / p50:.1f}x slower)")

    # one-shot CLI: start-up vs work
    bin_ = str(Path(sys.executable).parent / "borderdesk")
    cmd = [bin_, "count", "--db", str(db), "-c", "russia", "-r", "southwest", "-p", "2022-11"]
    startup = [sys.executable, "-c", "import borderdesk.cli, duckdb"]
    whole, start = [], []
    for _ in range(7):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        whole.append(time.perf_counter() - t)
        t = time.perf_counter()
        subprocess.run(startup, check=True, capture_output=True)
        start.append(time.perf_counter() - t)
    one, s = statistics.median(whole), statistics.median(start)
    print(f"  CLI count, process start to output: {one:.3f} s (start-up {s:.3f} s, work {one - s:.3f} s)")
    print(
        f"count p50 {p50 * 1e3:.2f} ms; vs pandas from CSV: {c / p50:.0f}x faster; CLI one-shot {one:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
