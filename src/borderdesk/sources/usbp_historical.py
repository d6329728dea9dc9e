"""U.S. Border Patrol historical statistics tables (FY1925-FY2019), as parsed from the official USBP PDFs
into CSV by Jacob Kaplan (jacobkap/borderpatrol, ``data/clean/``).

Four tables hold apprehension counts and are ingestible; each is recognised by its exact header:

* ``nationwide_total_apprehensions_1925_2019.csv``: fiscal year, nationwide total;
* ``southwest_border_apprehensions_1960_2019.csv``: fiscal year by Southwest sector, plus the
  "southwest border" total;
* ``other_than_mexico_apprehensions_2000_2019.csv``: fiscal year by sector: total, Mexican and
  other-than-Mexican;
* ``family_child_total_monthly_2000_2019.csv``: month by sector (a ``yearly total`` pseudo-month is the
  fiscal year): total, unaccompanied children, family members (NA before those series began).

Sector cells mix sectors (lower case) with aggregates: "southwest border", "northern border",
"coastal border" (CBP's "Other" region) and "nationwide total". The tables are exact (not rounded).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from borderdesk.errors import ReleaseFormatError
from borderdesk.sources.history import (
    Ended,
    HistoryData,
    HistoryFamily,
    HistoryFormat,
    HistoryRows,
    sector_name,
    whole_count,
)
from borderdesk.values import MONTH_NAMES, index_in_fiscal_year

if TYPE_CHECKING:
    from borderdesk.sources.reader import RawFile

CAVEATS = (
    "Border Patrol only: U.S. Border Patrol apprehensions between ports of entry, from the USBP "
    "historical statistics (FY1925-FY2019); no Office of Field Operations inadmissibles at ports of entry.",
)
AGGREGATES: dict[str, dict[str, str]] = {
    "nationwide total": {},
    "southwest border": {"region": "southwest"},
    "northern border": {"region": "northern"},
    "coastal border": {"region": "other"},
}


@dataclass(frozen=True)
class TableSpec:
    slug: str
    # the columns that say where and when a row counts (sector, fiscal year, month)
    keys: tuple[str, ...]
    # count column -> the dimension values its counts have (total, Mexican, UAC...); they follow the keys
    measures: dict[str, dict[str, str]]
    monthly: bool = False

    @property
    def header(self) -> tuple[str, ...]:
        """The exact header that recognises the table: its keys, then its count columns."""
        return (*self.keys, *self.measures)

    @property
    def format(self) -> HistoryFormat:
        return HistoryFormat(
            name=f"usbp-historical-{self.slug}",
            family="usbp-historical",
            title=f"USBP historical statistics: {self.slug.replace('-', ' ')}",
            rounded=False,
            caveats=CAVEATS,
            label=f"usbp-historical-{self.slug}",
        )


TABLES = (
    TableSpec("nationwide", ("fiscal_year",), {"total_apprehensions": {}}),
    TableSpec("southwest-sectors", ("sector", "fiscal_year"), {"total_apprehensions": {}}),
    TableSpec(
        "other-than-mexico",
        ("sector", "fiscal_year"),
        {
            "total_apprehensions": {},
            "mexican_apprehensions": {"citizenship": "MEXICO"},
            "other_than_mexican_apprehensions": {"citizenship": "OTHER THAN MEXICO"},
        },
    ),
    TableSpec(
        "monthly-sectors",
        ("sector", "fiscal_year", "month"),
        {
            "total_apprehensions": {},
            "unaccompanied_child_apprehension": {"demographic": "uac"},
            "family_apprehensions": {"demographic": "family-units"},
        },
        monthly=True,
    ),
)


def _header(raw: RawFile) -> tuple[str, ...]:
    """The first line's fields, lower-cased; () for anything that is not plain text (the CSV reader
    then reports what the file really is)."""
    end = raw.data.find(b"\n")
    head = raw.data[: end if end >= 0 else min(len(raw.data), 4096)]
    try:
        first = head.decode("ascii").rstrip("\r")
        if "\r" in first or "\x00" in first:
            return ()
        return tuple(h.strip().lower() for h in next(csv.reader([first]), []))
    except (UnicodeDecodeError, csv.Error):
        return ()


def detect(raw: RawFile) -> Callable[[RawFile], HistoryData] | None:
    if raw.data[:4] == b"PK\x03\x04":
        return None
    header = _header(raw)
    for spec in TABLES:
        if header == spec.header:
            return lambda r, spec=spec: load(r, spec)  # type: ignore[misc]
    return None


def load(raw: RawFile, spec: TableSpec) -> HistoryData:
    try:
        text = raw.data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ReleaseFormatError(raw.name, "not UTF-8 text", expected="a UTF-8 CSV") from e
    reader = csv.reader(io.StringIO(text))
    next(reader)
    rows = HistoryRows()
    ended = Ended.on_ingest_day(raw.name)
    seen: dict[tuple[object, ...], int] = {}
    months_in_year: dict[tuple[str, int], set[int]] = {}
    yearly: list[tuple[int, int, str, int, dict[str, str | None]]] = []
    for line, r in enumerate(reader, start=2):
        if not r or not any(c.strip() for c in r):
            continue
        if len(r) != len(spec.header):
            raise ReleaseFormatError(
                raw.name,
                f"{len(r)} fields where the header has {len(spec.header)}",
                line=line,
                value=",".join(r),
                expected=f"{len(spec.header)} fields",
            )
        cell = dict(zip(spec.header, r, strict=True))
        fy = whole_count(raw.name, cell["fiscal_year"], line=line, column="fiscal_year")
        if not 1900 <= fy <= 2100:
            raise ReleaseFormatError(
                raw.name,
                "bad fiscal year",
                line=line,
                column="fiscal_year",
                value=cell["fiscal_year"],
                expected="a year like 2019",
            )
        if not spec.monthly:  # a table of whole fiscal years: the year must be over
            ended.year(fy, whole=True, line=line, column="fiscal_year", value=cell["fiscal_year"])
        where: dict[str, str] = {}
        sector = " ".join(cell.get("sector", "nationwide total").split()).lower()
        if sector in AGGREGATES:
            where = dict(AGGREGATES[sector])
        elif sector:
            where = {"aor": sector_name(sector)}
        else:
            raise ReleaseFormatError(
                raw.name,
                "empty sector",
                line=line,
                column="sector",
                value="",
                expected="a sector or an aggregate such as 'southwest border'",
            )
        month: int | None = None
        if spec.monthly:
            name = cell["month"].strip().lower()
            if name == "yearly total":  # of the months published: partial for a year in progress
                month = None
                ended.year(fy, whole=False, line=line, column="fiscal_year", value=cell["fiscal_year"])
            elif name.capitalize() in MONTH_NAMES:  # the full names only, as the tables write them
                month = index_in_fiscal_year(fy, MONTH_NAMES.index(name.capitalize()) + 1)
                ended.month(month, fy, line=line, column="month", value=cell["month"])
                months_in_year.setdefault((sector, fy), set()).add(month)
            else:
                raise ReleaseFormatError(
                    raw.name,
                    "unknown month",
                    line=line,
                    column="month",
                    value=cell["month"],
                    expected="october ... september or 'yearly total'",
                )
        for column, dims in spec.measures.items():
            value = cell[column].strip()
            if value.upper() in ("NA", ""):  # not published (a sector closed, a series not begun)
                continue
            count = whole_count(raw.name, value, line=line, column=column)
            values: dict[str, str | None] = {**where, **dims}
            key = (month, fy, column, tuple(sorted(values.items())))
            if key in seen:
                raise ReleaseFormatError(
                    raw.name,
                    f"duplicate row: same sector, year and month as line {seen[key]}",
                    line=line,
                    expected="each sector, year and month once",
                )
            seen[key] = line
            if spec.monthly and month is None:
                yearly.append((line, fy, sector, count, values))
            elif spec.monthly:
                rows.add(spec.slug, line, "month", fy, month, count, values)
            else:
                rows.add(spec.slug, line, "fiscal_year", fy, None, count, values, months=12)
    for line, fy, sector, count, values in yearly:
        rows.add(
            spec.slug,
            line,
            "fiscal_year",
            fy,
            None,
            count,
            values,
            months=len(months_in_year.get((sector, fy), ())),
        )
    return HistoryData(spec.format, rows)


FAMILY = HistoryFamily(
    name="usbp-historical",
    title="USBP historical statistics",
    formats=tuple(t.format for t in TABLES),
    detector=detect,
)
