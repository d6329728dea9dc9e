"""Answer a Question from the store: pick the source family, the vintage per month, build the SQL.

SQL is always parameterized; column names come from :data:`borderdesk.store.schema.FACT_DIMENSIONS`
only. A catalog of releases, codes and per-month vintages is read once per database state, so a
count costs one small query.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import duckdb

from borderdesk.errors import BorderdeskError, CoverageError, PeriodError, ReleaseNotFoundError
from borderdesk.query.index import FactIndex
from borderdesk.query.periods import Period, date_index, index_date, month_text
from borderdesk.query.question import Question
from borderdesk.sources import registry
from borderdesk.sources.family import TablePlan
from borderdesk.store.database import dimension_codes
from borderdesk.store.releases import Release, find_release, list_releases, newest, recency
from borderdesk.store.schema import FACT_DIMENSIONS

# The families a question naming no source is answered from, in preference order (the most detailed
# citizenship first), as the registry declares them; these two tables are views of it.
FAMILY_DIMENSIONS: dict[str, frozenset[str]] = {f.name: f.dimensions for f in registry.default_families()}
FAMILY_TITLES = {f.name: f.title for f in registry.default_families()}


MAX_REMEMBERED = 20_000
#: the first item of a :attr:`Catalog.memo` key that holds an answer (not something learnt of the tables)
REMEMBERED_ANSWER = "answer"
_MISSING = object()
T = TypeVar("T")


@dataclass
class Catalog:
    """What the database holds, read once: releases, value codes, and which release answers per month."""

    releases: list[Release]
    codes: dict[str, dict[str, int]]
    latest: dict[str, dict[int, int]]  # family -> {month index -> release_id}
    months: dict[int, list[int]]  # release_id -> sorted month indexes it covers
    present: dict[str, dict[str, frozenset[int]]] = field(default_factory=dict)  # family -> dim -> codes
    #: Answers already given on this database state. A catalog is read again whenever the releases change
    #: and an ingested release's rows never change, so a question asked twice costs one query.
    answers: dict[Question, Answer] = field(default_factory=dict, repr=False, compare=False)
    #: Other results computed from this state only (the history tables' answers and errors, ...).
    memo: dict[Hashable, Any] = field(default_factory=dict, repr=False, compare=False)
    #: The releases' facts as in-memory arrays, loaded as they earn it (see borderdesk.query.index).
    index: FactIndex = field(default_factory=FactIndex, repr=False, compare=False)
    #: release_id -> (the release, its recency key), filled as asked: the engine looks both up per count.
    by_id: dict[int, tuple[Release, tuple[Any, ...]]] = field(default_factory=dict, repr=False, compare=False)

    def remember(self, answer: Answer) -> Answer:
        if len(self.answers) >= MAX_REMEMBERED:
            self.answers.clear()
        self.answers[answer.question] = answer
        return answer

    def recall(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` once per database state: its result, or the error it raised, is remembered."""
        hit = self.memo.get(key, _MISSING)
        if hit is _MISSING:
            try:
                hit = compute()
            except BorderdeskError as e:
                hit = e
            if len(self.memo) >= MAX_REMEMBERED:
                self.memo.clear()
            self.memo[key] = hit
        if isinstance(hit, BorderdeskError):
            raise hit.with_traceback(None)
        return hit  # type: ignore[no-any-return]

    def forget(self, *, answers_only: bool = False) -> None:
        """Drop every remembered answer (benchmarks measuring the queries themselves). With
        ``answers_only``, keep what was learnt of the tables (which history tables exist, the loaded
        arrays): the state of a warm process that has not seen these questions."""
        self.answers.clear()
        if answers_only:
            for key in [k for k in self.memo if isinstance(k, tuple) and k[:1] == (REMEMBERED_ANSWER,)]:
                del self.memo[key]
        else:
            self.memo.clear()

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection) -> Catalog:
        releases = list_releases(con)
        latest: dict[str, dict[int, int]] = {}
        for family, month, rid in con.execute(
            "SELECT family, month, release_id FROM latest_months"
        ).fetchall():
            latest.setdefault(family, {})[date_index(month)] = rid
        months: dict[int, list[int]] = {}
        for rid, month in con.execute("SELECT release_id, month FROM release_months ORDER BY ALL").fetchall():
            months.setdefault(rid, []).append(date_index(month))
        present: dict[str, dict[str, frozenset[int]]] = {}
        for family, dim, codes in con.execute(
            "SELECT r.family, v.dimension, list(DISTINCT v.code) "
            "FROM release_values v JOIN releases r USING (release_id) GROUP BY ALL"
        ).fetchall():
            present.setdefault(family, {})[dim] = frozenset(codes)
        return cls(releases, dimension_codes(con), latest, months, present)

    def release(self, release_id: int) -> Release:
        return self._entry(release_id)[0]

    def recency_of(self, release_id: int) -> tuple[Any, ...]:
        """The release's :func:`~borderdesk.store.releases.recency` key (larger is newer)."""
        return self._entry(release_id)[1]

    def _entry(self, release_id: int) -> tuple[Release, tuple[Any, ...]]:
        entry = self.by_id.get(release_id)
        if entry is None:
            release = next(r for r in self.releases if r.release_id == release_id)
            entry = self.by_id[release_id] = (release, recency(release))
        return entry

    def names(self, dimension: str) -> dict[int, str]:
        return {code: value for value, code in self.codes.get(dimension, {}).items()}

    @property
    def newest(self) -> Release | None:
        """The newest release by the one recency rule (:func:`borderdesk.store.releases.recency`)."""
        return newest(self.releases)


