"""The qualifier table of claim-check.md as data: which values a stated figure supports.

X is the stated number, u the place value of its last significant digit as written, r = 1% of X:

==========  ============================================
exact       abs(v - X) <= max(u/2, r)
about       abs(v - X) <= max(u/2, 3% of X)
more_than   X - r < v <= X + max(u/2, 25% of X)
at_least    v >= X - r
nearly      X - max(u/2, 10% of X) <= v < X + r
less_than   X - max(u/2, 25% of X) <= v < X + r
==========  ============================================

With 'each', only the floor applies (only the ceiling, for less_than). Comparisons use the same table
with r = u/2 = 0.5 percentage points (percent changes) or 10% of the multiple (multiples).

>>> b = band("more_than", Fraction(20000), Fraction(10000))
>>> b.integer_range()
(19801, 25000)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

F = Fraction


@dataclass(frozen=True)
class Band:
    """Values ``low``..``high`` (None: unbounded), each end inclusive or not."""

    low: Fraction | None
    low_inclusive: bool
    high: Fraction | None
    high_inclusive: bool

    def contains(self, v: Fraction | int | float) -> bool:
        x = F(v) if not isinstance(v, float) else F(v).limit_denominator(10**9)
        if self.low is not None and (x < self.low or (x == self.low and not self.low_inclusive)):
            return False
        return not (self.high is not None and (x > self.high or (x == self.high and not self.high_inclusive)))

    def integer_range(self) -> tuple[int | None, int | None]:
        """The smallest and largest whole values inside (None: no bound)."""
        lo = hi = None
        if self.low is not None:
            lo = math.ceil(self.low) if self.low_inclusive else math.floor(self.low) + 1
        if self.high is not None:
            hi = math.floor(self.high) if self.high_inclusive else math.ceil(self.high) - 1
        return lo, hi

    def describe(self, fmt: Callable[[Fraction], str]) -> str:
        """'above 31,284, up to 39,500'; '3,977 to 4,223'; 'at least 24,750'."""
        lo = None if self.low is None else fmt(self.low)
        hi = None if self.high is None else fmt(self.high)
        if lo is not None and hi is not None:
            first = lo if self.low_inclusive else f"above {lo}"
            second = f"to {hi}" if self.low_inclusive and self.high_inclusive else f"up to {hi}"
            if not self.high_inclusive:
                second = f"to below {hi}"
            return f"{first}{' ' if self.low_inclusive else ', '}{second}"
        if lo is not None:
            return f"at least {lo}" if self.low_inclusive else f"above {lo}"
        if hi is not None:
            return f"at most {hi}" if self.high_inclusive else f"below {hi}"
        return "any value"


@lru_cache(maxsize=4096)
def band(qualifier: str, x: Fraction, u: Fraction, r: Fraction | None = None, *, each: bool = False) -> Band:
    """The band of supported values for a count (``r`` defaults to 1% of X)."""
    r = x / 100 if r is None else r
    half = u / 2
    lo: Fraction | None
    hi: Fraction | None
    if qualifier == "exact":
        lo, lo_inc, hi, hi_inc = x - max(half, r), True, x + max(half, r), True
    elif qualifier == "about":
        lo, lo_inc, hi, hi_inc = x - max(half, x * F(3, 100)), True, x + max(half, x * F(3, 100)), True
    elif qualifier == "more_than":
        lo, lo_inc, hi, hi_inc = x - r, False, x + max(half, x / 4), True
    elif qualifier == "at_least":
        lo, lo_inc, hi, hi_inc = x - r, True, None, True
    elif qualifier == "nearly":
        lo, lo_inc, hi, hi_inc = x - max(half, x / 10), True, x + r, False
    elif qualifier == "less_than":
        lo, lo_inc, hi, hi_inc = x - max(half, x / 4), True, x + r, False
    else:
        raise KeyError(qualifier)
    if each:  # every one must pass the floor (the ceiling, for 'fewer than'); the other bound goes
        if qualifier == "less_than":
            lo = None
        else:
            hi = None
    return Band(lo, lo_inc, hi, hi_inc)


def comparison_band(qualifier: str, x: Fraction, *, multiple: bool, widen: Fraction | None = None) -> Band:
    """A stated percent change (±max(half a unit of its last digit, 0.5) points) or multiple (±10% of
    it) as a band of the computed one; ``widen`` is the revision allowance added to the tolerance."""
    tol = (x / 10 if multiple else F(1, 2)) + (widen or 0)
    return band(qualifier, x, 2 * tol, tol)


def revision_allowance(computed: Fraction, *, multiple: bool) -> Fraction:
    """How far a 1% revision of the ratio moves a computed change (claim-check.md, amendment 5): 1% of
    (100 + the change) points for a percent change ('up 224%': 3.24 points), 1% of a multiple."""
    return abs(computed) / 100 if multiple else abs(100 + computed) / 100
