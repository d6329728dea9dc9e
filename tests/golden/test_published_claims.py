"""Golden corpus of *published* claims: real sentences from news articles and CBP releases.

``claims/published_claims.jsonl`` holds one claim per line: the verbatim quote (with the sentence or
heading it takes a cue from), its URL and publication date, the number, the expected verdict and value,
the reading(s) in the notation of ``bench/claims_eval.py`` and notes on how the value was computed.
See ``claims/README.md``.

Two kinds of test:

* ``test_published_claim`` runs ``desk.check(quote, date=published)`` on the bundled snapshot, finds the
  result whose ``number`` is the claim's number and compares verdict and value. A claim with several
  readings (region or agency left open) accepts the value of any reading that gives the expected verdict.
* the corpus tests guard the data itself: shape and coverage, and every expected verdict and value
  recomputed from the CBP files by an independent helper (``bench/claims_eval.py``, ``csv`` module only,
  no borderdesk code), so the JSONL cannot drift from the data. Every claim's readings are also stored in
  ``claims/expected_readings.json``, checked against the CSVs here, so that a clone with no CBP files
  beside it judges values the same way.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from borderdesk import Desk
from repo_support import cbp_data, load_bench

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "claims" / "published_claims.jsonl"
DATA = cbp_data()

FIELDS = (
    "id", "source", "url", "published", "quote", "number", "expected_verdict", "expected_value",
    "reading", "qualifier", "kind", "notes",
)  # fmt: skip


claims_eval = load_bench("claims_eval")


def _corpus() -> list[dict[str, Any]]:
    with CORPUS.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


CLAIMS = _corpus()


def _have_data() -> bool:
    return (DATA / "nationwide-encounters-fy23-fy26-nov-state.csv").is_file()


def _need_data() -> None:
    if not _have_data():
        pytest.skip(f"real CBP files not found in {DATA}")


@pytest.fixture(scope="module")
def expected() -> dict[str, dict[str, Any]]:
    """Every claim's verdict and readings, recomputed from the CSV files (once per module); without them,
    as stored from them in claims/expected_readings.json (checked against the CSVs below)."""
    if not _have_data():
        return json.loads(claims_eval.READINGS.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    return {c["id"]: claims_eval.evaluate(c) for c in CLAIMS}


# ------------------------------------------------------------------------------------ the checker


def _describe(result: Any) -> str:
    to_dict = getattr(result, "to_dict", None)
    if callable(to_dict):
        d = to_dict()
        keep = ("number", "qualifier", "kind", "question", "value", "verdict", "reason", "alternatives")
        return json.dumps({k: d.get(k) for k in keep}, default=str, ensure_ascii=False)
    return repr(result)


# Claims the checker gets wrong today, each for a reason stated in claims/README.md ("hard cases").
# strict: the day one of them passes, the test says so and the entry must go.
KNOWN_MISSES = {
    "abc-fy2021-1.9m": "'The previous record was 1.9 million' has no encounter word in its sentence",
    "usatoday-jun-vs-may2019-28pct": "'That number fell...': the quote never says what is counted",
}


def _param(claim: dict[str, Any]) -> Any:
    why = KNOWN_MISSES.get(claim["id"])
    marks = [pytest.mark.xfail(strict=True, reason=why)] if why else []
    return pytest.param(claim, id=claim["id"], marks=marks)


@pytest.mark.parametrize("claim", [_param(c) for c in CLAIMS])
def test_published_claim(snapshot_desk: Desk, claim: dict[str, Any], expected: dict[str, Any]) -> None:
    assert hasattr(snapshot_desk, "check"), "Desk.check(text, date=...) is not implemented"
    results = list(snapshot_desk.check(claim["quote"], date=claim["published"]))
    result = claims_eval.find_result(results, claim["number"])
    found = [getattr(r, "number", None) for r in results]
    assert result is not None, f"no claim with number {claim['number']} found; claims found: {found}"
    verdict, value = getattr(result, "verdict", None), getattr(result, "value", None)
    detail = f"\n  expected {claim['expected_verdict']} {claim['expected_value']}\n  got {_describe(result)}"
    assert verdict == claim["expected_verdict"], f"verdict differs{detail}\n  notes: {claim['notes']}"
    assert claims_eval.value_ok(claim, expected[claim["id"]], value), f"value differs{detail}"


# ------------------------------------------------------------------------------------ the corpus


def test_corpus_shape() -> None:
    ids = [c["id"] for c in CLAIMS]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    for c in CLAIMS:
        assert tuple(c) == FIELDS, (c["id"], tuple(c))
        assert re.fullmatch(r"[a-z0-9][a-z0-9.\-]*", c["id"]), c["id"]
        assert c["source"].strip(), c["id"]
        assert re.match(r"https?://[^\s/]+\.[^\s/]+/\S*$", c["url"]), (c["id"], c["url"])
        day = dt.date.fromisoformat(c["published"])
        assert dt.date(2019, 1, 1) <= day <= dt.date(2026, 12, 31), c["id"]
        assert c["expected_verdict"] in claims_eval.VERDICTS, c["id"]
        assert c["qualifier"] in claims_eval.QUALIFIERS, c["id"]
        assert c["kind"] in ("count", "comparison"), c["id"]
        assert isinstance(c["number"], int | float) and c["number"] > 0, c["id"]
        assert (c["expected_value"] is None) == (c["expected_verdict"] == "unverifiable"), c["id"]
        assert len(c["notes"]) > 40, c["id"]
        for reading in c["reading"].split("|"):
            claims_eval.parse_reading(reading)
        comparison = any(sep in c["reading"] for sep in (" vs ", " / "))
        assert comparison == (c["kind"] == "comparison"), c["id"]


def test_corpus_coverage() -> None:
    verdicts = Counter(c["expected_verdict"] for c in CLAIMS)
    assert len(CLAIMS) >= 60
    assert verdicts["inaccurate"] >= 10, verdicts
    assert verdicts["unverifiable"] >= 5, verdicts
    assert sum(c["kind"] == "comparison" for c in CLAIMS) >= 5
    assert {c["qualifier"] for c in CLAIMS} == set(claims_eval.QUALIFIERS)
    readings = " | ".join(c["reading"] for c in CLAIMS)
    for needle in ("· USBP ·", "· OFO ·", "Title 42 ·", "· UAC ·", "· FMUA ·", "· north ·", " / ", "+"):
        assert needle in readings, needle
    assert len({c["url"].split("/")[2] for c in CLAIMS}) >= 20, "too few distinct sites"


WORDS = {2: ("double",), 5: ("five-fold",)}


def _renderings(number: float) -> list[str]:
    """Ways the number can be written in the quote: 233,740 · 2.2 million · 71% · 71 percent · 31.6."""
    out = [f"{number:,}", f"{number:,.0f}" if number == int(number) else f"{number}"]
    if number >= 1_000_000:
        out.append(f"{number / 1_000_000:g} million")
    out += list(WORDS.get(int(number), ())) if number == int(number) else []
    return out


@pytest.mark.parametrize("claim", [pytest.param(c, id=c["id"]) for c in CLAIMS])
def test_number_is_in_quote(claim: dict[str, Any]) -> None:
    quote = claim["quote"]
    assert any(r in quote for r in _renderings(claim["number"])), (claim["number"], quote)


@pytest.mark.parametrize("claim", [pytest.param(c, id=c["id"]) for c in CLAIMS])
def test_expected_matches_csv(claim: dict[str, Any], expected: dict[str, Any]) -> None:
    """The JSONL's verdict and value are what the files say (independent helper, csv module only)."""
    _need_data()
    got = expected[claim["id"]]
    assert got["verdict"] == claim["expected_verdict"], (claim["id"], got["verdict"], got["readings"])
    if got["value"] is None or claim["expected_value"] is None:
        assert got["value"] == claim["expected_value"]
    else:
        assert got["value"] == pytest.approx(claim["expected_value"], abs=0.005), claim["id"]


