"""``Desk.count`` over every dimension, period form, alias and vintage, checked against pandas.

Every expected number is summed by pandas straight from the real release file(s) in the repo's data
folder, in the files' own spelling (``Southwest Land Border``, ``UC / Single Minors``, ``Title 42``...),
never through borderdesk. A month is taken from the newest by-state release that holds it (the
documented vintage rule), from ``cbp_resp.csv.gz`` for AOR-level questions, from the sbo file for the
Southwest-only ones, or from the file named by ``as_of``. Fiscal-year totals and the RUSSIA figures per
release live in ``test_totals.py``; this module complements them.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from borderdesk import Desk
from borderdesk.errors import (
    BorderdeskError,
    CoverageError,
    PeriodError,
    ReleaseNotFoundError,
    UnknownValueError,
)

SW, NORTH, OTHER = "Southwest Land Border", "Northern Land Border", "Other"
UAC = ("UAC", "UC / Single Minors")  # the label changed in fy22-fy25; same rows
USBP, OFO = "U.S. Border Patrol", "Office of Field Operations"
AOR_FILE = "tidytuesday-2024-11-26/cbp_resp.csv.gz"
SBO_FILE = "sbo-encounters-fy22-fy25-aug.csv"
OCT_FILE = "nationwide-encounters-fy21-fy24-oct-state.csv"
FEB_FILE = "nationwide-encounters-fy21-fy24-feb-state.csv"
FY20_FILE = "nationwide-encounters-fy20-fy23-state.csv"

# ------------------------------------------------------------------------------- pandas truth

MONTH_NUMBER = {
    "JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
    "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12,
}  # fmt: skip
# Short names for the files' columns (snake_case of their headers).
COLUMN = {
    "region": "land_border_region",
    "title": "title_of_authority",
    "aor": "area_of_responsibility",
    "citizenship_grouping": "citizenship_grouping",
}


@cache
def read(path: Path) -> pd.DataFrame:
    """A release file with snake_case columns, a ``YYYY-MM`` calendar ``month`` and an int ``count``."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.columns = [c.strip().lower().replace(" (abbv)", "_abbv").replace(" ", "_") for c in df.columns]
    month = df["month_abbv"].str.strip().map(MONTH_NUMBER)
    fiscal_year = df["fiscal_year"].str[:4].astype(int)
    year = fiscal_year - (month >= 10).astype(int)  # FY2023 starts in October 2022
    df["month"] = year.astype(str) + "-" + month.map("{:02d}".format)
    df["count"] = df["encounter_count"].astype(int)
    return df


def span(first: str, last: str) -> list[str]:
    """Calendar months first..last inclusive as ``YYYY-MM``."""
    y, m = map(int, first.split("-"))
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def fy(year: int) -> tuple[str, str]:
    return f"{year - 1}-10", f"{year}-09"


def cy(year: int) -> tuple[str, str]:
    return f"{year}-01", f"{year}-12"


def month(text: str) -> tuple[str, str]:
    return text, text


def pandas_sum(path: Path, months: list[str], where: dict[str, Any]) -> int:
    df = read(path)
    mask = df["month"].isin(months)
    for name, value in where.items():
        values = [value] if isinstance(value, str) else list(value)
        mask &= df[COLUMN.get(name, name)].isin(values)
    return int(df.loc[mask, "count"].sum())


@cache
def months_in(path: Path) -> frozenset[str]:
    return frozenset(read(path)["month"])


def newest_holding(files: list[Path], months: list[str]) -> dict[Path, list[str]]:
    """Each month from the newest file that has it (``files`` in publication order)."""
    chosen: dict[Path, list[str]] = {}
    for m in months:
        path = next(p for p in reversed(files) if m in months_in(p))
        chosen.setdefault(path, []).append(m)
    return chosen


def truth(
    cbp_data: Path,
    state_files: list[Path],
    source: str,
    period: tuple[str, str | None],
    where: dict[str, Any],
) -> tuple[int, list[Path]]:
    """(the pandas sum, the files it came from); ``source`` is "state", "aor", "sbo" or a file name."""
    files = {"aor": [cbp_data / AOR_FILE], "sbo": [cbp_data / SBO_FILE]}.get(source)
    if files is None:
        files = state_files if source == "state" else [cbp_data / source]
    first, last = period
    if last is None:  # an open end runs to the newest month of the source
        last = max(months_in(files[-1]))
    months = span(first, last)
    chosen = newest_holding(files, months)
    return sum(pandas_sum(p, ms, where) for p, ms in chosen.items()), list(chosen)


