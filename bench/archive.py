#!/usr/bin/env python3
"""Archive-scale checking speed: ``borderdesk check-archive`` on 10,000 real articles.

    .venv/bin/python bench/archive.py [--articles 10000] [--quick]

The archive is the project's real article corpus (``tests/golden/articles/articles.jsonl``, 150 articles)
repeated until it holds ``--articles`` articles, each copy's id made unique (``{id}-r{k}``), written as
JSONL in a temporary folder. A warm-up run on a few articles first makes the database (from the bundled
snapshot) and fills the page cache, so the timed runs are warm. Then, each as a fresh process writing a
fresh output:

* ``--workers 1`` and ``--workers 2`` (the local engine: worker processes on this machine);
* ``--engine dask --workers 2`` (a 2-worker Dask LocalCluster started for the run).

For each: articles/s over the whole process (wall clock, start-up included) and as the command reports
it (``--json``: its own timer, from the start of the run to the output's last write, so without the
interpreter's start-up and the CLI's imports, but with the workers' start: on 10,000 articles that is a
second or two of a few minutes); peak memory, the largest sum of the resident set sizes of the
process and all its descendants (the workers), polled every 0.1 s (psutil if installed, otherwise
/proc). Then the ratios against the targets: per-core rate ≥ 30 articles/s, 1 → 2 workers ≥ 1.7×, and
Dask against local.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "tests" / "golden" / "articles" / "articles.jsonl"
BD = Path(sys.executable).parent / "borderdesk"
TARGET_PER_CORE = 30.0  # articles/s per core, warm
TARGET_SPEEDUP = 1.7  # 1 -> 2 workers
QUICK = 300
WARM_UP = 20
POLL = 0.1  # seconds between memory polls


def build_archive(n: int, path: Path) -> int:
    """``n`` articles made of the corpus repeated, ids made unique per copy; returns the count written."""
    corpus = [json.loads(line) for line in ARTICLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            k, art = divmod(i, len(corpus))
            row = {
                "id": f"{corpus[art]['id']}-r{k}",
                "text": corpus[art]["text"],
                "date": corpus[art]["published"],
                "url": corpus[art]["url"],
                "outlet": corpus[art]["outlet"],
            }
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return n


def _children_proc(pid: int) -> list[int]:
    """Descendants of ``pid`` from /proc (when psutil is not installed)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        kids = parents.get(todo.pop(), [])
        out += kids
        todo += kids
    return out


def _rss_proc(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants now."""
    try:
        import psutil
    except ImportError:
        return sum(_rss_proc(p) for p in [pid, *_children_proc(pid)])
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        with contextlib.suppress(psutil.Error):  # a worker that ended between the two calls
            total += p.memory_info().rss
    return total


@dataclass
class Run:
    name: str
    workers: int
    articles: int
    wall: float
    peak_rss: int
    summary: dict[str, Any]

    @property
    def wall_rate(self) -> float:
        return self.articles / self.wall

    @property
    def rate(self) -> float:
        """The command's own rate (no start-up), else the wall-clock one."""
        return float(self.summary.get("articles_per_second") or self.wall_rate)


def measure(name: str, archive: Path, out: Path, db: Path, extra: list[str], workers: int) -> Run:
    """One check-archive run as a fresh process, its memory polled until it ends."""
    cmd = [str(BD), "check-archive", str(archive), "--output", str(out), "--db", str(db)]
    cmd += [*extra, "--no-progress", "--json"]
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as so, tempfile.TemporaryFile() as se:
        proc = subprocess.Popen(cmd, stdout=so, stderr=se, stdin=subprocess.DEVNULL)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, tree_rss(proc.pid))
            time.sleep(POLL)
        wall = time.perf_counter() - t0
        so.seek(0)
        se.seek(0)
        stdout, stderr = so.read().decode(), se.read().decode()
    if proc.returncode != 0:
        raise SystemExit(f"{name}: exit {proc.returncode}\n{stderr[-2000:]}")
    summary = json.loads(stdout)
    return Run(name, workers, int(summary.get("checked", 0)), wall, peak, summary)


def met(value: float, target: float) -> str:
    return "met" if value >= target else "NOT met"


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--articles", type=int, default=10_000, help="archive size (default 10000)")
    ap.add_argument("--quick", action="store_true", help=f"a {QUICK}-article archive")
    args = ap.parse_args()
    n = QUICK if args.quick else args.articles
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as tmp:
        folder = Path(tmp)
        db = folder / "borderdesk.duckdb"
        archive = folder / "archive.jsonl"
        build_archive(n, archive)
        warm = folder / "warm.jsonl"
        build_archive(WARM_UP, warm)
        print(f"archive: {n:,} articles ({archive.stat().st_size / 1e6:.1f} MB JSONL); {cores} cores")
        measure("warm-up", warm, folder / "warm.parquet", db, ["--workers", "1"], 1)
        runs = [
            measure("local, 1 worker", archive, folder / "w1.parquet", db, ["--workers", "1"], 1),
            measure("local, 2 workers", archive, folder / "w2.parquet", db, ["--workers", "2"], 2),
            measure(
                "dask LocalCluster, 2 workers",
                archive,
                folder / "dask.parquet",
                db,
                ["--engine", "dask", "--workers", "2"],
                2,
            ),
        ]
    print(f"{'run':<30} {'articles':>8} {'failed':>6} {'wall s':>7} {'wall/s':>7} {'cmd/s':>7} "
          f"{'per core':>8} {'peak MB':>8}")  # fmt: skip
    for r in runs:
        per_core = r.rate / r.workers
        print(
            f"{r.name:<30} {r.articles:>8,} {r.summary.get('failed', 0):>6} {r.wall:>7.1f} "
            f"{r.wall_rate:>7.1f} {r.rate:>7.1f} {per_core:>8.1f} {r.peak_rss / 1e6:>8.0f}"
        )
    one, two, dask = runs
    per_core = one.rate
    speedup = two.rate / one.rate
    lines = [
        f"per-core rate (1 worker): {per_core:.1f} articles/s, target ≥ {TARGET_PER_CORE:.0f}: "
        + met(per_core, TARGET_PER_CORE),
        f"1 → 2 workers: {speedup:.2f}×, target ≥ {TARGET_SPEEDUP}: {met(speedup, TARGET_SPEEDUP)} "
        f"({cores} cores here)",
        f"dask vs local (2 workers): {dask.rate / two.rate:.2f}× "
        f"(wall clock {dask.wall_rate / two.wall_rate:.2f}×)",
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
