"""Periods as news text writes them, resolved against the publication date (claim-check.md, 'When')."""

from __future__ import annotations

import datetime as dt

import pytest

from borderdesk.claims.periods import Context, PeriodProblem, find_periods, latest_published, resolve
from borderdesk.query.periods import index_date


def ym(i: int) -> str:
    return f"{index_date(i):%Y-%m}"


def readings(text: str, date: str) -> list[tuple[str, str]]:
    cues = [c for c in find_periods(text, 0, len(text)) if c.spec.kind not in ("date", "ignore")]
    assert len(cues) == 1, cues
    out = []
    for r in resolve(cues[0].spec, Context(dt.date.fromisoformat(date))):
        assert r.period.end is not None
        out.append((ym(r.period.start), ym(r.period.end)))
    return out


@pytest.mark.parametrize(
    ("date", "months"),
    [
        pytest.param("2022-12-28", ["2022-11"], id="on-or-after-the-20th"),
        pytest.param("2022-12-20", ["2022-11"], id="on-the-20th"),
        pytest.param("2024-03-12", ["2024-02", "2024-01"], id="between-5th-and-19th-two-readings"),
        pytest.param("2024-03-05", ["2024-02", "2024-01"], id="on-the-5th"),
        pytest.param("2024-03-04", ["2024-01"], id="before-the-5th"),
        pytest.param("2024-01-03", ["2023-11"], id="before-the-5th-across-new-year"),
    ],
)
def test_latest_published_month(date: str, months: list[str]) -> None:
    assert [ym(i) for i in latest_published(dt.date.fromisoformat(date))] == months


@pytest.mark.parametrize(
    ("text", "date", "expected"),
    [
        pytest.param("in November", "2022-12-28", [("2022-11", "2022-11")], id="month-ended-before-date"),
        pytest.param("in December", "2022-12-28", [("2021-12", "2021-12")], id="month-not-yet-ended"),
        pytest.param("in December", "2024-01-29", [("2023-12", "2023-12")], id="ex06-across-year"),
        pytest.param("in September", "2022-10-24", [("2022-09", "2022-09")], id="ex01-september"),
        pytest.param("in November 2021", "2022-12-28", [("2021-11", "2021-11")], id="month-with-year"),
        pytest.param("last month", "2022-06-22", [("2022-05", "2022-05")], id="ex05-last-month"),
        pytest.param("in fiscal year 2022", "2022-11-02", [("2021-10", "2022-09")], id="ex04-fiscal-year"),
        pytest.param("in FY22", "2022-11-02", [("2021-10", "2022-09")], id="fy22"),
        pytest.param("for the entire Fiscal Year 2021", "2022-12-28", [("2020-10", "2021-09")], id="seed-fy"),
        pytest.param("fiscal 2023", "2023-05-25", [("2022-10", "2023-04")], id="fy-in-progress-to-date"),
        pytest.param("so far this fiscal year", "2021-07-23", [("2020-10", "2021-06")], id="ex20-fytd"),
        pytest.param("year to date", "2021-07-23", [("2020-10", "2021-06")], id="year-to-date"),
        pytest.param("since the war began", "2022-09-21", [("2022-02", "2022-08")], id="ex07-war"),
        pytest.param(
            "since the outbreak of the war in February", "2022-12-28", [("2022-02", "2022-11")], id="seed-war"
        ),
        pytest.param("under President Biden", "2022-12-28", [("2021-02", "2022-11")], id="biden"),
        pytest.param("since February", "2022-12-28", [("2022-02", "2022-11")], id="since-month"),
        pytest.param("over the past 12 months", "2022-03-23", [("2021-03", "2022-02")], id="ex21-past-12"),
        pytest.param("between October and January", "2024-02-21", [("2023-10", "2024-01")], id="between"),
        pytest.param(
            "in 2023",
            "2024-01-26",
            [("2023-01", "2023-12"), ("2022-10", "2023-09")],
            id="ex17-calendar-and-fy",
        ),
        pytest.param(
            "in 2021", "2021-07-23", [("2021-01", "2021-06"), ("2020-10", "2021-06")], id="year-in-progress"
        ),
        pytest.param("in calendar year 2022", "2023-03-01", [("2022-01", "2022-12")], id="calendar-only"),
    ],
)
def test_resolution(text: str, date: str, expected: list[tuple[str, str]]) -> None:
    assert readings(text, date) == expected


def test_no_period_mid_month_has_two_readings() -> None:
    from borderdesk.claims.periods import default_readings

    ctx = Context(dt.date(2024, 3, 12))
    assert [r.label for r in default_readings(ctx)] == ["Feb 2024", "Jan 2024"]


def test_a_year_not_yet_published_is_a_problem() -> None:
    (cue,) = find_periods("since Title 42 ended", 0, 20)
    with pytest.raises(PeriodProblem, match="had been published"):
        resolve(cue.spec, Context(dt.date(2022, 12, 28)))


def test_a_period_starting_inside_a_month_is_a_problem() -> None:
    (cue,) = find_periods("since May 11", 0, 12)
    assert cue.spec.kind == "partial"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("which ended Sept. 30", id="date-sept-30"),
        pytest.param("lifted on Dec. 21", id="date-dec-21"),
        pytest.param("agents may stop them", id="may-the-verb"),
        pytest.param("they march north", id="march-the-verb"),
    ],
)
def test_not_periods(text: str) -> None:
    assert all(c.spec.kind in ("date", "ignore") for c in find_periods(text, 0, len(text)))


def test_the_most_since_is_not_the_claims_period() -> None:
    text = "the highest since March 2019"
    assert [c.spec.kind for c in find_periods(text, 0, len(text))] == ["ignore"]
