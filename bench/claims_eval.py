#!/usr/bin/env python3
"""Run ``desk.check`` over the golden corpus of published claims and score it.

    .venv/bin/python bench/claims_eval.py [--corpus tests/golden/claims/published_claims.jsonl] [--db PATH]
    .venv/bin/python bench/claims_eval.py --recompute     # only re-derive the corpus values from the CSVs

For every claim in the corpus (real sentences from news articles and CBP releases, each with its URL and
publication date) the checker is run on the quote with ``date=published``; the result whose ``number``
equals the claim's number is compared with the expected verdict and value. Printed: accuracy, the
confusion matrix (expected x got), every claim that differs (id, expected, got, reason), and the warm
in-process time to check the seed article (median of 20 runs). The last line is
``claims accuracy: X/Y (Z%)``.

This module also holds the *independent* truth used to build and guard the corpus: ``evaluate(claim)``
recomputes every reading of a claim straight from the CBP files (``data/cbp``, restored by
``repo_data.py``) with the ``csv`` module (no borderdesk code), applies the tolerance table of
``claim-check.md`` and returns the expected verdict and value.
``tests/golden/test_published_claims.py`` imports it to make sure the JSONL cannot drift from the data.

Reading notation (the ``reading`` field of the corpus; several readings are joined with `` | ``)::

    measure · agency · region · citizenship · demographic · period

* measure: ``encounters``, ``Title 42``, ``Title 8``; anything else (``gotaways``, ``unique individuals``,
  ``daily average``) is not in the data and makes the reading unverifiable;
* agency: ``all CBP``, ``USBP``, ``OFO``; region: ``nat``, ``SW``, ``north``, ``other``;
* citizenship: ``all`` or release spellings joined with ``+`` (summed); a name outside the 21 listed
  countries (e.g. ``SENEGAL``) is pooled into OTHER and makes the reading unverifiable;
* demographic: ``all``, ``UAC``, ``FMUA``, ``Single Adults``, ``Accompanied Minors``;
* period: ``YYYY-MM`` or ``YYYY-MM..YYYY-MM``; a comparison is ``P1 vs P0 up|down`` (percent change from
  P0 to P1) or ``P1 / P0 up|down`` (ratio P1/P0), both sides from the one release that covers both.

Which file answers (the newest that covers the period at the detail needed): the by-state releases
fy23-fy26-nov (2022-10..2025-11), fy22-fy25 (2021-10..2025-09), fy21-fy24 year-end (2020-10..2024-09),
fy20-fy23 (2019-10..2023-09) for all of CBP; for USBP/OFO the Southwest-only sbo file (2021-10..2025-08,
citizenship only El Salvador, Guatemala, Honduras, Mexico) where it covers, else TidyTuesday's cbp_resp
(2019-10..2024-09). Anything else is unverifiable.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

# last on the path, so that bench/http.py never shadows the standard library's http
sys.path.append(str(Path(__file__).resolve().parent))
import article_eval
from claims_truth import (
    QUALIFIERS,
    VERDICTS,
    band_ok,
    evaluate,
    matches,
    parse_reading,
    reading_value,
)

__all__ = ["QUALIFIERS", "VERDICTS", "band_ok", "evaluate", "matches", "parse_reading", "reading_value"]

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "golden" / "claims" / "published_claims.jsonl"
#: every claim's readings as the CSV files answer them, stored so that a clone with no CBP files beside it
#: still accepts any reading's value (the golden test checks the file against the CSVs when they are there)
READINGS = ROOT / "tests" / "golden" / "claims" / "expected_readings.json"
SEED = ROOT / "examples" / "russians-southern-border-2022-12.txt"
SEED_DATE = "2022-12-28"


def load_corpus(path: Path = CORPUS) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


# ------------------------------------------------------------------------------------------ the checker


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def same_number(a: Any, b: float) -> bool:
    try:
        return abs(float(a) - float(b)) < 1e-9
    except (TypeError, ValueError):
        return False


def find_result(results: list[Any], number: float) -> Any | None:
    return next((r for r in results if same_number(_get(r, "number"), number)), None)


def stored_readings(corpus: list[dict[str, Any]]) -> str:
    """Every claim's readings, recomputed from the CSV files, as the text of READINGS."""
    return (
        json.dumps({c["id"]: evaluate(c) for c in corpus}, indent=1, sort_keys=True, ensure_ascii=False)
        + "\n"
    )


def value_ok(claim: dict[str, Any], expected: dict[str, Any], got: Any) -> bool:
    """The checker's value equals the expected one; with several readings, any reading that could be
    reported for the expected verdict is accepted (matching ones for supported, all for inaccurate)."""
    if expected["verdict"] == "unverifiable":
        return got is None
    if got is None:
        return False
    pool = expected["readings"]
    if expected["verdict"] == "supported":
        pool = [d for d in pool if d["ok"]]
    if claim["kind"] == "count":
        return any(same_number(got, d["value"]) for d in pool)
    g = abs(float(got))
    for d in pool:
        want = abs(float(d["value"]))
        if d["kind"] == "percent" and (abs(g - want) <= 0.051 or abs(g * 100 - want) <= 0.051):
            return True
        if d["kind"] == "ratio" and abs(g - want) <= 0.0051:
            return True
    return False