# ------------------------------------------------------------------------------- count cases


def case(
    ask: dict[str, Any],
    source: str,
    period: tuple[str, str | None],
    where: dict[str, Any],
    literal: int | None = None,
    *,
    id: str,
) -> Any:
    return pytest.param(ask, source, period, where, literal, id=id)


RUSSIA_SW = {"region": SW, "citizenship": "RUSSIA"}
TODAY = dt.date(2024, 3, 15)

COUNT_CASES = [
    # RUSSIA, the figures of the brief, in period forms and aliases test_totals.py does not use
    case({"citizenship": "russia", "region": "southwest", "period": "2022-11"}, "state",
         month("2022-11"), RUSSIA_SW, 5_507, id="russia-sw-2022-11"),
    case({"citizenship": "Russians", "region": "southwest", "period": "2022-11"}, "state",
         month("2022-11"), RUSSIA_SW, 5_507, id="russians-demonym"),
    case({"citizenship": "russia", "region": "southern border", "period": "2022-11"}, "state",
         month("2022-11"), RUSSIA_SW, 5_507, id="russia-southern-border-alias"),
    case({"citizenship": "russia", "region": "southwest", "period": "Nov 2022"}, "state",
         month("2022-11"), RUSSIA_SW, 5_507, id="russia-nov-2022-named"),
    case({"citizenship": "Russians", "region": "southern border", "period": "Nov 2022"}, "state",
         month("2022-11"), RUSSIA_SW, 5_507, id="russians-southern-border-nov-2022"),
    case({"citizenship": "russia", "region": "southwest", "period": "Feb 2022 to Nov 2022"}, "state",
         ("2022-02", "2022-11"), RUSSIA_SW, 24_724, id="russia-sw-feb-to-nov-2022"),
    case({"citizenship": "russia", "region": "southwest", "period": "FY21"}, "state",
         fy(2021), RUSSIA_SW, 4_103, id="russia-sw-fy21"),
    case({"citizenship": "russia", "period": "November 2022"}, "state",
         month("2022-11"), {"citizenship": "RUSSIA"}, 6_931, id="russia-nationwide-november-2022"),
    case({"citizenship": "RUSSIA", "region": "SW", "period": "2022-11", "component": "OFO"}, "aor",
         month("2022-11"), {**RUSSIA_SW, "component": OFO}, 4_325, id="russia-sw-nov-2022-ofo"),
    case({"citizenship": "RUSSIA", "region": "SW", "period": "2022-11", "component": "USBP"}, "aor",
         month("2022-11"), {**RUSSIA_SW, "component": USBP}, 1_182, id="russia-sw-nov-2022-usbp"),
    case({"citizenship": "russia", "region": "southwest", "period": "FY2022"}, "state",
         fy(2022), RUSSIA_SW, id="russia-sw-fy2022"),
    case({"citizenship": "russia", "region": "southwest", "period": "fiscal 2022"}, "state",
         fy(2022), RUSSIA_SW, id="russia-sw-fiscal-2022"),
    case({"citizenship": "russia", "region": "southwest", "period": "2022"}, "state",
         cy(2022), RUSSIA_SW, id="russia-sw-calendar-2022"),
    case({"citizenship": "russia", "region": "southwest", "period": "since 2025-06"}, "state",
         ("2025-06", None), RUSSIA_SW, id="russia-sw-since-2025-06"),
    # several citizenships are summed
    case({"citizenship": ["russia", "ukraine"], "region": "southwest", "period": "2022-11"}, "state",
         month("2022-11"), {"region": SW, "citizenship": ("RUSSIA", "UKRAINE")}, id="russia-ukraine-list"),
    case({"citizenship": "russia,ukraine", "region": "southwest", "period": "FY2023"}, "state",
         fy(2023), {"region": SW, "citizenship": ("RUSSIA", "UKRAINE")}, id="russia-ukraine-comma-text"),
    case({"citizenship": "Chinese", "period": "FY22"}, "state",
         fy(2022), {"citizenship": "CHINA, PEOPLES REPUBLIC OF"}, id="china-demonym-fy22"),
    # open and relative periods
    case({"region": "southwest", "period": "FY2026-to-date"}, "state",
         ("2025-10", None), {"region": SW}, id="sw-fy2026-to-date"),
    case({"region": "southwest", "period": "last 12 months", "today": TODAY}, "state",
         ("2024-12", "2025-11"), {"region": SW}, id="sw-last-12-months-of-data-not-of-the-clock"),
    case({"region": "northern", "period": "past 6 months", "today": dt.date(2025, 12, 20)}, "state",
         ("2025-06", "2025-11"), {"region": NORTH}, id="northern-past-6-months-before-2025-12-20"),
    case({"citizenship": "venezuela", "period": "since FY2025"}, "state",
         ("2024-10", None), {"citizenship": "VENEZUELA"}, id="venezuela-since-fy2025"),
    # region
    case({"region": "northern", "period": "fiscal 2022"}, "state",
         fy(2022), {"region": NORTH}, id="northern-fiscal-2022"),
    case({"region": "other", "period": "November 2022"}, "state",
         month("2022-11"), {"region": OTHER}, id="other-november-2022"),
    case({"region": "nationwide", "period": "2024"}, "state", cy(2024), {}, id="nationwide-calendar-2024"),
    case({"region": "northern,other", "period": "FY2024"}, "state",
         fy(2024), {"region": (NORTH, OTHER)}, id="northern-and-other-fy2024"),
    # state (by-state releases only)
    case({"state": "TX", "period": "FY2023"}, "state", fy(2023), {"state": "TX"}, id="state-tx-fy2023"),
    case({"state": "az", "period": "Nov 2022"}, "state",
         month("2022-11"), {"state": "AZ"}, id="state-az-lowercase-nov-2022"),
    case({"state": "CA", "period": "2023"}, "state", cy(2023), {"state": "CA"}, id="state-ca-calendar-2023"),
    case({"state": ["TX", "AZ"], "citizenship": "mexico", "period": "2022-11"}, "state",
         month("2022-11"), {"state": ("TX", "AZ"), "citizenship": "MEXICO"}, id="states-tx-az-mexico"),
    case({"state": "NY", "citizenship": "venezuela", "period": "2023-01..2023-06"}, "state",
         ("2023-01", "2023-06"), {"state": "NY", "citizenship": "VENEZUELA"}, id="state-ny-venezuela-range"),
    # area of responsibility (AOR-level data)
    case({"aor": "Del Rio", "period": "FY2022"}, "aor",
         fy(2022), {"aor": "Del Rio Sector"}, id="aor-del-rio-prefix"),
    case({"aor": "San Diego Sector", "period": "2022"}, "aor",
         cy(2022), {"aor": "San Diego Sector"}, id="aor-san-diego-sector-calendar-2022"),
    case({"aor": "El Paso Field Office", "period": "Nov 2022"}, "aor",
         month("2022-11"), {"aor": "El Paso Field Office"}, id="aor-el-paso-field-office"),
    case({"aor": "RGV", "period": "FY2023"}, "aor",
         fy(2023), {"aor_abbv": "RGV"}, id="aor-rgv-code"),
    case({"aor": ["Del Rio", "rgv"], "citizenship": "cuba", "period": "FY2021"}, "aor",
         fy(2021), {"aor": ("Del Rio Sector", "Rio Grande Valley Sector"), "citizenship": "CUBA"},
         id="aor-list-cuba"),
    # component
    # (the sbo file, covering to Aug 2025, is newer than cbp_resp, to Sep 2024: it answers the Southwest)
    case({"component": "usbp", "region": "southwest", "period": "FY2022"}, "sbo",
         fy(2022), {"component": USBP}, id="usbp-sw-fy2022-newest-is-sbo"),
    case({"component": "usbp", "region": "southwest", "period": "FY2022", "as_of": "cbp_resp.csv.gz"},
         "aor", fy(2022), {"component": USBP, "region": SW}, id="usbp-sw-fy2022-as-of-aor"),
    case({"component": "ports of entry", "period": "FY2021"}, "aor",
         fy(2021), {"component": OFO}, id="ofo-nationwide-fy2021"),
    case({"component": "Border Patrol", "region": "southwest", "period": "FY2025-to-date"}, "sbo",
         ("2024-10", None), {"component": USBP}, id="usbp-sw-fy2025-to-date-from-sbo"),
    # demographic
    case({"demographic": "UAC", "region": "southwest", "period": "FY2022"}, "state",
         fy(2022), {"demographic": UAC, "region": SW}, id="uac-sw-fy2022"),
    case({"demographic": "family units", "region": "southwest", "period": "FY2023"}, "state",
         fy(2023), {"demographic": "FMUA", "region": SW}, id="family-units-alias-sw-fy2023"),
    case({"demographic": "single-adults", "period": "2023-05"}, "state",
         month("2023-05"), {"demographic": "Single Adults"}, id="single-adults-2023-05"),
    case({"demographic": "accompanied minors", "period": "FY21"}, "state",
         fy(2021), {"demographic": "Accompanied Minors"}, id="accompanied-minors-fy21"),
    case({"demographic": "uac", "component": "usbp", "region": "southwest", "period": "FY2021"}, "aor",
         fy(2021), {"demographic": UAC, "component": USBP, "region": SW}, id="uac-usbp-sw-fy2021"),
    # title of authority: Title 42 expulsions ended in May 2023
    case({"title": "42", "region": "southwest", "period": "FY2022"}, "state",
         fy(2022), {"title": "Title 42", "region": SW}, id="title-42-sw-fy2022"),
    case({"title": "8", "region": "southwest", "period": "FY2022"}, "state",
         fy(2022), {"title": "Title 8", "region": SW}, id="title-8-sw-fy2022"),
    case({"title": "Title 42", "period": "May 2023"}, "state",
         month("2023-05"), {"title": "Title 42"}, id="title-42-may-2023"),
    case({"title": "8", "region": "southwest", "period": "since 2023-06"}, "state",
         ("2023-06", None), {"title": "Title 8", "region": SW}, id="title-8-sw-since-2023-06"),
    # encounter type
    case({"encounter_type": "expulsions", "region": "southwest", "period": "FY2022"}, "sbo",
         fy(2022), {"encounter_type": "Expulsions"}, id="expulsions-sw-fy2022"),
    case({"encounter_type": "expulsions", "region": "northern", "period": "FY2021"}, "aor",
         fy(2021), {"encounter_type": "Expulsions", "region": NORTH}, id="expulsions-northern-fy2021"),
    case({"encounter_type": "Apprehensions", "period": "2023-01"}, "aor",
         month("2023-01"), {"encounter_type": "Apprehensions"}, id="apprehensions-2023-01"),
    case({"encounter_type": "inadmissibles", "component": "ofo", "region": "southwest", "period": "FY2024"},
         "sbo", fy(2024), {"encounter_type": "Inadmissibles", "component": OFO},
         id="inadmissibles-ofo-sw-fy2024"),
    case({"encounter_type": "inadmissibles", "region": "southwest", "period": "FY2024",
          "as_of": "17d2fc9d1b66"}, "aor", fy(2024), {"encounter_type": "Inadmissibles", "region": SW},
         id="inadmissibles-sw-fy2024-as-of-aor-sha256"),
    # as-of vintages
    case({"region": "southwest", "period": "2023-10", "as_of": OCT_FILE}, OCT_FILE,
         month("2023-10"), {"region": SW}, 240_988, id="as-of-oct-release-sw-oct-2023"),
    case({"citizenship": "russia", "region": "southwest", "period": "FY2024-to-date", "as_of": FEB_FILE},
         FEB_FILE, ("2023-10", "2024-02"), RUSSIA_SW, id="as-of-feb-release-russia-fy2024-to-date"),
    case({"period": "FY2020", "as_of": FY20_FILE}, FY20_FILE, fy(2020), {}, id="as-of-fy20-fy23-nationwide"),
    case({"component": "ofo", "region": "southwest", "period": "FY2023", "as_of": SBO_FILE}, "sbo",
         fy(2023), {"component": OFO}, id="as-of-sbo-ofo-fy2023"),
    case({"citizenship": "mexico", "region": "southwest", "period": "FY2023", "as_of": SBO_FILE}, "sbo",
         fy(2023), {"citizenship_grouping": "Mexico"}, id="as-of-sbo-mexico-fy2023"),
]  # fmt: skip


