"""Answer a Question from the store: pick the source family, the vintage per month, build the SQL.

SQL is always parameterized; column names come from :data:`borderdesk.store.schema.FACT_DIMENSIONS`
only. A catalog of releases, codes and per-month vintages is read once per database state, so a
count costs one small query.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import duckdb

from borderdesk.errors import BorderdeskError, CoverageError, PeriodError, ReleaseNotFoundError
from borderdesk.query import names
from borderdesk.query.catalog import Answer, Catalog
from borderdesk.query.periods import Period, index_date, month_text
from borderdesk.query.question import Question
from borderdesk.query.refusal import Blocked, Outside, refusal
from borderdesk.query.zeros import checked_zero
from borderdesk.sources import registry
from borderdesk.sources.family import TablePlan
from borderdesk.store.releases import Release, find_release, newest
from borderdesk.store.schema import FACT_DIMENSIONS

# The families a question naming no source is answered from, in preference order (the most detailed
# citizenship first), as the registry declares them; these two tables are views of it.
FAMILY_DIMENSIONS: dict[str, frozenset[str]] = {f.name: f.dimensions for f in registry.default_families()}
FAMILY_TITLES = {f.name: f.title for f in registry.default_families()}


@functools.lru_cache(maxsize=4096)
def _family_plan(family: str, by: tuple[str, ...], filters: tuple[str, ...]) -> TablePlan | None:
    """The family's plan for this breakdown and these filtered dimensions (None: not a default family).
    Families are fixed objects and a plan is plain data, so it is made once per shape of question:
    a warm count asks every family for one, and building it cost a tenth of the count."""
    fam = registry.family(family)
    if fam is None or not fam.default:
        return None
    return fam.plan(by, filters)


def _shape(question: Question) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What a family's plan depends on: the breakdown and which dimensions are filtered."""
    return tuple(question.by), tuple([dim for dim, _ in question.filters])


def _capable(
    catalog: Catalog, family: str, question: Question, shape: tuple[tuple[str, ...], tuple[str, ...]]
) -> str | None:
    """None if ``family`` can answer the question's filters, else why not."""
    plan = _family_plan(family, *shape)
    if plan is None:  # Border Patrol history tables are answered by borderdesk.history
        return f"{family} releases are Border Patrol history tables: ask them with source={family!r}"
    if plan.refusal:
        return plan.refusal
    for dim, values in question.filters:
        have = catalog.present.get(family, {}).get(dim, frozenset())
        codes = catalog.codes.get(dim, {})
        missing = [v for v in values if codes.get(v) not in have]
        if missing:
            return f"{FAMILY_TITLES[family]} has no {dim} {', '.join(missing)}"
    for dim, why in plan.requires:
        if not question.values(dim):
            return why
    return None


def capable(catalog: Catalog, family: str, question: Question) -> str | None:
    """None if ``family`` can answer the question's breakdown and filters, else why not (worded for users)."""
    return _capable(catalog, family, question, _shape(question))


def choose(catalog: Catalog, question: Question) -> tuple[str, Period, list[tuple[int, int, int]]]:
    """Which data answers ``question``: the family, the resolved period, and the segments of (release_id,
    first month, last month), by the one recency rule; CoverageError says why nothing can."""
    return _plan(catalog, question)


def _months_for(period: Period | None, available: list[int]) -> Period:
    if not available:
        raise CoverageError("no data")
    if period is None:  # no period asked: every month the data holds, named as such in the answer
        return Period("all_data", available[0], available[-1])
    return period.resolve(available[-1])


