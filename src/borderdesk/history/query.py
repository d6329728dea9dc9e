"""Plan and answer a question from the history tables.

A history release holds several published tables; a question is answered from the one *table* (``cut``)
whose dimensions are exactly the question's (filters and breakdown), at the coarsest grain that fits:
a whole-fiscal-year question uses the fiscal-year table (one rounding, and the only grain the oldest
tables have), anything else the monthly one. Rounded cells are never re-added into a coarser table.
Exact tables (usbp-historical) are preferred to rounded ones (ohss-usbp) when both can answer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import duckdb

from borderdesk.errors import BorderdeskError, CoverageError, ParameterError
from borderdesk.query.catalog import REMEMBERED_ANSWER, Answer, Catalog
from borderdesk.query.frames import Frame, Origin
from borderdesk.query.index import MONTH_INDEX_SQL, ReleaseArrays, load_arrays
from borderdesk.query.index_frames import grouped, largest_first
from borderdesk.query.periods import Period, fiscal_year_of, index_date, month_text
from borderdesk.query.question import Question
from borderdesk.sources import registry
from borderdesk.sources.history import HISTORY_DIMENSIONS
from borderdesk.store.history import has_history
from borderdesk.store.releases import Release, recency
from borderdesk.values import Month, date_index, fiscal_year_months

FAMILIES = ("usbp-historical", "ohss-usbp")  # preference: exact before rounded
SOURCES = {
    "history": FAMILIES,
    "usbp": FAMILIES,
    "border-patrol": FAMILIES,
    "usbp-historical": ("usbp-historical",),
    "historical": ("usbp-historical",),
    "ohss": ("ohss-usbp",),
    "ohss-usbp": ("ohss-usbp",),
}
#: What loading a history table costs as a share of a release's (see borderdesk.query.index): its tables
#: hold a few thousand rows, a few SQL counts' worth to load, so it is loaded after 2 questions, not 16.
HISTORY_SHARE = 1 / 8
UNSUPPORTED = ("state", "title", "encounter_type")
INTERVALS = ("month", "fiscal_year")


def family_for(source: str) -> tuple[str, ...] | None:
    """The history families a ``source=`` name selects, or None if it names no history source."""
    return SOURCES.get(source.strip().lower().replace("_", "-"))


@dataclass(frozen=True)
class _Plan:
    release: Release
    cut: str
    grain: str
    period: Period
    filters: tuple[tuple[str, tuple[int, ...]], ...]
    question: Question


def _dims(question: Question) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """(filters without component, breakdown); region dropped when a sector is given (a sector lies in one
    region)."""
    filters = {d: v for d, v in question.filters if d != "component"}
    for dim in UNSUPPORTED:
        if dim in filters or dim in question.by:
            raise CoverageError(f"the Border Patrol history tables have no {dim.replace('_', ' ')}")
    component = question.values("component")
    if component and component != ("usbp",):
        raise CoverageError("the history tables are Border Patrol only: they have no OFO (ports of entry)")
    if "aor" in filters and "region" in filters:
        del filters["region"]
    return filters, tuple(d for d in question.by if d != "component")


def _available(con: duckdb.DuckDBPyConnection, release_id: int, cut: str) -> tuple[set[int], dict[int, int]]:
    """(months with monthly rows, {fiscal year: months covered} of fiscal-year rows) of one table."""
    monthly: set[int] = set()
    yearly: dict[int, int] = {}
    for grain, fy, month, months in con.execute(
        "SELECT grain, fiscal_year, month, max(months) FROM history_facts WHERE release_id = ? AND cut = ? "
        "GROUP BY ALL",
        [release_id, cut],
    ).fetchall():
        if grain == "month":
            monthly.add(date_index(month))
        else:
            yearly[int(fy)] = int(months)
    return monthly, yearly


def _present(con: duckdb.DuckDBPyConnection, release_id: int, dim: str) -> set[int]:
    return {
        r[0]
        for r in con.execute(
            # dim comes from HISTORY_DIMENSIONS (checked by the caller): a whitelisted identifier
            f"SELECT DISTINCT {dim} FROM history_facts WHERE release_id = ? AND {dim} IS NOT NULL",
            [release_id],
        ).fetchall()
    }


def _whole_years(period: Period) -> list[int] | None:
    assert period.end is not None
    if Month.from_index(period.start).fiscal_month != 1 or Month.from_index(period.end).fiscal_month != 12:
        return None
    return list(range(fiscal_year_of(period.start), fiscal_year_of(period.end) + 1))


def plan(
    con: duckdb.DuckDBPyConnection,
    catalog: Catalog,
    question: Question,
    families: tuple[str, ...] = FAMILIES,
    *,
    interval: str | None = None,
) -> _Plan:
    if not catalog.recall("has-history", partial(has_history, con)):
        raise CoverageError(
            "no Border Patrol history in the database: ingest the OHSS USBP workbook or the USBP historical "
            "tables (borderdesk ingest FILE)"
        )
    filters, by = _dims(question)
    for dim in (*filters, *by):
        if dim not in HISTORY_DIMENSIONS:
            raise CoverageError(f"the Border Patrol history tables have no {dim}")
    cut = ",".join(sorted({*filters, *by}))
    reasons: list[str] = []
    candidates = [
        r
        for f in families
        for r in sorted(
            (r for r in catalog.releases if r.family == f),
            key=recency,
            reverse=True,
        )
    ]
    if not candidates:
        raise CoverageError(f"no {' or '.join(families)} release is ingested")
    for rel in candidates:
        # what a table holds is remembered per database state, like the answers
        monthly, yearly = catalog.recall(
            ("history-table", rel.release_id, cut), partial(_available, con, rel.release_id, cut)
        )
        if not monthly and not yearly:
            reasons.append(f"{rel.label} has no table by {cut or 'total'}")
            continue
        codes: list[tuple[str, tuple[int, ...]]] = []
        missing = None
        for dim, values in sorted(filters.items()):
            present = catalog.recall(
                ("history-values", rel.release_id, dim), partial(_present, con, rel.release_id, dim)
            )
            picked = tuple(catalog.codes.get(dim, {}).get(v, -1) for v in values)
            if any(c not in present for c in picked):
                absent = [v for v, c in zip(values, picked, strict=True) if c not in present]
                missing = f"{rel.label} has no {dim} {', '.join(absent)}"
                break
            codes.append((dim, picked))
        if missing:
            reasons.append(missing)
            continue
        complete = {fy for fy, n in yearly.items() if n == 12}
        newest = max(monthly) if monthly else fiscal_year_months(max(yearly))[1]
        oldest = min(monthly) if monthly else fiscal_year_months(min(yearly))[0]
        if question.period is None:
            if interval == "month" or (monthly and not complete):
                period = Period("range", min(monthly), max(monthly)) if monthly else None
            else:
                years = sorted(complete)
                period = (
                    Period("range", fiscal_year_months(years[0])[0], fiscal_year_months(years[-1])[1])
                    if years
                    else None
                )
            if period is None:
                reasons.append(f"{rel.label} has no {interval or 'usable'} rows by {cut or 'total'}")
                continue
        else:
            period = question.period.resolve(newest)
        if period.end is None or period.end < period.start:
            reasons.append(f"period {question.period} is outside {rel.label}")
            continue
        whole = _whole_years(period)
        months = list(period.months())
        if interval != "month" and whole and all(fy in complete for fy in whole):
            grain = "fiscal_year"
        elif interval != "fiscal_year" or not whole:
            if all(m in monthly for m in months):
                grain = "month"
            else:
                reasons.append(
                    f"period {period.text} is outside {rel.label} ({rel.file}), which covers "
                    f"{month_text(oldest)} to {month_text(newest)}"
                )
                continue
        elif all(m in monthly for m in months):
            grain = "month"
        else:
            reasons.append(f"{rel.label} has no complete fiscal years for {period.text}")
            continue
        return _Plan(rel, cut, grain, period, tuple(codes), question)
    raise CoverageError("the Border Patrol history tables cannot answer this: " + "; ".join(reasons))


def _where(p: _Plan) -> tuple[str, list[Any]]:
    assert p.period.end is not None
    clauses = ["release_id = ?", "cut = ?", "grain = ?"]
    params: list[Any] = [p.release.release_id, p.cut, p.grain]
    if p.grain == "month":
        clauses.append("month BETWEEN ? AND ?")
        params += [index_date(p.period.start), index_date(p.period.end)]
    else:
        clauses.append("fiscal_year BETWEEN ? AND ?")
        params += [fiscal_year_of(p.period.start), fiscal_year_of(p.period.end)]
    for dim, codes in p.filters:
        if dim not in HISTORY_DIMENSIONS:  # whitelist
            raise BorderdeskError(f"internal: unknown dimension {dim}")
        clauses.append(f"{dim} IN ({', '.join('?' for _ in codes)})")
        params += list(codes)
    return " AND ".join(clauses), params


def _arrays(con: duckdb.DuckDBPyConnection, p: _Plan) -> ReleaseArrays:
    """One table of a history release at one grain, keyed by month index or fiscal year."""
    key = "fiscal_year" if p.grain == "fiscal_year" else MONTH_INDEX_SQL
    return load_arrays(
        con,
        key,
        "history_facts",
        HISTORY_DIMENSIONS,
        "release_id = ? AND cut = ? AND grain = ?",
        [p.release.release_id, p.cut, p.grain],
    )


def _caveats(p: _Plan, cells: int) -> tuple[str, ...]:
    family = registry.family(p.release.family)
    out = list(family.caveats(p.release.format, cells) if family is not None else ())
    if p.grain == "fiscal_year":
        out.append("From the fiscal-year table (one published figure per fiscal year).")
    return tuple(out)


def _origin(p: _Plan, sql: str, params: list[Any], cells: int) -> Origin:
    """What an answer from the plan's table says about itself: its release, its SQL and the caveats for a
    sum of ``cells`` published figures."""
    return Origin(
        p.question, p.period, p.release.family, (p.release,), sql, tuple(params), _caveats(p, cells)
    )


def _breakdown(p: _Plan) -> str | None:
    """The one dimension a series or table is broken down by (it goes into SQL: whitelisted here)."""
    by = p.question.by[0] if p.question.by else None
    if by is not None and by not in HISTORY_DIMENSIONS:
        raise BorderdeskError(f"cannot break down history by {by}")
    return by


def _loaded(con: duckdb.DuckDBPyConnection, catalog: Catalog, p: _Plan) -> ReleaseArrays | None:
    """The plan's table as arrays once it has earned loading (this question counts toward it), else None."""
    return catalog.index.table(
        ("history", p.release.release_id, p.cut, p.grain), partial(_arrays, con, p), share=HISTORY_SHARE
    )


