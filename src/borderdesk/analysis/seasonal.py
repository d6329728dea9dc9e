"""A seasonal baseline for one monthly series, from its own history only (nothing after the period).

The model, on ``x = ln(count + 1)``::

    x[t] = level + season[calendar month of t] + noise

* **season**: for each calendar month, the median of ``x`` minus its centred 12-month moving average,
  over every year of history that has a full window; shrunk towards 0 by ``n / (n + 1)`` (n = years
  seen) and centred to sum to 0. With less than two years of history there is no seasonal term.
* **level**: the median of the deseasonalised ``x`` over the last 12 months before the period (at least
  3): robust to a single odd month, and slow to follow a surge that is still building.
* **noise**: the robust (MAD) standard deviation of month-to-month changes of the deseasonalised ``x``
  over the last 24 months, floored at :data:`MIN_NOISE` so that very smooth series (MEXICO) do not turn
  every 20% rise into a headline.

The baseline of a month is ``exp(level + season) - 1``; a period's baseline is the sum over its months.
Data start in October 2019, so a baseline for late 2020 rests on one year or less: short histories
simply get no seasonal term, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_HISTORY = 3  # months before the period needed for any baseline
LEVEL_WINDOW = 12
NOISE_WINDOW = 24
MIN_NOISE = 0.15  # ln units: about +-16% month to month


@dataclass(frozen=True)
class Baseline:
    """What a period's count is compared with: expected count, noise, and the months it rests on."""

    expected: float  # sum over the period's months
    level: float  # ln scale
    season: tuple[float, ...]  # 12 factors, index = calendar month - 1 (ln scale)
    noise: float  # ln scale, per month
    history_months: int


def seasonal_factors(months: np.ndarray, x: np.ndarray) -> np.ndarray:
    """12 ln-scale factors (index = calendar month - 1) from the history ``x`` at month indexes
    ``months`` (consecutive); zeros when there are fewer than 24 months."""
    out = np.zeros(12)
    n = len(x)
    if n < 24:
        return out
    # centred 2x12 moving average: weights 1/24 at the ends, 1/12 in between
    w = np.r_[0.5, np.ones(11), 0.5] / 12.0
    ma = np.convolve(x, w, mode="valid")  # ma[i] is centred on x[i + 6]
    dev = x[6 : 6 + len(ma)] - ma
    cal = (months[6 : 6 + len(ma)] % 12).astype(int)
    for m in range(12):
        d = dev[cal == m]
        if d.size:
            out[m] = float(np.median(d)) * d.size / (d.size + 1)
    centred: np.ndarray = out - out.mean()
    return centred


def baseline(months: np.ndarray, counts: np.ndarray, period_months: np.ndarray) -> Baseline | None:
    """The baseline of the months ``period_months`` from the history (``months`` before them, with
    their ``counts``); None with fewer than :data:`MIN_HISTORY` months of history."""
    keep = months < period_months.min()
    months, counts = months[keep], counts[keep]
    if len(months) < MIN_HISTORY:
        return None
    x = np.log1p(counts.astype(float))
    season = seasonal_factors(months, x)
    adjusted = x - season[(months % 12).astype(int)]
    level = float(np.median(adjusted[-LEVEL_WINDOW:]))
    recent = adjusted[-LEVEL_WINDOW:]
    noise = max(float(1.4826 * np.median(np.abs(recent - level))), MIN_NOISE)
    expected = float(np.sum(np.expm1(level + season[(period_months % 12).astype(int)])))
    return Baseline(max(expected, 0.0), level, tuple(float(s) for s in season), noise, len(months))


def surge_score(value: float, expected: float, noise: float) -> float:
    """How far ``value`` is above ``expected`` in units of its own noise (a z-score on the log scale).

    ``score = ln((value + 1) / (expected + 1)) / sqrt(noise² + 1 / (expected + 1))``

    The first variance term is the series' own month-to-month volatility, the second the counting
    (Poisson) noise of the log of a count, so that 5 -> 40 people does not outrank 2,000 -> 6,000.
    """
    spread = np.sqrt(noise * noise + 1.0 / (expected + 1.0))
    return float(np.log((value + 1.0) / (expected + 1.0)) / spread)
