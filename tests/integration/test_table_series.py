"""``Desk.table``, ``Desk.series`` and ``Desk.change`` against pandas reads of the real release files.

The expected breakdowns are pandas group-bys of the files themselves, in their own spelling, mapped to
borderdesk's canonical values by the small tables below (written out here, not imported). A month comes
from the newest by-state release that holds it, from ``cbp_resp.csv.gz`` (AOR level) or from the
Southwest-only sbo file, as the documented vintage rule says.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderdesk import Desk
from borderdesk.errors import BorderdeskError

SW = "Southwest Land Border"
AOR_FILE = "tidytuesday-2024-11-26/cbp_resp.csv.gz"
SBO_FILE = "sbo-encounters-fy22-fy25-aug.csv"
FY22_FY25 = "nationwide-encounters-fy22-fy25-state.csv"
FY23_FY26_NOV = "nationwide-encounters-fy23-fy26-nov-state.csv"

MONTH_NUMBER = {
    "JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
    "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12,
}  # fmt: skip
# The files' spellings -> borderdesk's canonical values, per dimension.
CANONICAL: dict[str, dict[str, str]] = {
    "region": {SW: "southwest", "Northern Land Border": "northern", "Other": "other"},
    "component": {"U.S. Border Patrol": "usbp", "Office of Field Operations": "ofo"},
    "encounter_type": {"Apprehensions": "apprehensions", "Inadmissibles": "inadmissibles",
                       "Expulsions": "expulsions"},
    "demographic": {"Single Adults": "single-adults", "FMUA": "family-units", "UAC": "uac",
                    "UC / Single Minors": "uac", "Accompanied Minors": "accompanied-minors"},
    "title": {"Title 8": "8", "Title 42": "42"},
}  # fmt: skip
COLUMN = {"region": "land_border_region", "title": "title_of_authority", "aor": "area_of_responsibility"}


@cache
def read(path: Path) -> pd.DataFrame:
    """A release file with snake_case columns, a ``YYYY-MM`` calendar ``month`` and an int ``count``."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.columns = [c.strip().lower().replace(" (abbv)", "_abbv").replace(" ", "_") for c in df.columns]
    month = df["month_abbv"].str.strip().map(MONTH_NUMBER)
    year = df["fiscal_year"].str[:4].astype(int) - (month >= 10).astype(int)
    df["month"] = year.astype(str) + "-" + month.map("{:02d}".format)
    df["count"] = df["encounter_count"].astype(int)
    return df


@cache
def months_in(path: Path) -> frozenset[str]:
    return frozenset(read(path)["month"])


def span(first: str, last: str) -> list[str]:
    y, m = map(int, first.split("-"))
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def fy_months(year: int) -> list[str]:
    return span(f"{year - 1}-10", f"{year}-09")


def rows(files: list[Path], months: list[str], **where: Any) -> pd.DataFrame:
    """The rows of ``months``, each month from the newest of ``files`` (publication order) holding it,
    filtered by ``where`` (file spellings), with canonical columns added for every dimension."""
    parts = []
    for m in months:
        path = next(p for p in reversed(files) if m in months_in(p))
        df = read(path)
        parts.append(df[df["month"] == m].assign(file=path.name))
    df = pd.concat(parts, ignore_index=True)
    for name, value in where.items():
        df = df[df[COLUMN.get(name, name)].isin([value] if isinstance(value, str) else value)]
    df = df.copy()
    for dim, mapping in CANONICAL.items():
        col = COLUMN.get(dim, dim)
        if col in df.columns:
            df[dim] = df[col].map(mapping)
    if "area_of_responsibility" in df.columns:
        df["aor"] = df["area_of_responsibility"]
    return df


def grouped(df: pd.DataFrame, by: list[str]) -> dict[tuple[Any, ...], int]:
    """Non-zero group sums keyed by tuples (zero groups are left out on both sides)."""
    sums = df.groupby(by)["count"].sum()
    return {(k if isinstance(k, tuple) else (k,)): int(v) for k, v in sums.items() if v}


