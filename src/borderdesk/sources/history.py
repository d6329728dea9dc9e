"""Border Patrol history: formats whose rows are published tables (margins), not CBP's event-level cube.

The DHS OHSS workbook (:mod:`borderdesk.sources.ohss_usbp`) and the USBP historical tables
(:mod:`borderdesk.sources.usbp_historical`) publish *tables*: totals by region, by citizenship, by
sector, each rounded on its own (OHSS). Each row is kept with its ``cut`` — the dimensions of the table
it came from (``"citizenship,region"``, ``""`` for a grand total) — and its ``grain`` (a month or a
whole fiscal year), so a question is answered from the one table that has exactly its dimensions and
never by adding up rounded cells of another table.

This module holds what the two history families share (the row model, the ``history_facts`` table, the
:class:`HistoryFamily` protocol implementation); each family's module imports it, never the reverse.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from borderdesk.errors import ReleaseFormatError
from borderdesk.sources.family import Reader, TablePlan, Vintage, vintage_recency
from borderdesk.values import fiscal_year_months, fiscal_year_of, index_date, month_text

if TYPE_CHECKING:
    from borderdesk.sources.reader import RawFile

HISTORY_DIMENSIONS = ("region", "aor", "citizenship", "demographic")
GRAINS = ("month", "fiscal_year")
HISTORY_TABLE = "history_facts"

#: The history families' table. It came after schema 2, so it is schema 3's migration; ``IF NOT EXISTS``
#: because borderdesk versions before that created it on first use, and such files have it already.
HISTORY_FACTS_DDL = """
CREATE TABLE IF NOT EXISTS history_facts (
    release_id  SMALLINT NOT NULL,
    sheet       VARCHAR NOT NULL,   -- worksheet or table the row came from
    line        INTEGER NOT NULL,   -- its row number there (1 = header)
    cut         VARCHAR NOT NULL,   -- the dimensions of that table, e.g. 'citizenship,region' ('' = total)
    grain       VARCHAR NOT NULL,   -- 'month' or 'fiscal_year'
    fiscal_year SMALLINT NOT NULL,
    month       DATE,               -- NULL for a fiscal-year row
    months      SMALLINT NOT NULL,  -- months the row covers (a fiscal year in progress: fewer than 12)
    region      SMALLINT,
    aor         SMALLINT,
    citizenship SMALLINT,
    demographic SMALLINT,
    encounters  BIGINT NOT NULL
);
"""
HISTORY_MIGRATIONS: Mapping[int, str] = {2: HISTORY_FACTS_DDL}


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
    """A normalized history file: what the writer (:func:`borderdesk.store.ingest.write_release`) stores."""

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

    @property
    def family(self) -> str:
        return self.data.format.family

    @property
    def official(self) -> bool:
        return True  # published by DHS or read from USBP's own tables; no derivative formats

    @property
    def label_stem(self) -> str:
        return self.data.format.label or self.data.format.family

    @property
    def label_suffix(self) -> str:
        return ""

    @property
    def row_count(self) -> int:
        return len(self.data.rows)

    @property
    def coverage(self) -> tuple[dt.date, dt.date]:
        return self.data.coverage


#: A history module's own check: the function that reads a file of its format into rows, or None.
Detector = Callable[["RawFile"], Callable[["RawFile"], HistoryData] | None]


@dataclass(frozen=True)
class HistoryFamily:
    """A Border Patrol history family (see :class:`~borderdesk.sources.family.SourceFamily`): published
    tables in ``history_facts``, answered by name (``source="ohss"``) or as the Border Patrol fallback."""

    name: str
    title: str
    formats: tuple[HistoryFormat, ...]
    detector: Detector
    table: str = HISTORY_TABLE
    migrations: Mapping[int, str] = field(default_factory=lambda: HISTORY_MIGRATIONS)
    dimensions: frozenset[str] = frozenset(HISTORY_DIMENSIONS)
    grains: tuple[str, ...] = GRAINS
    default: bool = False

    def detect(self, raw: RawFile) -> Reader | None:
        loader = self.detector(raw)
        if loader is None:
            return None
        return lambda r: LoadedHistory(r, loader(r))

    def plan(self, by: Sequence[str], filters: Sequence[str]) -> TablePlan:
        absent = [d for d in (*filters, *by) if d not in self.dimensions]
        refusal = f"the Border Patrol history tables have no {absent[0]}" if absent else None
        return TablePlan(self.name, self.table, HISTORY_DIMENSIONS, self.grains, refusal)

    def caveats(self, format_name: str, cells: int = 1) -> tuple[str, ...]:
        """The format's caveats ("Border Patrol only", "rounded"), and for a sum of rounded figures how
        far off it can be."""
        fmt = next((f for f in self.formats if f.name == format_name), None)
        if fmt is None:
            return ()
        out = list(fmt.caveats)
        if fmt.rounded and cells > 1:
            out.append(
                f"This is a sum of {cells:,} figures each rounded to the nearest 10 "
                f"(off by up to ±{5 * cells:,})."
            )
        return tuple(out)

    def recency(self, release: Vintage) -> tuple[Any, ...]:
        return vintage_recency(release)


@dataclass(frozen=True)
class Ended:
    """What has ended on the day of the ingest, for the history rows of one file: CBP's rule
    (:func:`borderdesk.sources.normalize.last_complete_month`, so tests pin the day the same way).

    A row for a month that has not ended is a typo or a forgery, and would make its file the newest
    release for every month it covers. A fiscal year that has not ended can only be partial: a table
    of whole years cannot have it, and a partial annual figure needs at least one month that has ended.
    """

    file: str
    last: int  # month index of the last complete month

    @classmethod
    def on_ingest_day(cls, file: str) -> Ended:
        # imported here: normalize pulls in numpy and pyarrow, and this module is imported by every
        # command through the family registry (80 ms of each `borderdesk check`), though only an
        # ingest of a history file gets here
        from borderdesk.sources import normalize

        return cls(file, normalize.last_complete_month())

    def month(
        self, month: int, fiscal_year: int, *, line: int, column: str, value: str, sheet: str = ""
    ) -> None:
        """Refuse a monthly row for a month after the last complete one."""
        if month > self.last:
            raise self._error(
                sheet,
                f"{month_text(month)} (fiscal year {fiscal_year}) has not ended yet",
                line,
                column,
                value,
                f"a month up to {month_text(self.last)}, the last complete month",
            )

    def year(
        self, fiscal_year: int, *, whole: bool, line: int, column: str, value: str, sheet: str = ""
    ) -> None:
        """Refuse a fiscal-year row that cannot be: a whole year (``whole``) that has not ended, or a
        partial one none of whose months has ended."""
        first, end = fiscal_year_months(fiscal_year)
        if whole and end > self.last:
            complete = fiscal_year_of(self.last + 1) - 1  # the last fiscal year whose September is over
            raise self._error(
                sheet,
                f"fiscal year {fiscal_year} has not ended yet",
                line,
                column,
                value,
                f"a fiscal year up to {complete}: this table counts whole years",
            )
        if first > self.last:
            raise self._error(
                sheet,
                f"no month of fiscal year {fiscal_year} has ended yet",
                line,
                column,
                value,
                f"a fiscal year up to {fiscal_year_of(self.last)} "
                f"(the last complete month is {month_text(self.last)})",
            )

    def _error(
        self, sheet: str, problem: str, line: int, column: str, value: str, expected: str
    ) -> ReleaseFormatError:
        where = f"sheet {sheet!r}: " if sheet else ""
        return ReleaseFormatError(
            self.file, where + problem, line=line, column=column, value=value, expected=expected
        )


def whole_count(file: str, value: object, *, line: int, column: str, sheet: str = "") -> int:
    """A count cell as an int (workbooks store 1180 as 1180.0); anything else names where it is."""

    def not_a_count(shown: str, expected: str) -> ReleaseFormatError:
        where = f"{sheet}: " if sheet else ""
        return ReleaseFormatError(
            file, f"{where}not a count", line=line, column=column, value=shown, expected=expected
        )

    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise not_a_count(repr(value), "a whole number")  # a date or an error cell: repr says which
    try:
        number = float(str(value).replace(",", "").strip()) if isinstance(value, str) else float(value)
    except ValueError:
        number = -1.0
    if number < 0 or number != int(number) or number > 1e8:
        raise not_a_count(str(value), "a whole number of at least 0")
    return int(number)


def sector_name(text: str) -> str:
    """'Big Bend, TX' or 'big bend' -> 'Big Bend Sector' (the spelling of CBP's AOR files); both history
    families name sectors this way."""
    name = str(text).split(",")[0].strip()
    return " ".join(w if w.isupper() else w.capitalize() for w in name.split()) + " Sector"
