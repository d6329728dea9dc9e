"""Sums without SQL: each release's facts as NumPy arrays, sorted by month, kept in memory.

A count asks for the sum of ``encounters`` over a few (release, first month, last month) segments with
equality filters on coded dimensions. DuckDB answers that in about 0.6 ms, most of it fixed per-query
cost; the same sum over a release's rows held as arrays (a month slice found by binary search, then one
boolean mask per filter) takes tens of microseconds. The SQL stays the answer's provenance: the index
only computes the same value faster, and a test holds the two equal on every release.

Loading a release's arrays (9-13 ms for 35,000-69,000 rows) costs about as much as 15 SQL counts (0.6-0.9 ms
each), which a one-shot command that asks a release a few questions never repays.
So a release is loaded the way a ski-rental problem is solved: the first :data:`RENT` questions on it go to
DuckDB, the next one loads it (never paying more than twice the better choice in hindsight). The index
belongs to one :class:`~borderdesk.query.catalog.Catalog`, so it is dropped with it whenever the releases
change.

Breakdowns and series group the same arrays (:mod:`borderdesk.query.index_frames`). What is loaded is
bounded by a byte cap (``BORDERDESK_INDEX_MAX_BYTES``, :func:`borderdesk.config.index_max_bytes`): past
it the least recently used tables are dropped, and must earn their loading again; 0 turns the index
off. :meth:`FactIndex.report` says what is held and how many questions it answered.
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

import duckdb

from borderdesk.config import DEFAULT_INDEX_MAX_BYTES
from borderdesk.store.schema import FACT_DIMENSIONS

# a ``month`` column as the month index of :func:`borderdesk.values.month_index` (importable from here too)
from borderdesk.values import MONTH_INDEX_SQL as MONTH_INDEX_SQL

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

#: SQL questions a release answers before its arrays are loaded (see the module docstring).
RENT = 16
_NULL = -1  # a NULL code: never equal to a stored code, as NULL never satisfies ``dim = ?`` in SQL


@dataclass(frozen=True)
class ReleaseArrays:
    """Rows of one release (or one history table): a sorted time key (month index, or fiscal year for
    a fiscal-year table), one code array per dimension, the counts."""

    keys: npt.NDArray[np.int32]
    codes: dict[str, npt.NDArray[np.int16]]
    encounters: npt.NDArray[np.int64]

    @property
    def nbytes(self) -> int:
        return int(self.keys.nbytes + self.encounters.nbytes + sum(a.nbytes for a in self.codes.values()))

    def selection(
        self, first: int, last: int, filters: Filters
    ) -> tuple[int, int, npt.NDArray[np.bool_] | None]:
        """The rows with ``first <= key <= last`` (``lo:hi``) and, among them, those with every filter's
        column among its codes (None: all), as ``col = ?`` / ``col IN (...)`` select them (a NULL,
        stored as -1, matches nothing)."""
        import numpy as np

        lo, hi = (int(i) for i in np.searchsorted(self.keys, [first, last + 1]))
        mask: npt.NDArray[np.bool_] | None = None
        if lo < hi:
            for dim, wanted in filters:
                col = self.codes[dim][lo:hi]
                hit = col == wanted[0] if len(wanted) == 1 else np.isin(col, wanted)
                mask = hit if mask is None else mask & hit
        return lo, hi, mask

    def span(self, filters: Filters) -> tuple[int, int] | None:
        """The first and last key of the rows matching every filter (None: no row does), as
        ``SELECT min(month), max(month) ... WHERE col IN (...)`` finds them."""
        if not len(self.keys):
            return None
        lo, hi, mask = self.selection(int(self.keys[0]), int(self.keys[-1]), filters)
        keys = self.keys[lo:hi] if mask is None else self.keys[lo:hi][mask]
        return (int(keys[0]), int(keys[-1])) if len(keys) else None  # keys are sorted

    def total(self, first: int, last: int, filters: Filters) -> tuple[int, int]:
        """(sum of the counts, rows summed) over :meth:`selection`."""
        import numpy as np

        lo, hi, mask = self.selection(first, last, filters)
        if lo >= hi:
            return 0, 0
        values = self.encounters[lo:hi]
        if mask is None:
            return int(values.sum()), hi - lo
        return int(values[mask].sum()), int(np.count_nonzero(mask))


Filters = Sequence[tuple[str, Sequence[int]]]


def load_arrays(
    con: duckdb.DuckDBPyConnection,
    key_sql: str,
    table: str,
    dims: Sequence[str],
    where: str,
    params: list[Any],
) -> ReleaseArrays:
    """``table``'s rows matching ``where`` (dims: whitelisted column names) as arrays sorted by key."""
    import numpy as np

    cols_sql = ", ".join(f"coalesce({d}, {_NULL})::SMALLINT AS {d}" for d in dims)
    cols = con.execute(
        f"SELECT ({key_sql})::INTEGER AS k, {cols_sql}, encounters::BIGINT AS n FROM {table} "
        f"WHERE {where} ORDER BY k",
        params,
    ).fetchnumpy()
    return ReleaseArrays(
        keys=np.ascontiguousarray(cols["k"], dtype=np.int32),
        codes={d: np.ascontiguousarray(cols[d], dtype=np.int16) for d in dims},
        encounters=np.ascontiguousarray(cols["n"], dtype=np.int64),
    )


