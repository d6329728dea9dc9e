"""Breakdowns and series from the in-memory fact index equal those from SQL, on every release.

``borderdesk.query.index_frames`` groups the loaded arrays with NumPy instead of running the table's or
series' ``GROUP BY``; the SQL stays each frame's provenance. These tests hold whole frames equal (rows
with their Python types and order, total, SQL, parameters, releases, caveats, the error a question
raises) between a desk that loads every table at its first question and one that never loads any: on
random questions over every release (pinned with ``as_of`` or across vintages), on the Border Patrol
history tables, and on the grouping itself against DuckDB's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import borderdesk
from borderdesk import Desk
from borderdesk.errors import BorderdeskError
from borderdesk.query.index import MONTH_INDEX_SQL, load_release
from borderdesk.query.index_frames import grouped
from borderdesk.store.schema import FACT_DIMENSIONS
from borderdesk.values import month_text

DIMS = ("citizenship", "region", "state", "aor", "component", "demographic", "title", "encounter_type")


@pytest.fixture(scope="module")
def desks(snapshot_db_file: Path) -> Iterator[tuple[Desk, Desk]]:
    """(SQL only, index only): the same file, one desk never loading a table, one loading each at once."""
    sql_only = borderdesk.open(snapshot_db_file, read_only=True)
    indexed = borderdesk.open(snapshot_db_file, read_only=True)
    sql_only.catalog.index.rent = 10**9
    indexed.catalog.index.rent = 0
    yield sql_only, indexed
    sql_only.close()
    indexed.close()


def _frame(desk: Desk, kind: str, kw: dict[str, Any]) -> object:
    """Everything a frame says, with each cell's type; or the error it raised."""
    try:
        f = getattr(desk, f"{kind}_result")(**kw)
    except BorderdeskError as e:
        return (type(e).__name__, str(e))
    cells = [tuple((type(c).__name__, c) for c in row) for row in f.rows]
    return (f.to_dict(), cells, f.segments, f.caveats, [r.label for r in f.releases])


def _values(desk: Desk, dim: str, rid: int, table: str = "facts") -> list[str]:
    names = desk.catalog.names(dim)
    codes = desk.con.execute(
        f"SELECT DISTINCT {dim} FROM {table} WHERE release_id = ? AND {dim} IS NOT NULL ORDER BY 1", [rid]
    ).fetchall()
    return [names[c] for (c,) in codes if c in names]


@st.composite
def questions(draw: st.DrawFn, desk: Desk) -> tuple[str, dict[str, Any]]:
    """A table or series question on one CBP release's months, pinned to it (``as_of``) or not."""
    catalog = desk.catalog
    cbp = [r for r in catalog.releases if r.release_id in catalog.months and r.family in catalog.latest]
    release = draw(st.sampled_from(cbp), label="release")
    months = catalog.months[release.release_id]
    first = draw(st.sampled_from(months), label="first")
    last = draw(st.sampled_from([m for m in months if m >= first and m - first < 40]), label="last")
    kw: dict[str, Any] = {"period": f"{month_text(first)} to {month_text(last)}"}
    if draw(st.booleans(), label="as_of"):
        kw["as_of"] = release.label
    for dim in draw(st.lists(st.sampled_from(DIMS), unique=True, max_size=2), label="filters"):
        values = _values(desk, dim, release.release_id)
        if values:
            kw[dim] = draw(st.lists(st.sampled_from(values), min_size=1, max_size=2, unique=True))
    kind = draw(st.sampled_from(["table", "series"]), label="kind")
    if kind == "table":
        kw["by"] = draw(st.lists(st.sampled_from(DIMS), min_size=1, max_size=2, unique=True))
        kw["top"] = draw(st.sampled_from([None, 1, 5]))
    else:
        kw["by"] = draw(st.sampled_from([None, *DIMS]))
        kw["interval"] = draw(st.sampled_from(["month", "fiscal_year", "calendar_year"]))
    return kind, kw


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_frames_from_the_index_equal_frames_from_sql(desks: tuple[Desk, Desk], data: st.DataObject) -> None:
    sql_only, indexed = desks
    kind, kw = data.draw(questions(sql_only), label="question")
    assert _frame(indexed, kind, kw) == _frame(sql_only, kind, kw)


