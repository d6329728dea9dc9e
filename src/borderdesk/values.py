"""Calendar months as values: the one place that knows how months are numbered, named and counted.

CBP publishes by fiscal year (FY2023 runs October 2022 to September 2023), readers ask by calendar
month, and the store keeps dates. Every layer needs the same few conversions, so they live here and
nowhere else: a month is the integer **month index** ``year * 12 + month - 1`` (months since 0000-01;
consecutive months are consecutive integers, so ranges, differences and NumPy arrays of months are
plain integer arithmetic), and :class:`Month` is the same value with names attached.

>>> m = Month.parse("2022-11")
>>> m.fiscal_year, m.fiscal_month, m.name
(2023, 2, 'November')
>>> str(m + 2), (m + 2).fiscal_year
('2023-01', 2023)
>>> Month.from_fiscal(2023, 1)
Month(year=2022, month=10)

The plain functions (:func:`month_index`, :func:`fiscal_year_of`, ...) are the same rules for loops
over many rows, where building an object per row would cost more than the arithmetic. This module is
the bottom of the package: it imports nothing from borderdesk but :mod:`borderdesk.errors`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, overload

from borderdesk.errors import PeriodError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    _Months = npt.NDArray[np.int32]

__all__ = [
    "FISCAL_YEAR_START",
    "MONTH_ABBREVIATIONS",
    "MONTH_INDEX_SQL",
    "MONTH_NAMES",
    "MONTH_WORDS",
    "Month",
    "calendar_year_of",
    "date_index",
    "fiscal_year_months",
    "fiscal_year_of",
    "index_date",
    "index_in_fiscal_year",
    "month_index",
    "month_index_sql",
    "month_number",
    "month_text",
]

#: The calendar month a fiscal year starts in: FY2023 starts in October 2022.
FISCAL_YEAR_START = 10

#: Full English month names, January first.
MONTH_NAMES: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
#: Three-letter abbreviations, January first (CBP files write them upper-case: "OCT").
MONTH_ABBREVIATIONS: tuple[str, ...] = tuple(name[:3] for name in MONTH_NAMES)
#: Every way a month is written in the text we read -> its calendar month (1-12); keys are lower case.
#: Full names, three-letter abbreviations, and "sept", the AP style newspapers use for September.
MONTH_WORDS: Mapping[str, int] = MappingProxyType(
    {
        **{name.lower(): n for n, name in enumerate(MONTH_NAMES, start=1)},
        **{abbv.lower(): n for n, abbv in enumerate(MONTH_ABBREVIATIONS, start=1)},
        "sept": 9,
    }
)


def month_number(word: str) -> int | None:
    """The calendar month a month name or abbreviation names ('Sept.' -> 9), or None.

    >>> month_number("SEPT"), month_number("November"), month_number("Smarch")
    (9, 11, None)
    """
    return MONTH_WORDS.get(word.strip().rstrip(".").lower())


@overload
def month_index(year: int, month: int) -> int: ...
@overload
def month_index(year: _Months, month: _Months) -> _Months: ...
def month_index(year: Any, month: Any) -> Any:
    """The month index of calendar ``month`` (1-12) of ``year``; element-wise on NumPy integer arrays.

    >>> month_index(2022, 11)
    24274
    """
    return year * 12 + month - 1


@overload
def index_in_fiscal_year(fiscal_year: int, calendar_month: int) -> int: ...
@overload
def index_in_fiscal_year(fiscal_year: _Months, calendar_month: _Months) -> _Months: ...
def index_in_fiscal_year(fiscal_year: Any, calendar_month: Any) -> Any:
    """The month index of calendar month ``calendar_month`` within fiscal year ``fiscal_year`` (October to
    December belong to the year before); element-wise on NumPy integer arrays, as files hold both columns.

    >>> index_in_fiscal_year(2023, 11) == month_index(2022, 11)
    True
    """
    return month_index(fiscal_year - (calendar_month >= FISCAL_YEAR_START), calendar_month)


def month_index_sql(column: str) -> str:
    """The SQL expression (DuckDB) for :func:`month_index` of a DATE column: the same rule where a query
    reads months in bulk. ``column`` must be an identifier from code, never user text."""
    return f"year({column}) * 12 + month({column}) - 1"


#: The ``month`` column of the fact tables as a month index.
MONTH_INDEX_SQL = month_index_sql("month")


def calendar_year_of(index: int) -> int:
    """The calendar year a month index falls in."""
    return index // 12


def fiscal_year_of(index: int) -> int:
    """The fiscal year a month index falls in: October 2022 is in FY2023.

    >>> fiscal_year_of(month_index(2022, 10)), fiscal_year_of(month_index(2022, 9))
    (2023, 2022)
    """
    year, month = index // 12, index % 12 + 1
    return year + 1 if month >= FISCAL_YEAR_START else year


def fiscal_year_months(fiscal_year: int) -> tuple[int, int]:
    """First and last month index of a fiscal year: October of the year before to September."""
    first = month_index(fiscal_year - 1, FISCAL_YEAR_START)
    return first, first + 11


def index_date(index: int) -> dt.date:
    """The first day of the month with this index."""
    return dt.date(index // 12, index % 12 + 1, 1)


def date_index(day: dt.date) -> int:
    """The month index of the month ``day`` falls in."""
    return month_index(day.year, day.month)


def month_text(index: int) -> str:
    """'2022-11': how a month index is written in answers, URLs and JSON."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


