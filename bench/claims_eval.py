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
recomputes every reading of a claim straight from the CBP files in ``../shared/data/cbp`` with the
``csv`` module (no borderdesk code), applies the tolerance table of ``claim-check.md`` and returns the
expected verdict and value. ``tests/golden/test_published_claims.py`` imports it to make sure the
JSONL cannot drift from the data.

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
import csv
import gzip
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "cbp"
CORPUS = ROOT / "tests" / "golden" / "claims" / "published_claims.jsonl"
SEED = ROOT.parent / "shared" / "seed" / "russians-southern-border-2022-12.txt"
SEED_DATE = "2022-12-28"

VERDICTS = ("supported", "inaccurate", "unverifiable")
QUALIFIERS = ("exact", "about", "more_than", "at_least", "nearly", "less_than")

# ------------------------------------------------------------------------------------------ the files

#: By-state releases, newest first, with the calendar months they cover.
STATE = (
    ("nationwide-encounters-fy23-fy26-nov-state.csv", "2022-10", "2025-11"),
    ("nationwide-encounters-fy22-fy25-state.csv", "2021-10", "2025-09"),
    ("nationwide-encounters-fy21-fy24-state.csv", "2020-10", "2024-09"),
    ("nationwide-encounters-fy20-fy23-state.csv", "2019-10", "2023-09"),
)
SBO = ("sbo-encounters-fy22-fy25-aug.csv", "2021-10", "2025-08")
AOR = ("tidytuesday-2024-11-26/cbp_resp.csv.gz", "2019-10", "2024-09")
REGIONS = {"nat": None, "SW": "Southwest Land Border", "north": "Northern Land Border", "other": "Other"}
CITIZENSHIPS = frozenset(
    {
        "BRAZIL",
        "CANADA",
        "CHINA, PEOPLES REPUBLIC OF",
        "COLOMBIA",
        "CUBA",
        "ECUADOR",
        "EL SALVADOR",
        "GUATEMALA",
        "HAITI",
        "HONDURAS",
        "INDIA",
        "MEXICO",
        "MYANMAR (BURMA)",
        "NICARAGUA",
        "PERU",
        "PHILIPPINES",
        "ROMANIA",
        "RUSSIA",
        "TURKEY",
        "UKRAINE",
        "VENEZUELA",
    }
)
SBO_CITIZENSHIPS = frozenset({"EL SALVADOR", "GUATEMALA", "HONDURAS", "MEXICO"})
DEMOGRAPHICS = {
    "UAC": frozenset({"UAC", "UC / Single Minors"}),
    "FMUA": frozenset({"FMUA"}),
    "Single Adults": frozenset({"Single Adults"}),
    "Accompanied Minors": frozenset({"Accompanied Minors"}),
}
COMPONENTS = {"USBP": "U.S. Border Patrol", "OFO": "Office of Field Operations"}
TITLES = {"encounters": None, "Title 42": "Title 42", "Title 8": "Title 8"}
MONTH_NO = {
    "OCT": 10,
    "NOV": 11,
    "DEC": 12,
    "JAN": 1,
    "FEB": 2,
    "MAR": 3,
    "APR": 4,
    "MAY": 5,
    "JUN": 6,
    "JUL": 7,
    "AUG": 8,
    "SEP": 9,
}

Row = tuple[str, str, str, str, str, str | None, int]  # ym, region, citizenship, demographic, title, comp, n


def _ym(fiscal_year: str, abbv: str) -> str:
    fy, month = int(fiscal_year.strip()[:4]), MONTH_NO[abbv.strip().upper()]
    return f"{fy - 1 if month >= 10 else fy:04d}-{month:02d}"


def _lines(path: Path) -> Iterator[str]:
    if path.name.endswith(".gz"):
        with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as fh:
            yield from fh
    else:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            yield from fh


@cache
def rows(name: str) -> tuple[Row, ...]:
    """Every row of a release file, normalised; read with the csv module only."""
    out: list[Row] = []
    for raw in csv.DictReader(_lines(DATA / name)):
        d = {k.strip(): (v or "").strip() for k, v in raw.items()}
        if "fiscal_year" in d:  # TidyTuesday cbp_resp (snake_case, AOR level)
            out.append(
                (
                    _ym(d["fiscal_year"], d["month_abbv"]),
                    d["land_border_region"],
                    d["citizenship"],
                    d["demographic"],
                    d["title_of_authority"],
                    d["component"],
                    int(d["encounter_count"]),
                )
            )
        elif "Component" in d:  # Southwest Land Border Encounters (sbo): every row is Southwest
            out.append(
                (
                    _ym(d["Fiscal Year"], d["Month (abbv)"]),
                    REGIONS["SW"] or "",
                    d["Citizenship Grouping"].upper(),
                    d["Demographic"],
                    d["Title of Authority"],
                    d["Component"],
                    int(d["Encounter Count"]),
                )
            )
        else:  # Nationwide Encounters by state
            out.append(
                (
                    _ym(d["Fiscal Year"], d["Month (abbv)"]),
                    d["Land Border Region"],
                    d["Citizenship"],
                    d["Demographic"],
                    d["Title of Authority"],
                    None,
                    int(d["Encounter Count"]),
                )
            )
    return tuple(out)


