"""Which data answers a question: CBP's releases, or the Border Patrol history tables.

``source`` picks it: None (CBP's releases; a Border Patrol question, ``component="usbp"``, that they
cannot answer falls back to the history tables), ``"cbp"`` (CBP's releases only), or a history source
(``"ohss"``, ``"usbp-historical"``, ``"history"``; see :data:`~borderdesk.history.query.SOURCES`).
The desk, the brief and its charts all route through here, so they agree on the rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from borderdesk import query
from borderdesk.errors import BorderdeskError, CoverageError
from borderdesk.history import query as history
from borderdesk.query import frames
from borderdesk.query.catalog import Answer, Catalog
from borderdesk.query.fallback import history_question
from borderdesk.query.frames import Frame
from borderdesk.query.question import Question
from borderdesk.query.reader import Reader

T = TypeVar("T")


def routed(
    catalog: Catalog,
    question: Question,
    source: str | None,
    from_history: Callable[[tuple[str, ...], Question], T],
    from_cbp: Callable[[], T],
) -> T:
    """``from_cbp()``, or ``from_history(families, question)`` when ``source`` names history or the
    fallback rule (:func:`~borderdesk.query.fallback.history_question`) applies."""
    if source is not None and source.strip().lower() != "cbp":
        families = history.family_for(source)
        if families is None:
            names = ", ".join(["cbp", *history.SOURCES])
            raise BorderdeskError(f"unknown source {source!r}; choose from {names}")
        return from_history(families, question)
    try:
        return from_cbp()
    except CoverageError as cbp_error:
        fallback = None if source is not None else history_question(catalog, question)
        if fallback is None:
            raise
        try:
            return from_history(history.FAMILIES, fallback)
        except BorderdeskError:
            raise cbp_error from None


def count(reader: Reader, q: Question, *, source: str | None = None) -> Answer:
    """One number (see :meth:`borderdesk.desk.Desk.count`)."""
    return routed(
        reader.catalog,
        q,
        source,
        lambda fam, hq: history.count(reader.con, reader.catalog, hq, fam),
        lambda: query.count(reader.con, reader.catalog, q),
    )


def table(reader: Reader, q: Question, *, top: int | None = None, source: str | None = None) -> Frame:
    """A breakdown by ``q.by`` with shares, largest first."""
    return routed(
        reader.catalog,
        q,
        source,
        lambda fam, hq: history.table(reader.con, reader.catalog, hq, fam, top=top),
        lambda: frames.table(reader.con, reader.catalog, q, top=top),
    )


def series(reader: Reader, q: Question, *, interval: str = "month", source: str | None = None) -> Frame:
    """Encounters per month (or fiscal/calendar year) over ``q.period``."""
    return routed(
        reader.catalog,
        q,
        source,
        lambda fam, hq: history.series(reader.con, reader.catalog, hq, fam, interval=interval),
        lambda: frames.series(reader.con, reader.catalog, q, interval=interval),
    )
