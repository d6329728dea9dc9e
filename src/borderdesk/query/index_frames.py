"""Breakdowns and series without SQL: the fact index's arrays grouped with NumPy.

A table is ``SELECT dims, sum(encounters) ... GROUP BY dims ORDER BY encounters DESC, dims`` and a series
``SELECT month, dim, sum(encounters) ... GROUP BY ALL ORDER BY ALL`` over a few (release, first month,
last month) segments and equality filters: the rows a count sums, grouped. Once a release's arrays are
loaded (:mod:`borderdesk.query.index`), the same groups come from one mixed-radix key per selected row
(time key, then each dimension's code) counted with ``np.bincount``: a few hundred microseconds where
DuckDB's plan, scan and result take a millisecond or two. The rows come out exactly as DuckDB gives
them (Python ints, the same groups, ascending with NULLs last, ties in the same order), so everything
built on them, and the SQL kept as provenance, is unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import duckdb

from borderdesk.query.index import FactIndex, Filters, ReleaseArrays

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

#: Groups (the product of each key's span) counted with one dense ``np.bincount``; more are sorted.
DENSE_GROUPS = 1 << 20
#: Float sums are exact below 2**53; rows whose counts add up to more are grouped with integers.
_EXACT = 1 << 53

Parts = Sequence[tuple[ReleaseArrays, int, int]]


def grouped(
    parts: Parts, filters: Filters, dims: Sequence[str], *, keyed: bool
) -> list[tuple[Any, ...]] | None:
    """One row per group of the selected rows: (time key if ``keyed``, one code per dimension (None for
    NULL), sum of the counts, rows summed), ordered as ``ORDER BY ALL`` orders them in DuckDB (ascending,
    NULLs last). ``parts``: (arrays, first key, last key) whose selections are pooled. None when the
    groups are too many to number with one int64 key (then SQL answers)."""
    import numpy as np

    picked: list[tuple[ReleaseArrays, slice, npt.NDArray[np.bool_] | None]] = []
    for arrays, first, last in parts:
        lo, hi, mask = arrays.selection(first, last, filters)
        if lo < hi:
            picked.append((arrays, slice(lo, hi), mask))

    def column(of: Any) -> npt.NDArray[Any]:
        pieces = [of(a)[s] if m is None else of(a)[s][m] for a, s, m in picked]
        return pieces[0] if len(pieces) == 1 else np.concatenate(pieces)

    if not picked:
        return []
    values = column(lambda a: a.encounters)
    if not len(values):
        return []
    # each key as (non-negative digits, radix, offset to add back); a NULL code (-1) becomes the
    # dimension's largest digit, so it sorts last as DuckDB's NULLS LAST does
    keys: list[tuple[npt.NDArray[np.int64], int, int]] = []
    if keyed:
        k = column(lambda a: a.keys).astype(np.int64)
        low = int(k.min())
        keys.append((k - low, int(k.max()) - low + 1, low))
    for dim in dims:
        c = column(lambda a, d=dim: a.codes[d]).astype(np.int64)
        top = int(c.max()) + 1
        keys.append((np.where(c < 0, top, c), top + 1, 0))
    size = 1
    for _, radix, _ in keys:
        size *= radix
    if size > 1 << 62:  # more groups than one int64 key can number (a breakdown by every dimension)
        return None
    combined = np.zeros(len(values), dtype=np.int64)
    for digits, radix, _ in keys:
        combined = combined * radix + digits
    if size <= DENSE_GROUPS and int(np.abs(values).sum()) < _EXACT:
        rows = np.bincount(combined, minlength=size)
        present = np.flatnonzero(rows)
        sums = np.bincount(combined, weights=values, minlength=size)[present].astype(np.int64)
        rows = rows[present]
    else:
        present, inverse = np.unique(combined, return_inverse=True)
        sums = np.zeros(len(present), dtype=np.int64)
        np.add.at(sums, inverse, values)
        rows = np.bincount(inverse)
    decoded: list[list[Any]] = []
    rest = present
    for _, radix, low in reversed(keys):
        decoded.append((rest % radix + low).tolist())
        rest = rest // radix
    decoded.reverse()
    for i, (_, radix, _) in enumerate(keys[1:] if keyed else keys, start=1 if keyed else 0):
        null = radix - 1
        decoded[i] = [None if c == null else c for c in decoded[i]]
    return list(zip(*decoded, sums.tolist(), rows.tolist(), strict=True))


def largest_first(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """:func:`grouped` rows (without a time key) as ``ORDER BY encounters DESC, dims`` orders them: the
    sort is stable, so equal sums keep the dimensions' ascending order."""
    return sorted(rows, key=lambda r: -r[-2])


def release_rows(
    index: FactIndex,
    con: duckdb.DuckDBPyConnection,
    segments: Sequence[tuple[int, int, int]],
    filters: Filters,
    dims: Sequence[str],
    *,
    keyed: bool,
) -> list[tuple[Any, ...]] | None:
    """:func:`grouped` over CBP ``segments`` of (release_id, first month, last month), or None when one
    of their releases is not loaded (this question counts toward loading it; SQL answers)."""
    parts = index.releases(con, segments)
    if parts is None:
        return None
    return grouped(parts, filters, dims, keyed=keyed)
