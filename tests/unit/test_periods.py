"""Period parsing: every documented form, bad input, round trips, fiscal/calendar arithmetic, and
(with the real data) that counts over a period add up month by month."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borderdesk import Desk
from borderdesk.errors import CoverageError, PeriodError
from borderdesk.query.periods import (
    Period,
    fiscal_year_months,
    fiscal_year_of,
    index_date,
    month_index,
    parse_period,
)

TODAY = dt.date(2024, 3, 15)


def d(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


# Every form in the docstring of borderdesk/query/periods.py, with first and last month worked out by hand
# (None: open end, "up to the newest data").
FORMS = [
    # fiscal years: FY2022 = Oct 2021 .. Sep 2022
    ("FY2022", "fiscal_year", d(2021, 10), d(2022, 9)),
    ("FY22", "fiscal_year", d(2021, 10), d(2022, 9)),
    ("FY 2022", "fiscal_year", d(2021, 10), d(2022, 9)),
    ("fiscal 2022", "fiscal_year", d(2021, 10), d(2022, 9)),
    ("fiscal year 2022", "fiscal_year", d(2021, 10), d(2022, 9)),
    ("fy2020", "fiscal_year", d(2019, 10), d(2020, 9)),
    # one month
    ("2022-11", "month", d(2022, 11), d(2022, 11)),
    ("Nov 2022", "month", d(2022, 11), d(2022, 11)),
    ("November 2022", "month", d(2022, 11), d(2022, 11)),
    ("11/2022", "month", d(2022, 11), d(2022, 11)),
    ("NOV 2022", "month", d(2022, 11), d(2022, 11)),
    ("2023-01", "month", d(2023, 1), d(2023, 1)),
    # calendar years
    ("2022", "calendar_year", d(2022, 1), d(2022, 12)),
    ("CY2022", "calendar_year", d(2022, 1), d(2022, 12)),
    ("calendar 2022", "calendar_year", d(2022, 1), d(2022, 12)),
    # ranges: start of A .. end of B
    ("2022-02..2022-11", "range", d(2022, 2), d(2022, 11)),
    ("FY2021..FY2022", "range", d(2020, 10), d(2022, 9)),
    ("Feb 2022 to Nov 2022", "range", d(2022, 2), d(2022, 11)),
    ("2021..2022", "range", d(2021, 1), d(2022, 12)),
    ("2022-11..2022-11", "range", d(2022, 11), d(2022, 11)),
    # open ends
    ("since 2022-02", "since", d(2022, 2), None),
    ("since FY2021", "since", d(2020, 10), None),
    ("FY2023-to-date", "fiscal_to_date", d(2022, 10), None),
    ("FY2023 to date", "fiscal_to_date", d(2022, 10), None),
    ("FYTD2023", "fiscal_to_date", d(2022, 10), None),
    # AP-style and dotted month names
    ("Sept 2022", "month", d(2022, 9), d(2022, 9)),
    ("Sept. 2022", "month", d(2022, 9), d(2022, 9)),
    ("Sep 2022", "month", d(2022, 9), d(2022, 9)),
    ("Dec. 2022", "month", d(2022, 12), d(2022, 12)),
    # quarters: with FY the fiscal quarter (Q1 FY2024 = Oct-Dec 2023), with a plain year the calendar one
    ("Q1 FY2024", "fiscal_quarter", d(2023, 10), d(2023, 12)),
    ("FY2024 Q1", "fiscal_quarter", d(2023, 10), d(2023, 12)),
    ("FY2024-Q1", "fiscal_quarter", d(2023, 10), d(2023, 12)),
    ("first quarter of FY2024", "fiscal_quarter", d(2023, 10), d(2023, 12)),
    ("Q4 FY24", "fiscal_quarter", d(2024, 7), d(2024, 9)),
    ("Q1 2024", "quarter", d(2024, 1), d(2024, 3)),
    ("2024-Q1", "quarter", d(2024, 1), d(2024, 3)),
    ("third quarter of 2023", "quarter", d(2023, 7), d(2023, 9)),
    # halves
    ("first half of 2023", "half", d(2023, 1), d(2023, 6)),
    ("H1 2023", "half", d(2023, 1), d(2023, 6)),
    ("2023-H1", "half", d(2023, 1), d(2023, 6)),
    ("second half of FY2023", "fiscal_half", d(2023, 4), d(2023, 9)),
    ("H2 FY2023", "fiscal_half", d(2023, 4), d(2023, 9)),
    ("FY2023-H2", "fiscal_half", d(2023, 4), d(2023, 9)),
    # ranges in the tool's own output format, with any dash or word
    ("Nov 2022 - Jan 2023", "range", d(2022, 11), d(2023, 1)),
    ("Nov 2022 – Jan 2023", "range", d(2022, 11), d(2023, 1)),
    ("Nov 2022 — Jan 2023", "range", d(2022, 11), d(2023, 1)),
    ("Nov 2022 through Jan 2023", "range", d(2022, 11), d(2023, 1)),
    ("Nov 2022-Jan 2023", "range", d(2022, 11), d(2023, 1)),
    ("from Feb 2022 to Nov 2022", "range", d(2022, 2), d(2022, 11)),
    ("between Feb 2022 and Nov 2022", "range", d(2022, 2), d(2022, 11)),
    ("FY2024-Q1..FY2024-Q3", "range", d(2023, 10), d(2024, 6)),
    ("FY2021-FY2022", "range", d(2020, 10), d(2022, 9)),
    # a bare month on the left takes the year of the right end (or the year before)
    ("Oct.–Dec. 2023", "range", d(2023, 10), d(2023, 12)),
    ("Oct-Dec 2023", "range", d(2023, 10), d(2023, 12)),
    ("Nov - Jan 2023", "range", d(2022, 11), d(2023, 1)),
    ("Sept. through Nov. 2022", "range", d(2022, 9), d(2022, 11)),
    # the newest N months of the data, not of the clock: resolved against NEWEST (Nov 2025) below
    ("last 12 months", "newest_months", d(2024, 12), d(2025, 11)),
    ("past 6 months", "newest_months", d(2025, 6), d(2025, 11)),
    ("last 1 month", "newest_months", d(2025, 11), d(2025, 11)),
    ("the last twelve months", "newest_months", d(2024, 12), d(2025, 11)),
]
#: the newest month of data the "last N months" forms are resolved against
NEWEST = month_index(2025, 11)


@pytest.mark.parametrize(
    ("text", "kind", "first", "last"),
    [pytest.param(*f, id=f[0].replace(" ", "-")) for f in FORMS],
)
def test_documented_forms(text: str, kind: str, first: dt.date, last: dt.date | None) -> None:
    p = parse_period(text, today=TODAY)
    assert p.kind == kind
    if kind == "newest_months":  # no months until the data says which is newest; the clock plays no part
        assert p.end is None
        p = p.resolve(NEWEST)
    assert (p.first_day, p.last_month) == (first, last)
    assert parse_period(p.text) == parse_period(text)  # the canonical spelling reads back the same
    if last is not None:
        assert len(p.months()) == (last.year - first.year) * 12 + last.month - first.month + 1


def test_every_docstring_form_is_tested() -> None:
    import borderdesk.query.periods as periods

    doc = periods.__doc__ or ""
    tested = {f[0] for f in FORMS}
    for line in doc.splitlines():
        if "->" not in line:
            continue
        forms = line.split("->")[0].split("  ")
        for form in (f.strip() for f in forms if f.strip()):
            assert form in tested, f"docstring form {form!r} has no test"


@pytest.mark.parametrize(
    ("text", "newest", "last"),
    [
        pytest.param("FY2023-to-date", d(2023, 5), d(2023, 5), id="fytd-mid-year"),
        pytest.param("FY2023-to-date", d(2025, 11), d(2023, 9), id="fytd-stops-at-year-end"),
        pytest.param("since 2022-02", d(2025, 11), d(2025, 11), id="since"),
        pytest.param("FY2022", d(2025, 11), d(2022, 9), id="closed-unchanged"),
    ],
)
def test_resolve_open_end(text: str, newest: dt.date, last: dt.date) -> None:
    p = parse_period(text).resolve(month_index(newest.year, newest.month))
    assert p.last_month == last
    assert p.text == parse_period(text).text


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
        pytest.param("FY20X4", id="fy-typo"),
        pytest.param("2022-13", id="month-13"),
        pytest.param("2022-00", id="month-0"),
        pytest.param("13/2022", id="slash-month-13"),
        pytest.param("Smarch 2022", id="no-such-month"),
        pytest.param("FY2022..FY2021", id="ends-before-start"),
        pytest.param("2022-11..2022-02", id="months-reversed"),
        pytest.param("since whenever", id="since-garbage"),
        pytest.param("2022-02..later", id="range-garbage"),
        pytest.param("last 0 months", id="last-0"),
        pytest.param("1899", id="year-too-early"),
        pytest.param("FY2201", id="year-too-late"),
        pytest.param("22", id="two-digit-calendar-year"),
        pytest.param("2022-11-01", id="a-day"),
        pytest.param("yesterday", id="word"),
    ],
)
def test_invalid_forms(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text, today=TODAY)


def test_error_names_the_accepted_forms() -> None:
    with pytest.raises(PeriodError) as info:
        parse_period("FY20X4")
    message = str(info.value)
    assert "'FY20X4'" in message
    for form in (
        "FY2022",
        "FY22",
        "2022-11",
        "Nov 2022",
        "2022-02..2022-11",
        "since 2022-02",
        "FY2023-to-date",
    ):
        assert form in message


# ------------------------------------------------------------------------------------ properties

YEARS = st.integers(1901, 2199)
MONTHS = st.integers(1, 12)
MONTH_INDEX = st.builds(month_index, YEARS, MONTHS)


@st.composite
def periods(draw: st.DrawFn) -> Period:
    kind = draw(
        st.sampled_from(
            [
                "month",
                "fiscal_year",
                "calendar_year",
                "range",
                "since",
                "fiscal_to_date",
                "fiscal_quarter",
                "quarter",
                "fiscal_half",
                "half",
                "newest_months",
            ]
        )
    )
    if kind == "month":
        i = draw(MONTH_INDEX)
        return Period("month", i, i)
    if kind == "fiscal_year":
        return Period("fiscal_year", *fiscal_year_months(draw(YEARS)))
    if kind == "calendar_year":
        y = draw(YEARS)
        return Period("calendar_year", month_index(y, 1), month_index(y, 12))
    if kind == "range":
        a, b = sorted((draw(MONTH_INDEX), draw(MONTH_INDEX)))
        return Period("range", a, b)
    if kind == "since":
        return Period("since", draw(MONTH_INDEX), None)
    if kind in ("fiscal_quarter", "fiscal_half"):
        length = 3 if kind == "fiscal_quarter" else 6
        first = fiscal_year_months(draw(YEARS))[0] + length * draw(st.integers(0, 12 // length - 1))
        return Period(kind, first, first + length - 1)
    if kind in ("quarter", "half"):
        length = 3 if kind == "quarter" else 6
        first = month_index(draw(YEARS), 1) + length * draw(st.integers(0, 12 // length - 1))
        return Period(kind, first, first + length - 1)
    if kind == "newest_months":
        return Period(kind, 0, None, None, draw(st.integers(1, 1200)))
    return Period("fiscal_to_date", fiscal_year_months(draw(YEARS))[0], None)


@given(periods())
def test_text_round_trip(p: Period) -> None:
    assert parse_period(p.text) == p
    assert parse_period(p.text.upper()) == p
    assert parse_period(f"  {p.text}  ") == p


@given(YEARS, MONTHS)
def test_month_spellings_agree(year: int, month: int) -> None:
    expected = Period("month", month_index(year, month), month_index(year, month))
    assert parse_period(f"{year}-{month:02d}") == expected
    assert parse_period(f"{calendar.month_abbr[month]} {year}") == expected
    assert parse_period(f"{calendar.month_name[month]} {year}") == expected
    assert parse_period(f"{month}/{year}") == expected
    assert index_date(expected.start) == dt.date(year, month, 1)


@given(YEARS)
def test_fiscal_year_is_october_to_september(fy: int) -> None:
    p = parse_period(f"FY{fy}")
    assert p.first_day == dt.date(fy - 1, 10, 1)
    assert p.last_month == dt.date(fy, 9, 1)
    assert len(p.months()) == 12
    assert {fiscal_year_of(i) for i in p.months()} == {fy}
    assert parse_period(f"fiscal year {fy}") == p
    if 2000 <= fy <= 2099:
        assert parse_period(f"FY{fy % 100:02d}") == p


@given(YEARS)
def test_calendar_year_spans_two_fiscal_years(year: int) -> None:
    p = parse_period(str(year))
    fys = [fiscal_year_of(i) for i in p.months()]
    assert fys == [year] * 9 + [year + 1] * 3  # Jan..Sep in FY year, Oct..Dec in FY year+1
    fy_start, fy_end = fiscal_year_months(year + 1)
    assert index_date(fy_start) == dt.date(year, 10, 1)
    assert index_date(fy_end) == dt.date(year + 1, 9, 1)


@given(MONTH_INDEX)
def test_fiscal_year_of_a_month(i: int) -> None:
    day = index_date(i)
    fy = fiscal_year_of(i)
    assert fy == (day.year + 1 if day.month >= 10 else day.year)
    start, end = fiscal_year_months(fy)
    assert start <= i <= end


@given(MONTH_INDEX, MONTH_INDEX)
def test_range_of_two_periods_spans_both(a: int, b: int) -> None:
    a, b = sorted((a, b))
    p = parse_period(f"{Period('month', a, a).text}..{Period('month', b, b).text}")
    assert (p.start, p.end) == (a, b)
    assert list(p.months()) == list(range(a, b + 1))


# -------------------------------------------------------------------- counts add up (real data)

# The by-state releases cover Oct 2019 .. Nov 2025.
FIRST, LAST = month_index(2019, 10), month_index(2025, 11)
REGIONS = st.sampled_from([None, "southwest", "northern", "other"])
CITIZENSHIPS = st.sampled_from([None, "RUSSIA", "MEXICO", "UKRAINE", "CHINA, PEOPLES REPUBLIC OF", "OTHER"])


def _month(i: int) -> str:
    return Period("month", i, i).text


@settings(max_examples=40, deadline=None)
@given(
    start=st.integers(FIRST, LAST),
    length=st.integers(1, 18),
    region=REGIONS,
    citizenship=CITIZENSHIPS,
)
def test_range_count_is_the_sum_of_its_months(
    ingested_desk: Desk, start: int, length: int, region: str | None, citizenship: str | None
) -> None:
    end = min(start + length - 1, LAST)
    filters = {k: v for k, v in {"region": region, "citizenship": citizenship}.items() if v}
    whole = ingested_desk.count(period=f"{_month(start)}..{_month(end)}", **filters).value
    parts = [ingested_desk.count(period=_month(i), **filters).value for i in range(start, end + 1)]
    assert whole == sum(parts)


@settings(max_examples=40, deadline=None)
@given(fy=st.integers(2020, 2025), region=REGIONS, citizenship=CITIZENSHIPS)
def test_fiscal_year_is_the_sum_of_its_twelve_months(
    ingested_desk: Desk, fy: int, region: str | None, citizenship: str | None
) -> None:
    filters = {k: v for k, v in {"region": region, "citizenship": citizenship}.items() if v}
    total = ingested_desk.count(period=f"FY{fy}", **filters).value
    first, last = fiscal_year_months(fy)
    months = [ingested_desk.count(period=_month(i), **filters).value for i in range(first, last + 1)]
    assert len(months) == 12
    assert total == sum(months)
    # ...and the calendar-month spelling of the same year agrees
    assert total == ingested_desk.count(period=f"Oct {fy - 1} to Sep {fy}", **filters).value


def test_since_runs_to_the_newest_month(ingested_desk: Desk) -> None:
    since = ingested_desk.count(region="southwest", period="since 2025-01")
    assert since.value == ingested_desk.count(region="southwest", period="2025-01..2025-11").value
    assert since.to_dict()["question"]["months"] == {"start": "2025-01", "end": "2025-11"}


DATA_RUNS = "the data, which runs from Oct 2019 to Nov 2025"


def test_period_beyond_the_data_is_refused(ingested_desk: Desk) -> None:
    with pytest.raises(CoverageError) as info:
        ingested_desk.count(region="southwest", period="2019-09")
    assert str(info.value) == "period 2019-09 is outside the data, which runs from Oct 2019 to Nov 2025"


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("FY2030", f"period FY2030 (Oct 2029 - Sep 2030) is outside {DATA_RUNS}"),
        ("2025-06..2026-02", f"period 2025-06..2026-02 is partly outside {DATA_RUNS}"),
        ("since 2030-01", f"period since 2030-01 is outside {DATA_RUNS}"),
    ],
)
def test_out_of_range_is_one_sentence(ingested_desk: Desk, period: str, message: str) -> None:
    """Every family that cannot hold the months used to repeat the same sentence; now it is said once,
    with the data's first and last month (the by-state releases: Oct 2019 .. Nov 2025)."""
    with pytest.raises(CoverageError) as info:
        ingested_desk.count(period=period)
    assert str(info.value) == message


