"""Periods as news text writes them, resolved against the publication date (claim-check.md, 'When')."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("the highest monthly count of any spring on public record (since 2012)", id="aside"),
        pytest.param("the largest exodus from the island to the U.S. since the 1994 rafter crisis", id="far"),
        pytest.param("the biggest wave of arrivals by sea since the boat crisis of 1994", id="event-year"),
    ],
)
def test_a_record_told_at_length_is_not_the_claims_period(text: str) -> None:
    """After 'the', a superlative names a record however many words it takes to say what it counts, and
    the year its 'since' dates the record from is no period of the claim."""
    assert all(c.spec.kind == "ignore" for c in find_periods(text, 0, len(text)))


def test_most_as_a_quantifier_keeps_its_since() -> None:
    """'Most of the people who have crossed since January ...': a bare 'most' is not a record."""
    text = "Most of those stopped at the Texas line by agents since January were single adults"
    assert [c.spec.kind for c in find_periods(text, 0, len(text))] == ["since"]


# Composed periods (amendment 5): phrases built from their parts, each compared with the months the parts
# say, computed here with plain date arithmetic.

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}
LATE = "2025-06-20"  # every month of FY2020-FY2024 published by then


def _shift(year: int, month: int, by: int) -> str:
    k = year * 12 + (month - 1) + by
    return f"{k // 12}-{k % 12 + 1:02d}"


def _count(n: int, words: bool) -> str:
    return NUMBER_WORDS[n] if words and n in NUMBER_WORDS else str(n)


@given(
    st.integers(2020, 2024),
    st.integers(2, 11),
    st.sampled_from(["first", "last"]),
    st.sampled_from(["fiscal year {y}", "FY{y}", "fiscal {y}", "FY {y}"]),
    st.booleans(),
)
def test_part_of_a_fiscal_year(fy: int, n: int, which: str, whole: str, words: bool) -> None:
    text = f"in the {which} {_count(n, words)} months of {whole.format(y=fy)}"
    first = _shift(fy - 1, 10, 0 if which == "first" else 12 - n)
    assert readings(text, LATE) == [(first, _shift(fy - 1, 10, (n - 1) if which == "first" else 11))]


@given(
    st.integers(2020, 2024),
    st.integers(1, 12),
    st.integers(2, 24),
    st.sampled_from(["through", "ending in", "ending", "to", "up to"]),
)
def test_window_of_months_ending_at_a_month(year: int, month: int, n: int, anchor: str) -> None:
    text = f"in the {n} months {anchor} {MONTHS[month - 1]} {year}"
    assert readings(text, LATE) == [(_shift(year, month, -(n - 1)), f"{year}-{month:02d}")]


@given(
    st.integers(2020, 2022),  # ends by mid-2024: every month published by LATE (Dec 2023 + 18 is not)
    st.integers(1, 12),
    st.integers(1, 18),
    st.sampled_from(["from {a} to {b}", "from {a} through {b}", "between {a} and {b}", "{a} through {b}"]),
)
def test_range_of_months(year: int, month: int, length: int, form: str) -> None:
    end = _shift(year, month, length)
    ey, em = int(end[:4]), int(end[5:])
    text = "in " + form.format(a=f"{MONTHS[month - 1]} {year}", b=f"{MONTHS[em - 1]} {ey}")
    assert readings(text, LATE) == [(f"{year}-{month:02d}", end)]


@given(st.integers(2020, 2024), st.integers(1, 4))
def test_quarter_of_a_fiscal_year(fy: int, q: int) -> None:
    ordinal = ["first", "second", "third", "fourth"][q - 1]
    text = f"in the {ordinal} quarter of fiscal year {fy}"
    start = _shift(fy - 1, 10, 3 * (q - 1))
    assert readings(text, LATE) == [(start, _shift(fy - 1, 10, 3 * q - 1))]


@given(st.integers(2020, 2022), st.integers(1, 3), st.sampled_from(["through", "to"]))
def test_span_of_fiscal_years(first: int, extra: int, joint: str) -> None:
    """'fiscal years 2021 through 2023': the bare second year is a fiscal year too."""
    text = f"in fiscal years {first} {joint} {min(first + extra, 2024)}"
    assert readings(text, LATE) == [(f"{first - 1}-10", f"{min(first + extra, 2024)}-09")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("March through May 2024", [("2024-03", "2024-05")], id="verb-like-month-in-a-range"),
        pytest.param("calendar years 2021 to 2023", [("2021-01", "2023-12")], id="calendar-years-span"),
        pytest.param("the first half of fiscal year 2024", [("2023-10", "2024-03")], id="half-of-fy"),
        pytest.param("fiscal year 2024 through March", [("2023-10", "2024-03")], id="fy-through-month"),
    ],
)
def test_composed_examples(text: str, expected: list[tuple[str, str]]) -> None:
    assert readings(text, LATE) == expected


@pytest.mark.parametrize(
    ("text", "date", "expected"),
    [
        pytest.param(
            "during the first two months of the Trump administration",
            "2025-04-17",
            [("2025-02", "2025-03")],
            id="part-of-an-administration",
        ),
        pytest.param(
            "Trump's first two months in office", "2025-04-17", [("2025-02", "2025-03")], id="possessive-term"
        ),
        pytest.param(
            "the first 12 months of the Trump administration",
            "2018-06-01",
            [("2017-02", "2018-01")],
            id="the-term-in-office-at-the-date",
        ),
        pytest.param(
            "from May of last year", "2019-06-05", [("2018-05", "2018-05")], id="month-of-last-year"
        ),
        pytest.param(
            "in March of this year", "2019-06-05", [("2019-03", "2019-03")], id="month-of-this-year"
        ),
        pytest.param("over last 12 months", "2024-10-24", [("2023-10", "2024-09")], id="over-last-n-months"),
    ],
)
def test_more_composed_periods(text: str, date: str, expected: list[tuple[str, str]]) -> None:
    assert readings(text, date) == expected


# -- 'the same period last year' and months placed in a named year, composed from their parts ----------

_SAME = ["the same", "that same", "this same"]
_STRETCH = ["period", "time period", "month", "months", "stretch", "nine-month period", "time frame"]
_BACK = [
    "last year",
    "a year earlier",
    "a year ago",
    "the previous year",
    "the prior year",
    "one year earlier",
]


def _in_view(text: str) -> Context:
    """A context whose period in view is the one ``text`` names (what 'the same period' refers to)."""
    cue = next(c for c in find_periods(text, 0, len(text)) if c.spec.kind not in ("date", "ignore"))
    return Context(dt.date.fromisoformat(LATE), resolve(cue.spec, Context(dt.date.fromisoformat(LATE)))[0])


@given(
    st.sampled_from(_SAME),
    st.sampled_from(_STRETCH),
    st.sampled_from(["", "of ", "in ", "during "]),
    st.sampled_from(_BACK),
    st.integers(2021, 2024),
    st.integers(1, 12),
)
def test_the_same_stretch_a_year_back(
    same: str, stretch: str, by: str, back: str, fy: int, months: int
) -> None:
    """'the same period last year', 'that same nine-month period a year earlier': the period in view, a year
    before -- never the calendar year 'last year' names on its own."""
    phrase = f"{same} {stretch} {by}{back}"
    cues = [c for c in find_periods(phrase, 0, len(phrase)) if c.spec.kind not in ("date", "ignore")]
    assert [(c.text, c.spec.kind) for c in cues] == [(phrase, "year_earlier")]
    ctx = _in_view(f"the first {months} months of fiscal year {fy}")
    (got,) = resolve(cues[0].spec, ctx)
    assert got.period.end is not None
    assert (ym(got.period.start), ym(got.period.end)) == (
        _shift(fy - 2, 10, 0),
        _shift(fy - 2, 10, months - 1),
    )


@given(st.integers(2019, 2024), st.integers(0, 11), st.integers(0, 11), st.sampled_from(range(4)))
def test_months_placed_in_a_fiscal_year(fy: int, a: int, b: int, form: int) -> None:
    """'from October to June of fiscal 2019', 'the October-to-June period in fiscal 2019': the months
    of that fiscal year (a = 0 is October)."""
    first, last = min(a, b), max(a, b)
    names = [MONTHS[(9 + k) % 12] for k in (first, last)]
    text = [
        f"from {names[0]} to {names[1]} of fiscal {fy}",
        f"between {names[0]} and {names[1]} in fiscal year {fy}",
        f"the {names[0]}-to-{names[1]} period in fiscal {fy}",
        f"the {names[0]}-{names[1]} period of FY{fy}",
    ][form]
    if first == last:
        return  # 'from October to October' is no range
    assert readings(text, LATE) == [(_shift(fy - 1, 10, first), _shift(fy - 1, 10, last))]


def test_months_placed_in_a_calendar_year() -> None:
    assert readings("between January and June of 2023", LATE) == [("2023-01", "2023-06")]
    assert readings("from March to May in calendar year 2022", LATE) == [("2022-03", "2022-05")]


@pytest.mark.parametrize(
    ("text", "fy"),
    [
        pytest.param("the same period in FY22", 2022, id="fy-short"),
        pytest.param("the same months of fiscal 2021", 2021, id="fiscal-year"),
    ],
)
def test_the_same_stretch_in_a_named_fiscal_year(text: str, fy: int) -> None:
    (cue,) = find_periods(text, 0, len(text))
    (got,) = resolve(cue.spec, _in_view("the first four months of fiscal year 2023"))
    assert got.period.end is not None
    assert (ym(got.period.start), ym(got.period.end)) == (f"{fy - 1}-10", f"{fy}-01")


def test_the_year_ago_level() -> None:
    text = "about four times the year-ago level of 2,890"
    (cue,) = find_periods(text, 0, len(text))
    assert (cue.text, cue.spec.kind) == ("the year-ago", "year_earlier")


def test_a_window_ending_on_a_months_last_day() -> None:
    """'the 12 months ending June 30, 2023' ends with June; a window ending mid-month is not whole months."""
    assert readings("in the 12 months ending June 30, 2023", LATE) == [("2022-07", "2023-06")]
    assert readings("over the six months through Nov. 30, 2022", LATE) == [("2022-06", "2022-11")]
    text = "in the 12 months ending June 14, 2023"
    (cue,) = find_periods(text, 0, len(text))
    assert cue.spec.kind == "partial"


def test_two_months_joined_by_an_ampersand() -> None:
    assert readings("in Dec. & Jan.", "2024-02-21") == [("2023-12", "2024-01")]
    assert readings("in August & September 2023", LATE) == [("2023-08", "2023-09")]


def test_a_fiscal_year_then_the_same_stretch() -> None:
    """'Last FY23, same time frame': the stretch in view, moved into FY2023."""
    text = "Last FY23, same time frame, the sector recorded 4,100."
    (cue,) = find_periods(text, 0, len(text))
    assert cue.text == "Last FY23, same time frame"
    (got,) = resolve(cue.spec, _in_view("the first quarter of fiscal year 2024"))
    assert got.period.end is not None
    assert (ym(got.period.start), ym(got.period.end)) == ("2022-10", "2022-12")


def test_the_fiscal_year_closed_by_a_month() -> None:
    """'the fiscal year that ended in September', 'the fiscal year by June 2022': the fiscal year up to that
    month (a word saying whose year it is, 'the federal fiscal year', changes nothing)."""
    assert readings("during the federal fiscal year that ended in September", "2021-11-02") == [
        ("2020-10", "2021-09")
    ]
    assert readings("in the fiscal year by June 2022", LATE) == [("2021-10", "2022-06")]
    assert readings("for the fiscal year ending in September 2019", LATE) == [("2018-10", "2019-09")]


def test_the_same_stretch_under_a_named_term_a_year_back() -> None:
    """'the same months under the Biden administration a year earlier': the term says whose year it was;
    the period is still the stretch in view, a year back (not the whole term)."""
    text = "during the same months under the Biden administration a year earlier"
    (cue,) = [c for c in find_periods(text, 0, len(text)) if c.spec.kind not in ("date", "ignore")]
    assert cue.spec.kind == "year_earlier"
    (got,) = resolve(cue.spec, _in_view("in the first quarter of fiscal year 2025"))
    assert got.period.end is not None
    assert (ym(got.period.start), ym(got.period.end)) == ("2023-10", "2023-12")
