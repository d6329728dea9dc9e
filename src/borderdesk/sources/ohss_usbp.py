"""DHS Office of Homeland Security Statistics: "CBP Encounters - USBP" workbook (KHSM, .xlsx).

Monthly and fiscal-year Border Patrol encounters FY2000 onward, in 16 sheets: Annual and Monthly ×
{Count, Citizenship (135 countries), Region, Family Status, Sector, Rgn and Citp, Rgn and Fam Status,
Rgn and Sector}. Every figure is rounded to the nearest 10 by OHSS. Headers are ``Fiscal\\nYear``,
``Month`` (``01 October`` = fiscal month 1), the dimension, and ``Quantity``. The workbook is read with
python-calamine (a Rust reader: the whole file in well under a second).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

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
from borderdesk.values import Month

if TYPE_CHECKING:
    from borderdesk.sources.reader import RawFile

FORMAT = HistoryFormat(
    name="ohss-usbp-workbook",
    family="ohss-usbp",
    title="DHS OHSS CBP Encounters - USBP workbook",
    rounded=True,
    caveats=(
        "Border Patrol only: U.S. Border Patrol encounters between ports of entry (Title 8 apprehensions "
        "and Title 42 expulsions); no Office of Field Operations inadmissibles at ports of entry.",
        "Rounded: DHS OHSS rounds every published figure to the nearest 10, so totals can differ from "
        "CBP's by tens.",
    ),
)

# Tables kept, with the dimension each of its columns holds. "Rgn and Sector" repeats "Sector" (a sector
# lies in one region) and is checked against it instead of stored.
TABLES: dict[str, tuple[str, ...]] = {
    "Count": (),
    "Citizenship": ("citizenship",),
    "Region": ("region",),
    "Family Status": ("demographic",),
    "Sector": ("aor",),
    "Rgn and Citp": ("region", "citizenship"),
    "Rgn and Fam Status": ("region", "demographic"),
}
# The workbook publishes every table twice, as a "Monthly" and an "Annual" sheet (read in that order).
SHEETS: dict[str, tuple[str, ...]] = {
    f"{grain} {table}": dims for grain in ("Monthly", "Annual") for table, dims in TABLES.items()
}
HEADERS = {"region": "Region", "citizenship": "Citizenship", "demographic": "Family Status", "aor": "Sector"}
REGIONS = {
    "southwest land border": "southwest",
    "northern land border": "northern",
    "coastal border": "other",
}
FAMILY_STATUS = {
    "single adults": "single-adults",
    "family unit individuals": "family-units",
    "unaccompanied children": "uac",
}
# OHSS spellings of the countries CBP's own files name differently; every other name is upper-cased.
CITIZENSHIP = {"china, people's republic": "CHINA, PEOPLES REPUBLIC OF", "burma": "MYANMAR (BURMA)"}


def _fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _workbook(raw: RawFile) -> Any | None:
    # A workbook is recognised by its sheets, whatever it is called, but one named like a CSV is a
    # mistake we report (the CSV reader says "this is a ZIP archive") rather than guess around.
    if not raw.data.startswith(b"PK\x03\x04") or not raw.name.lower().endswith((".xlsx", ".xlsm")):
        return None
    try:
        names = zipfile.ZipFile(io.BytesIO(raw.data)).namelist()
    except zipfile.BadZipFile:
        return None
    if "xl/workbook.xml" not in names:
        return None
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_filelike(io.BytesIO(raw.data))


def detect(raw: RawFile) -> Callable[[RawFile], HistoryData] | None:
    """This format if the file is an .xlsx workbook with the OHSS sheets and a ``Fiscal Year`` header."""
    wb = _workbook(raw)
    if wb is None or not set(SHEETS) <= set(wb.sheet_names):
        return None
    header = wb.get_sheet_by_name("Monthly Count").to_python(nrows=1)
    if not header or _fold(header[0][0]) != "fiscal year":
        return None
    return load


def load(raw: RawFile) -> HistoryData:
    wb = _workbook(raw)
    if wb is None:
        raise ReleaseFormatError(raw.name, "not an xlsx workbook", expected="the OHSS USBP workbook")
    rows = HistoryRows()
    ended = Ended.on_ingest_day(raw.name)
    months_seen: dict[int, set[int]] = {}
    annual: list[tuple[str, int, int, int, dict[str, str | None]]] = []
    for sheet, dims in SHEETS.items():
        table = wb.get_sheet_by_name(sheet).to_python()
        monthly = sheet.startswith("Monthly")
        expected = [
            "fiscal year",
            *(["month"] if monthly else []),
            *(_fold(HEADERS[d]) for d in dims),
            "quantity",
        ]
        header = [_fold(h) for h in table[0]] if table else []
        if header[: len(expected)] != expected:
            raise ReleaseFormatError(
                raw.name,
                f"sheet {sheet!r} has an unexpected header",
                line=1,
                value=" | ".join(str(h) for h in table[0]) if table else "",
                expected=" | ".join(expected),
            )
        for i, r in enumerate(table[1:], start=2):
            if not any(str(c).strip() for c in r):
                continue
            fy = whole_count(raw.name, r[0], line=i, column="Fiscal Year", sheet=sheet)
            values: dict[str, str | None] = {}
            for j, d in enumerate(dims):
                values[d] = _value(raw.name, sheet, i, d, r[(2 if monthly else 1) + j])
            count = whole_count(raw.name, r[len(expected) - 1], line=i, column="Quantity", sheet=sheet)
            if monthly:
                month = _month(raw.name, sheet, i, fy, r[1])
                ended.month(month, fy, line=i, column="Month", value=str(r[1]), sheet=sheet)
                months_seen.setdefault(fy, set()).add(month)
                rows.add(sheet, i, "month", fy, month, count, values)
            else:  # an annual figure for a year in progress is partial: it needs a month that has ended
                ended.year(fy, whole=False, line=i, column="Fiscal Year", value=str(r[0]), sheet=sheet)
                annual.append((sheet, i, fy, count, values))
    for sheet, i, fy, count, values in annual:
        # a fiscal year still in progress is published as a partial "annual" figure: say how many months
        rows.add(sheet, i, "fiscal_year", fy, None, count, values, months=len(months_seen.get(fy, ())))
    return HistoryData(FORMAT, rows)


def _value(file: str, sheet: str, line: int, dim: str, cell: Any) -> str:
    text = " ".join(str(cell).split())
    key = text.casefold()
    if dim == "region":
        out = REGIONS.get(key)
    elif dim == "demographic":
        out = FAMILY_STATUS.get(key)
    elif dim == "aor":
        out = sector_name(text) if text else None
    else:
        out = CITIZENSHIP.get(key, text.upper()) if text else None
    if out is None:
        raise ReleaseFormatError(
            file,
            f"sheet {sheet!r}: unknown {HEADERS[dim].lower()}",
            line=line,
            column=HEADERS[dim],
            value=text,
            expected={
                "region": "Southwest Land Border, Northern Land Border or Coastal Border",
                "demographic": "Single Adults, Family Unit Individuals or Unaccompanied Children",
            }.get(dim, "a name"),
        )
    return out


def _month(file: str, sheet: str, line: int, fy: int, cell: Any) -> int:
    """'02 November' in fiscal year 2023 -> the month index of November 2022."""
    text = str(cell).strip()
    parts = text.split(maxsplit=1)
    try:
        fiscal_month = int(parts[0])
    except (ValueError, IndexError):
        fiscal_month = 0
    if not 1 <= fiscal_month <= 12:
        raise ReleaseFormatError(
            file,
            f"sheet {sheet!r}: bad month",
            line=line,
            column="Month",
            value=text,
            expected="a fiscal month like '01 October'",
        )
    return Month.from_fiscal(fy, fiscal_month).index


FAMILY = HistoryFamily(
    name=FORMAT.family,
    title="DHS OHSS USBP workbook",
    formats=(FORMAT,),
    detector=detect,
)