def test_last_n_months_is_the_newest_data(ingested_desk: Desk) -> None:
    """'last 12 months' is the newest twelve months the data holds (Dec 2024 .. Nov 2025), whatever the
    clock says, and the answer names them."""
    last = ingested_desk.count(region="southwest", period="last 12 months")
    same = ingested_desk.count(region="southwest", period="2024-12..2025-11")
    assert last.value == same.value
    assert last.to_dict()["question"]["months"] == {"start": "2024-12", "end": "2025-11"}
    assert last.describe().endswith("the newest 12 months of data (Dec 2024 - Nov 2025)")


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("Sept. 2022", "2022-09"),
        ("Nov 2022 - Jan 2023", "2022-11..2023-01"),
        ("Q1 FY2024", "2023-10..2023-12"),
        ("Q1 2024", "2024-01..2024-03"),
        ("first half of 2023", "2023-01..2023-06"),
        ("second half of FY2023", "2023-04..2023-09"),
        ("Oct.–Dec. 2023", "2023-10..2023-12"),
    ],
)
def test_reporter_spellings_count_the_same_months(ingested_desk: Desk, spelling: str, canonical: str) -> None:
    a = ingested_desk.count(citizenship="russia", region="southwest", period=spelling)
    b = ingested_desk.count(citizenship="russia", region="southwest", period=canonical)
    assert a.value == b.value > 0
    assert a.to_dict()["question"]["months"] == b.to_dict()["question"]["months"]


