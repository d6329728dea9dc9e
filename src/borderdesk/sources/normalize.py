"""Turn a parsed release into canonical values, checking every row.

Values are checked once per *distinct* value (the columns are dictionary-encoded), so a 45,000-row
file costs a few dozen lookups; only when a value is bad do we search for the first row that has it,
to name its line and column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from borderdesk import metadata
from borderdesk.errors import ReleaseFormatError
from borderdesk.sources.base import DIMENSION_FIELDS, SourceFormat
from borderdesk.sources.sniff import Sniffed
from borderdesk.values import date_index, index_date, index_in_fiscal_year, month_text

MIN_FISCAL_YEAR = 1925
MAX_COUNT = 10_000_000
# ASCII: str patterns would otherwise take any Unicode digit ("２０２４") for a year.
_FY = re.compile(r"^(\d{4})(?:\s*\(\s*FYTD\s*\))?$", re.IGNORECASE | re.ASCII)
# Decimal digits only (Arrow's integer cast also takes "0x10"); a minus sign passes here so that
# negative counts are reported as out of range. Spaces and tabs only (RE2's \s takes CR and LF).
_INT = re.compile(r"^[ \t]*-?[0-9]+[ \t]*$")
_STATE = re.compile(r"^[A-Z]{2}$")

IntArray = npt.NDArray[np.int32]


def ingest_day() -> dt.date:
    """The date an ingest happens on; tests replace it (``monkeypatch.setattr(normalize,
    "ingest_day", ...)``) to pin which months are still in the future."""
    return dt.date.today()


def max_fiscal_year(on: dt.date | None = None) -> int:
    """Fiscal years up to next year are plausible (the running FY is labelled by the year it ends)."""
    return (on or ingest_day()).year + 1


def last_complete_month(on: dt.date | None = None) -> int:
    """The month index of the last month that has ended on ``on`` (by default today): CBP publishes a
    month after it ends, so a row for a later month is a typo or a forgery, and would make its file the
    newest release for every month it covers."""
    day = on or ingest_day()
    return date_index(day) - 1


@dataclass(frozen=True)
class Column:
    """A dimension as canonical values plus, per row, the index of the row's value."""

    values: tuple[str, ...]
    indices: IntArray


@dataclass(frozen=True)
class Normalized:
    file: str
    format: SourceFormat
    rows: int
    lines: IntArray
    fiscal_year: npt.NDArray[np.int16]
    month: npt.NDArray[np.int32]  # month indexes (borderdesk.values.month_index)
    count: npt.NDArray[np.int32]
    dimensions: dict[str, Column]  # only the dimensions this format has (or fixes)

    @property
    def coverage(self) -> tuple[dt.date, dt.date]:
        lo, hi = int(self.month.min()), int(self.month.max())
        return index_date(lo), index_date(hi)


class _Checker:
    def __init__(self, file: str, sniffed: Sniffed, table: pa.Table) -> None:
        self.file = file
        self.sniffed = sniffed
        self.table = table

    def column(self, fld: str) -> pa.ChunkedArray:
        return self.table.column(self.sniffed.positions[fld])

    def error(self, fld: str, row: int, problem: str, value: str, expected: str) -> ReleaseFormatError:
        pos = self.sniffed.positions[fld]
        return ReleaseFormatError(
            self.file,
            problem,
            line=row + 2,
            column=self.sniffed.header[pos],
            column_number=pos + 1,
            value=value,
            expected=expected,
        )

    def dictionary(self, fld: str) -> tuple[list[str], IntArray]:
        """(distinct raw values, per-row index into them) for a dictionary-encoded column."""
        arr = self.column(fld).unify_dictionaries().combine_chunks()
        if isinstance(arr, pa.ChunkedArray):  # pyarrow < 16 returns a ChunkedArray
            arr = arr.chunk(0) if arr.num_chunks == 1 else pa.concat_arrays(arr.chunks)
        values = arr.dictionary.to_pylist()
        indices = arr.indices.to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
        return values, indices

    def mapped(
        self,
        fld: str,
        convert: Callable[[str], str | None],
        expected: str,
        problem: str = "unknown value",
    ) -> Column:
        """Map each distinct raw value to a canonical one; the first row with an unmappable value fails."""
        raw, indices = self.dictionary(fld)
        canon = [convert(v) for v in raw]
        bad = [i for i, c in enumerate(canon) if c is None]
        if bad:
            mask = np.isin(indices, bad)
            hits = np.flatnonzero(mask)
            if hits.size:
                row = int(hits[0])
                raise self.error(fld, row, problem, raw[indices[row]], expected)
        distinct = tuple(dict.fromkeys(c for c in canon if c is not None))
        position = {v: i for i, v in enumerate(distinct)}
        remap = np.array([position[c] if c is not None else -1 for c in canon], dtype=np.int32)
        return Column(distinct, remap[indices] if len(remap) else indices)