def _span(p: _Plan) -> tuple[int, int]:
    """The plan's period in its table's time key: month indexes, or fiscal years."""
    assert p.period.end is not None
    if p.grain == "fiscal_year":
        return fiscal_year_of(p.period.start), fiscal_year_of(p.period.end)
    return p.period.start, p.period.end


def _grouped(
    con: duckdb.DuckDBPyConnection, catalog: Catalog, p: _Plan, by: str | None, *, keyed: bool
) -> list[tuple[Any, ...]] | None:
    """(time key if ``keyed``, code of ``by`` if any, sum, cells) per group, as the SQL orders them
    (:func:`borderdesk.query.index_frames.grouped`), or None while the table is not loaded."""
    table = _loaded(con, catalog, p)
    if table is None:
        return None
    return grouped([(table, *_span(p))], p.filters, (by,) if by else (), keyed=keyed)


def count(
    con: duckdb.DuckDBPyConnection, catalog: Catalog, question: Question, families: tuple[str, ...] = FAMILIES
) -> Answer:
    """One number from the history tables, with its release and caveats (remembered per database
    state, like the engine's answers)."""
    return catalog.recall(
        (REMEMBERED_ANSWER, "history", families, question), lambda: _count(con, catalog, question, families)
    )


def _count(
    con: duckdb.DuckDBPyConnection, catalog: Catalog, question: Question, families: tuple[str, ...]
) -> Answer:
    p = plan(con, catalog, replace(question, by=()), families)
    where, params = _where(p)
    sql = f"SELECT CAST(coalesce(sum(encounters), 0) AS BIGINT), count(*) FROM history_facts WHERE {where}"
    table = _loaded(con, catalog, p)
    if table is not None:
        value, cells = table.total(*_span(p), p.filters)
    else:
        value, cells = con.execute(sql, params).fetchone() or (0, 0)
    return _origin(p, sql, params, int(cells)).answer(int(value))


