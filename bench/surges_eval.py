#!/usr/bin/env python3
"""How well ``surges`` finds real, documented surges: recall and precision on CBP's monthly data.

    .venv/bin/python bench/surges_eval.py [--db PATH] [--start 2020-10] [--end 2024-09]

Every month and region from ``--start`` to ``--end`` is ranked exactly as ``borderdesk surges --period M
--region R`` ranks it (only months before M feed its baseline). A row is *flagged* when it is in
the month's top K with a score of at least S. Against the documented surges below (each from
published reporting, with its source):

* recall   = documented surges with at least one flagged month in their window / all documented;
* precision (months)   = flagged rows inside a documented window / all flagged rows;
* precision (episodes) = runs of consecutive flagged months (same nationality and region) that touch a
  documented window / all such runs.

Precision is a lower bound: a flag outside this short list may well be a real surge nobody listed here
(e.g. Ecuadorians and Nicaraguans at the Southwest border in late 2022). Also reported: each documented
surge's best monthly rank and the rank of its whole window asked as one period.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import borderdesk  # noqa: E402
from borderdesk.query.periods import month_text, parse_period  # noqa: E402

CHINA = "CHINA, PEOPLES REPUBLIC OF"
REGIONS = ("southwest", "northern", "other")


@dataclass(frozen=True)
class Documented:
    nationality: str
    region: str
    window: str  # a period borderdesk parses
    source: str


DOCUMENTED = (
    Documented(
        "RUSSIA",
        "southwest",
        "2022-10..2022-12",
        "Russians after the partial mobilization of 21 Sep 2022 (events.csv; CBP monthly data)",
    ),
    Documented(
        "UKRAINE",
        "southwest",
        "2022-03..2022-04",
        "rollcall.com 2022-04-21: nearly 15,000 Ukrainians sought asylum at the U.S.-Mexico border "
        "after the invasion",
    ),
    Documented(
        "VENEZUELA", "southwest", "2023-09..2023-09", "Venezuelan arrivals at the Southwest border, Sep 2023"
    ),
    Documented(
        "VENEZUELA",
        "southwest",
        "2022-08..2022-09",
        "DHS 2022-10-12: almost four times as many Venezuelans as the year before attempted to cross",
    ),
    Documented("INDIA", "northern", "FY2023", "Indians crossing from Canada, FY2023"),
    Documented(CHINA, "southwest", "FY2023", "Chinese nationals at the Southwest border, FY2023"),
    Documented(
        "CUBA",
        "southwest",
        "2022-07..2022-12",
        "88 FR 26329 (govinfo 2023-09013): Cuban encounters at the SWB reached record levels in the six "
        "months before January 2023",
    ),
    Documented(
        "NICARAGUA",
        "southwest",
        "2022-10..2022-12",
        "88 FR 1255 (2023-00254): parole process for Nicaraguans, January 2023",
    ),
)
OPERATING_POINTS = ((3, 1.5), (5, 1.5), (5, 1.0), (10, 1.0))


def months(start: str, end: str) -> list[int]:
    p = parse_period(f"{start}..{end}")
    return list(p.months())


def window_months(d: Documented) -> set[int]:
    return set(parse_period(d.window).months())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, help="a borderdesk database (default: a fresh one from the snapshot)")
    ap.add_argument("--start", default="2020-10")
    ap.add_argument("--end", default="2024-09")
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    desk = borderdesk.open(args.db or Path(tmp.name) / "eval.duckdb")
    t0 = time.perf_counter()
    # ranked per (month, region): the way a reporter asks (`surges --period M --region R`)
    ranked: dict[tuple[int, str], list[tuple[str, str, float]]] = {}
    for m in months(args.start, args.end):
        for region in REGIONS:
            table = desk.surges_result(period=month_text(m), region=region, top=None, min_score=None)
            ranked[m, region] = [(r[0], r[1], float(r[5])) for r in table.rows]
    elapsed = time.perf_counter() - t0
    print(
        f"{len(ranked)} month x region rankings ({args.start}..{args.end}) in {elapsed:.1f} s "
        f"({elapsed / len(ranked) * 1000:.0f} ms each)\n"
    )

    print("Documented surges: best monthly rank in the window, and the window asked as one period")
    for d in DOCUMENTED:
        best = None
        for m in sorted(window_months(d)):
            for i, (name, region, score) in enumerate(ranked.get((m, d.region), []), start=1):
                if (name, region) == (d.nationality, d.region) and (best is None or i < best[0]):
                    best = (i, score, month_text(m))
        whole = desk.surges_result(period=d.window, region=d.region, top=None, min_score=None)
        rank = next(
            (i for i, r in enumerate(whole.rows, 1) if (r[0], r[1]) == (d.nationality, d.region)), None
        )
        shown = f"rank {best[0]} (score {best[1]:.1f}, {best[2]})" if best else "not ranked"
        print(
            f"  {d.nationality:<27} {d.region:<9} {d.window:<17} best month {shown}; whole window rank {rank}"
        )

    print("\nOperating point          recall   precision(months)   precision(episodes)   flags")
    for k, s in OPERATING_POINTS:
        flags = {
            (m, name, region)
            for (m, _), rows in ranked.items()
            for name, region, score in rows[:k]
            if score >= s
        }
        hit = [any((m, d.nationality, d.region) in flags for m in window_months(d)) for d in DOCUMENTED]
        inside = {
            f
            for f in flags
            if any((f[1], f[2]) == (d.nationality, d.region) and f[0] in window_months(d) for d in DOCUMENTED)
        }
        episodes: list[tuple[str, str, set[int]]] = []
        for m, name, region in sorted(flags, key=lambda f: (f[1], f[2], f[0])):
            if episodes and episodes[-1][:2] == (name, region) and m - 1 in episodes[-1][2]:
                episodes[-1][2].add(m)
            else:
                episodes.append((name, region, {m}))
        good = [
            e
            for e in episodes
            if any((e[0], e[1]) == (d.nationality, d.region) and e[2] & window_months(d) for d in DOCUMENTED)
        ]
        print(
            f"  top {k:<2} score >= {s:<4}     {sum(hit)}/{len(hit)}      "
            f"{len(inside) / max(len(flags), 1):6.1%} ({len(inside)}/{len(flags)})      "
            f"{len(good) / max(len(episodes), 1):6.1%} ({len(good)}/{len(episodes)})        {len(flags)}"
        )
    desk.close()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