class Provenanced(Protocol):
    @property
    def question(self) -> Question: ...
    @property
    def period(self) -> Period | None: ...
    @property
    def family(self) -> str: ...
    @property
    def releases(self) -> tuple[Release, ...]: ...
    @property
    def sql(self) -> str: ...
    @property
    def params(self) -> tuple[Any, ...]: ...


def provenance(result: Provenanced) -> dict[str, Any]:
    """The JSON every answer carries: the release(s) used, the question as understood, the SQL."""
    q = result.question.to_dict()
    if result.period is not None:
        q["period"] = result.period.text
        q["months"] = {
            "start": month_text(result.period.start),
            "end": month_text(result.period.end or result.period.start),
        }
    q["source"] = result.family
    q["text"] = result.question.describe()
    return {
        "release": result.releases[-1].brief(),
        "releases": [r.brief() for r in result.releases],
        "question": q,
        "sql": result.sql,
        "params": [str(p) for p in result.params],
    }


@dataclass(frozen=True)
class Answer:
    """A number with its provenance: the releases used, the SQL that ran, the question as understood."""

    value: int
    question: Question
    period: Period | None
    family: str
    releases: tuple[Release, ...]
    sql: str
    params: tuple[Any, ...]
    # what a reader must know to use the number ("Border Patrol only", "rounded"): history answers
    caveats: tuple[str, ...] = ()

    @property
    def release(self) -> Release:
        """The newest release the answer used (``releases`` lists all when a period spans vintages)."""
        return self.releases[-1]

    def to_dict(self) -> dict[str, Any]:
        d = {"value": self.value, **provenance(self)}
        if self.caveats:
            d["caveats"] = list(self.caveats)
        return d


def _coverage_text(catalog: Catalog, family: str) -> str:
    months = sorted(catalog.latest.get(family, {}))
    if not months:
        return f"{FAMILY_TITLES[family]}: no release ingested"
    return f"{FAMILY_TITLES[family]}: {month_text(months[0])} to {month_text(months[-1])}"


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


def _months_for(period: Period | None, available: list[int]) -> Period:
    if not available:
        raise CoverageError("no data")
    if period is None:
        return Period("range", available[0], available[-1])
    return period.resolve(available[-1])


def _plan(catalog: Catalog, question: Question) -> tuple[str, Period, list[tuple[int, int, int]]]:
    """(family, resolved period, segments of (release_id, first month, last month))."""
    if question.as_of:
        rel = find_release(catalog.releases, question.as_of)
        why = _capable(catalog, rel.family, question, _shape(question))
        if why:
            raise CoverageError(f"release {rel.label} cannot answer this: {why}")
        months = catalog.months.get(rel.release_id, [])
        period = _months_for(question.period, months)
        missing = [m for m in (period.months() or [period.start]) if m not in set(months)]
        if missing:
            raise PeriodError(
                f"period {period.text} is partly outside release {rel.label}, which covers "
                f"{month_text(months[0])} to {month_text(months[-1])}"
            )
        return rel.family, period, [(rel.release_id, period.start, period.months()[-1])]

    reasons = []
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
            reasons.append(why)
            continue
        available = sorted(latest)
        period = _months_for(question.period, available)
        if (
            period.start < available[0]
            or not period.months()  # an open end resolved before its start: nothing newer than it
            or period.months()[-1] > available[-1]
            or any(m not in latest for m in period.months())
        ):
            reasons.append(f"period {period.text} is outside the data: {_coverage_text(catalog, family)}")
            continue
        if question.one_release:
            single = _newest_covering(catalog, family, period)
            if single is None:
                reasons.append(f"no single {FAMILY_TITLES[family]} release covers {period.text}")
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
    coverage = "; ".join(_coverage_text(catalog, f) for f in FAMILY_DIMENSIONS if catalog.latest.get(f))
    raise CoverageError(
        "no ingested release can answer this: " + "; ".join(reasons) + f". Coverage: {coverage}"
    )


#: Kept for code that imported it: the one recency rule is :func:`borderdesk.store.releases.recency`.
_recency = recency


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


def _where(
    catalog: Catalog, question: Question, segments: list[tuple[int, int, int]]
) -> tuple[str, list[Any]]:
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
        segments = self.segments
        used = sorted(
            {rid for rid, _, _ in segments}, key=lambda rid: max(m for r, _, m in segments if r == rid)
        )
        releases = tuple(catalog.release(rid) for rid in used)
        answer = Answer(
            int(value or 0), self.question, self.period, self.family, releases, self.sql, tuple(self.params)
        )
        return catalog.remember(answer)


def count(con: duckdb.DuckDBPyConnection, catalog: Catalog, question: Question) -> Answer:
    hit = catalog.answers.get(question)
    if hit is not None:
        return hit
    c = _Count.plan(catalog, question)
    answer = c.from_index(con, catalog)
    if answer is not None:
        return answer
    row = con.execute(c.sql, c.params).fetchone()
    return c.answer(catalog, row[0] if row else None)


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
        out.append(answer)
    if todo:
        union = " UNION ALL ".join(f"SELECT {k} AS k, ({c.sql}) AS v" for k, (_, c) in enumerate(todo))
        values = dict(con.execute(union, [p for _, c in todo for p in c.params]).fetchall())
        for k, (i, c) in enumerate(todo):
            out[i] = c.answer(catalog, values.get(k, 0))
    return [a for a in out if a is not None]
