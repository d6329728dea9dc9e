"""What a period resolves to (:class:`PeriodReading`, months with a label and how they were read), the
context it resolves in (the publication date, the period referred to), and the 5th/20th rule for the
latest published month."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from borderdesk.query.periods import Period, date_index, fiscal_year_months, index_date, month_index

OPEN = 10**6  # an open end: up to the latest published month


@dataclass(frozen=True)
class PeriodReading:
    """One way to read a period: its months, a label ('Nov 2022', 'FY2023 (Oct 2022–Sep 2023)') and how
    it was read from the date ('the last November that ended before 2022-12-28')."""

    period: Period
    label: str
    note: str = ""

    @property
    def start(self) -> int:
        return self.period.start

    @property
    def end(self) -> int:
        assert self.period.end is not None
        return self.period.end

    def to_dict(self) -> dict[str, str]:
        return {
            "start": f"{index_date(self.start):%Y-%m}",
            "end": f"{index_date(self.end):%Y-%m}",
            "label": self.label,
        }


class PeriodProblem(Exception):
    """A period the monthly data cannot answer (starts inside a month, not yet published...)."""


def latest_published(date: dt.date) -> list[int]:
    """Month indexes of the latest published month(s) at ``date``, newest first (the 5th/20th rule).

    >>> [f"{index_date(i):%Y-%m}" for i in latest_published(dt.date(2024, 3, 12))]
    ['2024-02', '2024-01']
    """
    current = date_index(date)
    if date.day >= 20:
        return [current - 1]
    if date.day < 5:
        return [current - 2]
    return [current - 1, current - 2]


def month_before(date: dt.date, month: int) -> int:
    """The most recent ``month`` (1-12) that ended before ``date``."""
    i = month_index(date.year, month)
    return i if i < date_index(date) else i - 12


def label(start: int, end: int) -> str:
    if start == end:
        return f"{index_date(start):%b %Y}"
    return f"{index_date(start):%b %Y}–{index_date(end):%b %Y}"


def fy_label(fy: int, start: int, end: int) -> str:
    if (start, end) == fiscal_year_months(fy):
        return f"FY{fy} ({label(start, end)})"
    return f"FY{fy} to date ({label(start, end)})"


@dataclass(frozen=True)
class Context:
    """What resolution needs: the publication date, and the period of the claim this one is compared
    with or refers to (for 'a year earlier', 'the previous month', 'the fiscal year as a whole')."""

    date: dt.date
    reference: PeriodReading | None = None

    @property
    def published(self) -> list[int]:
        return latest_published(self.date)

    @property
    def today(self) -> int:
        return date_index(self.date)


def default_readings(ctx: Context) -> list[PeriodReading]:
    """No period stated: the latest published month(s)."""
    day = ctx.date.day
    rule = (
        "on or after the 20th"
        if day >= 20
        else "before the 5th"
        if day < 5
        else "between the 5th and the 19th"
    )
    note = f"no period is stated, so the latest published month at {ctx.date:%Y-%m-%d} ({rule})"
    return [PeriodReading(Period("month", i, i), label(i, i), note) for i in ctx.published]
