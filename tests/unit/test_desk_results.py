"""The desk answers every tabular question one way, as a typed result; the DataFrame methods and the
first names of the typed methods are views of it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import borderdesk
from borderdesk import Desk
from borderdesk.analysis.result import Table
from borderdesk.errors import DatabaseError
from borderdesk.query.frames import Frame
from borderdesk.query.reader import Reader
from borderdesk.query.result import Result

RENAMED = [
    pytest.param(
        "table_frame", "table_result", {"by": "citizenship", "top": 3, "period": "2022-11"}, id="table"
    ),
    pytest.param(
        "series_frame", "series_result", {"region": "sw", "period": "2022-01..2022-03"}, id="series"
    ),
    pytest.param("surges_table", "surges_result", {"period": "2022-11", "region": "sw"}, id="surges"),
    pytest.param("revisions_table", "revisions_result", {"region": "southwest"}, id="revisions"),
    pytest.param("events_table", "events_result", {"period": "2022"}, id="events"),
]


@pytest.mark.parametrize(("old", "new", "kw"), RENAMED)
def test_first_names_warn_and_answer_alike(snapshot_desk: Desk, old: str, new: str, kw: dict) -> None:  # type: ignore[type-arg]
    with pytest.warns(DeprecationWarning, match=rf"Desk\.{old}\(\) is deprecated; use Desk\.{new}\(\)"):
        before = getattr(snapshot_desk, old)(**kw)
    assert before == getattr(snapshot_desk, new)(**kw)
    assert getattr(Desk, old).__doc__.startswith("Deprecated")


def test_typed_results_share_one_way_out(snapshot_desk: Desk) -> None:
    frame = snapshot_desk.table_result(by="citizenship", top=3, region="southwest", period="2022-11")
    surges = snapshot_desk.surges_result(period="2022-11", region="southwest")
    assert isinstance(frame, Frame) and isinstance(surges, Table)
    for result in (frame, surges):
        assert isinstance(result, Result)
        df = result.to_pandas()
        assert isinstance(df, pd.DataFrame) and df.answer is result
        assert list(df.columns) == list(result.columns) and len(df) == len(result.rows)
        assert result.to_arrow().column_names == list(result.columns)
        assert df.attrs["release"] == result.releases[-1].label
    assert surges.to_pandas().attrs["method"] == surges.method


def test_spec_dataframes_are_views_of_the_typed_results(snapshot_desk: Desk) -> None:
    kw = {"by": "citizenship", "region": "southwest", "period": "FY2023"}
    df = snapshot_desk.table(**kw)
    assert df.values.tolist() == [list(r) for r in snapshot_desk.table_result(**kw).rows]
    assert df.iloc[0]["citizenship"] == "MEXICO"
    series = snapshot_desk.series(citizenship="ukraine", region="southwest", period="2021-10..2023-09")
    assert len(series) == 24 and series.to_arrow().num_rows == 24


def test_a_desk_is_a_reader(snapshot_desk: Desk) -> None:
    reader: Reader = snapshot_desk  # what analyses and claims are typed against
    q = reader.question(citizenship="russia", region="southwest", period="2022-11")
    assert reader.ask(q).value == reader.ask_many([q])[0].value == 5507  # type: ignore[union-attr]


def test_read_only_desk_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "db.duckdb"
    borderdesk.open(path, snapshot=False).close()
    with borderdesk.open(path, read_only=True) as desk, pytest.raises(DatabaseError, match="read-only"):
        desk.writer.ingest(path)