def months(start: str, end: str) -> list[str]:
    y, m = map(int, start.split("-"))
    out = []
    while f"{y:04d}-{m:02d}" <= end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def pick_file(agency: str, region: str, cits: frozenset[str] | None, start: str, end: str) -> str | None:
    """The newest file that covers start..end at the detail the reading needs."""
    if agency == "all CBP":
        return next((name for name, a, b in STATE if a <= start and end <= b), None)
    if region == "SW" and SBO[1] <= start and end <= SBO[2] and (cits is None or cits <= SBO_CITIZENSHIPS):
        return SBO[0]
    if AOR[1] <= start and end <= AOR[2]:
        return AOR[0]
    return None


def total(
    name: str,
    measure: str,
    agency: str,
    region: str,
    cits: frozenset[str] | None,
    demo: str,
    start: str,
    end: str,
) -> int:
    wanted = set(months(start, end))
    reg, title = REGIONS[region], TITLES[measure]
    dem = None if demo == "all" else DEMOGRAPHICS[demo]
    comp = None if agency == "all CBP" else COMPONENTS[agency]
    return sum(
        n
        for (ym, rg, cit, de, ti, co, n) in rows(name)
        if ym in wanted
        and (reg is None or rg == reg)
        and (cits is None or cit in cits)
        and (dem is None or de in dem)
        and (title is None or ti == title)
        and (comp is None or co == comp)
    )


# ------------------------------------------------------------------------------------------ readings

FIELDS = ("measure", "agency", "region", "citizenship", "demographic", "period")


def parse_reading(text: str) -> dict[str, str]:
    parts = [p.strip() for p in text.split("·")]
    if len(parts) != len(FIELDS):
        raise ValueError(f"a reading has {len(FIELDS)} fields separated by '·': {text!r}")
    reading = dict(zip(FIELDS, parts, strict=True))
    if reading["agency"] not in ("all CBP", *COMPONENTS):
        raise ValueError(f"unknown agency in {text!r}")
    if reading["region"] not in REGIONS:
        raise ValueError(f"unknown region in {text!r}")
    if reading["demographic"] != "all" and reading["demographic"] not in DEMOGRAPHICS:
        raise ValueError(f"unknown demographic in {text!r}")
    return reading


def _span(period: str) -> tuple[str, str]:
    start, _, end = period.strip().partition("..")
    return start, end or start


def reading_value(text: str) -> dict[str, Any]:
    """{'value': int | float | None, 'file': str | None, 'why': str, 'sides': (v1, v0) | None, ...}."""
    r = parse_reading(text)
    period = r["period"]
    kind, direction = "count", None
    for sep, k in ((" vs ", "percent"), (" / ", "ratio")):
        if sep in period:
            kind = k
            later, earlier = period.split(sep)
            earlier, _, direction = earlier.strip().rpartition(" ")
            if direction not in ("up", "down"):
                raise ValueError(f"a comparison period ends with 'up' or 'down': {text!r}")
    out: dict[str, Any] = {
        "reading": text,
        "kind": kind,
        "direction": direction,
        "value": None,
        "file": None,
        "sides": None,
    }
    if r["measure"] not in TITLES:
        return {**out, "why": f"{r['measure']} are not in any release"}
    cits = None if r["citizenship"] == "all" else frozenset(r["citizenship"].split("+"))
    if cits is not None and not cits <= CITIZENSHIPS:
        return {**out, "why": f"{'+'.join(sorted(cits - CITIZENSHIPS))} pooled into OTHER"}
    args = (r["measure"], r["agency"], r["region"], cits, r["demographic"])
    if kind == "count":
        start, end = _span(period)
        name = pick_file(r["agency"], r["region"], cits, start, end)
        if name is None:
            return {**out, "why": f"no release covers {period} for {r['agency']} {r['region']}"}
        return {**out, "value": total(name, *args, start, end), "file": name, "why": ""}
    (a1, b1), (a0, b0) = _span(later), _span(earlier)
    name = pick_file(r["agency"], r["region"], cits, min(a0, a1), max(b0, b1))
    if name is None:
        return {**out, "why": "no single release covers both sides"}
    v1, v0 = total(name, *args, a1, b1), total(name, *args, a0, b0)
    raw = (v1 - v0) / v0 * 100 if kind == "percent" else v1 / v0
    value = round(raw, 2) if kind == "percent" else round(raw, 3)
    return {**out, "value": value, "raw": raw, "file": name, "sides": (v1, v0), "why": ""}


