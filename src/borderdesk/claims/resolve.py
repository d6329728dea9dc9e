"""Candidate claim + publication date -> readings: the questions the engine can answer.

Where the text leaves a dimension open, there are several readings and the claim is supported if any
one matches: no region -> nationwide and Southwest; 'apprehensions' with no agency -> all of CBP and
U.S. Border Patrol; 'in 2023' -> calendar and fiscal year; no period between the 5th and the 19th ->
the two latest months. A stated region or agency is strict. A state named as the place is read within
the stated region, else within the state's own border region; a sector or field office names its agency.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from borderdesk import metadata
from borderdesk.claims import periods, vocab
from borderdesk.claims.model import Candidate
from borderdesk.claims.periods import Context, PeriodProblem, PeriodReading, PeriodSpec
from borderdesk.claims.pieces import ANCHOR, OWN, PAIR, SENTENCE
from borderdesk.errors import BorderdeskError
from borderdesk.query import Answer, Catalog, Question
from borderdesk.query.periods import Period

REGION_LABELS = {
    "southwest": "the Southwest land border",
    "northern": "the northern land border",
    "nationwide": "nationwide",
}
AGENCY_LABELS = {
    None: "all of CBP",
    "usbp": "U.S. Border Patrol",
    "ofo": "the Office of Field Operations (ports of entry)",
}
UNVERIFIABLE = {
    "gotaways": "'gotaways' (people seen crossing who evaded capture) are not encounters, and no release "
    "counts them",
    "watchlist": "terrorist watchlist hits are not in the encounter releases",
    "unique": "the releases count encounters, not unique people (one person can be encountered several "
    "times)",
    "daily": "a daily average is not in the releases, which count encounters per month",
    "repeat": "the releases count encounters, not people, so they cannot tell repeat crossers apart",
}


class Asker(Protocol):
    """What the checker needs to ask: the narrowest part of a :class:`~borderdesk.query.reader.Reader`."""

    @property
    def catalog(self) -> Catalog: ...

    def question(
        self, *, period: Any = None, as_of: str | None = None, today: dt.date | None = None, **filters: Any
    ) -> Question: ...

    def ask(self, question: Question) -> Answer: ...


@dataclass(frozen=True)
class Reading:
    """One way to read a claim: its question (one per nationality, with 'each'), and what it assumed."""

    question: Question
    region: str
    component: str | None
    period: PeriodReading
    parts: tuple[tuple[str, Question], ...] = ()
    base: PeriodReading | None = None  # comparisons: the earlier side

    def describe(self) -> str:
        return f"{AGENCY_LABELS[self.component]}, {REGION_LABELS[self.region]}, {self.period.label}"

    def with_period(self, period: PeriodReading) -> Reading:
        parts = tuple((n, replace(q, period=period.period)) for n, q in self.parts)
        return replace(
            self, question=replace(self.question, period=period.period), period=period, parts=parts
        )


@dataclass(frozen=True)
class Who:
    """What a claim counts besides where, which agency and when: nationalities, demographic, Title 8/42
    and a sector, field office or state."""

    nations: tuple[str, ...] = ()
    demographic: str | None = None
    title: str | None = None
    aor: str | None = None
    state: str | None = None


@dataclass(frozen=True)
class Plan:
    readings: tuple[Reading, ...] = ()
    notes: tuple[str, ...] = ()
    unverifiable: str | None = None
    who: Who = field(default_factory=Who)
    stated: frozenset[str] = field(default_factory=frozenset)  # dimensions the text fixed (strict)
    sketch: dict[str, Any] | None = None  # the question as understood, when no reading can be asked
    measure: str = "encounters"


def plan(c: Candidate, date: dt.date, asker: Asker) -> Plan:
    """All readings of a candidate at publication date ``date``."""
    notes: list[str] = []
    measure = c.values("measure")[0]
    title = (c.values("title") or (None,))[0]
    who = Who(
        c.values("nationality"),
        (c.values("demographic") or (None,))[0],
        title if title is not None or measure != "expulsions" else "42",
        (c.values("aor") or (None,))[0],
        (c.values("state") or (None,))[0],
    )
    stated = frozenset(k for k in ("region", "agency") if k in c.cues) | (
        {"period"} if (c.period or c.current) else frozenset()
    )
    regions = _regions(c, who)
    components = _components(c, measure, notes, who.aor)
    if "region" not in c.cues and not (who.aor or who.state):
        notes.append("no region is stated, so nationwide and the Southwest border are both readings")
    try:
        period_pairs = _periods(c, date)
        problem = None
    except PeriodProblem as e:
        period_pairs, problem = [], str(e)
    sketch = {
        "measure": measure if measure in UNVERIFIABLE else "encounters",
        "citizenship": list(who.nations) or None,
        "region": regions[0],
        "component": components[0],
        "demographic": who.demographic,
        "title": who.title,
        "aor": who.aor,
        "state": who.state,
        "period": period_pairs[0][0].to_dict() if period_pairs else None,
    }
    pooled = [n for n in who.nations if n not in vocab.listed_citizenships()]
    if pooled:  # only a Border Patrol reading can be answered, by the OHSS workbook
        components = [x for x in components if x == "usbp"]
    why = (
        UNVERIFIABLE.get(measure) or (pooled_reason(pooled) if pooled and not components else None) or problem
    )
    if why:
        return Plan(notes=tuple(notes), unverifiable=why, stated=stated, sketch=sketch, measure=measure)
    readings: list[Reading] = []
    errors: list[str] = []
    for current, base in period_pairs:
        for component in components:
            for region in regions:
                try:
                    readings.append(reading(asker, c, who, region, component, current, base))
                except BorderdeskError as e:
                    errors.append(str(e))
    if not readings:
        why = pooled_reason(pooled) if pooled else errors[0] if errors else "no reading could be formed"
        return Plan(notes=tuple(notes), unverifiable=why, stated=stated, sketch=sketch, measure=measure)
    return Plan(tuple(readings), tuple(notes), None, who, stated, None, measure)


def pooled_reason(pooled: list[str]) -> str:
    names = ", ".join(n.title() for n in pooled)
    return (
        f"{names} is not one of the 21 countries CBP's releases name: its encounters are pooled into OTHER, "
        "and comparing with OTHER would be wrong. The OHSS workbook lists more countries but counts Border "
        "Patrol only, and the text names no Border Patrol reading"
    )


def _regions(c: Candidate, who: Who) -> list[str]:
    stated = c.values("region")[:1]
    if stated:
        return list(stated)
    if who.aor:
        return ["nationwide"]  # a sector or field office lies in one region
    if who.state:
        return [metadata.state_regions().get(who.state, "nationwide")]
    return ["nationwide", "southwest"]


def _components(c: Candidate, measure: str, notes: list[str], aor: str | None = None) -> list[str | None]:
    agency = c.values("agency")
    if agency:
        return [None if agency[0] == "all" else agency[0]]
    if aor:  # a sector is Border Patrol's, a field office OFO's
        return [metadata.aor_details()[aor].component]
    if measure == "inadmissibles":
        return ["ofo"]
    if measure == "apprehensions":
        notes.append(
            "apprehensions with no agency named: all of CBP and U.S. Border Patrol are both readings"
        )
        return [None, "usbp"]
    return [None]


def _resolve(spec: PeriodSpec, ctx: Context) -> list[PeriodReading]:
    return periods.resolve(spec, ctx)


def _periods(c: Candidate, date: dt.date) -> list[tuple[PeriodReading, PeriodReading | None]]:
    ctx = Context(date)
    if c.kind == "comparison":
        currents = _resolve(c.current.cue.spec, ctx) if c.current else periods.default_readings(ctx)
        pairs: list[tuple[PeriodReading, PeriodReading | None]] = []
        for cur in currents:
            if c.base is not None:
                bases = _resolve(c.base.cue.spec, Context(date, cur))
            else:
                kind = "previous_month" if cur.period.kind == "month" else "year_earlier"
                bases = _resolve(PeriodSpec(kind), Context(date, cur))
            for b in bases:
                paired = c.current is not None and c.current.source == PAIR
                if paired and _ends_before(cur, b):
                    pairs.append((b, cur))  # 'X this year, compared to Y last year -- a 40% drop'
                else:
                    pairs.append((_after_base(c, cur, b), b))
        return pairs
    reference = None
    if c.reference is not None:
        reference = _resolve(c.reference.cue.spec, ctx)[0]
    if c.default_period == "comparator":
        # 'up from 242,399' with no period: the month (or year) before the main number's
        ref = reference or periods.default_readings(ctx)[0]
        kind = "previous_month" if ref.period.kind == "month" else "year_earlier"
        return [(r, None) for r in _resolve(PeriodSpec(kind), Context(date, ref))]
    if c.period is None:
        return [(r, None) for r in periods.default_readings(ctx)]
    spec = c.period.cue.spec
    if c.ongoing and spec.kind == "month" and spec.year is None and spec.month == date.month:
        raise PeriodProblem(
            f"'{c.period.cue.text}' is the month in progress on {date:%Y-%m-%d} (the text says so far): "
            "no whole "
            "month has been published for it"
        )
    return [(r, None) for r in _resolve(spec, Context(date, reference))]


def _ends_before(a: PeriodReading, b: PeriodReading, *, inclusive: bool = False) -> bool:
    """Does ``a`` end before ``b`` starts (or, ``inclusive``, by the month ``b`` ends)?"""
    if a.period.end is None or b.period.end is None:
        return False
    return a.period.end <= b.period.end if inclusive else a.period.end < b.period.start


#: where a change's later side was stated: in its own sentence (else carried, or no period at all)
_STATED = frozenset({OWN, SENTENCE, ANCHOR, PAIR})


def _after_base(c: Candidate, cur: PeriodReading, base: PeriodReading) -> PeriodReading:
    """'... persisting into March, with apprehensions dropping 2 percent from February': a change whose
    sentence names only its earlier month is the change into the month after it, when the period carried
    from before (or the default month) does not come after that month (a later side cannot precede its
    earlier one); a carried later month stays ('In April, 9,000. That is down 5% from February')."""
    if c.current is not None and c.current.source in _STATED:
        return cur
    if base.period.kind != "month" or base.start != base.end or not _ends_before(cur, base, inclusive=True):
        return cur
    i = base.end + 1
    return PeriodReading(Period("month", i, i), periods.label(i, i), "the month after the earlier side's")


def question(
    asker: Asker, who: Who, nations: tuple[str, ...], region: str, component: str | None, period: Period
) -> Question:
    return asker.question(
        citizenship=list(nations) or None,
        region=None if region == "nationwide" else region,
        component=component,
        demographic=who.demographic,
        title=who.title,
        aor=who.aor,
        state=who.state,
        period=period,
    )


def reading(
    asker: Asker,
    c: Candidate,
    who: Who,
    region: str,
    component: str | None,
    current: PeriodReading,
    base: PeriodReading | None,
) -> Reading:
    q = question(asker, who, who.nations, region, component, current.period)
    parts: tuple[tuple[str, Question], ...] = ()
    if c.each and len(who.nations) > 1:
        parts = tuple((n, question(asker, who, (n,), region, component, current.period)) for n in who.nations)
    return Reading(q, region, component, current, parts, base)


def one_release(asker: Asker, r: Reading, as_of: str | None = None) -> tuple[Answer, Answer]:
    """Both sides of a comparison from the newest single release that covers both (or from ``as_of``)."""
    assert r.base is not None
    cur, base = r.period.period, r.base.period
    assert cur.end is not None and base.end is not None
    if as_of is None:
        span = Period("range", min(cur.start, base.start), max(cur.end, base.end))
        as_of = asker.ask(replace(r.question, period=span, one_release=True)).release.sha256
    now = asker.ask(replace(r.question, period=cur, as_of=as_of))
    then = asker.ask(replace(r.question, period=base, as_of=as_of))
    return now, then