def assert_parameterized(answer: Any, raw_texts: list[str]) -> None:
    """Values travel as bound parameters: no quotes in the SQL, none of the user's text, one ? each."""
    assert "?" in answer.sql
    assert "'" not in answer.sql and '"' not in answer.sql
    assert answer.sql.count("?") == len(answer.params)
    assert all(isinstance(p, int | dt.date) for p in answer.params), answer.params
    for text in raw_texts:
        if len(text) >= 3:  # "CA" is part of CAST
            assert text not in answer.sql


def raw_texts(ask: dict[str, Any]) -> list[str]:
    out = []
    for key, value in ask.items():
        if key == "today":
            continue
        for v in [value] if isinstance(value, str) else value:
            out.append(v)
    return out


@pytest.mark.parametrize(("ask", "source", "period", "where", "literal"), COUNT_CASES)
def test_count(
    ingested_desk: Desk,
    cbp_data: Path,
    state_files: list[Path],
    ask: dict[str, Any],
    source: str,
    period: tuple[str, str | None],
    where: dict[str, Any],
    literal: int | None,
) -> None:
    expected, files = truth(cbp_data, state_files, source, period, where)
    if literal is not None:
        assert expected == literal  # the pandas read agrees with the published figure

    answer = ingested_desk.count(**ask)

    assert answer.value == expected
    assert [r.file for r in answer.releases] == [p.name for p in files]
    assert answer.to_dict()["question"]["months"] == {
        "start": period[0],
        "end": period[1] or max(months_in(files[-1])),
    }
    assert_parameterized(answer, raw_texts(ask))


