"""Every export says where its numbers came from (issue 16, point 5): CSV and Parquet from the command
line, CSV from the HTTP API and Parquet/Arrow from Python carry the release's label, file and sha256,
row by row, so a file passed on still names its vintage. The expected releases are asked of the
database the ordinary way (``count`` of that one month), not copied from the export code."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

import borderdesk
from borderdesk.desk import Desk
from borderdesk.serve import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

BORDERDESK = Path(sys.executable).parent / "borderdesk"
PROVENANCE = ["release_label", "release_file", "release_sha256"]
#: A series across a change of vintage: Aug and Sep 2020 come from the FY20-FY23 file, Oct 2020 (FY2021)
#: from the FY21-FY24 one, the newest release holding each month.
ACROSS = ("--region", "southwest", "--period", "2020-08..2020-10")
MONTHS = {"2020-08": 50_014, "2020-09": 57_674, "2020-10": 71_929}


@pytest.fixture(scope="module")
def db(snapshot_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("exports") / "borderdesk.duckdb"
    shutil.copy(snapshot_db_file, path)
    return path


@pytest.fixture(scope="module")
def desk(db: Path) -> Iterator[Desk]:
    with borderdesk.open(db) as d:
        yield d


def _cli(db: Path, *args: str | Path) -> str:
    env = {**os.environ, "BORDERDESK_HOME": str(db.parent), "NO_COLOR": "1"}
    proc = subprocess.run(
        [str(BORDERDESK), *map(str, args), "--db", str(db)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _month_release(desk: Desk, month: str) -> list[str]:
    r = desk.count(region="southwest", period=month).release
    return [r.label, r.file, r.sha256]


def test_cli_series_csv_names_each_months_release(db: Path, desk: Desk) -> None:
    rows = list(csv.DictReader(io.StringIO(_cli(db, "series", *ACROSS, "--format", "csv"))))
    assert [(r["month"], int(r["encounters"])) for r in rows] == list(MONTHS.items())
    for r in rows:
        assert [r[c] for c in PROVENANCE] == _month_release(desk, r["month"])
    labels = [r["release_label"] for r in rows]
    assert labels == ["state-2023-09", "state-2023-09", "state-2024-09"]  # two vintages, one file


def test_cli_yearly_series_names_the_release_of_each_year(db: Path, desk: Desk) -> None:
    out = _cli(
        db, "series", "--region", "sw", "--period", "FY2020..FY2021", "--interval", "fiscal_year", "-f", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["fiscal_year"] for r in rows] == ["FY2020", "FY2021"]
    for r in rows:
        assert [r[c] for c in PROVENANCE] == _month_release(desk, r["fiscal_year"])


def test_cli_table_over_several_vintages_names_every_one(db: Path, desk: Desk) -> None:
    """A breakdown sums the whole period, so each row came from every release the answer read."""
    rows = list(csv.DictReader(io.StringIO(_cli(db, "table", "--by", "region", *ACROSS, "-f", "csv"))))
    used = [_month_release(desk, m) for m in ("2020-09", "2020-10")]
    for r in rows:
        assert r["release_label"].split(";") == [u[0] for u in used]
        assert r["release_sha256"].split(";") == [u[2] for u in used]
    assert sum(int(r["encounters"]) for r in rows) == sum(MONTHS.values())


def test_cli_count_csv_and_parquet_carry_the_release(db: Path, desk: Desk, tmp_path: Path) -> None:
    question = ("count", "--citizenship", "russia", "--region", "southwest", "--period", "2022-11")
    [row] = list(csv.DictReader(io.StringIO(_cli(db, *question, "-f", "csv"))))
    answer = desk.count(citizenship="russia", region="southwest", period="2022-11")
    assert int(row["value"]) == answer.value == 5_507
    assert [row[c] for c in PROVENANCE] == [answer.release.label, answer.release.file, answer.release.sha256]
    pq = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "count.parquet"
    _cli(db, *question, "-f", "parquet", "--output", target)
    table = pq.read_table(target)
    assert table.column("release_sha256").to_pylist() == [answer.release.sha256]
    meta = table.schema.metadata
    assert meta[b"borderdesk.release_sha256"].decode() == answer.release.sha256
    assert json.loads(meta[b"borderdesk.question"])["citizenship"] == "RUSSIA"


def test_cli_parquet_has_columns_and_key_value_metadata(db: Path, desk: Desk, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "series.parquet"
    _cli(db, "series", *ACROSS, "-f", "parquet", "--output", target)
    table = pq.read_table(target)
    assert table.column_names == ["month", "encounters", *PROVENANCE]
    assert table.column("encounters").to_pylist() == list(MONTHS.values())
    assert table.column("release_label").to_pylist() == [_month_release(desk, m)[0] for m in MONTHS]
    meta = {k.decode(): v.decode() for k, v in table.schema.metadata.items() if k.startswith(b"borderdesk.")}
    newest = _month_release(desk, "2020-10")
    assert [meta["borderdesk.release_label"], meta["borderdesk.release_file"]] == newest[:2]
    assert meta["borderdesk.release_sha256"] == newest[2]
    used = json.loads(meta["borderdesk.releases"])
    assert [r["label"] for r in used] == [_month_release(desk, m)[0] for m in ("2020-09", "2020-10")]


def test_cli_month_in_every_vintage_names_each_rows_release(db: Path) -> None:
    rows = list(
        csv.DictReader(
            io.StringIO(_cli(db, "revisions", "--month", "2023-10", "--region", "sw", "-f", "csv"))
        )
    )
    assert len(rows) > 5
    assert rows[0]["value"] == "240988"  # the first vintage holding Oct 2023 (state-2023-10)
    for r in rows:
        assert (r["release_label"], r["release_file"]) == (r["release"], r["file"])


@pytest.mark.parametrize("path", ["/api/series", "/api/table?by=region&"])
def test_api_csv_carries_the_release_per_row(db: Path, desk: Desk, path: str) -> None:
    app = create_app(db)
    try:
        sep = "" if path.endswith("&") else "?"
        r = TestClient(app).get(f"{path}{sep}region=southwest&period=2020-08..2020-10&format=csv")
    finally:
        app.state.desk.close()
    assert r.status_code == 200, r.text
    rows = list(csv.DictReader(io.StringIO(r.text, newline="")))
    assert list(rows[0])[-3:] == PROVENANCE
    if "month" in rows[0]:
        assert [[row[c] for c in PROVENANCE] for row in rows] == [_month_release(desk, m) for m in MONTHS]
    else:
        assert rows[0]["release_label"].split(";") == ["state-2023-09", "state-2024-09"]


def test_python_arrow_and_parquet_keep_the_provenance(desk: Desk, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    frame = desk.series_result(region="southwest", period="2020-08..2020-10")
    plain = frame.to_arrow()
    assert plain.column_names == ["month", "encounters"]  # the result's own columns, as the spec has them
    assert plain.schema.metadata[b"borderdesk.release_label"] == b"state-2024-09"
    wide = frame.to_arrow(provenance_columns=True)
    assert wide.column("release_label").to_pylist() == ["state-2023-09", "state-2023-09", "state-2024-09"]
    written = pq.read_table(frame.to_parquet(tmp_path / "f.parquet"))
    assert written.equals(wide) and written.schema.metadata == wide.schema.metadata


def test_a_dataframes_arrow_table_names_its_release(desk: Desk) -> None:
    df = desk.table(by="region", region="southwest", period="FY2023")
    meta = df.to_arrow().schema.metadata
    release = desk.count(region="southwest", period="FY2023").release
    assert meta[b"borderdesk.release_sha256"].decode() == release.sha256
    assert b"pandas" in meta  # pandas' own metadata is kept
