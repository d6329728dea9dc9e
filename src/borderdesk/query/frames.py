"""Breakdowns and series: the tabular answers (``table`` with shares, monthly/yearly ``series``).

A :class:`Frame` is plain rows plus the same provenance an :class:`~borderdesk.query.catalog.Answer`
carries; shells turn it into a DataFrame, Arrow (both from :class:`~borderdesk.query.result.Result`),
JSON, CSV or a chart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import duckdb

from borderdesk.errors import ParameterError
from borderdesk.query.catalog import Answer, Catalog, described, provenance
from borderdesk.query.engine import choose, filter_codes, releases_used, where_sql
from borderdesk.query.index_frames import largest_first, release_rows
from borderdesk.query.periods import Period, fiscal_year_of, month_text
from borderdesk.query.question import FILTERS, Question
from borderdesk.query.result import Result
from borderdesk.query.zeros import checked_zero
from borderdesk.store.releases import Release
from borderdesk.values import calendar_year_of, date_index

INTERVALS = ("month", "fiscal_year", "calendar_year")


@dataclass(frozen=True)
class Frame(Result):
    """Rows with provenance: the releases used, the SQL that ran, the question as understood."""

    kind: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    question: Question
    period: Period
    family: str
    releases: tuple[Release, ...]
    sql: str
    params: tuple[Any, ...]
    total: int
    caveats: tuple[str, ...] = ()  # Border Patrol history answers: "Border Patrol only", "rounded"
    #: (release_id, first month, last month) each release answered for: which vintage each row is from
    segments: tuple[tuple[int, int, int], ...] = ()

    @property
    def release(self) -> Release:
        return self.releases[-1]

    def row_releases(self) -> list[tuple[Release, ...]]:
        """A series' rows name the release(s) their months came from (a month one vintage, a year
        the one or several its months came from); a breakdown's rows sum the whole period, so they
        name every release used."""
        interval = self.columns[0] if self.columns else ""
        if not self.segments or interval not in INTERVALS:
            return super().row_releases()
        by_id = {r.release_id: r for r in self.releases}
        ids: dict[str, list[int]] = {}
        for rid, first, last in self.segments:
            for m in range(first, last + 1):
                held = ids.setdefault(bucket(interval, m), [])
                if rid not in held:
                    held.append(rid)
        order = {r.release_id: n for n, r in enumerate(self.releases)}
        return [
            tuple(by_id[i] for i in sorted(ids.get(str(row[0]), ()), key=order.__getitem__) if i in by_id)
            or self.releases
            for row in self.rows
        ]

    def describe(self) -> str:
        """The question in words, naming the months the rows cover."""
        return described(self)

    def to_dict(self) -> dict[str, Any]:
        d = {
            "columns": list(self.columns),
            "rows": [list(r) for r in self.rows],
            "total": self.total,
            **provenance(self),
        }
        if self.caveats:
            d["caveats"] = list(self.caveats)
        return d


@dataclass(frozen=True)
class Origin:
    """Where a query's rows come from: the question as understood, its period, the releases used, the
    SQL that ran and what a reader must know. Every tabular answer, from CBP's releases or the history
    tables, is built from one, so the provenance fields are laid out in one place."""

    question: Question
    period: Period
    family: str
    releases: tuple[Release, ...]
    sql: str
    params: tuple[Any, ...]
    caveats: tuple[str, ...] = ()
    segments: tuple[tuple[int, int, int], ...] = ()

    def frame(
        self, kind: str, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]], total: int
    ) -> Frame:
        return Frame(
            kind,
            columns,
            tuple(rows),
            self.question,
            self.period,
            self.family,
            self.releases,
            self.sql,
            self.params,
            total,
            self.caveats,
            self.segments,
        )

    def answer(self, value: int) -> Answer:
        return Answer(
            value, self.question, self.period, self.family, self.releases, self.sql, self.params, self.caveats
        )


def bucket(interval: str, m: int) -> str:
    """The row a month falls in: itself (``2022-11``), its fiscal year (``FY2023``) or its year."""
    if interval == "fiscal_year":
        return f"FY{fiscal_year_of(m)}"
    if interval == "calendar_year":
        return str(calendar_year_of(m))
    return month_text(m)


def _check_by(by: tuple[str, ...]) -> None:
    for dim in by:
        if dim not in FILTERS:
            raise ParameterError(
                "by",
                f"cannot break down by {dim!r}; choose from {', '.join(FILTERS)}",
                value=dim,
                allowed=FILTERS,
            )


def _select(
    con: duckdb.DuckDBPyConnection,
    catalog: Catalog,
    question: Question,
    dims: tuple[str, ...],
    *,
    series: bool,
) -> tuple[list[tuple[Any, ...]], Origin]:
    """Plan ``question`` over CBP's releases and sum its encounters per ``dims`` (whitelisted), per month
    too for a ``series``: the rows (month index first for a series, largest sum first for a table) and
    the origin a frame of them carries. The rows come from the fact index when its releases are loaded,
    else from the SQL the origin keeps (the SQL is the provenance either way)."""
    family, period, segments = choose(catalog, question)
    filters = filter_codes(catalog, question)
    where, params = where_sql(catalog, question, segments)
    cols = ", ".join(dims)
    if series:
        keys, tail = ", ".join(("month", *dims)), "GROUP BY ALL ORDER BY ALL"
    else:
        keys, tail = cols, f"GROUP BY {cols} ORDER BY encounters DESC, {cols}"
    sql = f"SELECT {keys}, CAST(sum(encounters) AS BIGINT) AS encounters FROM facts WHERE {where} {tail}"
    grouped = release_rows(catalog.index, con, segments, filters, dims, keyed=series)
    if grouped is not None:  # (month, dims..., sum, rows): the rows count dropped
        raw = [r[:-1] for r in (grouped if series else largest_first(grouped))]
    else:
        raw = con.execute(sql, params).fetchall()
        if series:
            raw = [(date_index(r[0]), *r[1:]) for r in raw]
    used = releases_used(catalog, segments)
    origin = Origin(question, period, family, used, sql, tuple(params), segments=tuple(segments))
    if not raw and question.filters:  # no rows: a slice the data cannot hold says why (no quiet zeros)
        checked_zero(con, catalog, origin.answer(0), filters)
    return raw, origin


def table(
    con: duckdb.DuckDBPyConnection, catalog: Catalog, question: Question, top: int | None = None
) -> Frame:
    """Encounters broken down by ``question.by`` with each group's share of the total, largest first."""
    by = question.by
    if not by:
        raise ParameterError(
            "by", "a table needs {parameter} (the dimension to break it down by, e.g. citizenship)"
        )
    _check_by(by)
    raw, origin = _select(con, catalog, question, by, series=False)  # by: whitelisted above
    names = {d: catalog.names(d) for d in by}
    total = sum(r[-1] for r in raw)
    rows = []
    for r in raw:
        labels = tuple(
            names[d].get(code, "(none)") if code is not None else "(none)"
            for d, code in zip(by, r, strict=False)
        )
        share = round(r[-1] / total, 6) if total else 0.0
        rows.append((*labels, int(r[-1]), share))
    if top is not None:
        if top < 1:
            raise ParameterError("top", "{parameter} must be at least 1", value=str(top))
        rows = rows[:top]
    return origin.frame("table", (*by, "encounters", "share"), rows, int(total))