def test_count_cases_cover_every_dimension_and_period_form() -> None:
    asked = {key for p in COUNT_CASES for key in p.values[0]}
    assert {"citizenship", "region", "state", "aor", "component", "demographic", "title"} <= asked
    assert {"encounter_type", "period", "as_of", "today"} <= asked
    periods = {p.values[0]["period"] for p in COUNT_CASES}
    forms = {"FY2022", "FY21", "fiscal 2022", "2022-11", "Nov 2022", "November 2022", "2022"}
    forms |= {"Feb 2022 to Nov 2022", "2023-01..2023-06", "since 2025-06", "FY2026-to-date", "last 12 months"}
    assert forms <= periods
    assert len(COUNT_CASES) >= 40


def test_sw_fy2023_top_citizenship_is_mexico(ingested_desk: Desk, cbp_data: Path, state_files) -> None:
    newest = state_files[-1]
    df = read(newest)
    sw = df[df["month"].isin(span(*fy(2023))) & (df["land_border_region"] == SW)]
    by_citizenship = sw.groupby("citizenship")["count"].sum().sort_values(ascending=False)
    assert by_citizenship.index[0] == "MEXICO"

    mexico = ingested_desk.count(citizenship="mexico", region="southwest", period="FY2023").value
    for other in by_citizenship.index[1:4]:
        assert ingested_desk.count(citizenship=other, region="southwest", period="FY2023").value < mexico
    assert mexico == by_citizenship["MEXICO"]


