"""A reading answered: from the newest release (or a pinned one), with the claim's band applied, and read
again from the release already published on the text's date (amendment 5). Values travel as numbers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from fractions import Fraction

from borderdesk.claims import tolerance
from borderdesk.claims.model import Candidate
from borderdesk.claims.resolve import Asker, Plan, Reading, one_release
from borderdesk.errors import BorderdeskError
from borderdesk.query import Answer, Question
from borderdesk.store.releases import Release, newest
from borderdesk.values import Month


@dataclass(frozen=True)
class Part:
    """One nationality of an 'each' claim: its value and whether it passes the floor (or ceiling)."""

    nation: str
    value: int
    ok: bool


@dataclass(frozen=True)
class Vintage:
    """A reading answered from one vintage: its value (a count, or a change in points or a ratio)."""

    value: int | float
    exact: Fraction
    ok: bool
    answer: Answer
    parts: tuple[Part, ...] = ()
    sides: tuple[Answer, Answer] | None = None  # comparisons: (later side, earlier side)
    widen: Fraction = Fraction(0)  # comparisons: the revision allowance applied

    @property
    def release(self) -> Release:
        return self.answer.release


@dataclass(frozen=True)
class Outcome:
    """One reading, answered today and, where a release was already out on the date, as published."""

    reading: Reading
    now: Vintage
    then: Vintage | None = None

    @property
    def ok(self) -> bool:
        return self.now.ok or (self.then is not None and self.then.ok)

    @property
    def value(self) -> int | float:
        return self.now.value


def questions_of(c: Candidate, plan: Plan | list[Reading]) -> Iterator[Question]:
    """The questions a count claim's readings will ask today (for one batched round trip)."""
    if c.kind != "count":
        return
    for r in plan.readings if isinstance(plan, Plan) else plan:
        yield r.question
        yield from (q for _, q in r.parts)


def prefetch(asker: Asker, questions: Iterable[Question]) -> None:
    """Batch the questions if the asker can (the checker's per-check cache can)."""
    batch = getattr(asker, "prefetch", None)
    if batch is not None:
        batch(questions)


def evaluate(c: Candidate, r: Reading, asker: Asker, date: dt.date, as_of: str | None = None) -> Outcome:
    return Outcome(r, vintage(c, r, asker, date, as_of))


def vintage(c: Candidate, r: Reading, asker: Asker, date: dt.date, as_of: str | None = None) -> Vintage:
    """The reading answered from the newest release (or ``as_of``), with the claim's band applied."""
    x = Fraction(c.figure.value)
    if c.kind == "comparison" and c.difference:
        now, then = one_release(asker, r, as_of)
        computed = Fraction(now.value - then.value)
        direction = "up" if computed > 0 else "down" if computed < 0 else "flat"
        b = tolerance.band(c.qualifier, x, c.figure.unit, Fraction(max(now.value, then.value), 100))
        fits = b.contains(abs(computed)) and direction == c.direction
        return Vintage(int(computed), computed, fits, now, sides=(now, then))
    if c.kind == "comparison":
        now, then = one_release(asker, r, as_of)
        if then.value == 0:
            raise BorderdeskError(f"the earlier side ({r.base.label if r.base else '?'}) is zero")
        ratio = Fraction(now.value, then.value)
        computed = ratio if c.figure.multiple else (ratio - 1) * 100
        direction = "up" if now.value > then.value else "down" if now.value < then.value else "flat"
        size = computed if c.figure.multiple else abs(computed)
        widen = Fraction(0)
        if published_on(now.release) > date:  # revisions move both sides (amendment 5)
            widen = tolerance.revision_allowance(computed, multiple=c.figure.multiple)
        fits = tolerance.comparison_band(c.qualifier, x, multiple=c.figure.multiple, widen=widen).contains(
            size
        )
        value = round(float(computed), 3 if c.figure.multiple else 2)
        return Vintage(
            value, computed, fits and direction == c.direction, now, sides=(now, then), widen=widen
        )
    q = r.question if as_of is None else replace(r.question, as_of=as_of)
    answer = asker.ask(q)
    if r.parts:
        b = tolerance.band(c.qualifier, x, c.figure.unit, each=True)
        parts = []
        for n, pq in r.parts:
            v = asker.ask(pq if as_of is None else replace(pq, as_of=as_of)).value
            parts.append(Part(n, v, b.contains(v)))
        deciding = max if c.qualifier == "less_than" else min
        value = deciding(p.value for p in parts)
        return Vintage(value, Fraction(value), all(p.ok for p in parts), answer, tuple(parts))
    b = tolerance.band(c.qualifier, x, c.figure.unit)
    return Vintage(answer.value, Fraction(answer.value), b.contains(answer.value), answer)


def published_on(release: Release) -> dt.date:
    """A release's publication date as recorded; where none is recorded (or only a month), the 20th of
    the month after its coverage ends (claim-check.md: when CBP has always published by)."""
    text = release.published or ""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    end = release.coverage_end
    if len(text) == 7:  # 'YYYY-MM': the end of that month at the latest
        return (Month.parse(text) + 1).first_day - dt.timedelta(days=1)
    return (Month.from_date(end) + 1).first_day.replace(day=20)


def published_release(asker: Asker, answer: Answer, r: Reading, date: dt.date) -> Release | None:
    """The newest release of the answer's family already published on ``date`` that covers the reading's
    months (both sides, for a comparison)."""
    period = r.period.period
    months = set(period.months())
    if r.base is not None:
        months |= set(r.base.period.months())
    catalog = asker.catalog
    fits = [
        rel
        for rel in catalog.releases
        if rel.family == answer.family
        and published_on(rel) <= date
        and months <= set(catalog.months.get(rel.release_id, ()))
    ]
    return newest(fits)


def _with_published(c: Candidate, o: Outcome, asker: Asker, date: dt.date) -> Outcome:
    """The outcome with its reading also answered from the release published by the date."""
    if o.then is not None:
        return o
    rel = published_release(asker, o.now.answer, o.reading, date)
    if rel is None:
        return o
    if rel.release_id == o.now.release.release_id:
        return replace(o, then=o.now)
    try:
        return replace(o, then=vintage(c, o.reading, asker, date, as_of=rel.sha256))
    except BorderdeskError:
        return o