def _plan(catalog: Catalog, question: Question) -> tuple[str, Period, list[tuple[int, int, int]]]:
    """(family, resolved period, segments of (release_id, first month, last month))."""
    if question.as_of:
        rel = find_release(catalog.releases, question.as_of)
        why = _capable(catalog, rel.family, question, _shape(question))
        if why:
            raise names.pooled_error(catalog, question) or CoverageError(
                f"release {rel.label} cannot answer this: {why}"
            )
        months = catalog.months.get(rel.release_id, [])
        period = _months_for(question.period, months)
        missing = [m for m in (period.months() or [period.start]) if m not in set(months)]
        if missing:
            raise PeriodError(
                f"period {period.text} is partly outside release {rel.label}, which covers "
                f"{month_text(months[0])} to {month_text(months[-1])}"
            )
        return rel.family, period, [(rel.release_id, period.start, period.months()[-1])]

    reasons: list[Blocked] = []
    outside: list[Outside] = []
    resolved: Period | None = None
    # Every family that can answer, then the one whose releases are newest (the one recency rule); on a
    # tie the more detailed family (the registry's order) wins.
    options: list[tuple[int, str, Period, list[tuple[int, int, int]]]] = []
    shape = _shape(question)
    for rank, family in enumerate(FAMILY_DIMENSIONS):
        latest = catalog.latest.get(family)
        if not latest:
            continue
        why = _capable(catalog, family, question, shape)
        if why:
            reasons.append(Blocked(why, min(latest), max(latest)))
            continue
        available = sorted(latest)
        period = _months_for(question.period, available)
        if (
            period.start < available[0]
            or not period.months()  # an open end resolved before its start: nothing newer than it
            or period.months()[-1] > available[-1]
            or any(m not in latest for m in period.months())
        ):
            outside.append(Outside(FAMILY_TITLES[family], available[0], available[-1]))
            resolved = resolved or period
            continue
        if question.one_release:
            single = _newest_covering(catalog, family, period)
            if single is None:
                why = f"no single {FAMILY_TITLES[family]} release covers {period.text}"
                reasons.append(Blocked(why, available[0], available[-1]))
                continue
            segments = [(single.release_id, period.start, period.months()[-1])]
        else:
            segments = []
            for m in period.months():
                rid = latest[m]
                if segments and segments[-1][0] == rid and segments[-1][2] == m - 1:
                    segments[-1] = (rid, segments[-1][1], m)
                else:
                    segments.append((rid, m, m))
        options.append((rank, family, period, segments))
    if len(options) > 1:
        # families compare by the recency key of the newest release each would use, alone (a sha256
        # says nothing across families); on a tie the registry's order
        def key(option: tuple[int, str, Period, list[tuple[int, int, int]]]) -> tuple[Any, ...]:
            newest_used = max(catalog.recency_of(rid) for rid, _, _ in option[3])
            return (*newest_used[:-1], -option[0])  # the family's key: the sha256 tie-break dropped

        options = [max(options, key=key)]
    if options:
        _, family, period, segments = options[0]
        return family, period, segments
    if not catalog.releases:
        raise CoverageError(
            "the database has no releases: run `borderdesk ingest FILE` or `borderdesk update`"
        )
    pooled = names.pooled_error(catalog, question)  # "pooled into OTHER" says more than "has no GERMANY"
    if pooled is not None:
        raise pooled
    if resolved is None and not reasons:
        raise CoverageError("no ingested release holds the data this question needs")
    raise CoverageError(refusal(question.period, resolved or Period("range", 0, 0), outside, reasons))


def releases_used(catalog: Catalog, segments: list[tuple[int, int, int]]) -> tuple[Release, ...]:
    """The releases a plan's segments read, oldest vintage first (ordered by the last month each one
    answers for): the order every answer lists its ``releases`` in."""
    ends: dict[int, int] = {}
    for rid, _, last in segments:
        ends[rid] = max(ends.get(rid, last), last)
    return tuple(catalog.release(rid) for rid in sorted(ends, key=lambda r: ends[r]))


def _newest_covering(catalog: Catalog, family: str, period: Period) -> Release | None:
    """The newest single release of ``family`` holding every month of ``period`` (for comparisons,
    whose two sides must come from one vintage)."""
    wanted = set(period.months())
    fits = [
        r
        for r in catalog.releases
        if r.family == family and wanted <= set(catalog.months.get(r.release_id, ()))
    ]
    return newest(fits)


def _filter_codes(catalog: Catalog, question: Question) -> list[tuple[str, list[int]]]:
    """The question's filters as (column, stored codes); only known columns (a whitelist) pass."""
    out = []
    for dim, values in question.filters:
        if dim not in FACT_DIMENSIONS:
            raise ReleaseNotFoundError(f"internal: unknown dimension {dim}")
        out.append((dim, [catalog.codes[dim][v] for v in values]))
    return out


def filter_codes(catalog: Catalog, question: Question) -> list[tuple[str, list[int]]]:
    """The question's filters as (column, stored codes): what :mod:`borderdesk.query.zeros` checks."""
    return _filter_codes(catalog, question)


def where_sql(
    catalog: Catalog, question: Question, segments: list[tuple[int, int, int]]
) -> tuple[str, list[Any]]:
    """The SQL WHERE clause (and its parameters) selecting ``question``'s rows from those segments."""
    return _segments_where(segments, _filter_codes(catalog, question))


