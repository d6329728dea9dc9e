"""For an inaccurate claim, the readings a reporter most often confuses, each answered: the neighbouring
months (or years), nationwide against the Southwest border, all of CBP against Border Patrol against the
ports of entry, the fiscal year against the calendar year, and the figure as first published."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from borderdesk.claims import periods
from borderdesk.claims.evaluate import Outcome, evaluate, prefetch, questions_of, vintage
from borderdesk.claims.model import Candidate
from borderdesk.claims.periods import PeriodReading
from borderdesk.claims.resolve import REGION_LABELS, Asker, Plan, Reading
from borderdesk.errors import BorderdeskError
from borderdesk.query.periods import Period, fiscal_year_months, fiscal_year_of, index_date, month_index
from borderdesk.store.releases import oldest as first_vintage
from borderdesk.values import calendar_year_of

COMPONENT_WORDS = {None: "all of CBP", "usbp": "U.S. Border Patrol", "ofo": "the ports of entry (OFO)"}


MAX_CONFUSIONS = 8  # readings tried for an inaccurate claim: bounds the queries


@dataclass(frozen=True)
class Confusion:
    """A reading the text may have used instead: what changes, its value, and whether it matches."""

    diff: dict[str, Any]
    what: str  # 'October 2022 (the month before)', 'nationwide', 'the figure as first published'
    value: int | float
    matches: bool
    release: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.diff,
            "value": self.value,
            "matches": self.matches,
            "release": self.release,
            "confusion": self.what,
        }


def confusions(c: Candidate, plan: Plan, chosen: Outcome, asker: Asker, date: dt.date) -> list[Confusion]:
    """The commonly confused readings of an inaccurate claim, each answered, matching ones first."""
    r = chosen.reading
    tries: list[tuple[dict[str, Any], str, Reading | None]] = []
    for p, what in _neighbours(c, r.period):
        tries.append(({"period": p.to_dict()}, what, r.with_period(p)))
    if r.region != "nationwide" or "region" in plan.stated:
        other = "nationwide" if r.region != "nationwide" else "southwest"
        tries.append(({"region": other}, REGION_LABELS[other], _swap(asker, r, region=other)))
    for comp in (None, "usbp", "ofo"):
        if comp != r.component and not plan.who.aor:
            tries.append(({"component": comp}, COMPONENT_WORDS[comp], _swap(asker, r, component=comp)))
    tries = tries[:MAX_CONFUSIONS]
    prefetch(asker, questions_of(c, [reading for _, _, reading in tries if reading is not None]))
    out: list[Confusion] = []
    for diff, what, reading in tries:
        if reading is None:
            continue
        try:
            o = evaluate(c, reading, asker, date)
        except BorderdeskError:
            continue
        out.append(Confusion(diff, what, o.value, o.now.ok, o.now.release.label))
    first = _first_published(c, chosen, asker, date)
    if first is not None:
        out.append(first)
    return sorted(out, key=lambda x: not x.matches)


def _swap(asker: Asker, r: Reading, **change: Any) -> Reading | None:
    region = change.get("region", r.region)
    component = change.get("component", r.component)
    try:
        q = asker.question(
            **{
                **_filters(r),
                "region": None if region == "nationwide" else region,
                "component": component,
                "period": r.period.period,
            }
        )
    except BorderdeskError:
        return None
    return Reading(q, region, component, r.period, (), r.base)


def _filters(r: Reading) -> dict[str, Any]:
    q = r.question
    return {
        "citizenship": list(q.values("citizenship")) or None,
        "demographic": (q.values("demographic") or (None,))[0],
        "title": (q.values("title") or (None,))[0],
        "aor": (q.values("aor") or (None,))[0],
        "state": (q.values("state") or (None,))[0],
    }


def _neighbours(c: Candidate, p: PeriodReading) -> list[tuple[PeriodReading, str]]:
    """The periods a reporter confuses with this one: the month before and after; the fiscal year read as
    the calendar year (and the reverse); the year before."""
    start, end = p.start, p.end
    out = []
    if start == end:  # a month
        for d, word in ((-1, "the month before"), (1, "the month after")):
            i = start + d
            out.append(
                (PeriodReading(Period("month", i, i), periods.label(i, i)), f"{index_date(i):%B %Y} ({word})")
            )
        return out
    fy = fiscal_year_of(start)
    if (start, end) == fiscal_year_months(fy):
        s, e = month_index(fy, 1), month_index(fy, 12)
        out.append((PeriodReading(Period("calendar_year", s, e), f"calendar {fy}"), f"calendar year {fy}"))
        s0, e0 = fiscal_year_months(fy - 1)
        out.append(
            (PeriodReading(Period("fiscal_year", s0, e0), periods.fy_label(fy - 1, s0, e0)), f"FY{fy - 1}")
        )
    elif p.period.kind == "calendar_year":
        year = calendar_year_of(start)
        s, e = fiscal_year_months(year)
        out.append(
            (PeriodReading(Period("fiscal_year", s, e), periods.fy_label(year, s, e)), f"fiscal year {year}")
        )
    elif c.period is not None and c.period.cue.spec.kind in ("since", "event"):
        fy_start = fiscal_year_months(fiscal_year_of(start))[0]
        if fy_start != start:
            out.append(
                (
                    PeriodReading(Period("range", fy_start, end), periods.label(fy_start, end)),
                    f"from the start of FY{fiscal_year_of(start)}",
                )
            )
    return out


def _first_published(c: Candidate, chosen: Outcome, asker: Asker, date: dt.date) -> Confusion | None:
    """The figure as first published: the oldest release of the family that holds the reading's months."""
    r = chosen.reading
    months = set(r.period.period.months()) | (set(r.base.period.months()) if r.base else set())
    family = chosen.now.answer.family
    catalog = asker.catalog
    holding = [
        rel
        for rel in catalog.releases
        if rel.family == family and rel.official and months <= set(catalog.months.get(rel.release_id, ()))
    ]
    if not holding:
        return None
    oldest = first_vintage(holding)
    assert oldest is not None
    seen = {chosen.now.release.release_id}
    if chosen.then is not None:
        seen.add(chosen.then.release.release_id)
    if oldest.release_id in seen:
        return None
    try:
        v = vintage(c, r, asker, date, as_of=oldest.sha256)
    except BorderdeskError:
        return None
    return Confusion(
        {"as_of": oldest.label},
        f"the figure as first published (release {oldest.label})",
        v.value,
        v.ok,
        oldest.label,
    )
