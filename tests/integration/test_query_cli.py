"""``borderdesk table``, ``series`` and ``count --compare`` run as a user runs them (a subprocess on a copy
of a snapshot database), with the expected numbers read from the real release files by pandas."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

BORDERDESK = Path(sys.executable).parent / "borderdesk"
SW = "Southwest Land Border"
FY23_FY26_NOV = "nationwide-encounters-fy23-fy26-nov-state.csv"
FY22_FY25 = "nationwide-encounters-fy22-fy25-state.csv"
TOP5_SW_FY2023 = ("table", "--by", "citizenship", "--region", "southwest", "--period", "FY2023", "--top", "5")
RUSSIA_SW_2022 = ("--citizenship", "russia", "--region", "southwest", "--period", "2022-01..2022-12")
MONTH_NUMBER = {
    "JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
    "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12,
}  # fmt: skip

pytestmark = pytest.mark.skipif(not BORDERDESK.is_file(), reason=f"no borderdesk command at {BORDERDESK}")


@cache
def sw_by_month(path: Path, citizenship: str | None = None) -> dict[str, int]:
    """Southwest encounters per ``YYYY-MM`` in one by-state file (optionally one citizenship), by pandas."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df = df[df["Land Border Region"] == SW]
    if citizenship:
        df = df[df["Citizenship"] == citizenship]
    month = df["Month (abbv)"].map(MONTH_NUMBER)
    year = df["Fiscal Year"].str[:4].astype(int) - (month >= 10).astype(int)
    key = year.astype(str) + "-" + month.map("{:02d}".format)
    return df["Encounter Count"].astype(int).groupby(key).sum().to_dict()


@cache
def sw_fy2023_by_citizenship(path: Path) -> pd.Series:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df = df[(df["Land Border Region"] == SW) & (df["Fiscal Year"] == "2023")]
    return df["Encounter Count"].astype(int).groupby(df["Citizenship"]).sum().sort_values(ascending=False)