FIXED = [
    ("table", {"by": "citizenship", "region": "southwest", "period": "FY2023"}),
    ("table", {"by": "citizenship,region", "period": "FY2022", "top": 10}),
    ("table", {"by": "state", "period": "2023-01"}),  # OFO rows and Border Patrol rows without a state
    ("table", {"by": "aor", "citizenship": "russia", "period": "2020-03 to 2023-05"}),
    ("table", {"by": "title", "period": "2021-10 to 2024-02"}),  # months from several vintages
    ("table", {"by": "region", "period": "FY2023", "as_of": "state-2023-09"}),
    ("table", {"by": "citizenship", "citizenship": "germany", "period": "2023-01"}),  # pooled: an error
    ("series", {"citizenship": "russia", "region": "southwest", "period": "2022"}),
    ("series", {"by": "region", "period": "FY2021 to FY2024", "interval": "fiscal_year"}),
    ("series", {"by": "component", "period": "2019-05 to 2024-04", "interval": "calendar_year"}),
    ("series", {"by": "demographic", "region": "southwest", "period": "FY2023", "as_of": "state-2023-09"}),
    ("series", {"by": "title", "period": "2020-01 to 2023-12"}),  # a dimension absent in some months
    ("table", {"by": "citizenship", "period": "FY2015", "source": "history"}),
    ("table", {"by": "aor", "period": "FY2019", "source": "history", "top": 3}),
    ("table", {"by": "region", "period": "2019-05", "source": "history"}),
    ("series", {"region": "southwest", "period": "FY2000 to FY2019", "source": "history",
                "interval": "fiscal_year"}),
    ("series", {"by": "aor", "period": "FY2019", "source": "history", "interval": "month"}),
    ("series", {"by": "citizenship", "period": "2017-10 to 2019-09", "source": "history",
                "interval": "fiscal_year"}),
    ("series", {"by": "demographic", "period": "FY2021", "source": "ohss", "interval": "month"}),
]  # fmt: skip


def _tally(desk: Desk) -> tuple[int, int]:
    report = desk.index_report()
    return report["hits"], report["misses"]


def test_fixed_questions_equal_on_both_paths(desks: tuple[Desk, Desk]) -> None:
    sql_only, indexed = desks
    before = _tally(indexed), _tally(sql_only)
    got = [_frame(indexed, kind, dict(kw)) for kind, kw in FIXED]
    want = [_frame(sql_only, kind, dict(kw)) for kind, kw in FIXED]
    for (kind, kw), g, w in zip(FIXED, got, want, strict=True):
        assert g == w, (kind, kw)
    answered = [kw for (_, kw), w in zip(FIXED, want, strict=True) if isinstance(w[0], dict)]
    assert len(answered) >= 15 and sum(bool(kw.get("source")) for kw in answered) >= 6
    # every frame on one path from the index (history tables included), on the other from SQL
    (hits, misses), (sql_hits, sql_misses) = _tally(indexed), _tally(sql_only)
    assert (hits - before[0][0], misses - before[0][1]) == (len(answered), 0)
    assert (sql_hits - before[1][0], sql_misses - before[1][1]) == (0, len(answered))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_grouping_equals_duckdb_group_by(desks: tuple[Desk, Desk], data: st.DataObject) -> None:
    """The grouping itself, NULL codes and ties included, against DuckDB's GROUP BY ... ORDER BY ALL."""
    desk = desks[0]
    rid = data.draw(st.sampled_from(sorted(desk.catalog.months)), label="release")
    months = desk.catalog.months[rid]
    first = data.draw(st.sampled_from(months), label="first")
    last = data.draw(st.sampled_from([m for m in months if m >= first]), label="last")
    dims = data.draw(st.lists(st.sampled_from(FACT_DIMENSIONS), unique=True, max_size=3), label="dims")
    keyed = not dims or data.draw(st.booleans(), label="keyed")  # no GROUP BY at all: not a shape asked
    arrays = load_release(desk.con, rid)
    cols = [f"({MONTH_INDEX_SQL})::INTEGER"] if keyed else []
    cols += dims
    group = f" GROUP BY ALL ORDER BY {', '.join(str(i + 1) for i in range(len(cols)))}"
    want = desk.con.execute(
        f"SELECT {''.join(c + ', ' for c in cols)}CAST(sum(encounters) AS BIGINT), count(*) FROM facts "
        f"WHERE release_id = ? AND ({MONTH_INDEX_SQL}) BETWEEN ? AND ?{group}",
        [rid, first, last],
    ).fetchall()
    assert grouped([(arrays, first, last)], [], dims, keyed=keyed) == [tuple(r) for r in want]


