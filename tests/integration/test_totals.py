"""Fiscal-year totals and the RUSSIA figures, from every real release, checked two ways.

Each expected number is (a) the literal figure of data/cbp/PROVENANCE.md and (b) the sum the
``csv`` module computes from the file itself (the ``csv_truth`` fixture), never borderdesk's own code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from borderdesk import Desk
from borderdesk.errors import CoverageError, PeriodError

SW = "Southwest Land Border"  # the files' spelling of the region
CBP_RESP = "cbp_resp.csv.gz"
SBO = "sbo-encounters-fy22-fy25-aug.csv"

# PROVENANCE.md, "Sanity totals" (identical in every file that covers the year).
SOUTHWEST_FY = {
    2020: 458_088,
    2021: 1_734_686,
    2022: 2_378_944,
    2023: 2_475_669,
    2024: 2_135_005,
    2025: 443_671,
}
NATIONWIDE_FY = {
    2020: 646_822,
    2021: 1_956_519,
    2022: 2_766_582,
    2023: 3_201_144,
    2024: 2_901_142,
    2025: 691_906,
}
TOTALS = {"southwest": SOUTHWEST_FY, "nationwide": NATIONWIDE_FY}

# Each by-state release, in publication order: the fiscal years it covers completely, and the year still
# in progress (monthly releases only).
STATE_RELEASES = (
    ("nationwide-encounters-fy20-fy23-state.csv", (2020, 2021, 2022, 2023), None),
    ("nationwide-encounters-fy21-fy24-oct-state.csv", (2021, 2022, 2023), 2024),
    ("nationwide-encounters-fy21-fy24-nov-state.csv", (2021, 2022, 2023), 2024),
    ("nationwide-encounters-fy21-fy24-dec-state.csv", (2021, 2022, 2023), 2024),
    ("nationwide-encounters-fy21-fy24-jan-state.csv", (2021, 2022, 2023), 2024),
    ("nationwide-encounters-fy21-fy24-feb-state.csv", (2021, 2022, 2023), 2024),
    ("nationwide-encounters-fy21-fy24-mar-state.csv", (2021, 2022, 2023), 2024),
    ("nationwide-encounters-fy21-fy24-apr-state.csv", (2021, 2022, 2023), 2024),
    ("nationwide-encounters-fy21-fy24-may-state.csv", (2021, 2022, 2023), 2024),
    ("nationwide-encounters-fy21-fy24-state.csv", (2021, 2022, 2023, 2024), None),
    ("nationwide-encounters-fy22-fy25-state.csv", (2022, 2023, 2024, 2025), None),
    ("nationwide-encounters-fy23-fy26-nov-state.csv", (2023, 2024, 2025), 2026),
)
SHORT = {"southwest": "sw", "nationwide": "nw"}


def short(name: str) -> str:
    return name.removeprefix("nationwide-encounters-").removesuffix("-state.csv")


def region_in_file(region: str) -> str | None:
    return SW if region == "southwest" else None


FULL_YEARS = [
    pytest.param(name, fy, region, id=f"{SHORT[region]}-fy{fy}-{short(name)}")
    for name, years, _ in STATE_RELEASES
    for fy in years
    for region in ("southwest", "nationwide")
]
PARTIAL_YEARS = [
    pytest.param(name, partial, region, id=f"{SHORT[region]}-fy{partial}-{short(name)}")
    for name, _, partial in STATE_RELEASES
    if partial is not None
    for region in ("southwest", "nationwide")
]


def test_state_files_fixture_is_the_publication_order(state_files: list[Path]) -> None:
    assert [p.name for p in state_files] == [name for name, _, _ in STATE_RELEASES]


@pytest.mark.parametrize(
    ("name", "full", "partial"),
    [pytest.param(*r, id=short(r[0])) for r in STATE_RELEASES],
)
def test_coverage_table_matches_the_files(
    cbp_data: Path, csv_truth, name: str, full: tuple[int, ...], partial: int | None
) -> None:
    assert csv_truth.full_fiscal_years(cbp_data / name) == list(full)
    assert csv_truth.partial_fiscal_years(cbp_data / name) == ([partial] if partial else [])


@pytest.mark.parametrize(("name", "fy", "region"), FULL_YEARS)
def test_fiscal_year_total_as_of_each_release(
    ingested_desk: Desk, labels: dict[str, str], cbp_data: Path, csv_truth, name: str, fy: int, region: str
) -> None:
    expected = TOTALS[region][fy]
    assert csv_truth(cbp_data / name, fy=fy, region=region_in_file(region)) == expected

    answer = ingested_desk.count(region=region, period=f"FY{fy}", as_of=labels[name])

    assert answer.value == expected
    assert [r.file for r in answer.releases] == [name]


@pytest.mark.parametrize(
    ("fy", "region"),
    [
        pytest.param(fy, region, id=f"{SHORT[region]}-fy{fy}")
        for fy in SOUTHWEST_FY
        for region in ("southwest", "nationwide")
    ],
)
def test_fiscal_year_total_latest(ingested_desk: Desk, fy: int, region: str) -> None:
    answer = ingested_desk.count(region=region, period=f"FY{fy}")
    assert answer.value == TOTALS[region][fy]
    # The newest release covering the whole year answers (the running-year releases cover fewer years).
    newest = {2020: "fy20-fy23", 2021: "fy21-fy24", 2022: "fy22-fy25"}.get(fy, "fy23-fy26-nov")
    assert [short(r.file) for r in answer.releases] == [newest]


@pytest.mark.parametrize(("name", "fy", "region"), PARTIAL_YEARS)
def test_partial_fiscal_year_is_refused_as_a_full_year(
    ingested_desk: Desk, labels: dict[str, str], cbp_data: Path, csv_truth, name: str, fy: int, region: str
) -> None:
    start, end = csv_truth.coverage(cbp_data / name)
    with pytest.raises((PeriodError, CoverageError)) as info:
        ingested_desk.count(region=region, period=f"FY{fy}", as_of=labels[name])
    message = str(info.value)
    assert f"FY{fy}" in message
    assert start in message and end in message, message


@pytest.mark.parametrize(("name", "fy", "region"), PARTIAL_YEARS)
def test_partial_fiscal_year_to_date(
    ingested_desk: Desk, labels: dict[str, str], cbp_data: Path, csv_truth, name: str, fy: int, region: str
) -> None:
    expected = csv_truth(cbp_data / name, fy=fy, region=region_in_file(region))
    answer = ingested_desk.count(region=region, period=f"FY{fy}-to-date", as_of=labels[name])
    assert answer.value == expected > 0
    assert answer.period is not None
    last_year, last_month = csv_truth.months(cbp_data / name)[-1]
    assert answer.to_dict()["question"]["months"] == {
        "start": f"{fy - 1}-10",
        "end": f"{last_year}-{last_month:02d}",
    }


def test_running_year_without_as_of_is_refused_naming_the_coverage(ingested_desk: Desk) -> None:
    # FY2026 runs to Sep 2026; the newest data (fy23-fy26-nov) ends in Nov 2025.
    with pytest.raises((PeriodError, CoverageError), match="Nov 2025"):
        ingested_desk.count(region="southwest", period="FY2026")
    assert ingested_desk.count(region="southwest", period="FY2026-to-date").value == (
        ingested_desk.count(region="southwest", period="2025-10..2025-11").value
    )


# ----------------------------------------------------------------------------------------- RUSSIA


@pytest.mark.parametrize(
    ("filters", "period", "expected", "months"),
    [
        pytest.param({"region": "southwest"}, "2022-11", 5_507, [(2022, 11)], id="russia-sw-nov-2022"),
        pytest.param({"region": "southwest"}, "FY2021", 4_103, None, id="russia-sw-fy2021"),
        pytest.param(
            {"region": "southwest"},
            "2022-02..2022-11",
            24_724,
            [(2022, m) for m in range(2, 12)],
            id="russia-sw-feb-nov-2022",
        ),
        pytest.param({}, "2022-11", 6_931, [(2022, 11)], id="russia-nationwide-nov-2022"),
        pytest.param({"region": "nationwide"}, "Nov 2022", 6_931, [(2022, 11)], id="russia-nationwide-named"),
    ],
)
def test_russia(
    ingested_desk: Desk,
    state_files: list[Path],
    csv_truth,
    filters: dict[str, str],
    period: str,
    expected: int,
    months: list[tuple[int, int]] | None,
) -> None:
    region = SW if filters.get("region") == "southwest" else None
    # Every by-state file that holds all the months says the same (completed years were never revised).
    months = months or [(2020, 10), (2020, 11), (2020, 12), *((2021, m) for m in range(1, 10))]
    covering = [p for p in state_files if set(months) <= set(csv_truth.months(p))]
    assert covering
    for path in covering:
        assert csv_truth(path, ym=months, region=region, citizenship="RUSSIA") == expected, path.name

    answer = ingested_desk.count(citizenship="russia", period=period, **filters)

    assert answer.value == expected
    assert answer.family == "state"


@pytest.mark.parametrize(
    ("citizenship", "region", "period"),
    [
        pytest.param("Russians", "southern border", "Nov 2022", id="russians-southern-border"),
        pytest.param("RU", "SW", "November 2022", id="ru-sw"),
        pytest.param("rus", "U.S.-Mexico border", "11/2022", id="rus-us-mexico-border"),
        pytest.param("  RUSSIA ", "Southwest Land Border", "2022-11", id="file-spelling"),
    ],
)
def test_russia_aliases(ingested_desk: Desk, citizenship: str, region: str, period: str) -> None:
    answer = ingested_desk.count(citizenship=citizenship, region=region, period=period)
    assert answer.value == 5_507
    assert answer.question.values("citizenship") == ("RUSSIA",)
    assert answer.question.values("region") == ("southwest",)


@pytest.mark.parametrize(
    ("component", "file_value", "expected"),
    [
        pytest.param("ofo", "Office of Field Operations", 4_325, id="ofo"),
        pytest.param("usbp", "U.S. Border Patrol", 1_182, id="usbp"),
        pytest.param("ports of entry", "Office of Field Operations", 4_325, id="ports-of-entry"),
        pytest.param("Border Patrol", "U.S. Border Patrol", 1_182, id="border-patrol"),
    ],
)
def test_russia_by_component_from_aor_data(
    ingested_desk: Desk, cbp_data: Path, csv_truth, component: str, file_value: str, expected: int
) -> None:
    truth = csv_truth(
        cbp_data / "tidytuesday-2024-11-26" / CBP_RESP,
        ym=(2022, 11),
        region=SW,
        citizenship="RUSSIA",
        component=file_value,
    )
    assert truth == expected

    answer = ingested_desk.count(
        citizenship="russia", region="southwest", period="2022-11", component=component
    )

    assert answer.value == expected
    assert answer.family == "aor"
    assert answer.release.file == CBP_RESP


def test_russia_components_add_up_to_the_by_state_figure(ingested_desk: Desk) -> None:
    ask = {"citizenship": "russia", "region": "southwest", "period": "2022-11"}
    ofo = ingested_desk.count(component="ofo", **ask).value
    usbp = ingested_desk.count(component="usbp", **ask).value
    both = ingested_desk.count(component=["ofo", "usbp"], **ask).value
    assert (ofo, usbp) == (4_325, 1_182)
    assert ofo + usbp == both == ingested_desk.count(**ask).value == 5_507


# ------------------------------------------------------------------------- Southwest-only sbo file


@pytest.mark.parametrize("fy", [pytest.param(fy, id=f"sw-fy{fy}") for fy in (2022, 2023, 2024)])
def test_sbo_totals_equal_the_by_state_ones(
    ingested_desk: Desk, labels: dict[str, str], cbp_data: Path, csv_truth, fy: int
) -> None:
    assert csv_truth(cbp_data / SBO, fy=fy) == SOUTHWEST_FY[fy]  # the sbo file has no region column

    answer = ingested_desk.count(region="southwest", period=f"FY{fy}", as_of=labels[SBO])

    assert answer.value == SOUTHWEST_FY[fy]
    assert answer.family == "southwest"
    assert answer.release.file == SBO
    assert answer.value == ingested_desk.count(region="southwest", period=f"FY{fy}").value


def test_sbo_running_year(ingested_desk: Desk, labels: dict[str, str], cbp_data: Path, csv_truth) -> None:
    with pytest.raises((PeriodError, CoverageError), match="2021-10 to 2025-08"):
        ingested_desk.count(region="southwest", period="FY2025", as_of=labels[SBO])
    answer = ingested_desk.count(region="southwest", period="FY2025-to-date", as_of=labels[SBO])
    assert answer.value == csv_truth(cbp_data / SBO, fy=2025)


@pytest.mark.parametrize(
    ("filters", "why"),
    [
        pytest.param({}, "Southwest", id="nationwide"),
        pytest.param({"region": "southwest", "citizenship": "russia"}, "RUSSIA", id="russia"),
        pytest.param({"region": "southwest", "state": "TX"}, "state", id="state"),
    ],
)
def test_sbo_cannot_answer_what_it_lacks(
    ingested_desk: Desk, labels: dict[str, str], filters: dict[str, str], why: str
) -> None:
    with pytest.raises(CoverageError, match=why):
        ingested_desk.count(period="FY2023", as_of=labels[SBO], **filters)