def run(desk: Any, corpus: list[dict[str, Any]]) -> list[dict[str, Any]]:
    outcomes = []
    for claim in corpus:
        expected = evaluate(claim)
        try:
            result = find_result(list(desk.check(claim["quote"], date=claim["published"])), claim["number"])
        except Exception as exc:  # a crash on one claim is a miss, not the end of the run
            outcomes.append(
                {
                    "claim": claim,
                    "expected": expected,
                    "got": "error",
                    "value": None,
                    "reason": f"{type(exc).__name__}: {exc}",
                    "ok": False,
                }
            )
            continue
        if result is None:
            outcomes.append(
                {
                    "claim": claim,
                    "expected": expected,
                    "got": "missing",
                    "value": None,
                    "reason": "no result with this number",
                    "ok": False,
                }
            )
            continue
        got, value = _get(result, "verdict"), _get(result, "value")
        ok = got == expected["verdict"] and value_ok(claim, expected, value)
        outcomes.append(
            {
                "claim": claim,
                "expected": expected,
                "got": got,
                "value": value,
                "reason": _get(result, "reason") or "",
                "ok": ok,
            }
        )
    return outcomes


def seed_timing(desk: Any, runs: int = 20) -> float:
    text = SEED.read_text(encoding="utf-8")
    desk.check(text, date=SEED_DATE)  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        desk.check(text, date=SEED_DATE)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def report(outcomes: list[dict[str, Any]], seed_seconds: float | None, *, show: bool = True) -> int:
    n, good = len(outcomes), sum(o["ok"] for o in outcomes)
    cols = (*VERDICTS, "missing", "error")
    grid = Counter((o["expected"]["verdict"], o["got"] if o["got"] in cols else "other") for o in outcomes)
    print(f"claims: {n}")
    print("\nconfusion (rows expected, columns got):")
    header = f"{'':>14}" + "".join(f"{c:>14}" for c in (*cols, "other"))
    print(header)
    for exp in VERDICTS:
        print(f"{exp:>14}" + "".join(f"{grid[(exp, c)]:>14}" for c in (*cols, "other")))
    wrong = [o for o in outcomes if not o["ok"]]
    if wrong and show:
        print(f"\ndiffering claims ({len(wrong)}):")
        for o in wrong:
            exp = o["expected"]
            print(
                f"- {o['claim']['id']}: expected {exp['verdict']} {exp['value']}, "
                f"got {o['got']} {o['value']} — {o['reason']}"
            )
    if seed_seconds is not None:
        print(f"\nseed article check (warm, median of 20): {seed_seconds * 1000:.1f} ms")
    print(f"quote corpus: {good}/{n} right ({100.0 * good / n if n else 0.0:.1f}%)")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--articles", type=Path, default=article_eval.ARTICLES)
    ap.add_argument(
        "--details",
        choices=("quotes", "dev", "heldout", "all", "none"),
        default="quotes",
        help="whose misses to print (the held-out articles' only when asked for)",
    )
    ap.add_argument("--db", type=Path, default=None, help="database to use (default: a fresh snapshot DB)")
    ap.add_argument("--recompute", action="store_true", help="only check the corpus against the CSV files")
    ap.add_argument(
        "--write-readings", action="store_true", help=f"store every claim's readings in {READINGS.name}"
    )
    args = ap.parse_args()
    corpus = load_corpus(args.corpus)
    if args.write_readings:
        READINGS.write_text(stored_readings(corpus), encoding="utf-8")
        print(f"{len(corpus)} claims' readings written to {READINGS}")
        return 0
    if args.recompute:
        bad = 0
        for claim in corpus:
            exp = evaluate(claim)
            if exp["verdict"] != claim["expected_verdict"] or not value_ok(
                claim, exp, claim["expected_value"]
            ):
                bad += 1
                print(
                    f"{claim['id']}: corpus says {claim['expected_verdict']} {claim['expected_value']}, "
                    f"CSV gives {exp['verdict']} {exp['value']}"
                )
        print(f"{len(corpus) - bad}/{len(corpus)} claims agree with the CSV files")
        return 1 if bad else 0

    import tempfile

    import borderdesk

    with tempfile.TemporaryDirectory() as tmp:
        desk = borderdesk.open(args.db or Path(tmp) / "borderdesk.duckdb")
        try:
            if not hasattr(desk, "check"):
                print("Desk has no check() yet", file=sys.stderr)
                print(f"claims accuracy: 0/{len(corpus)} (0.0%)")
                return 1
            outcomes = run(desk, corpus)
            seconds = seed_timing(desk)
            articles = article_eval.load_articles(args.articles)
            parts = {
                split: article_eval.score(desk, [a for a in articles if a["split"] == split])
                for split in ("dev", "heldout")
            }
        finally:
            desk.close()
    report(outcomes, seconds, show=args.details in ("quotes", "all"))
    print()
    for split in ("dev", "heldout"):
        if args.details in (split, "all"):
            print(f"\n{split} misses and flags:")
            print("\n".join(article_eval.details(parts[split])))
    for split in ("dev", "heldout"):
        print(article_eval.line(f"articles ({split})", parts[split]))
    good = sum(o["ok"] for o in outcomes)
    print(f"claims accuracy: {good}/{len(outcomes)} ({100.0 * good / len(outcomes):.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