def test_stored_readings_match_csv() -> None:
    """claims/expected_readings.json is what the CSV files give today (rewrite it with
    `bench/claims_eval.py --write-readings`)."""
    _need_data()
    assert claims_eval.READINGS.read_text(encoding="utf-8") == claims_eval.stored_readings(CLAIMS)


# The helper against the figures of claim-check-examples.md (computed there with DuckDB and csv).
EXAMPLE_FIGURES = [
    ("encounters · all CBP · SW · RUSSIA · all · 2022-11", 5507),
    ("encounters · all CBP · SW · RUSSIA · all · 2022-02..2022-11", 24724),
    ("encounters · all CBP · nat · RUSSIA · all · 2022-02..2022-11", 36593),
    ("encounters · all CBP · SW · RUSSIA · all · 2020-10..2021-09", 4103),
    ("encounters · all CBP · nat · ECUADOR · FMUA · 2024-03", 5413),
    ("encounters · all CBP · nat · UKRAINE · all · 2022-02..2022-08", 76608),
    ("encounters · all CBP · nat · all · all · 2023-10..2024-09", 2901142),
    ("encounters · all CBP · SW · all · all · 2025-02", 11710),
    ("encounters · USBP · SW · all · all · 2020-10..2021-09", 1659206),
    ("encounters · USBP · SW · all · all · 2024-01", 124215),
    ("encounters · OFO · SW · all · all · 2021-06", 10385),
    ("Title 42 · all CBP · nat · all · all · 2021-04", 112898),
    ("encounters · all CBP · SW · all · UAC · 2021-03", 18870),
    ("encounters · all CBP · SW · CHINA, PEOPLES REPUBLIC OF · all · 2023-01..2023-12", 37439),
    ("encounters · all CBP · SW · GUATEMALA+HONDURAS+EL SALVADOR · all · 2022-06", 57948),
    ("encounters · all CBP · SW · HAITI · all · 2021-03..2022-02", 58106),
    ("encounters · USBP · SW · HONDURAS · all · 2024-10", 3801),
    ("encounters · all CBP · SW · all · all · 2024-01 vs 2023-12 down", -41.65),
    ("encounters · all CBP · SW · EL SALVADOR · all · 2023-09 / 2023-07 up", 1.91),
]


@pytest.mark.parametrize(("reading", "value"), EXAMPLE_FIGURES, ids=[r for r, _ in EXAMPLE_FIGURES])
def test_helper_reproduces_spec_examples(reading: str, value: float) -> None:
    _need_data()
    assert claims_eval.reading_value(reading)["value"] == value


@pytest.mark.parametrize(
    ("number", "qualifier", "v", "kind", "ok"),
    [
        (31600, "more_than", 24724, "count", False),  # seed article
        (5500, "more_than", 5507, "count", True),
        (20000, "more_than", 26294, "count", False),  # example 26: u/2 ceiling
        (2900000, "nearly", 2901142, "count", True),  # example 8
        (12000, "less_than", 11710, "count", True),  # example 9
        (42, "exact", 41.65, "percent", True),  # example 25
        (23, "nearly", 20.7, "percent", True),
        (12, "exact", 11.495, "percent", False),
        (2, "exact", 1.91, "ratio", True),  # example 29
        (2, "more_than", 2.5, "ratio", True),
        (3, "exact", 1.91, "ratio", False),
    ],
)
def test_tolerance_table(number: float, qualifier: str, v: float, kind: str, ok: bool) -> None:
    assert claims_eval.band_ok(number, qualifier, v, kind) is ok
