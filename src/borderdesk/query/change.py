"""A count beside the same-length period before it and the same period a year earlier (``--compare``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import duckdb

from borderdesk.errors import CoverageError, PeriodError
from borderdesk.query.catalog import Answer, Catalog
from borderdesk.query.engine import count
from borderdesk.query.periods import Period, month_text
from borderdesk.query.question import Question


def _months(period: Period | None) -> dict[str, str] | None:
    """{"start", "end"} months of a compared period, as every answer's ``question.months``."""
    if period is None:
        return None
    return {"start": month_text(period.start), "end": month_text(period.end or period.start)}


#: What a 12-month comparison says once, instead of the same line twice.
SAME_PERIOD = "for a 12-month period the previous period is the same period a year earlier"


@dataclass(frozen=True)
class Change:
    """A count next to the same-length period before it and the same period a year earlier."""

    current: Answer
    previous: Answer | None
    year_earlier: Answer | None
    notes: tuple[str, ...]

    @staticmethod
    def _pct(now: int, then: int | None) -> float | None:
        if then is None or then == 0:
            return None
        return round((now - then) / then * 100, 2)

    @property
    def year_earlier_is_previous(self) -> bool:
        """For a fiscal or calendar year (any 12 months) the period before it is the year earlier."""
        return (
            self.previous is not None
            and self.year_earlier is not None
            and self.previous.period == self.year_earlier.period
        )

    def to_dict(self) -> dict[str, Any]:
        d = self.current.to_dict()
        for name, other in (("previous", self.previous), ("year_earlier", self.year_earlier)):
            d[name] = (
                None
                if other is None
                else {
                    "value": other.value,
                    "period": other.period.text if other.period else None,
                    "months": _months(other.period),
                    "change": self.current.value - other.value,
                    "percent": self._pct(self.current.value, other.value),
                    "release": other.release.brief(),
                }
            )
        notes = list(self.notes)
        if self.year_earlier_is_previous:
            d["year_earlier"]["same_as_previous"] = True
            notes.append(SAME_PERIOD)
        d["notes"] = notes
        return d


def change(con: duckdb.DuckDBPyConnection, catalog: Catalog, question: Question) -> Change:
    """The count, the previous period of the same length, and the same period a year earlier."""
    current = count(con, catalog, question)
    assert current.period is not None and current.period.end is not None
    p = current.period
    n = p.end - p.start + 1  # type: ignore[operator]
    same_kind = p.kind if p.kind in ("month", "fiscal_year", "calendar_year") else "range"
    shifted = {
        "previous": Period(same_kind if n in (1, 12) else "range", p.start - n, p.start - 1),
        "year_earlier": Period(same_kind, p.start - 12, p.end - 12),  # type: ignore[operator]
    }
    if n == 1:
        shifted["previous"] = Period("month", p.start - 1, p.start - 1)
    out: dict[str, Answer | None] = {}
    notes = []
    for name, period in shifted.items():
        try:
            out[name] = count(con, catalog, replace(question, period=period))
        except (CoverageError, PeriodError) as e:
            out[name] = None
            notes.append(f"{name.replace('_', ' ')} ({period.text}): {e}")
    return Change(current, out["previous"], out["year_earlier"], tuple(notes))
