"""Candidate claim + publication date -> readings: the questions the engine can answer.

Where the text leaves a dimension open, there are several readings and the claim is supported if any
one matches: no region -> nationwide and Southwest; 'apprehensions' with no agency -> all of CBP and
U.S. Border Patrol; 'in 2023' -> calendar and fiscal year; no period between the 5th and the 19th ->
the two latest months. A stated region or agency is strict; the readings that swap it (the commonest
press errors) become ``alternatives``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from borderdesk import metadata
from borderdesk.claims import periods, vocab
from borderdesk.claims.model import Candidate, PeriodPick
from borderdesk.claims.periods import Context, PeriodProblem, PeriodReading, PeriodSpec
from borderdesk.errors import BorderdeskError
from borderdesk.query import Answer, Catalog, Question
from borderdesk.query.periods import Period, fiscal_year_months, fiscal_year_of, month_index

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
}


class Asker(Protocol):
    """What the checker needs from a :class:`~borderdesk.desk.Desk`."""

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


@dataclass(frozen=True)
class Plan:
    readings: tuple[Reading, ...] = ()
    alternatives: tuple[tuple[dict[str, Any], Reading], ...] = ()
    notes: tuple[str, ...] = ()
    unverifiable: str | None = None
    who: Who = field(default_factory=lambda: Who())
    stated: frozenset[str] = field(default_factory=frozenset)  # dimensions the text fixed (strict)
    sketch: dict[str, Any] | None = None  # the question as understood, when no reading can be asked


@dataclass(frozen=True)
class Who:
    """What a claim counts besides where, which agency and when: nationalities, demographic, Title 8/42
    and a sector or field office."""

    nations: tuple[str, ...] = ()
    demographic: str | None = None
    title: str | None = None
    aor: str | None = None
    state: str | None = None


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
    placed = who.aor or who.state  # a sector or a state says where: one reading
    regions = list(c.values("region")[:1]) or (["nationwide"] if placed else ["nationwide", "southwest"])
    components = _components(c, measure, notes, who.aor)
    if "region" not in c.cues and not placed:
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
        UNVERIFIABLE.get(measure)
        or (_pooled_reason(pooled) if pooled and not components else None)
        or problem
    )
    if why:
        return Plan(notes=tuple(notes), unverifiable=why, stated=stated, sketch=sketch)
    readings: list[Reading] = []
    errors: list[str] = []
    for current, base in period_pairs:
        for component in components:
            for region in regions:
                try:
                    readings.append(_reading(asker, c, who, region, component, current, base))
                except BorderdeskError as e:
                    errors.append(str(e))
    if not readings:
        why = _pooled_reason(pooled) if pooled else errors[0] if errors else "no reading could be formed"
        return Plan(notes=tuple(notes), unverifiable=why, stated=stated, sketch=sketch)
    alts = _alternatives(asker, c, readings[0], who)
    return Plan(tuple(readings), tuple(alts), tuple(notes), None, who, stated, None)


def _pooled_reason(pooled: list[str]) -> str:
    names = ", ".join(n.title() for n in pooled)
    return (
        f"{names} is not one of the 21 countries CBP's releases name: its encounters are pooled into OTHER, "
        "and comparing with OTHER would be wrong. The OHSS workbook lists more countries but counts Border "
        "Patrol only, and the text names no Border Patrol reading"
    )


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


def _resolve_pick(pick: PeriodPick, ctx: Context) -> list[PeriodReading]:
    if pick.cue.spec.kind == "partial":
        raise PeriodProblem(pick.cue.spec.note)
    return periods.resolve(pick.cue.spec, ctx)


def _periods(c: Candidate, date: dt.date) -> list[tuple[PeriodReading, PeriodReading | None]]:
    ctx = Context(date)
    if c.kind == "comparison":
        currents = _resolve_pick(c.current, ctx) if c.current else periods.default_readings(ctx)
        pairs: list[tuple[PeriodReading, PeriodReading | None]] = []
        for cur in currents:
            if c.base is not None:
                bases = _resolve_pick(c.base, Context(date, cur))
            else:
                kind = "previous_month" if cur.period.kind == "month" else "year_earlier"
                bases = periods.resolve(PeriodSpec(kind), Context(date, cur))
            pairs += [(cur, b) for b in bases]
        return pairs
    if c.period is None:
        return [(r, None) for r in periods.default_readings(ctx)]
    if c.reference is not None:
        ref = _resolve_pick(c.reference, ctx)[0]
        ctx = Context(date, ref)
    return [(r, None) for r in _resolve_pick(c.period, ctx)]


def _question(
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


def _reading(
    asker: Asker,
    c: Candidate,
    who: Who,
    region: str,
    component: str | None,
    current: PeriodReading,
    base: PeriodReading | None,
) -> Reading:
    q = _question(asker, who, who.nations, region, component, current.period)
    parts: tuple[tuple[str, Question], ...] = ()
    if c.each and len(who.nations) > 1:
        parts = tuple(
            (n, _question(asker, who, (n,), region, component, current.period)) for n in who.nations
        )
    return Reading(q, region, component, current, parts, base)


def _alternatives(
    asker: Asker, c: Candidate, first: Reading, who: Who
) -> list[tuple[dict[str, Any], Reading]]:
    """The readings that change one stated dimension: region, agency, period (calendar vs fiscal)."""
    out: list[tuple[dict[str, Any], Reading]] = []
    variants: list[tuple[dict[str, Any], str, str | None, PeriodReading]] = []
    if "region" in c.cues:
        other = "southwest" if first.region == "nationwide" else "nationwide"
        variants.append(({"region": other}, other, first.component, first.period))
    if c.values("agency") and first.component is not None:
        variants.append(({"component": None}, first.region, None, first.period))
    for p in _period_variants(c, first.period):
        variants.append(({"period": p.to_dict()}, first.region, first.component, p))
    for diff, region, component, period in variants:
        try:
            reading = _reading(asker, c, who, region, component, period, first.base)
        except BorderdeskError:
            continue
        out.append((diff, reading))
    return out


def _period_variants(c: Candidate, p: PeriodReading) -> list[PeriodReading]:
    """Calendar vs fiscal year: a stated fiscal year read as the calendar year and the reverse; a
    'since' period read from the start of its fiscal year."""
    if c.kind != "count" or c.period is None or p.period.end is None:
        return []
    kind = c.period.cue.spec.kind
    start, end = p.period.start, p.period.end
    if kind in ("since", "event", "since_fiscal_year"):
        fy_start = fiscal_year_months(fiscal_year_of(start))[0]
        if fy_start != start:
            return [
                PeriodReading(
                    Period("range", fy_start, end),
                    periods.label(fy_start, end),
                    f"from the start of FY{fiscal_year_of(start)}",
                )
            ]
    if kind == "fiscal_year" and p.period.kind == "fiscal_year":
        year = fiscal_year_of(start)
        s, e = month_index(year, 1), month_index(year, 12)
        return [PeriodReading(Period("calendar_year", s, e), f"calendar {year}")]
    if kind == "calendar_year" and p.period.kind == "calendar_year":
        year = start // 12
        s, e = fiscal_year_months(year)
        return [PeriodReading(Period("fiscal_year", s, e), periods.fy_label(year, s, e))]
    return []


def one_release(asker: Asker, reading: Reading) -> tuple[Answer, Answer]:
    """Both sides of a comparison from the newest single release that covers both."""
    assert reading.base is not None
    cur, base = reading.period.period, reading.base.period
    assert cur.end is not None and base.end is not None
    span = Period("range", min(cur.start, base.start), max(cur.end, base.end))
    pinned = asker.ask(replace(reading.question, period=span, one_release=True)).release.sha256
    now = asker.ask(replace(reading.question, period=cur, as_of=pinned))
    then = asker.ask(replace(reading.question, period=base, as_of=pinned))
    return now, then