def _lookup(dimension: str) -> Callable[[str], str | None]:
    spellings = metadata.source_spellings()[dimension]
    return lambda raw: spellings.get(metadata.fold(raw))


def _citizenship(raw: str) -> str | None:
    # Nationwide files use CBP's upper-case names; the southwest file uses title case ("El Salvador").
    text = " ".join(raw.split()).upper()
    return text or None


def _state(raw: str) -> str | None:
    text = raw.strip().upper()
    return text if _STATE.match(text) else None


def _aor(raw: str) -> str | None:
    text = " ".join(raw.split())
    if not text:
        return None
    return _known_aors().get(metadata.fold(text), text)


@cache
def _known_aors() -> dict[str, str]:
    return {metadata.fold(a): a for a in metadata.aor_details()}


_CONVERTERS: dict[str, tuple[Callable[[str], str | None], str]] = {
    "citizenship": (_citizenship, "a country name or OTHER"),
    "state": (_state, "a two-letter state or territory code"),
    "aor": (_aor, "a Border Patrol sector or OFO field office name"),
}


def _converter(dimension: str) -> tuple[Callable[[str], str | None], str]:
    if dimension in _CONVERTERS:
        return _CONVERTERS[dimension]
    spellings = sorted({s for s in _spellings_shown(dimension)})
    return _lookup(dimension), "one of " + ", ".join(repr(s) for s in spellings)


def _with_overrides(
    convert: Callable[[str], str | None], overrides: dict[str, str]
) -> Callable[[str], str | None]:
    return lambda raw: overrides.get(metadata.fold(raw)) or convert(raw)


def _spellings_shown(dimension: str) -> list[str]:
    """The CBP spellings of a closed dimension, as they appear in the files, for error messages."""
    labels = {
        "region": ["Southwest Land Border", "Northern Land Border", "Other"],
        "component": ["U.S. Border Patrol", "Office of Field Operations"],
        "demographic": ["Single Adults", "FMUA", "UC / Single Minors", "UAC", "Accompanied Minors"],
        "title": ["Title 8", "Title 42"],
        "encounter_type": ["Apprehensions", "Inadmissibles", "Expulsions"],
    }
    return labels[dimension]


def normalize(file: str, sniffed: Sniffed, table: pa.Table, today: dt.date | None = None) -> Normalized:
    fmt = sniffed.format
    chk = _Checker(file, sniffed, table)
    n = table.num_rows
    on = today or ingest_day()

    # Fiscal year: "2023" or "2024 (FYTD)", 1925 .. next year.
    top = max_fiscal_year(on)

    def fiscal(raw: str) -> str | None:
        m = _FY.match(raw.strip())
        if not m or not MIN_FISCAL_YEAR <= int(m.group(1)) <= top:
            return None
        return m.group(1)

    fy_col = chk.mapped(
        "fiscal_year",
        fiscal,
        f"a fiscal year from {MIN_FISCAL_YEAR} to {top}, like 2023 or '2024 (FYTD)'",
        "bad fiscal year",
    )
    fy = np.array([int(v) for v in fy_col.values], dtype=np.int16)[fy_col.indices]

    abbvs = metadata.month_by_abbv()
    month_col = chk.mapped(
        "month",
        lambda raw: (
            metadata.month_by_abbv()[metadata.fold(raw)].abbv if metadata.fold(raw) in abbvs else None
        ),
        "a month abbreviation OCT, NOV, ... SEP",
        "unknown month",
    )
    cal = np.array([abbvs[metadata.fold(v)].calendar_month for v in month_col.values], dtype=np.int32)
    cal_month = cal[month_col.indices]
    month = index_in_fiscal_year(fy.astype(np.int32), cal_month)
    _check_not_future(chk, fy_col, month_col, month, last_complete_month(on))

    dims: dict[str, Column] = {}
    for fld in DIMENSION_FIELDS:
        if fld in fmt.fixed:
            dims[fld] = Column((fmt.fixed[fld],), np.zeros(n, dtype=np.int32))
        elif fld in fmt.columns and fld not in fmt.ignored:
            convert, expected = _converter(fld)
            overrides = {metadata.fold(k): v for k, v in fmt.overrides.get(fld, {}).items()}
            if overrides:
                convert = _with_overrides(convert, overrides)
            dims[fld] = chk.mapped(fld, convert, expected)

    count = _counts(chk, n)
    lines = np.arange(2, n + 2, dtype=np.int32)
    _check_duplicates(chk, fmt, month, dims, lines)
    return Normalized(
        file=file,
        format=fmt,
        rows=n,
        lines=lines,
        fiscal_year=fy,
        month=month,
        count=count,
        dimensions=dims,
    )


