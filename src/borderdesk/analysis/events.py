"""The dated policy and world events that charts and briefs are annotated with.

The table is curated data, ``metadata/data/events.csv`` (date, end_date, title, category, description,
source_url), each row with the page it was checked against. An event with an ``end_date`` is a span
(Title 42, 20 March 2020 - 11 May 2023); a period includes an event when they overlap.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources

from borderdesk.analysis.result import Table
from borderdesk.query.periods import Period, date_index, month_text

COLUMNS = ("date", "end_date", "title", "category", "description", "source_url")
CATEGORIES = ("policy", "program", "world")


@dataclass(frozen=True)
class Event:
    date: dt.date
    end_date: dt.date | None
    title: str
    category: str
    description: str
    source_url: str

    @property
    def first_month(self) -> int:
        return date_index(self.date)

    @property
    def last_month(self) -> int:
        return date_index(self.end_date or self.date)

    def row(self) -> tuple[str, str | None, str, str, str, str]:
        end = self.end_date.isoformat() if self.end_date else None
        return (self.date.isoformat(), end, self.title, self.category, self.description, self.source_url)


@cache
def all_events() -> tuple[Event, ...]:
    """Every curated event, oldest first."""
    text = resources.files("borderdesk.metadata").joinpath("data", "events.csv").read_text(encoding="utf-8")
    out = []
    for r in csv.DictReader(text.splitlines()):
        out.append(
            Event(
                date=dt.date.fromisoformat(r["date"]),
                end_date=dt.date.fromisoformat(r["end_date"]) if r["end_date"] else None,
                title=r["title"],
                category=r["category"],
                description=r["description"],
                source_url=r["source_url"],
            )
        )
    return tuple(sorted(out, key=lambda e: (e.date, e.title)))


def events_in(period: Period | None) -> tuple[Event, ...]:
    """Events overlapping ``period`` (all of them for None; an open end runs to the newest event)."""
    if period is None:
        return all_events()
    end = period.end if period.end is not None else 10**9
    return tuple(e for e in all_events() if e.first_month <= end and e.last_month >= period.start)


def events_table(period: Period | None) -> Table:
    rows = tuple(e.row() for e in events_in(period))
    question: dict[str, object] = {"period": period.text if period else None}
    if period is not None and period.end is not None:
        question["months"] = {"start": month_text(period.start), "end": month_text(period.end)}
    return Table("events", COLUMNS, rows, (), question, "curated: metadata/data/events.csv", ())