# ------------------------------------------------------------------------------- SQL safety


def test_user_text_never_reaches_the_sql(ingested_desk: Desk) -> None:
    answer = ingested_desk.count(citizenship="Russians", region="southern border", period="Nov 2022")
    assert answer.value == 5_507
    for text in ("Russians", "RUSSIA", "southern", "southwest", "Nov", "2022"):
        assert text not in answer.sql
    assert answer.question.values("citizenship") == ("RUSSIA",)


INJECTION = "russia'; DROP TABLE facts; --"


@pytest.mark.parametrize(
    ("ask", "error"),
    [
        pytest.param({"citizenship": INJECTION}, UnknownValueError, id="citizenship"),
        pytest.param({"aor": INJECTION}, UnknownValueError, id="aor"),
        pytest.param({"state": "TX'; DROP TABLE facts; --"}, UnknownValueError, id="state"),
        pytest.param({"citizenship": ["ukraine", INJECTION]}, UnknownValueError, id="in-a-list"),
        pytest.param({"period": "2022-11'; DROP TABLE facts; --"}, PeriodError, id="period"),
        pytest.param({"as_of": INJECTION}, ReleaseNotFoundError, id="as-of"),
    ],
)
def test_injection_is_refused_and_facts_stay(
    ingested_desk: Desk, ask: dict[str, Any], error: type[Exception]
) -> None:
    con = ingested_desk.con
    before = con.execute("SELECT count(*), sum(encounters) FROM facts").fetchone()

    with pytest.raises(error):
        ingested_desk.count(**ask)

    assert con.execute("SELECT count(*), sum(encounters) FROM facts").fetchone() == before
    assert ingested_desk.count(citizenship="russia", region="southwest", period="2022-11").value == 5_507