def table_dict(table: pd.DataFrame) -> dict[tuple[Any, ...], int]:
    return {tuple(r[:-2]): int(r[-2]) for r in table.itertuples(index=False) if r[-2]}


# ------------------------------------------------------------------------------------- tables


def test_table_by_citizenship_sw_fy2023(ingested_desk: Desk, state_files: list[Path]) -> None:
    truth = rows(state_files, fy_months(2023), region=SW)
    expected = truth.groupby("citizenship")["count"].sum().sort_values(ascending=False)
    total = int(expected.sum())

    df = ingested_desk.table(by="citizenship", region="southwest", period="FY2023")

    assert list(df.columns) == ["citizenship", "encounters", "share"]
    assert df.iloc[0]["citizenship"] == "MEXICO" == expected.index[0]
    assert df.iloc[0]["encounters"] == expected["MEXICO"]
    assert df.iloc[0]["share"] == pytest.approx(expected["MEXICO"] / total, abs=1e-6)
    assert dict(zip(df["citizenship"], df["encounters"], strict=True)) == expected.to_dict()
    assert list(df["encounters"]) == sorted(df["encounters"], reverse=True)
    for name, _, share in df.itertuples(index=False):
        assert share == pytest.approx(expected[name] / total, abs=1e-6), name
    assert df["share"].sum() == pytest.approx(1.0, abs=1e-5)
    assert df.answer.total == total == 2_475_669
    assert [r.file for r in df.answer.releases] == sorted(set(truth["file"])) == [FY23_FY26_NOV]
    assert "?" in df.answer.sql and "'" not in df.answer.sql


def test_table_top_keeps_shares_of_the_whole(ingested_desk: Desk, state_files: list[Path]) -> None:
    truth = rows(state_files, fy_months(2023), region=SW)
    expected = truth.groupby("citizenship")["count"].sum().sort_values(ascending=False)
    total = int(expected.sum())

    df = ingested_desk.table(by="citizenship", region="southwest", period="FY2023", top=5)

    assert list(df["citizenship"]) == list(expected.index[:5])
    assert list(df["encounters"]) == list(expected.iloc[:5])
    assert list(df["share"]) == pytest.approx([n / total for n in expected.iloc[:5]], abs=1e-6)
    assert df["share"].sum() < 0.9
    assert df.answer.total == total


@pytest.mark.parametrize(
    ("ask", "source", "months", "where"),
    [
        pytest.param({"by": "component,encounter_type", "period": "FY2023"}, "aor", fy_months(2023), {},
                     id="component-encounter-type-nationwide-aor"),
        pytest.param({"by": "component,encounter_type", "region": "southwest", "period": "FY2023",
                      "as_of": "cbp_resp.csv.gz"}, "aor", fy_months(2023), {"region": SW},
                     id="component-encounter-type-sw-as-of-aor"),
        pytest.param({"by": "component,encounter_type", "region": "southwest", "period": "FY2024"}, "sbo",
                     fy_months(2024), {}, id="component-encounter-type-sw-newest-sbo"),
        pytest.param({"by": "aor", "component": "usbp", "region": "southwest", "period": "FY2022"}, "aor",
                     fy_months(2022), {"component": "U.S. Border Patrol", "region": SW}, id="aor-sw-sectors"),
        pytest.param({"by": "region", "encounter_type": "expulsions", "period": "FY2021"}, "aor",
                     fy_months(2021), {"encounter_type": "Expulsions"}, id="region-expulsions-aor"),
        pytest.param({"by": "citizenship,region", "period": "FY2022"}, "state", fy_months(2022), {},
                     id="citizenship-region"),
        pytest.param({"by": ["demographic", "title"], "region": "southwest", "period": "2023"}, "state",
                     span("2023-01", "2023-12"), {"region": SW}, id="demographic-title-list-calendar-2023"),
        pytest.param({"by": "state", "citizenship": "russia", "period": "2022-02..2022-11"}, "state",
                     span("2022-02", "2022-11"), {"citizenship": "RUSSIA"}, id="state-russia-range"),
    ],
)  # fmt: skip
def test_table_breakdowns(
    ingested_desk: Desk,
    cbp_data: Path,
    state_files: list[Path],
    ask: dict[str, Any],
    source: str,
    months: list[str],
    where: dict[str, Any],
) -> None:
    files = {"aor": [cbp_data / AOR_FILE], "sbo": [cbp_data / SBO_FILE]}.get(source, state_files)
    by = ask["by"].split(",") if isinstance(ask["by"], str) else ask["by"]
    truth = rows(files, months, **where)
    expected = grouped(truth, by)

    df = ingested_desk.table(**ask)

    assert list(df.columns) == [*by, "encounters", "share"]
    assert table_dict(df) == expected
    assert list(df["encounters"]) == sorted(df["encounters"], reverse=True)
    assert df["share"].sum() == pytest.approx(1.0, abs=1e-4)
    assert df.answer.total == sum(expected.values())
    assert [r.file for r in df.answer.releases] == [Path(f).name for f in sorted(set(truth["file"]))]