def test_answers_name_their_months(ingested_desk: Desk) -> None:
    """No period: every month of the data, named; an open period: the newest month, named."""
    every = ingested_desk.count(region="southwest")
    assert every.describe() == "Southwest Land Border, every month in the data (Oct 2019 - Nov 2025)"
    assert every.to_dict()["question"]["months"] == {"start": "2019-10", "end": "2025-11"}
    assert every.value == ingested_desk.count(region="southwest", period="2019-10..2025-11").value
    since = ingested_desk.count(region="southwest", period="since Feb 2022")
    assert since.describe() == "Southwest Land Border, since Feb 2022 (Feb 2022 - Nov 2025)"
    assert since.to_dict()["question"]["text"] == since.describe()
    fytd = ingested_desk.count(period="FY2026-to-date")
    assert fytd.describe() == "nationwide, fiscal year 2026 to date (Oct 2025 - Nov 2025)"


def test_every_form_offered_to_users_parses() -> None:
    """The forms the --period help and the HTTP errors offer (params.PERIOD_FORMS) all read."""
    from borderdesk.params import PERIOD_FORMS

    for form in PERIOD_FORMS:
        assert parse_period(form).text


def test_last_n_months_has_no_first_month_before_the_data_says_which_is_newest() -> None:
    p = parse_period("last 6 months")
    with pytest.raises(PeriodError, match="resolve it first"):
        p.first_day  # noqa: B018
    assert p.resolve(month_index(2025, 11)).first_day == dt.date(2025, 6, 1)
