"""Periods in news text: a composable grammar (:mod:`.grammar`) builds a :class:`PeriodSpec` for each
phrase; :mod:`.resolve` turns it into months as of the publication date."""

from borderdesk.claims.periods.base import (
    Context,
    PeriodProblem,
    PeriodReading,
    default_readings,
    fy_label,
    label,
    latest_published,
)
from borderdesk.claims.periods.grammar import find_periods
from borderdesk.claims.periods.resolve import resolve
from borderdesk.claims.periods.spec import MARKERS, RELATIVE, PeriodCue, PeriodSpec, range_start

__all__ = [
    "MARKERS",
    "RELATIVE",
    "Context",
    "PeriodCue",
    "PeriodProblem",
    "PeriodReading",
    "PeriodSpec",
    "default_readings",
    "find_periods",
    "fy_label",
    "label",
    "latest_published",
    "range_start",
    "resolve",
]