def test_table_to_arrow(ingested_desk: Desk) -> None:
    df = ingested_desk.table(by="citizenship,region", citizenship="russia,ukraine", period="FY2023")
    table = df.to_arrow()
    assert isinstance(table, pa.Table)
    assert table.column_names == list(df.columns) == ["citizenship", "region", "encounters", "share"]
    assert table.to_pylist() == df.to_dict("records")
    assert df.answer.to_arrow().to_pylist() == table.to_pylist()


# ------------------------------------------------------------------------------------- series


def test_series_russia_sw_2022_by_month(ingested_desk: Desk, state_files: list[Path]) -> None:
    months = span("2022-01", "2022-12")
    truth = rows(state_files, months, region=SW, citizenship="RUSSIA")
    expected = truth.groupby("month")["count"].sum().reindex(months, fill_value=0)

    df = ingested_desk.series(citizenship="russia", region="southwest", period="2022-01..2022-12")

    assert list(df.columns) == ["month", "encounters"]
    assert list(df["month"]) == months
    assert list(df["encounters"]) == list(expected)
    assert dict(zip(df["month"], df["encounters"], strict=True))["2022-11"] == 5_507
    # Jan-Sep 2022 from the fy22-fy25 release, Oct-Dec from fy23-fy26-nov, in that order.
    assert [r.file for r in df.answer.releases] == [FY22_FY25, FY23_FY26_NOV]
    assert df.answer.total == int(expected.sum())


def test_series_months_without_rows_are_zero(ingested_desk: Desk, state_files: list[Path]) -> None:
    months = fy_months(2024)
    truth = rows(state_files, months, state="TN", citizenship="UKRAINE")
    expected = truth.groupby("month")["count"].sum().reindex(months, fill_value=0)
    assert 0 < (expected == 0).sum() < 12  # some months have no rows at all in the file

    df = ingested_desk.series(citizenship="ukraine", state="TN", period="FY2024")

    assert list(df["month"]) == months
    assert list(df["encounters"]) == list(expected)


def fiscal_label(month: str) -> str:
    year, m = map(int, month.split("-"))
    return f"FY{year + 1 if m >= 10 else year}"


