"""Arguments in a caller's words turned into the values the engine uses: dimensions, open periods.

The desk and the shells pass ``by="citizenship,region"`` or ``period="since 2022-02"``; the engine works
with a tuple of dimension names and a resolved :class:`~borderdesk.query.periods.Period`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from borderdesk.query.catalog import Catalog
from borderdesk.query.periods import Period, parse_period
from borderdesk.values import date_index


def dimensions(by: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"citizenship, encounter-type"`` or ``["citizenship"]`` as ``("citizenship", "encounter_type")``."""
    if by is None:
        return ()
    items = by.split(",") if isinstance(by, str) else list(by)
    return tuple(d.strip().lower().replace("-", "_") for d in items if d.strip())


def period_in(catalog: Catalog, text: str | None, *, today: dt.date | None = None) -> Period | None:
    """``text`` as a period; one left open (``since 2022-02``) ends with the newest release's data."""
    if not text:
        return None
    period = parse_period(text, today=today)
    if period.end is None:
        newest = catalog.newest
        if newest is not None:
            period = period.resolve(date_index(newest.coverage_end))
    return period
