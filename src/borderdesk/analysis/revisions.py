"""Revisions: what changed between two vintages, month by month, and one month across every vintage.

CBP revises the months of the fiscal year in progress from one monthly release to the next (SW Oct
2023: 240,988 in the -oct release, 240,927 in the year-end one). Both views ask the ordinary query
engine, pinned to one release at a time (``as_of``), so the numbers are exactly what ``count --as-of``
gives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import duckdb

from borderdesk.analysis.result import Table
from borderdesk.errors import BorderdeskError, CoverageError, ParameterError
from borderdesk.query.catalog import Catalog
from borderdesk.query.engine import capable, choose, count
from borderdesk.query.frames import series
from borderdesk.query.periods import Period, month_text, parse_period
from borderdesk.query.question import Question
from borderdesk.store.releases import find_release, recency

COLUMNS = ("month", "from_value", "to_value", "change", "percent")
HISTORY_COLUMNS = ("release", "file", "published", "coverage_end", "value", "change", "percent")


def _pct(new: int, old: int | None) -> float | None:
    return None if not old else round((new - old) / old * 100, 3)


def _question_dict(question: Question, period: Period | None) -> dict[str, Any]:
    d = question.to_dict()
    if period is not None and period.end is not None:
        d["period"] = period.text
        d["months"] = {"start": month_text(period.start), "end": month_text(period.end)}
    d["text"] = replace(question, period=period, as_of=None).describe()
    return d


def compare(
    con: duckdb.DuckDBPyConnection,
    catalog: Catalog,
    question: Question,
    old: str,
    new: str,
    *,
    changed_only: bool = False,
) -> Table:
    """Every month both releases hold (within the question's period, if any): old value, new value,
    change and percent change."""
    a, b = find_release(catalog.releases, old), find_release(catalog.releases, new)
    if a.family != b.family:
        raise BorderdeskError(
            f"releases {a.label} ({a.family}) and {b.label} ({b.family}) are different kinds of file; "
            "compare two vintages of one family"
        )
    common = sorted(set(catalog.months.get(a.release_id, ())) & set(catalog.months.get(b.release_id, ())))
    if not common:
        raise CoverageError(f"releases {a.label} and {b.label} have no month in common")
    span = Period("range", common[0], common[-1])
    if question.period is not None:
        wanted = question.period.resolve(common[-1])
        lo, hi = max(wanted.start, common[0]), min(wanted.end or common[-1], common[-1])
        if lo > hi:
            raise CoverageError(
                f"period {wanted.text} is not in both releases; they share "
                f"{month_text(common[0])} to {month_text(common[-1])}"
            )
        span = Period("range", lo, hi)
    values = []
    for rel in (a, b):
        frame = series(con, catalog, replace(question, period=span, as_of=rel.label, by=()))
        values.append({m: int(v) for m, v in frame.rows})
    rows = []
    for m in span.months():
        key = month_text(m)
        before, after = values[0].get(key, 0), values[1].get(key, 0)
        if changed_only and before == after:
            continue
        rows.append((key, before, after, after - before, _pct(after, before)))
    notes = [f"from {a.label} ({a.file}) to {b.label} ({b.file})"]
    return Table(
        "revisions",
        COLUMNS,
        tuple(rows),
        (a, b),
        _question_dict(question, span),
        "as_of each release",
        tuple(notes),
    )


def month_history(
    con: duckdb.DuckDBPyConnection, catalog: Catalog, question: Question, month: Period
) -> Table:
    """One month's value in every release that holds it, oldest vintage first, with the change from
    the vintage before."""
    if month.kind != "month":
        raise ParameterError(
            "month", f"{{parameter}} needs one month like 2023-10, not {month.text!r}", value=month.text
        )
    q = replace(question, period=month, as_of=None, by=())
    family, _, _ = choose(catalog, q)
    holders = [
        r
        for r in catalog.releases
        if r.family == family
        and month.start in catalog.months.get(r.release_id, ())
        and capable(catalog, family, q) is None
    ]
    holders.sort(key=recency)
    rows = []
    previous: int | None = None
    for rel in holders:
        value = count(con, catalog, replace(q, as_of=rel.label)).value
        change = None if previous is None else value - previous
        rows.append(
            (
                rel.label,
                rel.file,
                rel.published,
                f"{rel.coverage_end:%Y-%m}",
                value,
                change,
                _pct(value, previous),
            )
        )
        previous = value
    return Table(
        "month-history",
        HISTORY_COLUMNS,
        tuple(rows),
        tuple(holders),
        _question_dict(question, month),
        "as_of each release holding the month, oldest vintage first",
        (),
    )


def revisions(
    con: duckdb.DuckDBPyConnection,
    catalog: Catalog,
    question: Question,
    *,
    from_release: str | None = None,
    to_release: str | None = None,
    month: str | None = None,
    changed_only: bool = False,
    today: dt.date | None = None,
) -> Table:
    """One of the two views, as the shells offer them: with ``month`` ("2023-10") that month in every
    vintage (:func:`month_history`), otherwise two vintages compared month by month (:func:`compare`;
    by default the newest release of the family and the one before it, see :func:`default_pair`)."""
    if month is not None:
        return month_history(con, catalog, question, parse_period(month, today=today))
    old, new = default_pair(catalog, question, from_release, to_release)
    return compare(con, catalog, question, old, new, changed_only=changed_only)


def default_pair(catalog: Catalog, question: Question, old: str | None, new: str | None) -> tuple[str, str]:
    """The two vintages to compare when --from/--to are left out: the newest release of the family that
    answers the question, and the one before it."""
    if old and new:
        return old, new
    family, _, _ = choose(catalog, replace(question, period=None, as_of=None, by=()))
    ordered = sorted((r for r in catalog.releases if r.family == family), key=recency)
    target = find_release(catalog.releases, new) if new else ordered[-1]
    if old:
        return old, target.label
    earlier = [r for r in ordered if recency(r) < recency(target)]
    if not earlier:
        raise ParameterError(
            "from_release",
            f"release {target.label} has no earlier vintage to compare with; give {{parameter}}",
        )
    return earlier[-1].label, target.label