@pytest.mark.parametrize(
    ("ask", "interval", "label"),
    [
        pytest.param({"citizenship": "russia", "region": "southwest", "period": "2021-10..2023-12"},
                     "fiscal_year", fiscal_label, id="russia-fiscal-years-last-partial"),
        pytest.param({"citizenship": "russia", "region": "southwest", "period": "2021-10..2023-12"},
                     "calendar_year", lambda m: m[:4], id="russia-calendar-years-first-partial"),
        pytest.param({"region": "southwest", "period": "since FY2025"}, "fiscal_year", fiscal_label,
                     id="sw-since-fy2025-running-year-partial"),
    ],
)  # fmt: skip
def test_series_yearly_with_month_counts(
    ingested_desk: Desk, state_files: list[Path], ask: dict[str, Any], interval: str, label: Any
) -> None:
    first = ask["period"].split("..")[0] if ".." in ask["period"] else "2024-10"
    last = ask["period"].split("..")[1] if ".." in ask["period"] else max(months_in(state_files[-1]))
    months = span(first, last)
    where = {"region": SW, **({"citizenship": "RUSSIA"} if "citizenship" in ask else {})}
    truth = rows(state_files, months, **where)
    per_month = truth.groupby("month")["count"].sum().reindex(months, fill_value=0)
    expected: dict[str, list[int]] = {}
    for m, n in per_month.items():
        expected.setdefault(label(m), []).append(int(n))

    df = ingested_desk.series(interval=interval, **ask)

    assert list(df.columns) == [interval, "encounters", "months"]
    assert [tuple(r) for r in df.itertuples(index=False)] == [
        (key, sum(ns), len(ns)) for key, ns in expected.items()
    ]
    assert (df["months"] < 12).sum() == 1  # exactly one partial year, flagged by its month count


def test_series_by_region(ingested_desk: Desk, state_files: list[Path]) -> None:
    months = fy_months(2023)
    truth = rows(state_files, months)

    monthly = ingested_desk.series(by="region", period="FY2023")
    yearly = ingested_desk.series(by="region", period="FY2023", interval="fiscal_year")

    assert list(monthly.columns) == ["month", "region", "encounters"]
    assert len(monthly) == 36
    assert {(m, r): n for m, r, n in monthly.itertuples(index=False)} == grouped(truth, ["month", "region"])
    assert list(yearly.columns) == ["fiscal_year", "region", "encounters", "months"]
    assert {(r, n, k) for _, r, n, k in yearly.itertuples(index=False)} == {
        (r, n, 12) for (r,), n in grouped(truth, ["region"]).items()
    }
    assert monthly.to_arrow().to_pylist() == monthly.to_dict("records")


# ------------------------------------------------------------------------------------- change


@pytest.mark.parametrize(
    ("ask", "where", "current", "previous", "year_earlier"),
    [
        pytest.param({"citizenship": "russia", "region": "southwest", "period": "2022-11"},
                     {"region": SW, "citizenship": "RUSSIA"}, ("2022-11", "2022-11"),
                     ("2022-10", "2022-10", "2022-10"), ("2021-11", "2021-11", "2021-11"),
                     id="russia-sw-nov-2022"),
        pytest.param({"region": "southwest", "period": "FY2023"}, {"region": SW}, ("2022-10", "2023-09"),
                     ("2021-10", "2022-09", "FY2022"), ("2021-10", "2022-09", "FY2022"), id="sw-fy2023"),
        pytest.param({"citizenship": "ukraine", "period": "2022-02..2022-11"}, {"citizenship": "UKRAINE"},
                     ("2022-02", "2022-11"), ("2021-04", "2022-01", "2021-04..2022-01"),
                     ("2021-02", "2021-11", "2021-02..2021-11"), id="ukraine-range"),
    ],
)  # fmt: skip
def test_change(
    ingested_desk: Desk,
    state_files: list[Path],
    ask: dict[str, Any],
    where: dict[str, Any],
    current: tuple[str, str],
    previous: tuple[str, str, str],
    year_earlier: tuple[str, str, str],
) -> None:
    def total(first: str, last: str) -> int:
        return int(rows(state_files, span(first, last), **where)["count"].sum())

    now = total(*current)

    change = ingested_desk.change(**ask)
    doc = change.to_dict()

    assert change.current.value == doc["value"] == now
    assert change.notes == ()
    for name, (first, last, text) in (("previous", previous), ("year_earlier", year_earlier)):
        value = total(first, last)
        assert doc[name]["value"] == value, name
        assert doc[name]["period"] == text
        assert doc[name]["change"] == now - value
        assert doc[name]["percent"] == round((now - value) / value * 100, 2)


