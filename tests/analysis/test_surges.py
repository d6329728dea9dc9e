"""Surges: documented surges rank at the top, the baseline uses only the months before the period, the
change-point search matches ruptures, and the CLI speaks the {"columns", "rows", "release"} contract."""

from __future__ import annotations

import json

import numpy as np
import pytest

from borderdesk import Desk
from borderdesk.analysis.changepoints import change_points, noise_scale
from borderdesk.analysis.seasonal import MIN_NOISE, baseline, seasonal_factors, surge_score
from borderdesk.analysis.surges import COLUMNS


def names(df, n: int = 5) -> list[str]:  # type: ignore[no-untyped-def]
    return list(df["nationality"].head(n))


@pytest.mark.parametrize(
    ("period", "region", "nationality", "within"),
    [
        pytest.param("2022-11", "southwest", "RUSSIA", 5, id="russia-nov-2022-sw"),
        pytest.param("2022-12", "southwest", "RUSSIA", 5, id="russia-dec-2022-sw"),
        pytest.param("2022-04", "southwest", "UKRAINE", 1, id="ukraine-apr-2022-sw"),
        pytest.param("2022-03", "southwest", "UKRAINE", 1, id="ukraine-mar-2022-sw"),
        pytest.param("2023-09", "southwest", "VENEZUELA", 5, id="venezuela-sep-2023-sw"),
        pytest.param("FY2023", "southwest", "CHINA, PEOPLES REPUBLIC OF", 3, id="china-fy2023-sw"),
        pytest.param("2022-11", "other", "VENEZUELA", 1, id="venezuela-parole-air-nov-2022"),
    ],
)
def test_documented_surges_rank_high(
    ingested_desk: Desk, period: str, region: str, nationality: str, within: int
) -> None:
    df = ingested_desk.surges(period=period, region=region, top=within)
    assert nationality in names(df, within), df


def test_surge_row_is_consistent(ingested_desk: Desk) -> None:
    df = ingested_desk.surges(period="2022-11", region="southwest", top=None)
    russia = df[df["nationality"] == "RUSSIA"].iloc[0]
    assert russia["value"] == 5_507  # the month's count, newest vintage
    assert russia["previous"] == 3_876 and russia["year_earlier"] == 1_710
    assert russia["ratio"] == pytest.approx(russia["value"] / russia["baseline"], rel=0.01)
    assert list(df.columns) == list(COLUMNS)
    assert (df["score"] > 0).all() and list(df["score"]) == sorted(df["score"], reverse=True)
    assert "OTHER" not in set(df["nationality"])  # CBP's pooled bucket is not a nationality


def test_baseline_uses_only_months_before_the_period(ingested_desk: Desk) -> None:
    # The same question asked of an older vintage (which lacks every later month) gives the same baseline.
    new = ingested_desk.surges_result(period="2022-11", region="southwest", top=None)
    old = ingested_desk.surges_result(period="2022-11", region="southwest", top=None, as_of="state-2023-09")
    pick = {r[0]: r[3] for r in new.rows}
    assert {r[0]: r[3] for r in old.rows} == pick


def test_every_region_when_none_is_given(ingested_desk: Desk) -> None:
    df = ingested_desk.surges(period="2022-11", top=None)
    assert set(df["region"]) <= {"southwest", "northern", "other"} and len(set(df["region"])) >= 2


def test_surges_need_a_period(ingested_desk: Desk) -> None:
    from borderdesk.errors import BorderdeskError

    with pytest.raises(BorderdeskError, match="period"):
        ingested_desk.surges(region="southwest")


# ------------------------------------------------------------------------------------------ model


def test_flat_series_has_its_own_level_as_baseline() -> None:
    months = np.arange(2019 * 12 + 9, 2019 * 12 + 9 + 36)
    counts = np.full(36, 500)
    b = baseline(months[:30], counts[:30], months[30:31])
    assert b is not None and b.expected == pytest.approx(500, rel=1e-9) and b.noise == MIN_NOISE
    assert surge_score(500, b.expected, b.noise) == pytest.approx(0, abs=1e-9)


def test_seasonal_factors_find_a_december_dip_and_sum_to_zero() -> None:
    months = np.arange(2015 * 12, 2015 * 12 + 60)
    counts = np.where(months % 12 == 11, 500, 1000)
    season = seasonal_factors(months, np.log1p(counts.astype(float)))
    assert season.sum() == pytest.approx(0, abs=1e-9)
    assert season[11] < -0.3 and all(season[m] > 0 for m in range(11))


def test_short_history_has_no_baseline() -> None:
    months = np.arange(100, 102)
    assert baseline(months, np.array([5, 6]), np.array([102])) is None


def test_score_grows_with_volume_for_the_same_ratio() -> None:
    assert surge_score(40, 5, 0.3) < surge_score(4_000, 500, 0.3)


def test_change_points_doctest_and_noise() -> None:
    assert change_points([0.0] * 10 + [5.0] * 10, penalty=1.0) == [10]
    assert change_points([1.0, 2.0], penalty=1.0) == []
    assert noise_scale([1.0, 1.0, 1.0, 1.0]) == 0.0


def test_change_points_match_ruptures() -> None:
    rpt = pytest.importorskip("ruptures")
    rng = np.random.default_rng(7)
    for _ in range(100):
        n = int(rng.integers(5, 90))
        x = rng.normal(0, 1, n).cumsum() * rng.random() + rng.normal(0, 1, n)
        pen = float(rng.random() * 4 + 0.1)
        expected = rpt.Pelt(model="l2", min_size=2, jump=1).fit(x).predict(pen=pen)[:-1]
        assert change_points(x, penalty=pen) == expected


# ------------------------------------------------------------------------------------------ CLI


def test_cli_surges_json(cli_db, borderdesk_cli) -> None:  # type: ignore[no-untyped-def]
    proc = borderdesk_cli(
        cli_db, "surges", "--period", "2022-11", "--region", "southwest", "--format", "json"
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["columns"][:6] == ["nationality", "region", "value", "baseline", "ratio", "score"]
    assert "RUSSIA" in [r[0] for r in doc["rows"][:5]]
    assert doc["release"]["sha256"] and doc["release"]["label"].startswith("state-")
    assert "score" in doc["method"]


def test_cli_surges_table(cli_db, borderdesk_cli) -> None:  # type: ignore[no-untyped-def]
    proc = borderdesk_cli(cli_db, "surges", "--period", "FY2023", "--region", "northern", "--top", "3")
    assert proc.returncode == 0, proc.stderr
    assert "nationality" in proc.stdout and "release" in proc.stdout


def test_columns_a_reader_cannot_guess_are_defined(ingested_desk: Desk) -> None:
    """score and change_point are explained in the JSON and under the CLI table, in the docs' words."""
    from pathlib import Path

    from borderdesk.analysis.surges import DEFINITIONS

    doc = ingested_desk.surges_result(period="2022-11", region="southwest", top=3).to_dict()
    assert doc["definitions"] == DEFINITIONS
    assert {"score", "change_point", "baseline", "ratio"} <= set(DEFINITIONS) <= set(COLUMNS)
    howto = (Path(__file__).parents[2] / "docs" / "how-to" / "answer-a-question.md").read_text("utf-8")
    for column, meaning in DEFINITIONS.items():
        assert f"`{column}`: {meaning}" in " ".join(howto.split()), column