# ------------------------------------------------------------------------------------------ tolerance


def unit(x: float) -> float:
    """Place value of the last significant digit: 5507 -> 1, 31600 -> 100, 2700000 -> 100000, 31.6 -> 0.1."""
    if x != int(x):
        decimals = len(repr(float(x)).split(".")[1].rstrip("0"))
        return 10.0**-decimals
    n, u = abs(int(x)), 1
    while n and n % (u * 10) == 0:
        u *= 10
    return float(u)


def band_ok(x: float, qualifier: str, v: float, kind: str) -> bool:
    """The tolerance table of claim-check.md. For comparisons ``v`` is the unsigned computed change."""
    if kind == "count":
        half, r, ten, three, quarter = unit(x) / 2, 0.01 * x, 0.10 * x, 0.03 * x, 0.25 * x
    elif kind == "percent":  # percentage points; integer percents have a unit of 1
        step = unit(x) if x != int(x) else 1.0
        half = r = 0.5
        if qualifier == "exact":
            half = max(step / 2, 0.5)
        ten, three, quarter = 0.10 * x, 0.03 * x, 0.25 * x
    else:  # a multiple: within 10% of it; qualified multiples use 10% as r and u/2
        half = r = 0.10 * x
        ten, three, quarter = 0.10 * x, 0.03 * x, 0.25 * x
    if qualifier == "exact":
        return abs(v - x) <= max(half, r)
    if qualifier == "about":
        return abs(v - x) <= max(half, three)
    if qualifier == "more_than":
        return x - r < v <= x + max(half, quarter)
    if qualifier == "at_least":
        return v >= x - r
    if qualifier == "nearly":
        return x - max(half, ten) <= v < x + r
    if qualifier == "less_than":
        return x - max(half, quarter) <= v < x + r
    raise ValueError(f"unknown qualifier {qualifier!r}")


def matches(claim: dict[str, Any], rv: dict[str, Any]) -> bool:
    if rv["value"] is None:
        return False
    if rv["kind"] == "count":
        return band_ok(float(claim["number"]), claim["qualifier"], float(rv["value"]), "count")
    raw = rv["raw"]  # unrounded: +11.495% is 0.505 points from 12, not 0.5
    if rv["kind"] == "percent":
        sign_ok = (raw >= 0) == (rv["direction"] == "up")
        return sign_ok and band_ok(float(claim["number"]), claim["qualifier"], abs(raw), "percent")
    sign_ok = (raw >= 1) == (rv["direction"] == "up")
    return sign_ok and band_ok(float(claim["number"]), claim["qualifier"], raw, "ratio")


def evaluate(claim: dict[str, Any]) -> dict[str, Any]:
    """Expected verdict and value of a corpus claim, recomputed from the CSV files.

    supported: some reading matches, the value is the first matching reading's; inaccurate: readings
    were computed but none matches, the value is the first reading's; unverifiable: no reading can be
    computed, the value is None. ``readings`` lists every reading with its value and whether it matched.
    """
    details = [reading_value(t.strip()) for t in claim["reading"].split("|")]
    for d in details:
        d["ok"] = matches(claim, d)
    computed = [d for d in details if d["value"] is not None]
    if not computed:
        return {"verdict": "unverifiable", "value": None, "readings": details}
    hit = next((d for d in details if d["ok"]), None)
    if hit is not None:
        return {"verdict": "supported", "value": hit["value"], "readings": details}
    if len(computed) != len(details):  # no computable reading matches, another cannot be computed
        raise ValueError(f"{claim['id']}: ambiguous (no reading matches and some cannot be computed)")
    return {"verdict": "inaccurate", "value": details[0]["value"], "readings": details}


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


def report(outcomes: list[dict[str, Any]], seed_seconds: float | None) -> int:
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
    if wrong:
        print(f"\ndiffering claims ({len(wrong)}):")
        for o in wrong:
            exp = o["expected"]
            print(
                f"- {o['claim']['id']}: expected {exp['verdict']} {exp['value']}, "
                f"got {o['got']} {o['value']} — {o['reason']}"
            )
    if seed_seconds is not None:
        print(f"\nseed article check (warm, median of 20): {seed_seconds * 1000:.1f} ms")
    print(f"claims accuracy: {good}/{n} ({100.0 * good / n if n else 0.0:.1f}%)")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--db", type=Path, default=None, help="database to use (default: a fresh snapshot DB)")
    ap.add_argument("--recompute", action="store_true", help="only check the corpus against the CSV files")
    args = ap.parse_args()
    corpus = load_corpus(args.corpus)
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
        finally:
            desk.close()
    return report(outcomes, seconds)


if __name__ == "__main__":
    sys.exit(main())
