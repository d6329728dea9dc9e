"""Shared fixtures: the real CBP files (the repo's copies in data/cbp, restored byte for byte),
databases built from them once per session, and ``csv_truth``, which sums ``Encounter Count`` from a
release file with the ``csv`` module alone, so that tests check borderdesk against the files themselves
rather than against its own code.
"""

from __future__ import annotations

import csv
import gzip
import re
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import borderdesk
from borderdesk import Desk
from repo_support import cbp_data

#: The real CBP files, restored byte for byte from the repository's compressed copies in data/cbp/.
CBP_DATA = cbp_data()

#: CBP Nationwide Encounters by-state releases, in publication order.
STATE_FILE_NAMES = (
    "nationwide-encounters-fy20-fy23-state.csv",
    "nationwide-encounters-fy21-fy24-oct-state.csv",
    "nationwide-encounters-fy21-fy24-nov-state.csv",
    "nationwide-encounters-fy21-fy24-dec-state.csv",
    "nationwide-encounters-fy21-fy24-jan-state.csv",
    "nationwide-encounters-fy21-fy24-feb-state.csv",
    "nationwide-encounters-fy21-fy24-mar-state.csv",
    "nationwide-encounters-fy21-fy24-apr-state.csv",
    "nationwide-encounters-fy21-fy24-may-state.csv",
    "nationwide-encounters-fy21-fy24-state.csv",
    "nationwide-encounters-fy22-fy25-state.csv",
    "nationwide-encounters-fy23-fy26-nov-state.csv",
)
SBO_FILE_NAME = "sbo-encounters-fy22-fy25-aug.csv"
CBP_RESP_NAME = "tidytuesday-2024-11-26/cbp_resp.csv.gz"
#: Border Patrol history: the DHS OHSS USBP workbook and the four USBP historical apprehension tables.
HISTORY_FILE_NAMES = (
    "ohss/KHSM_Encounters_USBP_fy25m11.xlsx",
    "usbp-historical/nationwide_total_apprehensions_1925_2019.csv",
    "usbp-historical/southwest_border_apprehensions_1960_2019.csv",
    "usbp-historical/other_than_mexico_apprehensions_2000_2019.csv",
    "usbp-historical/family_child_total_monthly_2000_2019.csv",
)
#: Every file the bundled snapshot is built from (scripts/build_snapshot.py), relative to CBP_DATA.
SNAPSHOT_FILE_NAMES = (*STATE_FILE_NAMES, SBO_FILE_NAME, CBP_RESP_NAME, *HISTORY_FILE_NAMES)


def cbp_data_available(*names: str) -> bool:
    """True if the restored data folder holds every named file (all snapshot files when none is named)."""
    return all((CBP_DATA / n).is_file() for n in (names or SNAPSHOT_FILE_NAMES))


def require_cbp_data(*names: str) -> None:
    """Fail the calling test (or fixture) when a CBP file is missing: the files travel with the repo
    (data/cbp), so a missing one is a broken checkout, never a reason to skip."""
    if not cbp_data_available(*names):
        pytest.fail(f"real CBP files missing from {CBP_DATA}: is data/cbp/ complete? (see its README)")


# ------------------------------------------------------------------------------------- csv truth

MONTHS = ("OCT", "NOV", "DEC", "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP")
CALENDAR_MONTH = {abbv: (i + 9) % 12 + 1 for i, abbv in enumerate(MONTHS)}  # OCT -> 10 ... SEP -> 9
SHORT_NAMES = {"fy": "fiscal_year", "month": "month_abbv", "region": "land_border_region"}
COMMON_COLUMNS = frozenset({"fiscal_year", "month_abbv", "land_border_region", "citizenship", "component"})