# ------------------------------------------------------------------------------- errors

COVERAGE_STATE = "Oct 2019 to Nov 2025"  # by-state releases: FY2020 OCT .. FY2026 NOV
COVERAGE_AOR = "Oct 2019 to Sep 2024"  # cbp_resp: FY2020 .. FY2024


@pytest.mark.parametrize(
    ("ask", "error", "fragments"),
    [
        # unknown values, with did-you-mean
        pytest.param({"citizenship": "Gautemala"}, UnknownValueError, ["did you mean GUATEMALA"],
                     id="citizenship-typo"),
        pytest.param({"component": "usbpp"}, UnknownValueError, ["did you mean usbp", "ofo"],
                     id="component-typo"),
        pytest.param({"demographic": "singel adults"}, UnknownValueError, ["did you mean single-adults"],
                     id="demographic-typo"),
        pytest.param({"state": "TXX"}, UnknownValueError, ["unknown state 'TXX'", "did you mean TX"],
                     id="state-typo"),
        pytest.param({"aor": "Del Rioo"}, UnknownValueError, ["did you mean Del Rio Sector"], id="aor-typo"),
        pytest.param({"aor": "San Diego"}, UnknownValueError,
                     ["ambiguous", "San Diego Field Office", "San Diego Sector"], id="aor-ambiguous"),
        pytest.param({"encounter_type": "expulsionz"}, UnknownValueError, ["did you mean expulsions"],
                     id="encounter-type-typo"),
        pytest.param({"title": "41"}, UnknownValueError, ["unknown title '41'", "42", "8"], id="title-41"),
        pytest.param({"region": "northen"}, UnknownValueError, ["did you mean northern"], id="region-typo"),
        # a period partly outside the data names the coverage
        pytest.param({"region": "southwest", "period": "2025-06..2026-02"}, CoverageError,
                     ["2025-06..2026-02", COVERAGE_STATE], id="range-past-the-newest-month"),
        pytest.param({"region": "southwest", "period": "FY2019"}, CoverageError,
                     ["FY2019", COVERAGE_STATE], id="fy2019-before-the-data"),
        pytest.param({"region": "southwest", "period": "since 2030-01"}, CoverageError,
                     ["since 2030-01", COVERAGE_STATE], id="since-after-the-data"),
        pytest.param({"period": "FY2030-to-date"}, CoverageError, [COVERAGE_STATE], id="fytd-after-the-data"),
        # component after FY2024: only by-state data (no component) covers it
        pytest.param({"component": "ofo", "period": "FY2025"}, CoverageError,
                     ["has no component", COVERAGE_AOR, "Southwest border only"], id="ofo-fy2025"),
        pytest.param({"component": "usbp", "region": "southwest", "period": "2025-10"}, CoverageError,
                     ["has no component", "runs from Oct 2019 to Aug 2025"],
                     id="usbp-sw-after-the-sbo-file"),
        # no family has both dimensions
        pytest.param({"state": "TX", "component": "usbp", "period": "FY2023"}, CoverageError,
                     ["has no component", "has no state"], id="state-and-component"),
        pytest.param({"state": "TX", "encounter_type": "expulsions"}, CoverageError,
                     ["has no encounter_type", "has no state"], id="state-and-encounter-type"),
        pytest.param({"aor": "RGV", "state": "TX"}, CoverageError, ["has no aor", "has no state"],
                     id="aor-and-state"),
        # no quiet zeros: a slice the data cannot hold says why (decided from the rows themselves)
        pytest.param({"aor": "Del Rio Sector", "component": "ofo"}, CoverageError,
                     ["Del Rio Sector is a Border Patrol sector: it has no ports of entry (OFO)"],
                     id="sector-with-ofo"),
        pytest.param({"aor": "El Paso Field Office", "component": "usbp", "period": "FY2023"}, CoverageError,
                     ["El Paso Field Office is an OFO field office: it has no Border Patrol sector (USBP)"],
                     id="field-office-with-usbp"),
        pytest.param({"title": "42", "period": "2023-06..2023-12"}, CoverageError,
                     ["Title 42 is in the data only from Mar 2020 to May 2023",
                      "not in period 2023-06..2023-12"],
                     id="title-42-after-may-2023"),
        pytest.param({"encounter_type": "expulsions", "period": "FY2020-Q1"}, CoverageError,
                     ["Expulsions is in the data only from Mar 2020 to May 2023",
                      "FY2020-Q1 (Oct 2019 - Dec 2019)"], id="expulsions-before-title-42"),
        # a pinned release that lacks the dimension or the months
        pytest.param({"component": "ofo", "period": "2023-10", "as_of": OCT_FILE}, CoverageError,
                     ["cannot answer", "has no component"], id="as-of-state-release-with-component"),
        pytest.param({"region": "southwest", "period": "2023-11", "as_of": OCT_FILE}, PeriodError,
                     ["2020-10 to 2023-10"], id="as-of-month-after-the-release"),
        pytest.param({"region": "southwest", "period": "since 2024-01", "as_of": OCT_FILE}, PeriodError,
                     ["2020-10 to 2023-10"], id="as-of-since-after-the-release"),
        pytest.param({"period": "2022-11", "as_of": "state-1999-01"}, ReleaseNotFoundError,
                     ["state-1999-01", "state-2025-11"], id="as-of-unknown"),
        # bad period text
        pytest.param({"period": "Novembr 2022"}, PeriodError, ["cannot read period", "FY2022"],
                     id="period-misspelt-month"),
        pytest.param({"period": "FY2022.."}, PeriodError, ["cannot read"], id="period-open-range"),
        pytest.param({"period": "2022-11-05"}, PeriodError, ["cannot read"], id="period-a-day"),
        pytest.param({"period": "Q5 2023"}, PeriodError, ["cannot read"], id="period-quarter-5"),
    ],
)  # fmt: skip
def test_error(
    ingested_desk: Desk, ask: dict[str, Any], error: type[Exception], fragments: list[str]
) -> None:
    with pytest.raises(error) as info:
        ingested_desk.count(**ask)
    assert isinstance(info.value, BorderdeskError)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, message


