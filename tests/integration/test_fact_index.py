"""The in-memory fact index gives exactly the sums the SQL gives, on every release of the bundled snapshot.

``borderdesk.query.index`` answers counts from NumPy arrays once a release has been asked enough
questions; the SQL stays each answer's provenance. These tests hold the two equal: the arrays against
``SELECT sum(encounters)`` on random slices of every release and history table (hypothesis), and whole
answers (value, SQL, releases, caveats) of a desk that loads every table at once against a desk that never
loads one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import borderdesk
from borderdesk import Desk
from borderdesk.errors import BorderdeskError
from borderdesk.query.index import MONTH_INDEX_SQL, RENT, FactIndex, ReleaseArrays, load_arrays, load_release
from borderdesk.store.schema import FACT_DIMENSIONS


@pytest.fixture(scope="module")
def desk(snapshot_db_file: Path) -> Iterator[Desk]:
    d = borderdesk.open(snapshot_db_file, read_only=True)
    yield d
    d.close()


def _sql_total(desk: Desk, table: str, where: str, params: list[object]) -> tuple[int, int]:
    row = desk.con.execute(
        f"SELECT CAST(coalesce(sum(encounters), 0) AS BIGINT), count(*) FROM {table} WHERE {where}", params
    ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def _present(desk: Desk, table: str, rid: int, dim: str) -> list[int]:
    return [
        r[0]
        for r in desk.con.execute(
            f"SELECT DISTINCT {dim} FROM {table} WHERE release_id = ? AND {dim} IS NOT NULL ORDER BY 1", [rid]
        ).fetchall()
    ]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_release_arrays_equal_sql_on_random_slices(desk: Desk, data: st.DataObject) -> None:
    rids = sorted(desk.catalog.months)
    rid = data.draw(st.sampled_from(rids), label="release")
    months = desk.catalog.months[rid]
    first = data.draw(st.sampled_from(months), label="first")
    last = data.draw(st.sampled_from([m for m in months if m >= first]), label="last")
    dims = data.draw(st.lists(st.sampled_from(FACT_DIMENSIONS), unique=True, max_size=3), label="dims")
    filters: list[tuple[str, list[int]]] = []
    for dim in dims:
        codes = _present(desk, "facts", rid, dim) or [0]
        filters.append(
            (dim, data.draw(st.lists(st.sampled_from(codes), min_size=1, max_size=3, unique=True)))
        )
    arrays = load_release(desk.con, rid)
    where = ["release_id = ?", f"({MONTH_INDEX_SQL}) BETWEEN ? AND ?"]
    params: list[object] = [rid, first, last]
    for dim, codes in filters:
        where.append(f"{dim} IN ({', '.join('?' for _ in codes)})")
        params += codes
    assert arrays.total(first, last, filters) == _sql_total(desk, "facts", " AND ".join(where), params)


def test_every_history_table_equals_sql(desk: Desk) -> None:
    tables = desk.con.execute(
        "SELECT DISTINCT release_id, cut, grain FROM history_facts ORDER BY ALL"
    ).fetchall()
    assert len(tables) >= 10
    for rid, cut, grain in tables:
        key = "fiscal_year" if grain == "fiscal_year" else MONTH_INDEX_SQL
        dims = ("region", "aor", "citizenship", "demographic")
        arrays = load_arrays(
            desk.con,
            key,
            "history_facts",
            dims,
            "release_id = ? AND cut = ? AND grain = ?",
            [rid, cut, grain],
        )
        lo, hi = int(arrays.keys.min()), int(arrays.keys.max())
        mid = (lo + hi) // 2
        where = f"release_id = ? AND cut = ? AND grain = ? AND ({key}) BETWEEN ? AND ?"
        filters: list[tuple[str, list[int]]] = []
        fparams: list[object] = []
        extra = ""
        for dim in [d for d in cut.split(",") if d][:1]:
            codes = _present(desk, "history_facts", rid, dim)[:2]
            filters.append((dim, codes))
            extra = f" AND {dim} IN ({', '.join('?' for _ in codes)})"
            fparams = list(codes)
        for first, last in ((lo, hi), (lo, mid), (mid, hi)):
            want = _sql_total(desk, "history_facts", where + extra, [rid, cut, grain, first, last, *fparams])
            assert arrays.total(first, last, filters) == want, (rid, cut, grain, first, last)


QUESTIONS = [
    {"citizenship": "russia", "region": "southwest", "period": "2022-11"},
    {"citizenship": "russia", "region": "southwest", "period": "2022-03 to 2022-11"},
    {"citizenship": "russia", "period": "FY2021"},
    {"region": "southwest", "period": "FY2023"},
    {"region": "southwest", "component": "usbp", "demographic": "uc", "period": "2021-08"},
    {"region": "northern", "period": "FY2024"},
    {"citizenship": ["cuba", "haiti", "nicaragua", "venezuela"], "period": "2023-01"},
    {"aor": "El Paso Sector", "period": "FY2022"},
    {"state": "texas", "period": "2023-12"},
    {"title": "title 42", "region": "southwest", "period": "2020-03 to 2023-05"},
    {"citizenship": "mexico", "region": "southwest", "period": "2023-01", "as_of": "state-2023-09"},
    {"region": "southwest", "period": "FY2015", "source": "history"},
    {"citizenship": "mexico", "period": "FY2018", "source": "history"},
    {"aor": "Tucson Sector", "period": "2019-05", "source": "history"},
]


def _answers(desk: Desk) -> list[object]:
    out: list[object] = []
    for q in QUESTIONS:
        try:
            a = desk.count(**q)  # type: ignore[arg-type]
        except BorderdeskError as e:
            out.append(type(e).__name__)
        else:
            out.append((a.value, a.sql, a.params, [r.label for r in a.releases], a.caveats))
    return out


def test_answers_from_the_index_equal_answers_from_sql(snapshot_db_file: Path) -> None:
    with borderdesk.open(snapshot_db_file, read_only=True) as sql_only:
        sql_only.catalog.index.rent = 10**9  # never loads: every value from DuckDB
        expected = _answers(sql_only)
        assert not sql_only.catalog.index.loaded
    with borderdesk.open(snapshot_db_file, read_only=True) as indexed:
        indexed.catalog.index.rent = 0  # loads each table at its first question
        got = _answers(indexed)
        report = indexed.catalog.index.report()
    assert got == expected
    assert sum(isinstance(a, tuple) for a in got) >= 12  # real answers, not only errors
    assert report["tables_loaded"] >= 5 and report["bytes"] > 0


def _rows(n: int) -> ReleaseArrays:
    """``n`` rows of one dimension: 4 bytes of key, 8 of count and 2 of code each."""
    import numpy as np

    return ReleaseArrays(
        keys=np.arange(n, dtype=np.int32),
        codes={"region": np.zeros(n, dtype=np.int16)},
        encounters=np.ones(n, dtype=np.int64),
    )


def test_a_table_is_loaded_only_after_its_rent() -> None:
    index = FactIndex(rent=2)
    loads: list[int] = []

    def load() -> ReleaseArrays:
        loads.append(1)
        return _rows(3)

    assert index.arrays("t", load) is None
    assert index.arrays("t", load) is None
    assert index.arrays("t", load) is not None
    assert index.arrays("t", load) is not None
    assert loads == [1]
    assert RENT > 1  # a one-shot command's few questions never pay for a load


def test_the_cap_evicts_the_least_recently_used_table() -> None:
    index = FactIndex(rent=0, max_bytes=3 * 14 * 100)  # three tables of 100 rows fit
    for key in "abc":
        assert index.arrays(key, lambda: _rows(100)) is not None
    assert index.arrays("a", lambda: _rows(100)) is not None  # a is now the most recently used
    assert index.arrays("d", lambda: _rows(100)) is not None
    assert list(index.loaded) == ["c", "a", "d"]  # b, the least recently used, was dropped
    report = index.report()
    assert report["bytes"] == 3 * 1400 <= report["max_bytes"]
    assert (report["tables_loaded"], report["rows"], report["evictions"]) == (3, 300, 1)
    index.rent = 1
    assert index.arrays("b", lambda: _rows(100)) is None  # dropped: it earns its loading again
    assert index.arrays("b", lambda: _rows(100)) is not None


def test_a_table_larger_than_the_cap_is_never_kept() -> None:
    index = FactIndex(rent=0, max_bytes=1000)
    loads: list[int] = []

    def big() -> ReleaseArrays:
        loads.append(1)
        return _rows(100)  # 1,400 bytes

    assert index.arrays("small", lambda: _rows(10)) is not None
    assert index.arrays("big", big) is None
    assert index.arrays("big", big) is None
    assert loads == [1]  # loaded once to learn its size, then left to SQL
    assert list(index.loaded) == ["small"]


def test_a_cap_of_zero_turns_the_index_off(snapshot_db_file: Path) -> None:
    with borderdesk.Desk(snapshot_db_file, read_only=True, index_max_bytes=0) as d:
        d.catalog.index.rent = 0
        value = d.count(region="southwest", period="FY2023").value
        frame = d.table_result(by="citizenship", region="southwest", period="FY2023")
        report = d.index_report()
    assert value == frame.total > 0
    assert (report["enabled"], report["tables_loaded"], report["hits"], report["misses"]) == (False, 0, 0, 2)


def test_the_cap_comes_from_the_environment(snapshot_db_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from borderdesk.config import DEFAULT_INDEX_MAX_BYTES, index_max_bytes

    monkeypatch.delenv("BORDERDESK_INDEX_MAX_BYTES", raising=False)
    assert index_max_bytes() == DEFAULT_INDEX_MAX_BYTES == 256 * 1024 * 1024
    monkeypatch.setenv("BORDERDESK_INDEX_MAX_BYTES", "1_000_000")
    assert index_max_bytes() == 1_000_000
    with borderdesk.open(snapshot_db_file, read_only=True) as d:
        assert d.index_report()["max_bytes"] == 1_000_000
    for bad in ("lots", "-1", "1.5"):
        monkeypatch.setenv("BORDERDESK_INDEX_MAX_BYTES", bad)
        with pytest.raises(BorderdeskError, match="BORDERDESK_INDEX_MAX_BYTES"):
            index_max_bytes()


def test_the_index_belongs_to_one_database_state(snapshot_db_file: Path, tmp_path: Path) -> None:
    import shutil

    path = tmp_path / "copy.duckdb"
    shutil.copy(snapshot_db_file, path)
    with borderdesk.open(path) as d:
        d.catalog.index.rent = 0
        before = d.count(region="southwest", period="FY2023").value
        old = d.catalog
        assert old.index.loaded
        d._changed()  # what every write does: the next question reads a new catalog
        assert d.catalog is not old and not d.catalog.index.loaded
        assert d.count(region="southwest", period="FY2023").value == before


def test_a_question_across_vintages_counts_toward_each_of_its_releases(snapshot_db_file: Path) -> None:
    with borderdesk.open(snapshot_db_file, read_only=True) as d:
        d.catalog.index.rent = 1
        frame = d.table_result(by="region", period="2021-10 to 2024-02")
        rids = {rid for rid, _, _ in frame.segments}
        assert len(rids) >= 2
        assert {rid: d.catalog.index.asked[rid] for rid in rids} == dict.fromkeys(rids, 1)
        again = d.table_result(by="region", period="2021-10 to 2024-02")  # each release now loads
        assert set(d.catalog.index.loaded) == rids
        assert again.rows == frame.rows
        assert (d.index_report()["hits"], d.index_report()["misses"]) == (1, 1)