def _snake(header: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", header.strip().lower()).strip("_")


def fiscal_month(year: int, month: int) -> tuple[int, str]:
    """(fiscal year, CBP month abbreviation) of a calendar month: Nov 2022 -> (2023, "NOV")."""
    abbv = next(a for a, m in CALENDAR_MONTH.items() if m == month)
    return (year + 1 if month >= 10 else year), abbv


def calendar_month(fy: int, abbv: str) -> tuple[int, int]:
    """(year, month) of a fiscal month: (2023, "NOV") -> (2022, 11)."""
    month = CALENDAR_MONTH[abbv]
    return (fy - 1 if month >= 10 else fy), month


def months_between(start: tuple[int, int], end: tuple[int, int]) -> list[tuple[int, int]]:
    """Calendar months start..end inclusive, as (year, month)."""
    out = []
    y, m = start
    while (y, m) <= end:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _open_text(path: Path) -> Iterator[str]:
    if path.name.endswith(".gz"):
        with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as fh:
            yield from fh
    else:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            yield from fh


@cache
def _grouped(path: Path, columns: tuple[str, ...]) -> Counter[tuple[Any, ...]]:
    """Encounter Count summed by ``columns`` (snake_case); fiscal_year is the int of its first 4 chars."""
    reader = csv.reader(_open_text(path))
    header = [_snake(h) for h in next(reader)]
    unknown = [c for c in columns if c not in header]
    if unknown:
        raise KeyError(f"{path.name} has no column(s) {unknown}; it has {header}")
    pos = [header.index(c) for c in columns]
    count_at = header.index("encounter_count")
    fy_at = header.index("fiscal_year")
    sums: Counter[tuple[Any, ...]] = Counter()
    for row in reader:
        if not row:
            continue
        key = tuple(int(row[i].strip()[:4]) if i == fy_at else row[i].strip() for i in pos)
        sums[key] += int(row[count_at])
    return sums


@cache
def _header(path: Path) -> tuple[str, ...]:
    return tuple(_snake(h) for h in next(csv.reader(_open_text(path))))


def _fiscal_months(path: Path) -> list[tuple[int, str]]:
    columns = tuple(c for c in _header(path) if c in COMMON_COLUMNS)
    fy, month = columns.index("fiscal_year"), columns.index("month_abbv")
    return sorted({(key[fy], key[month]) for key in _grouped(path, columns)})


class CsvTruth:
    """``csv_truth(path, fy=2022, region="Southwest Land Border")``: the file's own sum, via ``csv``.

    Filters name a column in snake_case (``fy``, ``month`` and ``region`` are short for fiscal_year,
    month_abbv and land_border_region) and give one value or a collection of values; ``ym=(2022, 11)``
    or ``ym=[(2022, 2), (2022, 3)]`` selects calendar months. Values use the file's own spelling.
    """

    def __call__(self, path: Path, *, ym: Any = None, **filters: Any) -> int:
        wanted: dict[str, set[Any]] = {}
        for name, value in filters.items():
            if value is not None:
                wanted[SHORT_NAMES.get(name, name)] = {value} if isinstance(value, str | int) else set(value)
        pairs: set[tuple[int, str]] | None = None
        if ym is not None:
            months = [ym] if isinstance(ym[0], int) else list(ym)
            pairs = {fiscal_month(y, m) for y, m in months}
            wanted.setdefault("fiscal_year", {fy for fy, _ in pairs})
        # One pass over the file serves every question about the usual columns.
        columns = tuple(c for c in _header(path) if c in COMMON_COLUMNS or c in wanted)
        checks = [(columns.index(c), vals) for c, vals in wanted.items()]
        fy_at = columns.index("fiscal_year")
        month_at = columns.index("month_abbv")
        return sum(
            n
            for key, n in _grouped(path, columns).items()
            if all(key[i] in vals for i, vals in checks)
            and (pairs is None or (key[fy_at], key[month_at]) in pairs)
        )

    def months(self, path: Path) -> list[tuple[int, int]]:
        """The calendar months (year, month) the file has rows for, sorted."""
        return sorted(calendar_month(fy, abbv) for fy, abbv in _fiscal_months(path))

    def coverage(self, path: Path) -> tuple[str, str]:
        """First and last month of the file as ``YYYY-MM``."""
        months = self.months(path)
        return f"{months[0][0]:04d}-{months[0][1]:02d}", f"{months[-1][0]:04d}-{months[-1][1]:02d}"

    def full_fiscal_years(self, path: Path) -> list[int]:
        """Fiscal years with all twelve months in the file."""
        by_fy = Counter(fy for fy, _ in _fiscal_months(path))
        return sorted(fy for fy, n in by_fy.items() if n == 12)

    def partial_fiscal_years(self, path: Path) -> list[int]:
        """Fiscal years the file has only some months of (the year in progress)."""
        by_fy = Counter(fy for fy, _ in _fiscal_months(path))
        return sorted(fy for fy, n in by_fy.items() if n < 12)


@pytest.fixture(scope="session")
def csv_truth() -> CsvTruth:
    return CsvTruth()


# ------------------------------------------------------------------------------------- data files


@pytest.fixture(scope="session")
def cbp_data() -> Path:
    require_cbp_data()
    return CBP_DATA


@pytest.fixture(scope="session")
def state_files(cbp_data: Path) -> list[Path]:
    """The 12 by-state releases in publication order."""
    return [cbp_data / n for n in STATE_FILE_NAMES]


@pytest.fixture(scope="session")
def snapshot_files(cbp_data: Path) -> list[Path]:
    """The files the bundled snapshot is built from: 12 by-state, the sbo file, TidyTuesday cbp_resp."""
    return [cbp_data / n for n in SNAPSHOT_FILE_NAMES]


# ------------------------------------------------------------------------------------- databases


@pytest.fixture(scope="session")
def ingested_desk(tmp_path_factory: pytest.TempPathFactory, snapshot_files: list[Path]) -> Iterator[Desk]:
    """All 12 by-state releases + sbo + cbp_resp ingested (no snapshot) into one DB; read it, don't write."""
    path = tmp_path_factory.mktemp("ingested") / "borderdesk.duckdb"
    desk = borderdesk.open(path, snapshot=False, read_only=False)
    for p in snapshot_files:
        desk.ingest(p)
    yield desk
    desk.close()


@pytest.fixture(scope="session")
def snapshot_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    """A fresh DB created by ``borderdesk.open(path)``, which loads the bundled snapshot."""
    path = tmp_path_factory.mktemp("snapshot") / "borderdesk.duckdb"
    desk = borderdesk.open(path)
    yield desk
    desk.close()


@pytest.fixture(scope="session")
def labels(ingested_desk: Desk) -> dict[str, str]:
    """File name -> release label in ``ingested_desk``."""
    return {r.file: r.label for r in ingested_desk.release_list()}


@pytest.fixture(scope="session")
def snapshot_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed database file created with the bundled snapshot; copy it before writing to it."""
    path = tmp_path_factory.mktemp("snapshot-db") / "borderdesk.duckdb"
    borderdesk.open(path).close()
    return path