def load_release(con: duckdb.DuckDBPyConnection, release_id: int) -> ReleaseArrays:
    """One CBP release's facts, keyed by month index."""
    return load_arrays(con, MONTH_INDEX_SQL, "facts", FACT_DIMENSIONS, "release_id = ?", [release_id])


@dataclass
class FactIndex:
    """The tables loaded so far (least recently used first), how many SQL questions each of the others
    has answered, and how many questions the index answered (hits) or left to SQL (misses)."""

    rent: int = RENT
    #: bytes the loaded arrays may hold; past it the least recently used are dropped (0: no index)
    max_bytes: int = DEFAULT_INDEX_MAX_BYTES
    loaded: OrderedDict[Hashable, ReleaseArrays] = field(default_factory=OrderedDict)
    asked: dict[Hashable, int] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    evictions: int = 0
    #: tables larger than the whole cap: answered by SQL without loading them again
    oversized: set[Hashable] = field(default_factory=set)
    _bytes: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def arrays(
        self, key: Hashable, load: Callable[[], ReleaseArrays], *, share: float = 1.0
    ) -> ReleaseArrays | None:
        """The arrays under ``key``, or None while they have not earned loading (the caller asks SQL,
        and this question counts toward loading them). ``share``: what loading them costs as a share of
        a release's, for smaller tables: they earn it after that share of :attr:`rent` questions."""
        hit = self.loaded.get(key)
        if hit is not None:
            # the most recently used: evicted last (unless another thread evicted it meanwhile; this
            # question still has its arrays)
            with contextlib.suppress(KeyError):
                self.loaded.move_to_end(key)
            return hit
        if self.max_bytes <= 0 or key in self.oversized:
            return None
        with self._lock:
            self.asked[key] = n = self.asked.get(key, 0) + 1
            if n > math.ceil(self.rent * share) and key not in self.loaded:
                arrays = load()
                if arrays.nbytes > self.max_bytes:
                    self.oversized.add(key)
                    return None
                self.loaded[key] = arrays
                self._bytes += arrays.nbytes
                self._evict()
            return self.loaded.get(key)

    def _evict(self) -> None:
        """Drop the least recently used tables until the rest fit the cap (the newest always fits: larger
        ones are never kept). A dropped table earns its loading again, as at first: a cap too small for
        the questions asked costs SQL answers, not a reload per question."""
        while self._bytes > self.max_bytes and len(self.loaded) > 1:
            key, arrays = self.loaded.popitem(last=False)
            self._bytes -= arrays.nbytes
            self.asked[key] = 0
            self.evictions += 1

    def tally(self, answered: bool) -> None:
        """Count one question as answered by the index (a hit) or by SQL (a miss). Under threads a
        count may be lost now and then (no lock on the answering path): they are figures to read."""
        if answered:
            self.hits += 1
        else:
            self.misses += 1

    def table(
        self, key: Hashable, load: Callable[[], ReleaseArrays], *, share: float = 1.0
    ) -> ReleaseArrays | None:
        """:meth:`arrays`, counted as one question's hit or miss."""
        arrays = self.arrays(key, load, share=share)
        self.tally(arrays is not None)
        return arrays

    def releases(
        self, con: duckdb.DuckDBPyConnection, segments: Sequence[tuple[int, int, int]]
    ) -> list[tuple[ReleaseArrays, int, int]] | None:
        """Each CBP segment of (release_id, first month, last month) as (its release's arrays, first,
        last), or None when one of their releases is not loaded (then SQL answers); one hit or miss."""
        # every release is asked (the question counts toward loading each), then the answer is known
        parts = [
            (self.arrays(rid, partial(load_release, con, rid)), first, last) for rid, first, last in segments
        ]
        loaded = [(a, first, last) for a, first, last in parts if a is not None]
        self.tally(len(loaded) == len(parts))
        return loaded if len(loaded) == len(parts) else None

    def held(self, keys: Sequence[Hashable]) -> list[ReleaseArrays] | None:
        """The arrays of every one of ``keys`` if all are loaded now, else None; asking does not count
        toward loading them (for the checks around an answer, not the answer itself)."""
        tables = self.held_among(keys)
        return list(tables.values()) if len(tables) == len(keys) else None

    def held_among(self, keys: Sequence[Hashable]) -> dict[Hashable, ReleaseArrays]:
        """The arrays of those of ``keys`` loaded now, by key (asking does not count toward loading)."""
        return {k: t for k in keys if (t := self.loaded.get(k)) is not None}

    def total(
        self, con: duckdb.DuckDBPyConnection, segments: list[tuple[int, int, int]], filters: Filters
    ) -> int | None:
        """The sum over CBP ``segments`` of (release_id, first month, last month), or None when one of
        their releases is not loaded (then SQL answers)."""
        parts = self.releases(con, segments)
        if parts is None:
            return None
        return sum(p.total(first, last, filters)[0] for p, first, last in parts)

    def report(self) -> dict[str, Any]:
        """What is loaded, the memory it holds against the cap, and the questions answered each way."""
        with self._lock:
            tables = list(self.loaded.values())
            return {
                "enabled": self.max_bytes > 0,
                "tables_loaded": len(tables),
                "rows": int(sum(len(a.keys) for a in tables)),
                "bytes": sum(a.nbytes for a in tables),
                "max_bytes": self.max_bytes,
                "rent": self.rent,
                "hits": self.hits,
                "misses": self.misses,
                "evictions": self.evictions,
            }