@dataclass(frozen=True, order=True, slots=True)
class Month:
    """One calendar month. Ordered like time (the same order as :attr:`index`), hashable, and
    ``month + n`` / ``month - n`` move by whole months; ``later - earlier`` counts the months between."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise PeriodError(f"month {self.month} is not 1-12")

    @classmethod
    def from_index(cls, index: int) -> Month:
        """The month with this month index (the inverse of :attr:`index`)."""
        return cls(index // 12, index % 12 + 1)

    @classmethod
    def from_date(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def from_fiscal(cls, fiscal_year: int, fiscal_month: int) -> Month:
        """Month ``fiscal_month`` (1 = October) of ``fiscal_year``: (2023, 2) is November 2022."""
        if not 1 <= fiscal_month <= 12:
            raise PeriodError(f"fiscal month {fiscal_month} is not 1-12")
        return cls.from_index(fiscal_year_months(fiscal_year)[0] + fiscal_month - 1)

    @classmethod
    def parse(cls, text: str) -> Month:
        """'2022-11' (as :func:`str` writes it) -> the month; a wider grammar is
        :func:`borderdesk.query.periods.parse_period`."""
        m = _ISO_MONTH.fullmatch(text.strip())
        if m is None:
            raise PeriodError(f"cannot read month {text!r}; expected a month like 2022-11")
        return cls(int(m.group(1)), int(m.group(2)))

    @property
    def index(self) -> int:
        """Months since 0000-01: ``year * 12 + month - 1``."""
        return month_index(self.year, self.month)

    @property
    def fiscal_year(self) -> int:
        return self.year + 1 if self.month >= FISCAL_YEAR_START else self.year

    @property
    def fiscal_month(self) -> int:
        """1 for October (the first month of a fiscal year) to 12 for September."""
        return (self.month - FISCAL_YEAR_START) % 12 + 1

    @property
    def name(self) -> str:
        return MONTH_NAMES[self.month - 1]

    @property
    def abbreviation(self) -> str:
        return MONTH_ABBREVIATIONS[self.month - 1]

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def __add__(self, months: int) -> Month:
        if not isinstance(months, int):
            return NotImplemented
        return Month.from_index(self.index + months)

    __radd__ = __add__

    @overload
    def __sub__(self, other: int) -> Month: ...
    @overload
    def __sub__(self, other: Month) -> int: ...
    def __sub__(self, other: int | Month) -> Month | int:
        if isinstance(other, Month):
            return self.index - other.index
        if not isinstance(other, int):
            return NotImplemented
        return Month.from_index(self.index - other)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def is_url(text: str) -> bool:
    """Whether ``text`` is a web address (http or https) rather than a file name or ``-``: what
    ``borderdesk check`` fetches. Here, at the bottom, so that asking costs no httpx import."""
    return text.strip().lower().startswith(("http://", "https://"))
