"""Border Patrol history: formats whose rows are published tables (margins), not CBP's event-level cube.

The DHS OHSS workbook (:mod:`borderdesk.sources.ohss_usbp`) and the USBP historical tables
(:mod:`borderdesk.sources.usbp_historical`) publish *tables*: totals by region, by citizenship, by
sector, each rounded on its own (OHSS). Each row is kept with its ``cut`` — the dimensions of the table
it came from (``"citizenship,region"``, ``""`` for a grand total) — and its ``grain`` (a month or a
whole fiscal year), so a question is answered from the one table that has exactly its dimensions and
never by adding up rounded cells of another table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from borderdesk.errors import ReleaseFormatError
from borderdesk.values import fiscal_year_months, index_date

if TYPE_CHECKING:
    from borderdesk.sources.reader import RawFile

HISTORY_DIMENSIONS = ("region", "aor", "citizenship", "demographic")
GRAINS = ("month", "fiscal_year")


@dataclass(frozen=True)
class HistoryFormat:
    name: str
    family: str
    title: str
    rounded: bool  # every figure rounded (to the nearest 10 for OHSS)
    caveats: tuple[str, ...]
    label: str = ""  # release labels start with this (default: the family)


@dataclass
class HistoryRows:
    """Rows of one history file, column-wise; ``month`` is a month index (borderdesk.values) or None."""

    sheet: list[str] = field(default_factory=list)
    line: list[int] = field(default_factory=list)
    cut: list[str] = field(default_factory=list)
    grain: list[str] = field(default_factory=list)
    fiscal_year: list[int] = field(default_factory=list)
    month: list[int | None] = field(default_factory=list)
    months: list[int] = field(default_factory=list)
    region: list[str | None] = field(default_factory=list)
    aor: list[str | None] = field(default_factory=list)
    citizenship: list[str | None] = field(default_factory=list)
    demographic: list[str | None] = field(default_factory=list)
    count: list[int] = field(default_factory=list)

    def add(
        self,
        sheet: str,
        line: int,
        grain: str,
        fiscal_year: int,
        month: int | None,
        count: int,
        dims: Mapping[str, str | None],
        months: int = 1,
    ) -> None:
        self.sheet.append(sheet)
        self.line.append(line)
        self.cut.append(",".join(sorted(d for d in HISTORY_DIMENSIONS if dims.get(d) is not None)))
        self.grain.append(grain)
        self.fiscal_year.append(fiscal_year)
        self.month.append(month)
        self.months.append(months)
        for d in HISTORY_DIMENSIONS:
            getattr(self, d).append(dims.get(d))
        self.count.append(count)

    def __len__(self) -> int:
        return len(self.count)


@dataclass(frozen=True)
class HistoryData:
    """A normalized history file: what :func:`borderdesk.store.history.write_history` stores."""

    format: HistoryFormat
    rows: HistoryRows

    @property
    def coverage(self) -> tuple[dt.date, dt.date]:
        """First and last month with data: the monthly rows when there are any (an OHSS "annual" row
        for the year in progress covers only its first months), else whole fiscal years."""
        rows = self.rows
        months = [m for m in rows.month if m is not None]
        if not months:
            years = rows.fiscal_year
            months = [fiscal_year_months(min(years))[0], fiscal_year_months(max(years))[1]]
        return index_date(min(months)), index_date(max(months))


@dataclass(frozen=True)
class LoadedHistory:
    raw: RawFile
    data: HistoryData

    @property
    def format_name(self) -> str:
        return self.data.format.name


# A detector looks at a file's bytes and returns a loader when the file is its format.
Detector = Callable[["RawFile"], Callable[["RawFile"], HistoryData] | None]


def _detectors() -> tuple[Detector, ...]:
    from borderdesk.sources import ohss_usbp, usbp_historical

    return (ohss_usbp.detect, usbp_historical.detect)


def detect(raw: RawFile) -> Callable[[RawFile], HistoryData] | None:
    """The loader for a Border Patrol history file, or None if ``raw`` is not one."""
    for detector in _detectors():
        loader = detector(raw)
        if loader is not None:
            return loader
    return None


def load(raw: RawFile) -> LoadedHistory | None:
    loader = detect(raw)
    return None if loader is None else LoadedHistory(raw, loader(raw))


def whole_count(file: str, value: object, *, line: int, column: str, sheet: str = "") -> int:
    """A count cell as an int (workbooks store 1180 as 1180.0); anything else names where it is."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ReleaseFormatError(
            file,
            f"{sheet + ': ' if sheet else ''}not a count",
            line=line,
            column=column,
            value=repr(value),
            expected="a whole number",
        )
    try:
        number = float(str(value).replace(",", "").strip()) if isinstance(value, str) else float(value)
    except ValueError:
        number = -1.0
    if number < 0 or number != int(number) or number > 1e8:
        raise ReleaseFormatError(
            file,
            f"{sheet + ': ' if sheet else ''}not a count",
            line=line,
            column=column,
            value=str(value),
            expected="a whole number of at least 0",
        )
    return int(number)


def caveats_for(format_name: str) -> tuple[str, ...]:
    """The caveats every answer from a release of this format carries ("Border Patrol only", "rounded")."""
    from borderdesk.sources import ohss_usbp, usbp_historical

    formats = [ohss_usbp.FORMAT, *(t.format for t in usbp_historical.TABLES)]
    return next((f.caveats for f in formats if f.name == format_name), ())


def is_rounded(format_name: str) -> bool:
    from borderdesk.sources import ohss_usbp

    return format_name == ohss_usbp.FORMAT.name
