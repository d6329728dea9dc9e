"""The questions ``bench/peers.py`` puts to borderdesk and its peers, and how each peer's answer is read.

Standard library only: the orchestrator (project venv), the HTTP load clients and the tests all use
it, and none of them may need a peer's package to do so. The release file is read here with the
``csv`` module, so the expected values come from the raw file, independently of borderdesk and of
every peer.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

#: Fiscal-year month order (October opens the fiscal year), as the release files abbreviate them.
MONTHS = ("OCT", "NOV", "DEC", "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP")
#: The issue's questions: the Southwest border, months of these fiscal years.
FISCAL_YEARS = (2024, 2025)
SOUTHWEST = "Southwest Land Border"  # as the release files spell the region
#: Datasette's canned SQL: the same text every request, only the named parameters change.
DATASETTE_SQL = (
    "SELECT coalesce(sum(encounters), 0) AS n FROM encounters "
    "WHERE citizenship = :c AND region = :r AND fy = :fy AND month = :m"
)

#: The release file as a DuckDB table (bench/peer_worker.py's DuckDB peer and
#: the FastAPI app, bench/peer_servers.py), and the count each asks with parameters.
DUCKDB_TABLE_SQL = """
CREATE TABLE facts AS
SELECT "Citizenship" AS citizenship, "Land Border Region" AS region,
       CAST(left("Fiscal Year", 4) AS INTEGER) AS fy,
       "Month (abbv)" AS month, CAST("Encounter Count" AS BIGINT) AS encounters
FROM read_csv('{csv}', all_varchar = true)
"""
DUCKDB_COUNT_SQL = (
    "SELECT CAST(coalesce(sum(encounters), 0) AS BIGINT) FROM facts "
    "WHERE citizenship = ? AND region = ? AND fy = ? AND month = ?"
)

Key = tuple[str, str, int, str]  # citizenship, region, fiscal year, month abbreviation


@dataclass(frozen=True)
class Question:
    """How many people of one citizenship were encountered at the Southwest border in one month."""

    citizenship: str  # as the release file spells it ("CHINA, PEOPLES REPUBLIC OF")
    fiscal_year: int
    month: str  # "OCT"

    @property
    def period(self) -> str:
        """The calendar month, as borderdesk takes it: FY2024 OCT is '2023-10'."""
        return calendar_month(self.fiscal_year, self.month)

    @property
    def key(self) -> Key:
        return (self.citizenship, SOUTHWEST, self.fiscal_year, self.month)

    def to_json(self) -> dict[str, object]:
        return {
            "citizenship": self.citizenship,
            "region": SOUTHWEST,
            "fiscal_year": self.fiscal_year,
            "month": self.month,
            "period": self.period,
        }


def calendar_month(fiscal_year: int, month: str) -> str:
    """'YYYY-MM' of a fiscal year's month: October to December belong to the calendar year before."""
    i = MONTHS.index(month)
    year = fiscal_year - 1 if i < 3 else fiscal_year
    return f"{year}-{(i + 9) % 12 + 1:02d}"


def read_release(path: Path) -> dict[Key, int]:
    """Encounters summed by (citizenship, region, fiscal year, month) over every row of a release file
    (the nationwide-by-state layout; '2026 (FYTD)' is fiscal year 2026)."""
    totals: dict[Key, int] = {}
    with path.open(newline="", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            key = (
                row["Citizenship"],
                row["Land Border Region"],
                int(row["Fiscal Year"][:4]),
                row["Month (abbv)"],
            )
            totals[key] = totals.get(key, 0) + int(row["Encounter Count"])
    return totals


def pick_questions(totals: dict[Key, int], n: int = 50, *, seed: int = 17, zeros: int = 3) -> list[Question]:
    """``n`` different questions drawn with a fixed seed: citizenship (those the release holds) x month of
    FY2024-FY2025 at the Southwest border. Up to ``zeros`` of them have the answer 0 (a citizenship with
    no one encountered that month), so every peer also shows it answers "none" right."""
    citizenships = sorted({key[0] for key in totals})
    combos = [Question(c, fy, m) for c in citizenships for fy in FISCAL_YEARS for m in MONTHS]
    empty = [q for q in combos if totals.get(q.key, 0) == 0]
    full = [q for q in combos if totals.get(q.key, 0) != 0]
    rng = random.Random(seed)
    chosen = rng.sample(empty, min(zeros, len(empty), n))
    chosen += rng.sample(full, min(n - len(chosen), len(full)))
    rng.shuffle(chosen)
    return chosen


def expected(totals: dict[Key, int], questions: list[Question]) -> list[int]:
    return [totals.get(q.key, 0) for q in questions]


def mismatches(label: str, questions: list[Question], got: list[int], want: list[int], of: str) -> int:
    """Print a MISMATCH line for (at most 10 of) the questions where ``got`` differs from ``want`` (the
    answers of ``of``); return how many differ."""
    bad = [(q, g, w) for q, g, w in zip(questions, got, want, strict=True) if g != w]
    for q, g, w in bad[:10]:
        print(f"MISMATCH {label}: {q.citizenship} {q.period}: {g:,}, {of} {w:,}")
    return len(bad)


# -- over HTTP: each server's request and how its body holds the number ----------------------------


def borderdesk_path(q: Question) -> str:
    return "/api/count?" + urlencode(
        {"citizenship": q.citizenship, "region": "southwest", "period": q.period}
    )


def datasette_path(database: str, q: Question) -> str:
    params = {"sql": DATASETTE_SQL, "_shape": "array", "c": q.citizenship, "r": SOUTHWEST}
    params |= {"fy": str(q.fiscal_year), "m": q.month}
    return f"/{database}.json?" + urlencode(params)


def fastapi_path(q: Question) -> str:
    params = {"citizenship": q.citizenship, "region": SOUTHWEST, "fy": q.fiscal_year, "month": q.month}
    return "/count?" + urlencode(params)


def parse_value(shape: str, body: bytes) -> int:
    """The number in a response body: ``{"value": n, ...}`` (borderdesk, the FastAPI app) or Datasette's
    ``_shape=array`` rows ``[{"n": n}]``. Raises ValueError when the body holds no integer there."""
    data = json.loads(body)
    if shape == "value":
        value = data.get("value") if isinstance(data, dict) else None
    elif shape == "array":
        value = data[0].get("n") if isinstance(data, list) and data and isinstance(data[0], dict) else None
    else:
        raise ValueError(f"unknown body shape {shape!r}")
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"no integer answer in {body[:120]!r}")
    return value


def percentile(values: list[float], q: float) -> float:
    """The value at quantile ``q`` (nearest rank), e.g. ``percentile(ms, 0.95)``."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]
