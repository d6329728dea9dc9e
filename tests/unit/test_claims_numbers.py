"""Numbers as news text writes them: value, the place value u of the last significant digit, and what
rules a number out (money, ages, dates, codes)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from borderdesk.claims.numbers import Figure, parse_figures, place_value


def one(text: str) -> Figure:
    figures = parse_figures(text)
    assert len(figures) == 1, figures
    return figures[0]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        pytest.param("5,507", 5507, 1, id="to-the-unit"),
        pytest.param("1,234", 1234, 1, id="thousands-separator"),
        pytest.param("5,370", 5370, 10, id="to-the-ten"),
        pytest.param("31,600", 31600, 100, id="hundreds"),
        pytest.param("17,000", 17000, 1000, id="thousands"),
        pytest.param("20,000", 20000, 10000, id="one-significant-digit"),
        pytest.param("2.7 million", 2_700_000, 100_000, id="decimal-million"),
        pytest.param("1 million", 1_000_000, 1_000_000, id="one-million"),
        pytest.param("2.40 million", 2_400_000, 10_000, id="trailing-zero-is-written"),
        pytest.param("7.35 lakh", 735_000, 1_000, id="lakh"),
        pytest.param("1.2 crore", 12_000_000, 1_000_000, id="crore"),
        pytest.param("180k", 180_000, 10_000, id="k-suffix"),
        pytest.param("4100", 4100, 100, id="no-separator"),
    ],
)
def test_value_and_place_value(text: str, value: int, unit: int) -> None:
    f = one(text)
    assert f.reject is None
    assert f.value == value and f.number == value
    assert f.unit == unit


def test_plus_sign_is_more_than() -> None:
    f = one("180,000+ migrants")
    assert (f.number, f.unit, f.suffix_qualifier) == (180_000, 10_000, "more_than")


def test_or_more_is_at_least() -> None:
    assert one("5,000 or more").suffix_qualifier == "at_least"


def test_percent() -> None:
    f = one("fell 41.7% in January")
    assert f.percent and f.value == Fraction(417, 10) and f.unit == Fraction(1, 10)
    assert one("42 percent").percent


def test_a_hyphenated_percent_is_a_percent() -> None:
    (fig,) = parse_figures("crossings saw a 64-percent increase")
    assert fig.percent and fig.value == 64 and fig.reject is None
    (word,) = parse_figures("a 12-person group")
    assert not word.percent and word.reject == "part of a compound word"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("doubled", 2, id="doubled"),
        pytest.param("tripled", 3, id="tripled"),
        pytest.param("quadrupled", 4, id="quadrupled"),
        pytest.param("twelvefold", 12, id="twelvefold"),
        pytest.param("a 12-fold rise", 12, id="digits-fold"),
        pytest.param("a five-fold increase", 5, id="spelled-fold"),
        pytest.param("halved", Fraction(1, 2), id="halved"),
    ],
)
def test_spelled_multiples(text: str, value: Fraction) -> None:
    f = one(text)
    assert f.multiple and f.value == value


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("$11 billion", "money", id="dollars"),
        pytest.param("a 24-year-old man", "part of a compound word", id="age"),
        pytest.param("the 3rd time", "an ordinal", id="ordinal"),
        pytest.param("COVID-19", "part of a code", id="code"),
        pytest.param("under Title 42", "a name (Title 42, Section 212 ...)", id="title-42"),
        pytest.param("on 12/21", "a date, time or ratio", id="date"),
        pytest.param("at 6:30", "a date, time or ratio", id="time"),
        pytest.param("5.5 migrants", "not a whole number", id="fraction"),
    ],
)
def test_rejected(text: str, reason: str) -> None:
    assert parse_figures(text)[0].reject == reason


def test_place_value() -> None:
    assert place_value("31600", None) == 100
    assert place_value("0", None) == 1
    assert place_value("2", "7") == Fraction(1, 10)


@given(st.integers(min_value=1, max_value=10**12))
def test_grouped_integers_round_trip(n: int) -> None:
    """Any integer written with thousands separators parses back to itself, and u is the place value of
    its last non-zero digit."""
    f = one(f"{n:,} migrants")
    digits = str(n)
    assert f.value == n and f.reject is None
    assert f.unit == 10 ** (len(digits) - len(digits.rstrip("0")))


def test_many_numbers_are_linear() -> None:
    text = " ".join(f"{i:,}" for i in range(1, 20_001))
    assert len(parse_figures(text)) == 20_000


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        pytest.param("one million migrants", 1_000_000, 1_000_000, id="one-million"),
        pytest.param("two million encounters", 2_000_000, 1_000_000, id="two-million"),
        pytest.param("half a million migrants", 500_000, 100_000, id="half-a-million"),
        pytest.param("a quarter of a million people", 250_000, 10_000, id="a-quarter-of-a-million"),
    ],
)
def test_number_words(text: str, value: int, unit: int) -> None:
    f = one(text)
    assert (f.value, f.unit, f.spelled, f.multiple) == (value, unit, True, False)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("twice as many migrants", 2, id="twice-as"),
        pytest.param("three times the number", 3, id="n-times-the"),
        pytest.param("encounters tripled", 3, id="tripled"),
    ],
)
def test_multiples_in_words(text: str, value: int) -> None:
    f = one(text)
    assert (f.value, f.multiple) == (value, True)


@given(st.integers(2, 9), st.sampled_from(["million", "thousand"]))
def test_digit_and_word_forms_agree(n: int, scale: str) -> None:
    """'3 million' and 'three million' are the same number to the same place value."""
    words = ["two", "three", "four", "five", "six", "seven", "eight", "nine"][n - 2]
    a, b = one(f"{n} {scale} migrants"), one(f"{words} {scale} migrants")
    assert (a.value, a.unit) == (b.value, b.unit)