@st.composite
def history_questions(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """A table or series question on the Border Patrol history tables: whole fiscal years (the
    fiscal-year tables) or months (the monthly ones), by and filtered on their dimensions."""
    kw: dict[str, Any] = {"source": draw(st.sampled_from(["history", "ohss", "usbp-historical"]))}
    if draw(st.booleans(), label="years"):
        first = draw(st.integers(1960, 2024), label="first FY")
        kw["period"] = f"FY{first} to FY{draw(st.integers(first, min(first + 12, 2024)), label='last FY')}"
    else:
        first = draw(st.integers(2000 * 12, 2024 * 12 + 8), label="first month")
        kw["period"] = f"{month_text(first)} to {month_text(first + draw(st.integers(0, 30)))}"
    dims = ("region", "aor", "citizenship", "demographic")
    for dim, values in (("region", ["southwest", "northern"]), ("citizenship", ["mexico", "honduras"])):
        if draw(st.booleans(), label=f"filter {dim}"):
            kw[dim] = draw(st.sampled_from(values))
    kind = draw(st.sampled_from(["table", "series"]), label="kind")
    if kind == "table":
        kw["by"] = draw(st.sampled_from(dims))
        kw["top"] = draw(st.sampled_from([None, 3]))
    else:
        kw["by"] = draw(st.sampled_from([None, *dims]))
        kw["interval"] = draw(st.sampled_from(["month", "fiscal_year"]))
    return kind, kw


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=history_questions())
def test_history_frames_from_the_index_equal_frames_from_sql(
    desks: tuple[Desk, Desk], question: tuple[str, dict[str, Any]]
) -> None:
    sql_only, indexed = desks
    kind, kw = question
    assert _frame(indexed, kind, kw) == _frame(sql_only, kind, kw)


def _count(desk: Desk, kw: dict[str, Any]) -> object:
    """Everything a count says (its note on a zero included), or the error it raised."""
    try:
        answer = desk.count(**kw)
    except BorderdeskError as e:
        return (type(e).__name__, str(e))
    return (answer.to_dict(), answer.note)


ZEROS = [
    {"citizenship": "russia", "aor": "Swanton Sector", "period": "2022-11"},  # a true zero, or never
    {"aor": "Laredo Sector", "component": "ofo", "period": "FY2023"},  # a sector has no ports: never
    {"title": "title 42", "period": "FY2024"},  # after Title 42 ended: outside its regime
    {"title": "title 42", "period": "2019-05"},  # before it began
    {"citizenship": "ukraine", "demographic": "uc", "region": "northern", "period": "2023-02"},
]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_counts_and_their_zeros_equal_on_both_paths(desks: tuple[Desk, Desk], data: st.DataObject) -> None:
    """A zero is explained from the arrays when the index holds every release it concerns: the same
    note (a true zero) or the same refusal (a slice the data never holds) as by SQL."""
    sql_only, indexed = desks
    indexed.count(period=None)  # every month of the data: each CBP family's latest releases load
    kw = dict(data.draw(st.sampled_from(ZEROS), label="fixed")) if data.draw(st.booleans()) else {}
    if not kw:
        _kind, kw = data.draw(questions(sql_only), label="question")
        kw = {k: v for k, v in kw.items() if k not in ("by", "top", "interval")}
    assert _count(indexed, kw) == _count(sql_only, kw)
