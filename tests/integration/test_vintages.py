"""Vintages: every release stays answerable with ``as_of``, and the default answer comes from the newest
release by coverage end, whatever order the files were ingested in.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

import borderdesk
from borderdesk import Desk
from borderdesk.errors import PeriodError, ReleaseNotFoundError

SW = "Southwest Land Border"
OCT = "nationwide-encounters-fy21-fy24-oct-state.csv"
NOV_2025 = "nationwide-encounters-fy23-fy26-nov-state.csv"

# Southwest encounters in Oct 2023 as each release reports them. PROVENANCE.md gives the oct, nov, dec,
# may and year-end figures; the others are what the files say (checked with csv_truth below).
SW_OCT_2023 = (
    pytest.param(OCT, 240_988, id="oct"),
    pytest.param("nationwide-encounters-fy21-fy24-nov-state.csv", 240_986, id="nov"),
    pytest.param("nationwide-encounters-fy21-fy24-dec-state.csv", 240_981, id="dec"),
    pytest.param("nationwide-encounters-fy21-fy24-jan-state.csv", 240_942, id="jan"),
    pytest.param("nationwide-encounters-fy21-fy24-feb-state.csv", 240_932, id="feb"),
    pytest.param("nationwide-encounters-fy21-fy24-mar-state.csv", 240_932, id="mar"),
    pytest.param("nationwide-encounters-fy21-fy24-apr-state.csv", 240_932, id="apr"),
    pytest.param("nationwide-encounters-fy21-fy24-may-state.csv", 240_930, id="may"),
    pytest.param("nationwide-encounters-fy21-fy24-state.csv", 240_927, id="year-end-fy21-fy24"),
    pytest.param("nationwide-encounters-fy22-fy25-state.csv", 240_927, id="fy22-fy25"),
    pytest.param(NOV_2025, 240_927, id="fy23-fy26-nov"),
)


def month_text(ym: tuple[int, int]) -> str:
    return f"{ym[0]:04d}-{ym[1]:02d}"


@pytest.mark.parametrize(("name", "expected"), SW_OCT_2023)
def test_sw_oct_2023_as_of_each_release(
    ingested_desk: Desk, labels: dict[str, str], cbp_data: Path, csv_truth, name: str, expected: int
) -> None:
    assert csv_truth(cbp_data / name, ym=(2023, 10), region=SW) == expected

    answer = ingested_desk.count(region="southwest", period="2023-10", as_of=labels[name])

    assert answer.value == expected
    assert answer.release.file == name
    assert answer.release.label == labels[name]


@pytest.mark.parametrize(
    "ref",
    [
        pytest.param(lambda r: r.label, id="label"),
        pytest.param(lambda r: r.label.upper(), id="label-any-case"),
        pytest.param(lambda r: r.file, id="file-name"),
        pytest.param(lambda r: r.file.removesuffix(".csv"), id="file-stem"),
        pytest.param(lambda r: r.sha256[:8], id="sha256-8"),
        pytest.param(lambda r: r.sha256[:16].upper(), id="sha256-16-upper"),
        pytest.param(lambda r: r.sha256, id="sha256-full"),
    ],
)
def test_as_of_by_label_file_or_sha256(ingested_desk: Desk, ref) -> None:
    release = next(r for r in ingested_desk.release_list() if r.file == OCT)
    answer = ingested_desk.count(region="southwest", period="2023-10", as_of=ref(release))
    assert answer.value == 240_988
    assert answer.release == release


def test_default_answer_is_the_newest_release(ingested_desk: Desk, labels: dict[str, str]) -> None:
    answer = ingested_desk.count(region="southwest", period="2023-10")
    assert answer.value == 240_927
    assert answer.release.file == NOV_2025
    assert answer.release.label == labels[NOV_2025] == "state-2025-11"


def test_range_across_vintages_names_every_release(ingested_desk: Desk, cbp_data: Path, csv_truth) -> None:
    # Sep 2022 is newest in fy22-fy25 (fy23-fy26-nov starts in Oct 2022), Oct 2022 in fy23-fy26-nov.
    fy22_fy25 = "nationwide-encounters-fy22-fy25-state.csv"
    sep = csv_truth(cbp_data / fy22_fy25, ym=(2022, 9), region=SW)
    oct_ = csv_truth(cbp_data / NOV_2025, ym=(2022, 10), region=SW)

    answer = ingested_desk.count(region="southwest", period="2022-09..2022-10")

    assert [r.file for r in answer.releases] == [fy22_fy25, NOV_2025]
    assert answer.release.file == NOV_2025
    assert answer.value == sep + oct_


# ----------------------------------------------------------------------- independent of ingest order


def _expected_latest(state_files: list[Path], csv_truth) -> dict[tuple[int, int], Path]:
    """Month -> the by-state file with the latest coverage end that has it (computed from the files)."""
    latest: dict[tuple[int, int], Path] = {}
    for path in sorted(state_files, key=lambda p: csv_truth.months(p)[-1]):
        for ym in csv_truth.months(path):
            latest[ym] = path
    return latest


@pytest.fixture(scope="module", params=["reverse", "shuffled"])
def reordered_desk(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, snapshot_files: list[Path]
) -> Iterator[Desk]:
    files = list(snapshot_files)
    if request.param == "reverse":
        files.reverse()
    else:
        random.Random(20221121).shuffle(files)
    assert files != snapshot_files
    desk = borderdesk.open(
        tmp_path_factory.mktemp("reordered") / "borderdesk.duckdb", snapshot=False, read_only=False
    )
    for p in files:
        desk.ingest(p)
    yield desk
    desk.close()


def _latest_table(desk: Desk) -> list[tuple[str, str, str]]:
    rows = desk.con.execute(
        "SELECT l.family, strftime(l.month, '%Y-%m'), r.file_name FROM latest_months l "
        "JOIN releases r USING (release_id) ORDER BY ALL"
    ).fetchall()
    return [tuple(r) for r in rows]


def test_ingest_order_does_not_change_labels_or_latest(ingested_desk: Desk, reordered_desk: Desk) -> None:
    def releases(desk: Desk) -> set[tuple[str, str, str]]:
        return {(r.label, r.file, r.sha256) for r in desk.release_list()}

    assert releases(reordered_desk) == releases(ingested_desk)
    assert _latest_table(reordered_desk) == _latest_table(ingested_desk)
    assert reordered_desk.newest_release().file == ingested_desk.newest_release().file == NOV_2025


def test_ingest_order_does_not_change_any_monthly_answer(
    ingested_desk: Desk, reordered_desk: Desk, state_files: list[Path], csv_truth
) -> None:
    latest = _expected_latest(state_files, csv_truth)
    assert month_text(min(latest)) == "2019-10" and month_text(max(latest)) == "2025-11"
    for ym, path in sorted(latest.items()):
        for region, in_file in (("southwest", SW), ("nationwide", None)):
            expected = csv_truth(path, ym=ym, region=in_file)
            for desk in (ingested_desk, reordered_desk):
                answer = desk.count(region=region, period=month_text(ym))
                assert (answer.value, answer.release.file) == (expected, path.name), (ym, region)


def test_reordered_database_answers_vintages_alike(reordered_desk: Desk) -> None:
    assert reordered_desk.count(region="southwest", period="2023-10").value == 240_927
    assert reordered_desk.count(region="southwest", period="2023-10", as_of=OCT).value == 240_988
    assert reordered_desk.count(region="southwest", period="2023-10", as_of="state-2023-11").value == 240_986


# ----------------------------------------------------------------------------------- bad as_of


@pytest.mark.parametrize(
    "ref",
    [
        pytest.param("state-2023-08", id="no-such-label"),
        pytest.param("nationwide-encounters-fy19-fy22-state.csv", id="no-such-file"),
        pytest.param("0000000000", id="no-such-sha256"),
        pytest.param("7bcf354", id="sha256-prefix-too-short"),
    ],
)
def test_unknown_as_of_lists_the_known_labels(ingested_desk: Desk, ref: str) -> None:
    with pytest.raises(ReleaseNotFoundError) as info:
        ingested_desk.count(region="southwest", period="2023-10", as_of=ref)
    message = str(info.value)
    assert repr(ref) in message
    for release in ingested_desk.release_list():
        assert release.label in message


@pytest.mark.parametrize(
    ("period", "name", "coverage"),
    [
        pytest.param("2023-11", OCT, "2020-10 to 2023-10", id="after-oct-release"),
        pytest.param("2020-09", OCT, "2020-10 to 2023-10", id="before-oct-release"),
        pytest.param("FY2020", OCT, "2020-10 to 2023-10", id="fy2020-oct-release"),
        pytest.param("2023", OCT, "2020-10 to 2023-10", id="calendar-2023-oct-release"),
        pytest.param(
            "since 2023-01", "nationwide-encounters-fy20-fy23-state.csv", None, id="since-fy20-fy23"
        ),
        pytest.param("2019-10", NOV_2025, "2022-10 to 2025-11", id="before-fy23-fy26-nov"),
    ],
)
def test_period_outside_the_as_of_release(
    ingested_desk: Desk, cbp_data: Path, csv_truth, period: str, name: str, coverage: str | None
) -> None:
    start, end = csv_truth.coverage(cbp_data / name)
    if coverage is not None:
        assert coverage == f"{start} to {end}"
    if period.startswith("since"):  # an open end stops at the release's last month: answerable
        answer = ingested_desk.count(region="southwest", period=period, as_of=name)
        assert answer.value == csv_truth(cbp_data / name, ym=[(2023, m) for m in range(1, 10)], region=SW)
        return
    with pytest.raises(PeriodError) as info:
        ingested_desk.count(region="southwest", period=period, as_of=name)
    assert start in str(info.value) and end in str(info.value)


# ------------------------------------------------------------------- completed years never revised


@pytest.mark.parametrize("fy", [pytest.param(fy, id=f"fy{fy}") for fy in (2021, 2022, 2023, 2024, 2025)])
def test_completed_years_identical_across_vintages(
    ingested_desk: Desk, labels: dict[str, str], state_files: list[Path], csv_truth, fy: int
) -> None:
    covering = [p for p in state_files if fy in csv_truth.full_fiscal_years(p)]
    assert len(covering) >= 2
    months = [(fy - 1, 10), (fy - 1, 11), (fy - 1, 12), *((fy, m) for m in range(1, 10))]
    for region, in_file in (("southwest", SW), ("nationwide", None)):
        per_release = {}
        for path in covering:
            values = [
                ingested_desk.count(region=region, period=month_text(ym), as_of=labels[path.name]).value
                for ym in months
            ]
            assert values == [csv_truth(path, ym=ym, region=in_file) for ym in months], path.name
            per_release[path.name] = values
        first = next(iter(per_release.values()))
        assert all(v == first for v in per_release.values()), per_release
        russia = {
            ingested_desk.count(
                citizenship="russia", region=region, period=f"FY{fy}", as_of=labels[p.name]
            ).value
            for p in covering
        }
        assert len(russia) == 1
