"""Reasons that convince an editor: which reading matched, the words each cue came from, the figure as
published on the text's date, and — for an inaccurate claim — which of the readings a reporter most
often confuses would have matched ('November's 34,249 matches').

The confusions tried, in order: the neighbouring months (or years); nationwide against the Southwest
border; all of CBP against Border Patrol against the ports of entry; the fiscal year against the
calendar year; and the figure as first published (the oldest release that holds the period).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from borderdesk import metadata
from borderdesk.claims import tolerance
from borderdesk.claims.confusions import Confusion
from borderdesk.claims.evaluate import Outcome, Vintage
from borderdesk.claims.model import Candidate
from borderdesk.claims.resolve import AGENCY_LABELS, REGION_LABELS, Plan, Reading

QUALIFIER_WORDS = {
    "exact": "",
    "about": "about ",
    "more_than": "more than ",
    "at_least": "at least ",
    "nearly": "nearly ",
    "less_than": "fewer than ",
}


DEMOGRAPHIC_WORDS = {
    "single-adults": "single adults",
    "family-units": "individuals in family units",
    "uac": "unaccompanied children",
    "accompanied-minors": "accompanied minors",
}


def question_dict(plan: Plan, r: Reading) -> dict[str, Any]:
    q: dict[str, Any] = {
        "measure": "encounters",
        "citizenship": list(plan.who.nations) or None,
        "region": r.region,
        "component": r.component,
        "demographic": plan.who.demographic,
        "title": plan.who.title,
        "aor": plan.who.aor,
        "state": plan.who.state,
        "period": r.period.to_dict(),
    }
    if r.base is not None:
        q["compare_to"] = r.base.to_dict()
    return q


def diff(a: Reading, b: Reading) -> dict[str, Any]:
    d: dict[str, Any] = {}
    if a.region != b.region:
        d["region"] = b.region
    if a.component != b.component:
        d["component"] = b.component
    if a.period != b.period:
        d["period"] = b.period.to_dict()
    if a.base != b.base and b.base is not None:
        d["compare_to"] = b.base.to_dict()
    return d


def as_published(o: Outcome) -> dict[str, Any] | None:
    if o.then is None:
        return None
    rel = o.then.release
    return {
        "release": {k: rel.brief()[k] for k in ("label", "file", "sha256", "published")},
        "value": o.then.value,
        "matches": o.then.ok,
    }


def cue_list(c: Candidate) -> list[dict[str, Any]]:
    """Every cue the claim took, with the words it came from and where they are (for machines)."""
    out = []
    for category, s in c.cues.items():
        if category == "named":
            continue
        out.append(
            {"category": category, "value": list(s.values), "words": list(s.texts), "source": s.source}
        )
    for name, pick in (("period", c.period), ("current", c.current), ("compare_to", c.base)):
        if pick is not None:
            out.append(
                {
                    "category": name,
                    "value": pick.cue.spec.kind,
                    "words": [pick.cue.text],
                    "source": pick.source,
                }
            )
    return out


def nation(value: str) -> str:
    """'CHINA, PEOPLES REPUBLIC OF' -> 'China'; a country pooled into OTHER keeps its own name."""
    label = metadata.value_labels().get("citizenship", {}).get(value, value.title())
    return label.split(",")[0]


def _what(plan: Plan, r: Reading) -> str:
    noun = {"42": "Title 42 expulsions", "8": "Title 8 encounters"}.get(plan.who.title or "", "encounters")
    if plan.who.demographic:
        noun += f" of {DEMOGRAPHIC_WORDS.get(plan.who.demographic, plan.who.demographic)}"
    if plan.who.nations:
        noun += f" of citizens of {_joined([nation(n) for n in plan.who.nations])}"
    where = "nationwide" if r.region == "nationwide" else f"at {REGION_LABELS[r.region]}"
    place = f"the {plan.who.aor}" if plan.who.aor else _state_name(plan.who.state) if plan.who.state else None
    if place:
        where = f"in {place}" if r.region == "nationwide" else f"in {place}, {where}"
    who = {
        None: "CBP",
        "usbp": "U.S. Border Patrol",
        "ofo": "CBP's Office of Field Operations (ports of entry)",
    }
    return f"{who[r.component]} recorded {{value}} {noun} {where} in {r.period.label}"


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _state_name(code: str | None) -> str:
    return metadata.value_labels().get("state", {}).get(code or "", code or "")


def fmt(v: Fraction | int | float) -> str:
    f = float(v)
    return f"{round(f):,}" if abs(f - round(f)) < 1e-9 else f"{f:,.2f}"


def reason(
    c: Candidate,
    plan: Plan,
    chosen: Outcome,
    outcomes: list[Outcome],
    confused: list[Confusion],
    errors: list[str],
    date: dt.date,
) -> str:
    parts: list[str] = []
    stated = f"'{QUALIFIER_WORDS[c.qualifier]}{c.figure.text}'"
    now = chosen.now
    if c.kind == "comparison":
        parts.append(_comparison_reason(c, chosen.reading, now, stated))
    else:
        parts.append(
            _what(plan, chosen.reading).format(value=f"{now.answer.value:,}")
            + f" (release {now.release.label})."
        )
        if now.answer.caveats:
            parts.append(
                "No CBP release answers this reading, so it comes from the Border Patrol history tables: "
                + " ".join(now.answer.caveats)
            )
        parts.append(_count_fit(c, now, stated))
    parts += _published_sentence(c, chosen, date)
    parts += _readings_sentence(chosen, outcomes)
    if not chosen.ok:
        fits = [x for x in confused if x.matches]
        if fits:
            parts.append(f"{_cap(fits[0].what)}: {fmt(fits[0].value)} matches — the text likely used it.")
        others = [x for x in confused if not x.matches][:3]
        if others and not fits:
            parts.append(
                "No commonly confused reading matches either: "
                + "; ".join(f"{x.what} {fmt(x.value)}" for x in others)
                + "."
            )
    parts.append(read_as(c, plan, chosen.reading))
    parts += [n[0].upper() + n[1:] + "." for n in plan.notes if not n.startswith("apprehensions")]
    if errors:
        parts.append("Could not answer: " + "; ".join(errors[:2]) + ".")
    return " ".join(p for p in parts if p)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _published_sentence(c: Candidate, o: Outcome, date: dt.date) -> list[str]:
    then = o.then
    if then is None or then.release.release_id == o.now.release.release_id:
        return []
    was = fmt(then.value)
    if o.now.ok:
        return [f"As published by {date:%Y-%m-%d} (release {then.release.label}) the figure was {was}."]
    if then.ok:
        return [
            f"It matches the figure as first published (release {then.release.label}: {was}); revised to "
            f"{fmt(o.now.value)} since."
        ]
    return [
        f"As published by {date:%Y-%m-%d} (release {then.release.label}) it was {was}, "
        "which does not match either."
    ]


def _readings_sentence(chosen: Outcome, outcomes: list[Outcome]) -> list[str]:
    if len(outcomes) < 2:
        return []
    others = [o for o in outcomes if o is not chosen]
    if not chosen.ok:
        return [
            "No reading matches: "
            + "; ".join(f"{o.reading.describe()} = {fmt(o.value)}" for o in outcomes)
            + "."
        ]
    matched = [o for o in outcomes if o.ok]
    if len(matched) == len(outcomes):
        return [
            "Every reading matches: "
            + "; ".join(f"{o.reading.describe()} = {fmt(o.value)}" for o in outcomes)
            + "."
        ]
    head = "The reading that matched: " if len(matched) == 1 else "Readings that match: "
    return [
        head
        + "; ".join(o.reading.describe() for o in matched)
        + ". Other readings: "
        + "; ".join(f"{o.reading.describe()} = {fmt(o.value)}" for o in others if not o.ok)
        + "."
    ]


def _count_fit(c: Candidate, v: Vintage, stated: str) -> str:
    x = Fraction(c.figure.value)
    if v.parts:
        b = tolerance.band(c.qualifier, x, c.figure.unit, each=True)
        listed = ", ".join(f"{nation(p.nation)} {p.value:,}" for p in v.parts)
        failing = [nation(p.nation) for p in v.parts if not p.ok]
        tail = f" ({_joined(failing)} fails)" if failing else ""
        verdict = "every one passes" if v.ok else "not every one passes"
        return f"With 'each', every nationality must be {_band_text(b)}: {listed}; {verdict}{tail}."
    b = tolerance.band(c.qualifier, x, c.figure.unit)
    diff = v.exact - x
    pct = abs(float(diff) / float(x) * 100) if x else 0.0
    side = "above" if diff > 0 else "below"
    if v.ok:
        if diff == 0:
            return f"That is exactly {stated}."
        text = (
            f"That is {fmt(abs(diff))} ({pct:.1f}%) {side} {fmt(x)}, inside the band for {stated} "
            f"({_band_text(b)})."
        )
        if c.qualifier == "exact" and abs(diff) > c.figure.unit / 2:
            text += (
                f" The claim differs from the current figure by {fmt(abs(diff))} ({pct:.1f}%), which is "
                "consistent with revisions (first-release figures move by up to about 1%)."
            )
        return text
    why = ""
    if b.high is not None and v.exact > b.high and c.qualifier in ("more_than", "at_least"):
        why = ", so the claim understates the figure"
    elif b.low is not None and v.exact < b.low and c.qualifier in ("nearly", "less_than"):
        why = ", so the claim overstates the figure"
    return f"That is {pct:.0f}% {side} {fmt(x)}, outside the band for {stated} ({_band_text(b)}){why}."


def _band_text(b: tolerance.Band) -> str:
    """A count band as the whole numbers inside it: '24,751 to 31,250', '24,750 or more'."""
    lo, hi = b.integer_range()
    if lo is not None and hi is not None:
        return f"{lo:,} to {hi:,}"
    if lo is not None:
        return f"{lo:,} or more"
    return f"{hi:,} or fewer" if hi is not None else "any value"


def _comparison_reason(c: Candidate, r: Reading, v: Vintage, stated: str) -> str:
    assert r.base is not None and v.sides is not None
    now, then = v.sides
    if c.difference:
        b = tolerance.band(
            c.qualifier, Fraction(c.figure.value), c.figure.unit, Fraction(max(now.value, then.value), 100)
        )
        up = v.exact > 0
        sense = f"The text says {c.direction}; " + (
            "the data agree" if up == (c.direction == "up") else "the data go the other way"
        )
        return (
            f"Both sides from release {now.release.label}: {r.period.label} = {now.value:,} and "
            f"{r.base.label} = {then.value:,}, a difference of {int(v.exact):+,}. {stated} fits "
            f"{_band_text(b)}. {sense}."
        )
    what = "a ratio of" if c.figure.multiple else "a change of"
    shown = f"×{v.value:.2f}" if c.figure.multiple else f"{v.value:+.2f}%"
    fit = tolerance.comparison_band(
        c.qualifier, Fraction(c.figure.value), multiple=c.figure.multiple, widen=v.widen
    )
    unit = "" if c.figure.multiple else " points"
    up = v.exact > (1 if c.figure.multiple else 0)
    sense = f"The text says {c.direction}; " + (
        "the data agree" if up == (c.direction == "up") else "the data go the other way"
    )
    allowance = ""
    if v.widen:
        allowance = (
            f" Release {now.release.label} came out after the text, and revisions move both sides, so the "
            f"tolerance widens by {float(v.widen):.2f}{unit or ' of the multiple'}."
        )
    return (
        f"Both sides from release {now.release.label}: {r.period.label} = {now.value:,} and {r.base.label} = "
        f"{then.value:,}, {what} {shown}. {stated} fits {fit.describe(fmt)}{unit}.{allowance} {sense}."
    )


def read_as(c: Candidate, plan: Plan, r: Reading) -> str:
    """'Read as: 'Russians' -> RUSSIA (this clause); 'southern border' -> the Southwest land border ...'"""
    bits = []
    labels: dict[str, Callable[[str], str]] = {
        "region": lambda v: REGION_LABELS.get(v, v),
        "agency": lambda v: AGENCY_LABELS.get(None if v == "all" else v, v),
        "nationality": nation,
        "demographic": lambda v: DEMOGRAPHIC_WORDS.get(v, v),
        "state": _state_name,
        "aor": lambda v: v,
        "measure": lambda v: v,
        "title": lambda v: f"Title {v}",
    }
    for category in ("nationality", "demographic", "measure", "title", "agency", "region", "state", "aor"):
        s = c.cues.get(category)
        if s is None:
            continue
        words = " / ".join(dict.fromkeys(f"'{t}'" for t in s.texts))
        values = ", ".join(dict.fromkeys(labels[category](v) for v in s.values))
        where = (
            ""
            if s.source == "this clause"
            else f" ({'the rest of this sentence' if s.source == 'this sentence' else s.source})"
        )
        bits.append(f"{words} → {values}{where}")
    pick = c.period if c.kind == "count" else c.current
    if pick is not None:
        where = (
            ""
            if pick.source == "this clause"
            else f" ({'the rest of this sentence' if pick.source == 'this sentence' else pick.source})"
        )
        note = f", {r.period.note}" if r.period.note else ""
        bits.append(f"'{pick.cue.text}' → {r.period.label}{note}{where}")
    elif r.period.note:
        bits.append(f"{r.period.label}: {r.period.note}")
    if c.kind == "comparison" and r.base is not None:
        base_words = f"'{c.base.cue.text}' → " if c.base is not None else "no earlier side stated → "
        bits.append(f"{base_words}{r.base.label}")
    if "agency" not in c.cues:
        bits.append(_no_agency(c, plan))
    return "Read as: " + "; ".join(b for b in bits if b) + "."


def _no_agency(c: Candidate, plan: Plan) -> str:
    named = c.cues.get("named")
    pairs = list(zip(named.values, named.texts, strict=True)) if named else []
    generic = list(dict.fromkeys(t for cat, t in pairs if cat == "generic"))
    sources = list(dict.fromkeys(t for cat, t in pairs if cat == "cbp_source"))
    why = []
    if generic:
        why.append(
            f"{', '.join(repr(w) for w in generic)} "
            + ("is a generic word" if len(generic) == 1 else "are generic words")
        )
    if sources:
        why.append(f"{' / '.join(repr(w) for w in sources)} is named only as the source of the figures")
    head = f"no agency is named ({'; '.join(why)})" if why else "no agency is named"
    if len({x.component for x in plan.readings}) > 1:
        return head + ": apprehensions are read both as all CBP encounters and as U.S. Border Patrol's"
    return head + ", so the count is of all CBP encounters"


def unverifiable(c: Candidate, plan: Plan) -> str:
    assert plan.unverifiable is not None
    return plan.unverifiable[0].upper() + plan.unverifiable[1:] + "."


def unsettled(c: Candidate, plan: Plan, chosen: Outcome, errors: list[str]) -> str:
    return (
        f"One reading does not match ({chosen.reading.describe()} = {fmt(chosen.value)}) and another cannot "
        f"be answered from the data ({errors[0]}), so the claim cannot be settled. "
        + read_as(c, plan, chosen.reading)
    )