def test_a_true_zero_says_so(ingested_desk: Desk, cbp_data: Path) -> None:
    """Ukrainians at Del Rio Sector: the data holds the slice (in later months), and October 2019 has
    none of it: a zero that says it is a zero in the data, checked against the file with pandas."""
    expected, _ = truth(
        cbp_data, [], "aor", ("2019-10", "2019-10"), {"aor": "Del Rio Sector", "citizenship": "UKRAINE"}
    )
    answer = ingested_desk.count(aor="Del Rio Sector", citizenship="ukraine", period="2019-10")
    assert answer.value == expected == 0
    assert answer.to_dict()["note"] == "the data has this slice, and it is zero"
    assert ingested_desk.count(aor="Del Rio Sector", citizenship="ukraine", period="FY2023").value > 0
    assert "note" not in ingested_desk.count(aor="Del Rio Sector", period="FY2023").to_dict()


def test_title_42_after_it_ended_is_zero_for_the_claim_checker(ingested_desk: Desk) -> None:
    """A reader gets an error; the claim checker measures a claim against the zero it is."""
    q = ingested_desk.question(title="42", period="2023-09")
    assert ingested_desk.ask(q).value == 0
    assert ingested_desk.ask_many([q])[0].value == 0  # type: ignore[union-attr]


def test_breakdowns_and_series_refuse_an_impossible_slice_too(ingested_desk: Desk) -> None:
    with pytest.raises(CoverageError, match="Del Rio Sector is a Border Patrol sector"):
        ingested_desk.table(by="citizenship", aor="Del Rio Sector", component="ofo")
    with pytest.raises(CoverageError, match="Title 42 is in the data only from Mar 2020 to May 2023"):
        ingested_desk.series(title="42", period="FY2024")
    empty = ingested_desk.series(aor="Del Rio Sector", citizenship="ukraine", period="2019-10..2019-11")
    assert list(empty["encounters"]) == [0, 0]  # a true zero stays a series of zeros
