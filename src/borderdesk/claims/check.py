"""The claim checker end to end: text -> normalize -> extract -> resolve -> verdict -> :class:`Report`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from borderdesk.claims.evaluate import questions_of
from borderdesk.claims.extract import MAX_CLAIMS, extract
from borderdesk.claims.model import Report
from borderdesk.claims.resolve import Asker, plan
from borderdesk.claims.text import normalize
from borderdesk.claims.verdict import judge
from borderdesk.errors import BorderdeskError, CoverageError
from borderdesk.limits import MAX_TEXT, Deadline, check_length
from borderdesk.query import Answer, Catalog, Question
from borderdesk.query.fallback import history_question
from borderdesk.values import Month


class CachedAsker:
    """The same question is asked once per check (a text repeating a claim costs one query)."""

    def __init__(self, asker: Asker) -> None:
        self._asker = asker
        self._answers: dict[Question, Answer | BorderdeskError] = {}

    @property
    def catalog(self) -> Catalog:
        return self._asker.catalog

    def question(self, **kw: Any) -> Question:
        return self._asker.question(**kw)

    def prefetch(self, questions: Iterable[Question]) -> None:
        """Answer in one round trip the questions not asked yet (when the asker can batch); a question
        that fails is left for :meth:`ask`, which tries the history tables."""
        many = getattr(self._asker, "ask_many", None)
        todo = list(dict.fromkeys(q for q in questions if q not in self._answers))
        if many is None or len(todo) < 2:
            return
        for q, answer in zip(todo, many(todo), strict=True):
            if isinstance(answer, Answer):
                self._answers[q] = answer

    def ask(self, question: Question) -> Answer:
        hit = self._answers.get(question)
        if hit is None:
            try:
                hit = self._asker.ask(question)
            except CoverageError as e:
                hit = self._history(question, e)
            except BorderdeskError as e:
                hit = e
            self._answers[question] = hit
        if isinstance(hit, BorderdeskError):
            raise hit
        return hit

    def _history(self, question: Question, error: CoverageError) -> Answer | BorderdeskError:
        """A Border Patrol question CBP's releases cannot answer (a nationality they pool into OTHER,
        months outside the component files) may be answered by the Border Patrol history tables (the
        OHSS workbook: USBP only, rounded to 10); the answer's caveats say so."""
        con = getattr(self._asker, "con", None)
        fallback = history_question(self.catalog, question) if con is not None else None
        if con is None or fallback is None:
            return error
        from borderdesk import history

        try:
            return history.count(con, self.catalog, fallback)
        except BorderdeskError:
            return error


def as_date(value: str | dt.date | None, catalog: Catalog) -> dt.date:
    """The publication date; without one, 'now' is just after the latest complete month in the data
    (the 20th of the month after it, so that month is the latest published one)."""
    if isinstance(value, dt.date):
        return value
    if value:
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise BorderdeskError(f"date {value!r} is not a date; expected YYYY-MM-DD") from None
    newest = catalog.newest
    if newest is None:
        raise CoverageError(
            "the database has no releases: run `borderdesk ingest FILE` or `borderdesk update`"
        )
    end = newest.coverage_end
    return (Month.from_date(end) + 1).first_day.replace(day=20)


def check(
    asker: Asker,
    text: str | bytes,
    date: str | dt.date | None = None,
    *,
    timeout: float | None = None,
) -> Report:
    """Check every encounter claim in ``text`` as of publication ``date`` (YYYY-MM-DD).

    A text over :data:`~borderdesk.limits.MAX_TEXT` characters is refused
    (:class:`~borderdesk.errors.TextTooLongError`); with a ``timeout``, checking stops once that many
    seconds have passed (:class:`~borderdesk.errors.CheckTimeoutError`) rather than running on.

    >>> report = check(desk, seed_text, "2022-12-28")     # doctest: +SKIP
    >>> [(c.number, c.verdict, c.value) for c in report.claims]   # doctest: +SKIP
    [(31600, 'inaccurate', 24724), (5500, 'supported', 5507), (4100, 'supported', 4103)]
    """
    deadline = Deadline(timeout)
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    check_length(text, MAX_TEXT)
    day = as_date(date, asker.catalog)
    cached = CachedAsker(asker)
    source = normalize(text)
    found = extract(source.text, deadline=deadline)
    plans = []
    for c in found.candidates:
        deadline.check()
        plans.append(plan(c, day, cached))
    cached.prefetch(q for c, p in zip(found.candidates, plans, strict=True) for q in questions_of(c, p))
    claims = []
    for c, claim_plan in zip(found.candidates, plans, strict=True):
        deadline.check()
        span = source.original_span(*c.span)
        shown = (span, source.original[span[0] : span[1]])
        result = judge(c, claim_plan, cached, day, shown)
        claims.append(
            replace(
                result,
                sentence=source.original_span(*c.sentence),
                claim_span=source.original_span(*c.claim_span),
                figure_span=source.original_span(c.figure.start, c.figure.end),
            )
        )
    notes = (
        (f"the text has more than {MAX_CLAIMS} claims; only the first {MAX_CLAIMS} were checked",)
        if found.truncated
        else ()
    )
    return Report(day.isoformat(), tuple(claims), notes)
