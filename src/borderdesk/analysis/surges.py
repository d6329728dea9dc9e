"""Surges: nationalities whose encounters in a period are far above their own seasonal baseline.

For each nationality × region, the monthly series from the first month of data to the end of the
period (newest vintage per month, as every answer) is split into history (before the period) and the
period itself. The history gives a seasonal baseline (:mod:`borderdesk.analysis.seasonal`); the score
is a robust z-score on the log scale (:func:`~borderdesk.analysis.seasonal.surge_score`)::

    score = ln((value + 1) / (baseline + 1)) / sqrt(noise² + 1 / (baseline + 1))

where ``noise`` is the robust spread (1.4826 × MAD) of the nationality's own deseasonalised log
counts over the 12 months before the period. Rows are ranked by score. ``change_point`` is the first
month of the newest upward level shift found by PELT (:mod:`borderdesk.analysis.changepoints`) on the
log series, when it falls within six months before the period or inside it: when the surge began.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import duckdb
import numpy as np

from borderdesk.analysis.changepoints import change_points, noise_scale
from borderdesk.analysis.result import Table, merge_releases
from borderdesk.analysis.seasonal import baseline, surge_score
from borderdesk.errors import ParameterError
from borderdesk.query.catalog import Catalog
from borderdesk.query.engine import choose
from borderdesk.query.frames import series
from borderdesk.query.periods import Period, month_text
from borderdesk.query.question import Question
from borderdesk.store.releases import Release, find_release
from borderdesk.values import Month

REGIONS = ("southwest", "northern", "other")
POOLED = ("OTHER",)  # CBP's bucket of every unnamed country: not a nationality
COLUMNS = (
    "nationality",
    "region",
    "value",
    "baseline",
    "ratio",
    "score",
    "previous",
    "year_earlier",
    "change_point",
)
#: What the columns a reader cannot guess mean: under the CLI table, in the JSON as ``definitions``, and
#: word for word in docs/how-to/answer-a-question.md.
DEFINITIONS = {
    "baseline": "the encounters expected in the period from the nationality's own past months and season",
    "ratio": "value divided by baseline: 3.0 means three times the usual",
    "score": "how far value is above baseline (on a log scale) in units of the nationality's own usual "
    "month-to-month variation, a robust z-score: 0 is usual, larger is more unusual; rows are ranked by it",
    "previous": "encounters in the same number of months just before the period",
    "year_earlier": "encounters in the same months a year earlier",
    "change_point": "the month the newest upward shift in the series began, if it began within six "
    "months before the period or inside it: when the surge started (empty: no such shift)",
}
ONSET_WINDOW = 6  # months before the period in which a change point still counts as this surge's start
METHOD = (
    "score = ln((value+1)/(baseline+1)) / sqrt(noise^2 + 1/(baseline+1)); baseline = exp(level + "
    "season) - 1 per month, level = median of the deseasonalised ln(count+1) over the 12 months before "
    "the period, season = shrunken median deviation from a centred 12-month average (>= 24 months of "
    "history), noise = 1.4826 x MAD of those 12 months (at least 0.15); change_point = start of the "
    "newest upward PELT segment (least squares on ln(count+1))"
)


def _with(question: Question, **filters: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    d = dict(question.filters)
    d.update(filters)
    return tuple(sorted((k, v) for k, v in d.items() if v))


def _history_question(catalog: Catalog, question: Question, region: str) -> tuple[Question, Period]:
    """The by-citizenship series question from the first month of data to the end of the period."""
    q = replace(question, filters=_with(question, region=(region,)), by=("citizenship",))
    family, period, _ = choose(catalog, q)
    if question.as_of:
        rel = find_release(catalog.releases, question.as_of)
        first = catalog.months[rel.release_id][0]
    else:
        first = min(catalog.latest[family])
    assert period.end is not None
    return replace(q, period=Period("range", first, period.end)), period


def onset(months: np.ndarray, counts: np.ndarray, period: Period) -> str | None:
    """First month of the newest upward level shift near the period (YYYY-MM), or None."""
    x = np.log1p(counts.astype(float))
    if len(x) < 6:
        return None
    sigma = max(noise_scale(x), 0.1)
    cps = change_points(x, penalty=2.0 * sigma * sigma * np.log(len(x)))
    bounds = [0, *cps, len(x)]
    assert period.end is not None
    for i in range(len(bounds) - 2, 0, -1):
        start = bounds[i]
        before = x[bounds[i - 1] : start].mean()
        after = x[start : bounds[i + 1]].mean()
        month = int(months[start])
        if period.start - ONSET_WINDOW <= month <= period.end and after > before:
            return month_text(month)
    return None


def surges(
    con: duckdb.DuckDBPyConnection,
    catalog: Catalog,
    question: Question,
    *,
    top: int | None = 10,
    min_value: int = 100,
    min_score: float | None = 0.0,
    include_pooled: bool = False,
) -> Table:
    """Nationality × region rows for the question's period, highest score first (see module doc)."""
    if question.period is None:
        raise ParameterError("period", "surges need a {parameter} (e.g. 2022-11 or FY2023)")
    if top is not None and top < 1:
        raise ParameterError("top", "{parameter} must be at least 1", value=str(top))
    regions = question.values("region") or REGIONS
    wanted = set(question.values("citizenship"))
    base = replace(question, filters=_with(question, citizenship=()))
    rows: list[tuple[Any, ...]] = []
    releases: list[tuple[Release, ...]] = []
    notes: list[str] = []
    resolved: Period | None = None
    for region in regions:
        q, period = _history_question(catalog, base, region)
        resolved = period
        frame = series(con, catalog, q)
        releases.append(frame.releases)
        by_name: dict[str, dict[int, int]] = {}
        for month, name, value in frame.rows:
            by_name.setdefault(name, {})[Month.parse(month).index] = int(value)
        pm = np.array(list(period.months()))
        n = len(pm)
        for name, values in by_name.items():
            if (wanted and name not in wanted) or (not include_pooled and name in POOLED):
                continue
            months = np.array(sorted(values))
            counts = np.array([values[m] for m in months])
            value = int(counts[np.isin(months, pm)].sum())
            b = baseline(months, counts, pm)
            if b is None:
                notes.append(f"{name} ({region}): fewer than 3 months before {period.text}, no baseline")
                continue
            if value < min_value:
                continue

            def total(
                lo: int, hi: int, months: np.ndarray = months, counts: np.ndarray = counts
            ) -> int | None:
                if lo < months[0]:
                    return None
                return int(counts[(months >= lo) & (months <= hi)].sum())

            rows.append(
                (
                    name,
                    region,
                    value,
                    round(b.expected),
                    round(value / b.expected, 2) if b.expected > 0 else None,
                    round(surge_score(value, b.expected, b.noise), 2),
                    total(period.start - n, period.start - 1),
                    total(period.start - 12, period.start - 12 + n - 1),
                    onset(months, counts, period),
                )
            )
    if min_score is not None:
        rows = [r for r in rows if r[5] > min_score]
    rows.sort(key=lambda r: (-r[5], r[0], r[1]))
    if top is not None:
        rows = rows[:top]
    assert resolved is not None
    qdict = question.to_dict()
    qdict["period"] = resolved.text
    qdict["months"] = {"start": month_text(resolved.start), "end": month_text(resolved.months()[-1])}
    qdict["text"] = replace(question, period=resolved).describe()
    if min_value:
        notes.append(f"nationalities with fewer than {min_value:,} encounters in the period are left out")
    if min_score is not None:
        notes.append(f"only rows with a score above {min_score:g} (encounters above the baseline)")
    if not include_pooled:
        notes.append("CBP's pooled OTHER citizenship is left out (it is not a nationality)")
    return Table(
        "surges", COLUMNS, tuple(rows), merge_releases(*releases), qdict, METHOD, tuple(notes), DEFINITIONS
    )