def _check_not_future(chk: _Checker, fy_col: Column, month_col: Column, month: IntArray, last: int) -> None:
    """Refuse the first row for a month that has not ended yet, naming its line."""
    ahead = np.flatnonzero(month > last)
    if not ahead.size:
        return
    row = int(ahead[0])
    raise chk.error(
        "month",
        row,
        f"{month_text(int(month[row]))} (fiscal year {fy_col.values[fy_col.indices[row]]}) has not ended yet",
        month_col.values[month_col.indices[row]],
        f"a month up to {month_text(last)}, the last complete month",
    )


def _counts(chk: _Checker, n: int) -> npt.NDArray[np.int32]:
    col = chk.column("count")
    expected = f"a whole number from 0 to {MAX_COUNT:,}"
    if pa.types.is_integer(col.type):
        return _in_range(chk, col, col.to_numpy(), expected)
    import pyarrow.compute as pc  # only bad files take this path

    ok = pc.match_substring_regex(col, _INT.pattern)
    bad = np.flatnonzero(~ok.to_numpy(zero_copy_only=False))
    if bad.size:
        row = int(bad[0])
        raise chk.error("count", row, "not a whole number", col[row].as_py(), expected)
    # More digits than MAX_COUNT has is out of range, and may not even fit in 64 bits for the cast.
    digits = pc.utf8_ltrim(pc.utf8_trim_whitespace(col), characters="-0")
    too_long = pc.greater(pc.utf8_length(digits), len(str(MAX_COUNT)))
    long = np.flatnonzero(too_long.to_numpy(zero_copy_only=False))
    if long.size:
        row = int(long[0])
        raise chk.error("count", row, "count out of range", col[row].as_py(), expected)
    values = pc.cast(pc.utf8_trim_whitespace(col), pa.int64())
    return _in_range(chk, col, values.to_numpy(), expected)


def _in_range(
    chk: _Checker, col: pa.ChunkedArray, arr: npt.NDArray[np.int64], expected: str
) -> npt.NDArray[np.int32]:
    out_of_range = np.flatnonzero((arr < 0) | (arr > MAX_COUNT))
    if out_of_range.size:
        row = int(out_of_range[0])
        raise chk.error("count", row, "count out of range", str(col[row].as_py()), expected)
    result: npt.NDArray[np.int32] = arr.astype(np.int32)
    return result


def _check_duplicates(
    chk: _Checker, fmt: SourceFormat, month: IntArray, dims: dict[str, Column], lines: IntArray
) -> None:
    """Two rows with the same dimensions (whatever their counts) make the file ambiguous."""
    key = month.astype(np.int64)
    for fld in fmt.key:
        if fld in ("fiscal_year", "month"):
            continue
        col = dims[fld]
        key = key * (len(col.values) + 1) + col.indices
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    same = np.flatnonzero(sorted_key[1:] == sorted_key[:-1])
    if same.size == 0:
        return
    # report the earliest line that repeats an earlier one
    pairs = [(int(order[i + 1]), int(order[i])) for i in same]
    later, first = min(pairs)
    fields = [f for f in fmt.key if f not in ("fiscal_year",)]
    raise ReleaseFormatError(
        chk.file,
        f"duplicate row: same {', '.join(fields)} as line {int(lines[first])}",
        line=int(lines[later]),
        expected="each combination of dimensions once",
    )