def test_change_before_the_data_is_a_note(ingested_desk: Desk, state_files: list[Path]) -> None:
    change = ingested_desk.change(region="southwest", period="FY2020")
    assert change.current.value == int(rows(state_files, fy_months(2020), region=SW)["count"].sum())
    assert change.previous is None and change.year_earlier is None
    assert len(change.notes) == 2 and all("FY2019" in n for n in change.notes)
    assert change.to_dict()["previous"] is None


# ------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("call", "kwargs", "fragment"),
    [
        pytest.param("table", {"by": "nonsense"}, "cannot break down by 'nonsense'", id="table-bad-by"),
        pytest.param("table", {"by": ""}, "needs by", id="table-no-by"),
        pytest.param("table", {"by": "citizenship", "top": 0}, "at least 1", id="table-top-0"),
        pytest.param("series", {"by": "citizenship,region"}, "one dimension", id="series-two-dims"),
        pytest.param("series", {"interval": "week"}, "unknown interval 'week'", id="series-bad-interval"),
        pytest.param("table", {"by": "state", "component": "usbp", "period": "FY2023"}, "has no state",
                     id="table-by-state-of-a-component"),
    ],
)  # fmt: skip
def test_bad_breakdowns(ingested_desk: Desk, call: str, kwargs: dict[str, Any], fragment: str) -> None:
    with pytest.raises(BorderdeskError, match=fragment):
        getattr(ingested_desk, call)(**{"period": "2022-11", **kwargs})


# ------------------------------------------------------------------------------------- properties

FIRST, LAST = (2019, 10), (2025, 11)  # the months every by-state question can ask for
N_MONTHS = (LAST[0] - FIRST[0]) * 12 + LAST[1] - FIRST[1] + 1
CITIZENSHIPS = st.sampled_from([None, "russia", "mexico", "ukraine,haiti", "Venezuelans"])
REGIONS = st.sampled_from([None, "southwest", "northern", "other"])


def nth_month(i: int) -> str:
    y, m = divmod(FIRST[0] * 12 + FIRST[1] - 1 + i, 12)
    return f"{y:04d}-{m + 1:02d}"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.integers(0, N_MONTHS - 1),
    length=st.integers(1, 30),
    citizenship=CITIZENSHIPS,
    region=REGIONS,
)
def test_monthly_series_sums_to_the_count(
    ingested_desk: Desk, start: int, length: int, citizenship: str | None, region: str | None
) -> None:
    end = min(start + length - 1, N_MONTHS - 1)
    period = f"{nth_month(start)}..{nth_month(end)}"
    ask = {"citizenship": citizenship, "region": region, "period": period}

    series = ingested_desk.series(**ask)

    assert list(series["month"]) == [nth_month(i) for i in range(start, end + 1)]
    assert int(series["encounters"].sum()) == ingested_desk.count(**ask).value == series.answer.total


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    by=st.sampled_from(["citizenship", "region", "state", "demographic", "title", "citizenship,title"]),
    period=st.sampled_from(["FY2020", "FY2021", "FY2022", "FY2023", "FY2024", "FY2025", "2022-11", "2024"]),
    citizenship=CITIZENSHIPS,
    region=REGIONS,
)
def test_table_groups_sum_to_the_count(
    ingested_desk: Desk, by: str, period: str, citizenship: str | None, region: str | None
) -> None:
    ask = {"citizenship": citizenship, "region": region, "period": period}

    table = ingested_desk.table(by=by, **ask)

    assert int(table["encounters"].sum()) == ingested_desk.count(**ask).value == table.answer.total
    if len(table):
        assert table["share"].sum() == pytest.approx(1.0, abs=1e-4)
