"""The Month value type and the month-name table: round trips, the fiscal-year rule (FY2023 starts in
October 2022), ordering that is time order, and the plain functions agreeing with the type."""

from __future__ import annotations

import calendar
import datetime as dt
import doctest

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from borderdesk import values
from borderdesk.errors import PeriodError
from borderdesk.values import (
    MONTH_WORDS,
    Month,
    date_index,
    fiscal_year_months,
    fiscal_year_of,
    index_date,
    index_in_fiscal_year,
    month_index,
    month_number,
    month_text,
)

months = st.builds(Month, st.integers(1, 9999), st.integers(1, 12))
indexes = st.integers(month_index(1, 1), month_index(9999, 12))


def test_docstring_examples_run() -> None:
    assert doctest.testmod(values).failed == 0


@given(months)
def test_text_round_trip(m: Month) -> None:
    assert Month.parse(str(m)) == m
    assert month_text(m.index) == str(m)


@given(indexes)
def test_index_round_trip(i: int) -> None:
    assert Month.from_index(i).index == i
    assert date_index(index_date(i)) == i
    assert Month.from_index(i).first_day == index_date(i)


@given(months, months)
def test_order_is_index_order(a: Month, b: Month) -> None:
    assert (a < b) == (a.index < b.index)
    assert (a == b) == (a.index == b.index)
    assert (hash(a) == hash(b)) or a != b
    assert b - a == b.index - a.index


@given(months, st.integers(-1200, 1200))
def test_adding_months(m: Month, n: int) -> None:
    assert (m + n).index == m.index + n
    assert m + n - n == m
    assert n + m == m + n
    assert (m + n) - m == n


@given(months)
def test_fiscal_year_starts_in_october(m: Month) -> None:
    assert m.fiscal_year == (m.year + 1 if m.month >= 10 else m.year)
    assert m.fiscal_year == fiscal_year_of(m.index)
    first, last = fiscal_year_months(m.fiscal_year)
    assert first <= m.index <= last
    assert Month.from_index(first) == Month(m.fiscal_year - 1, 10)
    assert Month.from_index(last) == Month(m.fiscal_year, 9)
    assert m.fiscal_month == m.index - first + 1


@given(months)
def test_fiscal_round_trip(m: Month) -> None:
    assert Month.from_fiscal(m.fiscal_year, m.fiscal_month) == m
    assert index_in_fiscal_year(m.fiscal_year, m.month) == m.index


@pytest.mark.parametrize(
    ("month", "fiscal_year", "fiscal_month"),
    [
        pytest.param(Month(2022, 10), 2023, 1, id="oct-2022-starts-fy2023"),
        pytest.param(Month(2022, 11), 2023, 2, id="nov-2022"),
        pytest.param(Month(2022, 12), 2023, 3, id="dec-2022"),
        pytest.param(Month(2023, 1), 2023, 4, id="jan-2023"),
        pytest.param(Month(2023, 9), 2023, 12, id="sep-2023-ends-fy2023"),
    ],
)
def test_fiscal_examples(month: Month, fiscal_year: int, fiscal_month: int) -> None:
    assert (month.fiscal_year, month.fiscal_month) == (fiscal_year, fiscal_month)


def test_vectorised_functions_agree_with_the_type() -> None:
    fy = np.array([2023, 2023, 2023, 1925], dtype=np.int32)
    cal = np.array([10, 1, 9, 12], dtype=np.int32)
    got = index_in_fiscal_year(fy, cal)
    assert got.dtype == np.int32
    assert got.tolist() == [index_in_fiscal_year(int(y), int(m)) for y, m in zip(fy, cal, strict=True)]
    assert got.tolist() == [Month(2022, 10).index, Month(2023, 1).index, Month(2023, 9).index, 1924 * 12 + 11]


def test_month_index_sql_matches_python() -> None:
    duckdb = pytest.importorskip("duckdb")
    day = dt.date(2022, 11, 1)
    sql = values.month_index_sql("d")
    (got,) = duckdb.connect().execute(f"SELECT {sql} FROM (SELECT ?::DATE AS d)", [day]).fetchall()[0]
    assert got == date_index(day)


def test_month_names_match_the_calendar_module() -> None:
    assert list(values.MONTH_NAMES) == list(calendar.month_name)[1:]
    assert list(values.MONTH_ABBREVIATIONS) == list(calendar.month_abbr)[1:]
    assert Month(2022, 9).name == "September"
    assert Month(2022, 9).abbreviation == "Sep"


@pytest.mark.parametrize(
    ("word", "number"),
    [("January", 1), ("jan", 1), ("Sept.", 9), ("SEPT", 9), ("sep", 9), ("may", 5), ("Smarch", None)],
)
def test_month_words(word: str, number: int | None) -> None:
    assert month_number(word) == number


def test_month_words_are_names_abbreviations_and_sept() -> None:
    assert len(MONTH_WORDS) == 24  # 12 names, 11 abbreviations that differ from them, "sept"
    assert all(word == word.lower() for word in MONTH_WORDS)


@pytest.mark.parametrize("text", ["2022-13", "2022-0", "2022", "Nov 2022", "22-11", ""])
def test_bad_months_are_period_errors(text: str) -> None:
    with pytest.raises(PeriodError):
        Month.parse(text)


def test_bad_fiscal_month() -> None:
    with pytest.raises(PeriodError):
        Month.from_fiscal(2023, 13)