@pytest.fixture
def db(snapshot_db_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "snap.duckdb"
    shutil.copyfile(snapshot_db_file, path)
    return path


def run(db: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BORDERDESK_HOME": str(db.parent / "home"), "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("BORDERDESK_DEBUG", None)
    return subprocess.run(
        [str(BORDERDESK), *map(str, args), "--db", str(db)],
        env=env,
        cwd=db.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr
    return result.stdout


def test_table_prints_mexico_first(db: Path, cbp_data: Path) -> None:
    expected = sw_fy2023_by_citizenship(cbp_data / FY23_FY26_NOV)

    out = ok(run(db, *TOP5_SW_FY2023))

    names = [name for name in expected.index if name in out]
    positions = sorted((out.index(f" {name} "), name) for name in names)
    assert [name for _, name in positions] == list(expected.index[:5])
    assert f"{expected['MEXICO']:,}" in out
    assert f"{expected.sum():,}" in out  # the caption gives the whole total
    assert FY23_FY26_NOV in out


def test_table_json(db: Path, cbp_data: Path) -> None:
    expected = sw_fy2023_by_citizenship(cbp_data / FY23_FY26_NOV)

    doc = json.loads(ok(run(db, *TOP5_SW_FY2023, "--format", "json")))

    assert {"columns", "rows", "release"} <= set(doc)
    assert doc["columns"] == ["citizenship", "encounters", "share"]
    assert [r[:2] for r in doc["rows"]] == [[k, int(v)] for k, v in expected.iloc[:5].items()]
    assert doc["rows"][0][0] == "MEXICO"
    assert doc["rows"][0][2] == pytest.approx(expected["MEXICO"] / expected.sum(), abs=1e-6)
    assert doc["release"]["file"] == FY23_FY26_NOV


def test_table_csv(db: Path, cbp_data: Path) -> None:
    expected = sw_fy2023_by_citizenship(cbp_data / FY23_FY26_NOV)

    records = list(csv.DictReader(io.StringIO(ok(run(db, *TOP5_SW_FY2023, "--format", "csv")))))

    assert [(r["citizenship"], int(r["encounters"])) for r in records] == list(expected.iloc[:5].items())
    assert float(records[0]["share"]) == pytest.approx(expected["MEXICO"] / expected.sum(), abs=1e-6)


def test_series_json(db: Path, cbp_data: Path) -> None:
    # Jan-Sep 2022 from the fy22-fy25 release, Oct-Dec from the newer fy23-fy26-nov.
    older, newer = (
        sw_by_month(cbp_data / FY22_FY25, "RUSSIA"),
        sw_by_month(cbp_data / FY23_FY26_NOV, "RUSSIA"),
    )
    expected = {m: older[m] for m in older if "2022-01" <= m <= "2022-09"}
    expected |= {m: newer[m] for m in newer if "2022-10" <= m <= "2022-12"}

    doc = json.loads(ok(run(db, "series", *RUSSIA_SW_2022, "--format", "json")))

    assert doc["columns"] == ["month", "encounters"]
    assert len(doc["rows"]) == 12
    assert {m: n for m, n in doc["rows"]} == expected
    assert dict(doc["rows"])["2022-11"] == 5_507
    assert [r["file"] for r in doc["releases"]] == [FY22_FY25, FY23_FY26_NOV]


@pytest.mark.parametrize(
    ("suffix", "check"),
    [
        pytest.param(".png", lambda b: b.startswith(b"\x89PNG\r\n\x1a\n"), id="png"),
        pytest.param(".svg", lambda b: b"<svg" in b[:500] and b"</svg>" in b, id="svg"),
        pytest.param(
            ".html",
            lambda b: (
                b"<html" in b.lower()
                and b"cdn" not in b.lower()
                and b"jsdelivr" not in b.lower()
                and b'<script src="http' not in b.lower()
            ),
            id="html-self-contained",
        ),
    ],
)
def test_series_chart(db: Path, suffix: str, check) -> None:  # type: ignore[no-untyped-def]
    chart = db.parent / f"russia{suffix}"

    result = run(db, "series", *RUSSIA_SW_2022, "--chart", chart, "--format", "csv")

    assert len(list(csv.reader(io.StringIO(ok(result))))) == 13  # the data still goes to stdout
    assert chart.is_file() and chart.stat().st_size > 1000
    assert check(chart.read_bytes())


def test_count_compare_json(db: Path, cbp_data: Path) -> None:
    now = sw_by_month(cbp_data / FY23_FY26_NOV, "RUSSIA")["2022-11"]
    previous = sw_by_month(cbp_data / FY23_FY26_NOV, "RUSSIA")["2022-10"]
    year_earlier = sw_by_month(cbp_data / FY22_FY25, "RUSSIA")["2021-11"]

    doc = json.loads(
        ok(run(db, "count", *RUSSIA_SW_2022[:4], "--period", "Nov 2022", "--compare", "--format", "json"))
    )

    assert doc["value"] == now == 5_507
    assert doc["previous"]["value"] == previous and doc["previous"]["period"] == "2022-10"
    assert doc["year_earlier"]["value"] == year_earlier and doc["year_earlier"]["period"] == "2021-11"
    assert doc["previous"]["change"] == now - previous
    assert doc["year_earlier"]["percent"] == round((now - year_earlier) / year_earlier * 100, 2)


def test_count_compare_table(db: Path) -> None:
    out = ok(run(db, "count", *RUSSIA_SW_2022[:4], "--period", "2022-11", "--compare"))
    assert "5,507" in out and "previous" in out and "year earlier" in out


def test_count_compare_fiscal_year_says_the_year_before_once(db: Path, cbp_data: Path) -> None:
    """For a fiscal year the previous period is the year earlier: one line that says so, not two alike."""
    months = sw_by_month(cbp_data / FY23_FY26_NOV, "RUSSIA")
    fy2023 = sum(v for k, v in months.items() if "2022-10" <= k <= "2023-09")
    args = ("count", *RUSSIA_SW_2022[:4], "--period", "FY2023", "--compare")
    out = ok(run(db, *args))
    assert f"{fy2023:,}" in out.splitlines()[0]
    assert "previous (= a year earlier)" in out and "year earlier:" not in out
    assert out.count(" in FY2022 ") == 1
    doc = json.loads(ok(run(db, *args, "--format", "json")))
    assert doc["value"] == fy2023
    assert doc["previous"]["period"] == doc["year_earlier"]["period"] == "FY2022"
    assert doc["year_earlier"]["same_as_previous"] is True
    assert doc["previous"]["months"] == {"start": "2021-10", "end": "2022-09"}
    assert "for a 12-month period the previous period is the same period a year earlier" in doc["notes"]


def test_count_without_period_names_its_months(db: Path, cbp_data: Path) -> None:
    """No --period sums every month of the data, and the question line says which."""
    months = sw_by_month(cbp_data / FY23_FY26_NOV, "RUSSIA")
    out = ok(run(db, "count", *RUSSIA_SW_2022[:4]))
    assert "every month in the data (Oct 2019 - Nov 2025)" in out
    since = ok(run(db, "count", *RUSSIA_SW_2022[:4], "--period", "since Sept. 2025"))
    assert f"{months['2025-09'] + months['2025-10'] + months['2025-11']:,}" in since.splitlines()[0]
    assert "since Sep 2025 (Sep 2025 - Nov 2025)" in since


def test_impossible_slice_is_an_error_and_a_true_zero_says_so(db: Path) -> None:
    bad = run(db, "count", "--aor", "Del Rio Sector", "--component", "ofo")
    assert bad.returncode == 1
    assert (
        bad.stderr.strip()
        == "error: Del Rio Sector is a Border Patrol sector: it has no ports of entry (OFO)"
    )
    zero = ok(run(db, "count", "--aor", "Del Rio Sector", "--citizenship", "ukraine", "--period", "2019-10"))
    assert zero.splitlines()[0] == "0 — the data has this slice, and it is zero"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        pytest.param(("table", "--by", "nonsense", "--period", "FY2023"), "nonsense", id="table-bad-by"),
        pytest.param(("series", "--by", "nonsense", "--period", "FY2023"), "nonsense", id="series-bad-by"),
        pytest.param(("series", "--interval", "week", "--period", "FY2023"), "week", id="bad-interval"),
        pytest.param(("table", "--by", "citizenship", "--top", "0"), "--top", id="top-0"),
        pytest.param(("series", "--period", "2022", "--chart", "x.gif"), ".png", id="bad-chart-suffix"),
        pytest.param(("count", "--state", "TX", "--component", "usbp"), "has no state",
                     id="state-and-component"),
        pytest.param(("count", "--region", "southwest", "--period", "since 2030-01"), "Nov 2025",
                     id="since-after-the-data"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_without_traceback(db: Path, args: tuple[str, ...], fragment: str) -> None:
    result = run(db, *args)
    assert result.returncode not in (0, 70), result.stdout  # 70: an internal error, not a user error
    assert "Traceback" not in result.stderr + result.stdout
    assert fragment in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_surges_table_has_a_legend(db: Path) -> None:
    """The columns a reader cannot guess are explained under the table, in the docs' words."""
    from borderdesk.analysis.surges import DEFINITIONS

    out = " ".join(
        ok(run(db, "surges", "--period", "2022-11", "--region", "southwest", "--top", "3")).split()
    )
    assert "RUSSIA" in out or "NICARAGUA" in out
    for column in ("score", "change_point"):
        assert f"{column}: {DEFINITIONS[column]}" in out
