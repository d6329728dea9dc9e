"""The qualifier table of claim-check.md, with boundaries computed by hand (u = place value of the last
significant digit as written, r = 1% of X)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from borderdesk.claims.tolerance import band, comparison_band

F = Fraction


@pytest.mark.parametrize(
    ("qualifier", "x", "u", "low", "high"),
    [
        # exact: |v - X| <= max(u/2, r); 33,804 +- 338.04
        pytest.param("exact", 33804, 1, 33466, 34142, id="ex01-exact-33804"),
        # exact to the ten: 5,370 +- 53.7 -> 5,317..5,423 (5,413 passes, ex02)
        pytest.param("exact", 5370, 10, 5317, 5423, id="ex02-exact-5370"),
        # about: |v - X| <= max(u/2 = 5,000, 3% = 6,300)
        pytest.param("about", 210000, 10000, 203700, 216300, id="ex03-about-210000"),
        # bare 2.4 million: max(50,000, 72,000)
        pytest.param("about", 2400000, 100000, 2328000, 2472000, id="ex04-about-2.4m"),
        # more than: X - r < v <= X + max(u/2, 25%)
        pytest.param("more_than", 25000, 1000, 24751, 31250, id="ex05-more-than-25000"),
        pytest.param("more_than", 40000, 10000, 39601, 50000, id="ex06-more-than-40000"),
        # u/2 = 5,000 equals 25% = 5,000: the ceiling is 25,000, not 30,000 (example 26)
        pytest.param("more_than", 20000, 10000, 19801, 25000, id="ex26-more-than-20000"),
        # at least: a floor, no ceiling
        pytest.param("at_least", 25000, 1000, 24750, None, id="ex07-at-least-25000"),
        # nearly: X - max(u/2, 10%) <= v < X + r
        pytest.param("nearly", 2900000, 100000, 2610000, 2928999, id="ex08-nearly-2.9m"),
        pytest.param("nearly", 20000, 10000, 15000, 20199, id="ex26-nearly-20000"),
        # fewer than: X - max(u/2, 25%) <= v < X + r
        pytest.param("less_than", 12000, 1000, 9000, 12119, id="ex09-fewer-than-12000"),
    ],
)
def test_count_bands(qualifier: str, x: int, u: int, low: int, high: int | None) -> None:
    b = band(qualifier, F(x), F(u))
    assert b.integer_range() == (low, high)
    assert b.contains(low) and not b.contains(low - 1)
    if high is not None:
        assert b.contains(high) and not b.contains(high + 1)


def test_each_keeps_only_the_floor() -> None:
    b = band("more_than", F(24000), F(1000), each=True)
    assert b.integer_range() == (23761, None)  # floor X - r = 23,760, exclusive; no ceiling
    assert b.contains(10**9)


def test_each_fewer_than_keeps_only_the_ceiling() -> None:
    b = band("less_than", F(10000), F(1000), each=True)
    assert b.integer_range() == (None, 10099)
    assert b.contains(0)


@pytest.mark.parametrize(
    ("qualifier", "x", "multiple", "inside", "outside"),
    [
        pytest.param("exact", 42, False, [41.5, 41.65, 42.5], [41.49, 42.51], id="ex25-42pct"),
        pytest.param("exact", F(417, 10), False, [41.2, 42.2], [41.19, 42.21], id="decimal-gets-half-point"),
        pytest.param("nearly", 23, False, [20.7, 23.49], [20.69, 23.5], id="nearly-23pct"),
        pytest.param("exact", 2, True, [1.8, 1.91, 2.2], [1.79, 2.21], id="ex29-doubled"),
        pytest.param("more_than", 2, True, [1.81, 2.5], [1.8, 2.51], id="more-than-doubled"),
        pytest.param("exact", 3, True, [2.7, 3.3], [1.91, 3.31], id="tripled"),
    ],
)
def test_comparison_bands(
    qualifier: str, x: int | Fraction, multiple: bool, inside: list[float], outside: list[float]
) -> None:
    b = comparison_band(qualifier, F(x), multiple=multiple)
    assert all(b.contains(v) for v in inside)
    assert not any(b.contains(v) for v in outside)