def series(
    con: duckdb.DuckDBPyConnection,
    catalog: Catalog,
    question: Question,
    families: tuple[str, ...] = FAMILIES,
    *,
    interval: str = "fiscal_year",
) -> Frame:
    """Encounters per month or per fiscal year (optionally by one dimension) from the history tables."""
    if interval not in INTERVALS:
        raise BorderdeskError(f"history series are by month or fiscal_year, not {interval!r}")
    if len(question.by) > 1:
        raise BorderdeskError("a series can be broken down by one dimension at a time")
    p = plan(con, catalog, question, families, interval=interval)
    by = _breakdown(p)
    key = "month" if p.grain == "month" else "fiscal_year"
    dim_sql = f", {by}" if by else ""
    where, params = _where(p)
    sql = (
        f"SELECT {key}{dim_sql}, CAST(sum(encounters) AS BIGINT), count(*) FROM history_facts WHERE {where} "
    )
    sql += "GROUP BY ALL ORDER BY ALL"
    raw = _grouped(con, catalog, p, by, keyed=True)  # time key: a month index or a fiscal year
    if raw is None:
        raw = con.execute(sql, params).fetchall()
        if key == "month":
            raw = [(date_index(r[0]), *r[1:]) for r in raw]
    names = catalog.names(by) if by else {}
    acc: dict[tuple[str, Any], list[int]] = {}
    groups: list[Any] = []
    cells = 0
    for r in raw:
        if interval == "fiscal_year":
            label = f"FY{int(r[0])}" if key == "fiscal_year" else f"FY{fiscal_year_of(r[0])}"
        else:
            label = month_text(r[0])
        g = names.get(r[1], "(none)") if by else None
        if g not in groups:
            groups.append(g)
        slot = acc.setdefault((label, g), [0, 0])
        slot[0] += int(r[-2])
        slot[1] += 1
        cells += int(r[-1])
    if interval == "fiscal_year":
        labels = [
            f"FY{fy}"
            for fy in range(
                fiscal_year_of(p.period.start), fiscal_year_of(p.period.end or p.period.start) + 1
            )
        ]
    else:
        labels = [month_text(m) for m in p.period.months()]
    rows: list[tuple[Any, ...]] = []
    total = 0
    for g in groups or [None]:
        for label in labels:
            value = acc.get((label, g), [0, 0])[0]
            total += value
            rows.append((label, g, value) if by else (label, value))
    columns: tuple[str, ...] = (interval, *((by,) if by else ()), "encounters")
    return _origin(p, sql, params, cells).frame("series", columns, rows, total)