def _segments_where(
    segments: list[tuple[int, int, int]], filters: list[tuple[str, list[int]]]
) -> tuple[str, list[Any]]:
    params: list[Any] = []
    parts = []
    for rid, first, last in segments:
        parts.append("(release_id = ? AND month BETWEEN ? AND ?)")
        params += [rid, index_date(first), index_date(last)]
    clauses = ["(" + " OR ".join(parts) + ")"]
    for dim, codes in filters:
        if len(codes) == 1:
            clauses.append(f"{dim} = ?")
        else:
            clauses.append(f"{dim} IN ({', '.join('?' for _ in codes)})")
        params += codes
    return " AND ".join(clauses), params


_COUNT = "SELECT CAST(coalesce(sum(encounters), 0) AS BIGINT) FROM facts WHERE {}"


@dataclass(frozen=True)
class _Count:
    """A count planned: where it is answered from, and the SQL that answers it (its provenance)."""

    question: Question
    family: str
    period: Period
    segments: list[tuple[int, int, int]]
    filters: list[tuple[str, list[int]]]
    sql: str
    params: list[Any]

    @classmethod
    def plan(cls, catalog: Catalog, question: Question) -> _Count:
        family, period, segments = _plan(catalog, question)
        filters = _filter_codes(catalog, question)
        where, params = _segments_where(segments, filters)
        return cls(question, family, period, segments, filters, _COUNT.format(where), params)

    def from_index(self, con: duckdb.DuckDBPyConnection, catalog: Catalog) -> Answer | None:
        """The answer from the in-memory index, or None while its releases are not loaded."""
        value = catalog.index.total(con, self.segments, self.filters)
        return None if value is None else self.answer(catalog, value)

    def answer(self, catalog: Catalog, value: int | None) -> Answer:
        releases = releases_used(catalog, self.segments)
        return Answer(
            int(value or 0), self.question, self.period, self.family, releases, self.sql, tuple(self.params)
        )

    def checked(self, con: duckdb.DuckDBPyConnection, catalog: Catalog, answer: Answer) -> Answer:
        """The answer remembered once a zero is explained (a slice the data cannot hold raises)."""
        return catalog.remember(checked_zero(con, catalog, answer, self.filters))


def count(con: duckdb.DuckDBPyConnection, catalog: Catalog, question: Question) -> Answer:
    hit = catalog.answers.get(question)
    if hit is not None:
        return hit
    c = _Count.plan(catalog, question)
    answer = c.from_index(con, catalog)
    if answer is None:
        row = con.execute(c.sql, c.params).fetchone()
        answer = c.answer(catalog, row[0] if row else None)
    return c.checked(con, catalog, answer)


def count_many(
    con: duckdb.DuckDBPyConnection, catalog: Catalog, questions: list[Question]
) -> list[Answer | BorderdeskError]:
    """Several counts in one round trip (a UNION ALL of the single queries); each answer (or the error
    its question raises) as :func:`count` gives it. Each answer keeps its own single-query SQL."""
    out: list[Answer | BorderdeskError | None] = []
    todo: list[tuple[int, _Count]] = []
    for q in questions:
        hit = catalog.answers.get(q)
        if hit is not None:
            out.append(hit)
            continue
        try:
            c = _Count.plan(catalog, q)
        except BorderdeskError as e:
            out.append(e)
            continue
        answer = c.from_index(con, catalog)
        if answer is None:
            todo.append((len(out), c))
        out.append(None if answer is None else _checked(con, catalog, c, answer))
    if todo:
        union = " UNION ALL ".join(f"SELECT {k} AS k, ({c.sql}) AS v" for k, (_, c) in enumerate(todo))
        values = dict(con.execute(union, [p for _, c in todo for p in c.params]).fetchall())
        for k, (i, c) in enumerate(todo):
            out[i] = _checked(con, catalog, c, c.answer(catalog, values.get(k, 0)))
    return [a for a in out if a is not None]


def _checked(
    con: duckdb.DuckDBPyConnection, catalog: Catalog, c: _Count, answer: Answer
) -> Answer | BorderdeskError:
    """:meth:`_Count.checked`, with the error a slice the data cannot hold raises as the item."""
    try:
        return c.checked(con, catalog, answer)
    except BorderdeskError as e:
        return e