def series(
    con: duckdb.DuckDBPyConnection, catalog: Catalog, question: Question, interval: str = "month"
) -> Frame:
    """Monthly (or fiscal/calendar yearly) encounters over the period; months with no rows count 0."""
    if interval not in INTERVALS:
        raise ParameterError(
            "interval",
            f"unknown interval {interval!r}; choose from {', '.join(INTERVALS)}",
            value=interval,
            allowed=INTERVALS,
        )
    by = question.by
    _check_by(by)
    if len(by) > 1:
        raise ParameterError("by", "a series can be broken down by one dimension at a time", allowed=FILTERS)
    raw, origin = _select(con, catalog, question, by, series=True)  # by: whitelisted above
    months = list(origin.period.months())
    values: dict[tuple[int, Any], int] = {}
    groups: list[Any] = []
    for r in raw:
        m = r[0]
        key = r[1] if by else None
        values[(m, key)] = values.get((m, key), 0) + int(r[-1])
        if key not in groups:
            groups.append(key)
    if not groups:
        groups = [None]
    names = catalog.names(by[0]) if by else {}

    rows: list[tuple[Any, ...]] = []
    total = 0
    for g in groups:
        label = names.get(g, "(none)") if by else None
        acc: dict[str, list[int]] = {}
        for m in months:
            v = values.get((m, g), 0)
            total += v
            acc.setdefault(bucket(interval, m), []).append(v)
        for key, vs in acc.items():
            row: tuple[Any, ...] = (key, label, sum(vs)) if by else (key, sum(vs))
            # yearly rows say how many months they hold: a partial year must not pass for a whole one
            rows.append(row if interval == "month" else (*row, len(vs)))
    first = "month" if interval == "month" else interval
    columns: tuple[str, ...] = (first, *by, "encounters")
    if interval != "month":
        columns = (*columns, "months")
    return origin.frame("series", columns, rows, total)