def table(
    con: duckdb.DuckDBPyConnection,
    catalog: Catalog,
    question: Question,
    families: tuple[str, ...] = FAMILIES,
    *,
    top: int | None = None,
) -> Frame:
    """A breakdown by one dimension with shares, largest first, from the history tables."""
    if len(question.by) != 1:
        raise ParameterError(
            "by", "a history table needs exactly one {parameter} dimension (e.g. citizenship)"
        )
    p = plan(con, catalog, question, families)
    by = _breakdown(p)
    assert by is not None  # exactly one, checked above
    where, params = _where(p)
    sql = (
        f"SELECT {by}, CAST(sum(encounters) AS BIGINT) AS encounters, count(*) FROM history_facts "
        f"WHERE {where} GROUP BY {by} ORDER BY encounters DESC, {by}"
    )
    groups = _grouped(con, catalog, p, by, keyed=False)
    raw = con.execute(sql, params).fetchall() if groups is None else largest_first(groups)
    names = catalog.names(by)
    total = sum(int(r[1]) for r in raw)
    rows = [
        (names.get(r[0], "(none)"), int(r[1]), round(int(r[1]) / total, 6) if total else 0.0) for r in raw
    ]
    if top is not None:
        rows = rows[:top]
    cells = sum(int(r[2]) for r in raw)
    return _origin(p, sql, params, cells).frame("table", (by, "encounters", "share"), rows, total)
