"""Change points in a monthly series: exact PELT (Killick et al. 2012) with a least-squares cost.

A small NumPy implementation rather than a dependency: our series are at most a few hundred months,
so cumulative sums make every segment cost O(1) and a whole search takes well under a millisecond.
``tests/analysis`` checks it against ``ruptures.Pelt(model="l2")`` when ruptures is installed.

>>> change_points([0.0] * 10 + [5.0] * 10, penalty=1.0)
[10]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def change_points(signal: Sequence[float] | np.ndarray, *, penalty: float, min_size: int = 2) -> list[int]:
    """Indexes where a new segment starts (0 < i < n), minimising the sum of squared deviations from
    each segment's mean plus ``penalty`` per segment."""
    x = np.asarray(signal, dtype=float)
    n = len(x)
    if n < 2 * min_size:
        return []
    s1 = np.concatenate(([0.0], np.cumsum(x)))
    s2 = np.concatenate(([0.0], np.cumsum(x * x)))

    def cost(starts: np.ndarray, end: int) -> np.ndarray:
        length = end - starts
        total = s1[end] - s1[starts]
        result: np.ndarray = s2[end] - s2[starts] - total * total / length
        return result

    best = np.full(n + 1, np.inf)
    best[0] = -penalty
    last = np.zeros(n + 1, dtype=int)
    candidates = np.array([0])
    for t in range(min_size, n + 1):
        ready = candidates[t - candidates >= min_size]
        young = candidates[t - candidates < min_size]
        if ready.size == 0:
            continue
        fits = best[ready] + cost(ready, t)
        i = int(np.argmin(fits))
        best[t] = fits[i] + penalty
        last[t] = ready[i]
        # PELT pruning: a start already worse than the optimum at t can never become optimal later
        candidates = np.concatenate((ready[fits <= best[t]], young, [t]))
    out = []
    t = n
    while t > 0:
        t = int(last[t])
        if t > 0:
            out.append(t)
    return sorted(out)


def noise_scale(signal: Sequence[float] | np.ndarray) -> float:
    """Robust standard deviation of month-to-month noise: MAD of first differences / sqrt(2)."""
    x = np.asarray(signal, dtype=float)
    if len(x) < 3:
        return 0.0
    d = np.diff(x)
    return float(1.4826 * np.median(np.abs(d - np.median(d))) / np.sqrt(2))
