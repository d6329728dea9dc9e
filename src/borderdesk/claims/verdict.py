"""Readings -> verdict: ask the engine, apply the tolerance band, explain.

A claim is ``supported`` when any reading's value falls in its band, ``inaccurate`` when none does,
and ``unverifiable`` when no reading can be answered (a nationality pooled into OTHER, gotaways, a
period outside every release). The reason says which reading matched, where each borrowed cue came
from, and, for an exact figure off by a revision-sized amount, which earlier release said it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from borderdesk import metadata
from borderdesk.claims import tolerance
from borderdesk.claims.model import Candidate, ClaimResult
from borderdesk.claims.resolve import REGION_LABELS, Asker, Plan, Reading, one_release
from borderdesk.errors import BorderdeskError
from borderdesk.query import Answer

QUALIFIER_WORDS = {
    "exact": "", "about": "about ", "more_than": "more than ", "at_least": "at least ", "nearly": "nearly ",
    "less_than": "fewer than ",
}  # fmt: skip


@dataclass(frozen=True)
class Outcome:
    """One reading, answered: its value, whether it fits, and the answer(s) behind it."""

    reading: Reading
    value: int | float
    ok: bool
    answer: Answer
    detail: str = ""  # per-nationality values ('each') or the two sides of a comparison


def judge(c: Candidate, plan: Plan, asker: Asker, text: str) -> ClaimResult:
    """The verdict on one candidate claim."""

    def result(**kw: Any) -> ClaimResult:
        return ClaimResult(
            span=c.span,
            text=text[c.span[0] : c.span[1]],
            number=c.figure.number,
            qualifier=c.qualifier,
            kind=c.kind,
            sentence=c.sentence,
            claim_span=c.claim_span,
            **kw,
        )

    if plan.unverifiable:
        return result(question=plan.sketch, value=None, verdict="unverifiable", reason=_unverifiable(c, plan))
    outcomes: list[Outcome] = []
    errors: list[str] = []
    for reading in plan.readings:
        try:
            outcomes.append(_evaluate(c, reading, asker))
        except BorderdeskError as e:
            errors.append(f"{reading.describe()}: {e}")
    if not outcomes:
        q = _question_dict(c, plan, plan.readings[0])
        reason = "No release can answer this: " + errors[0]
        return result(question=q, value=None, verdict="unverifiable", reason=reason)
    chosen = next((o for o in outcomes if o.ok), outcomes[0])
    alternatives = [
        {"question": _diff(chosen.reading, o.reading), **_alt_values(o)} for o in outcomes if o is not chosen
    ]
    for diff, reading in plan.alternatives:
        try:
            o = _evaluate(c, reading, asker)
        except BorderdeskError:
            continue
        alternatives.append({"question": diff, **_alt_values(o)})
    verdict = "supported" if chosen.ok else "inaccurate"
    reason = _reason(c, plan, chosen, outcomes, alternatives, errors, asker)
    answer = chosen.answer
    release = {k: answer.release.brief()[k] for k in ("label", "file", "sha256", "published")}
    sql = answer.sql + "  -- params: " + ", ".join(str(p) for p in answer.params)
    return result(
        question=_question_dict(c, plan, chosen.reading),
        value=chosen.value,
        verdict=verdict,
        reason=reason,
        alternatives=alternatives,
        release=release,
        sql=sql,
    )


# ----------------------------------------------------------------------------------- evaluation


def _evaluate(c: Candidate, reading: Reading, asker: Asker) -> Outcome:
    x = Fraction(c.figure.value)
    if c.kind == "comparison":
        now, then = one_release(asker, reading)
        if then.value == 0:
            raise BorderdeskError(f"the earlier side ({reading.base.label if reading.base else '?'}) is zero")
        ratio = Fraction(now.value, then.value)
        computed = ratio if c.figure.multiple else (ratio - 1) * 100
        direction = "up" if now.value > then.value else "down" if now.value < then.value else "flat"
        size = computed if c.figure.multiple else abs(computed)
        fits = tolerance.comparison_band(c.qualifier, x, multiple=c.figure.multiple).contains(size)
        ok = fits and direction == c.direction
        value = round(float(computed), 2)
        earlier = reading.base.label if reading.base else ""
        detail = f"{reading.period.label} = {now.value:,} and {earlier} = {then.value:,}"
        return Outcome(reading, value, ok, now, detail)
    answer = asker.ask(reading.question)
    if reading.parts:
        b = tolerance.band(c.qualifier, x, c.figure.unit, each=True)
        parts = [(n, asker.ask(q).value) for n, q in reading.parts]
        ok = all(b.contains(v) for _, v in parts)
        deciding = max if c.qualifier == "less_than" else min
        value = deciding(v for _, v in parts)
        detail = ", ".join(f"{_nation(n)} {v:,}" for n, v in parts)
        return Outcome(reading, value, ok, answer, detail)
    b = tolerance.band(c.qualifier, x, c.figure.unit)
    return Outcome(reading, answer.value, b.contains(answer.value), answer)


def _alt_values(o: Outcome) -> dict[str, Any]:
    return {"value": o.value, "matches": o.ok, "release": o.answer.release.label}


def _diff(a: Reading, b: Reading) -> dict[str, Any]:
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


def _question_dict(c: Candidate, plan: Plan, r: Reading) -> dict[str, Any]:
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


# ----------------------------------------------------------------------------------- reasons


DEMOGRAPHIC_WORDS = {
    "single-adults": "single adults", "family-units": "individuals in family units",
    "uac": "unaccompanied children", "accompanied-minors": "accompanied minors",
}  # fmt: skip


def _nation(value: str) -> str:
    """'CHINA, PEOPLES REPUBLIC OF' -> 'China'; a country pooled into OTHER keeps its own name."""
    label = metadata.value_labels().get("citizenship", {}).get(value, value.title())
    return label.split(",")[0]


def _what(plan: Plan, r: Reading) -> str:
    noun = {"42": "Title 42 expulsions", "8": "Title 8 encounters"}.get(plan.who.title or "", "encounters")
    if plan.who.demographic:
        noun += f" of {DEMOGRAPHIC_WORDS.get(plan.who.demographic, plan.who.demographic)}"
    if plan.who.nations:
        names = [_nation(n) for n in plan.who.nations]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        noun += f" of citizens of {joined}"
    where = "nationwide" if r.region == "nationwide" else f"at {REGION_LABELS[r.region]}"
    place = f"the {plan.who.aor}" if plan.who.aor else _state_name(plan.who.state) if plan.who.state else None
    if place:
        where = f"in {place}" if r.region == "nationwide" else f"in {place}, {where}"
    who = {
        None: "CBP",
        "usbp": "U.S. Border Patrol",
        "ofo": "CBP's Office of Field Operations (ports of entry)",
    }[r.component]
    return f"{who} recorded {{value}} {noun} {where} in {r.period.label}"


def _state_name(code: str) -> str:
    return metadata.value_labels().get("state", {}).get(code, code)


def _fmt(v: Fraction | int | float) -> str:
    f = float(v)
    return f"{round(f):,}" if abs(f - round(f)) < 1e-9 else f"{f:,.2f}"


def _reason(
    c: Candidate,
    plan: Plan,
    chosen: Outcome,
    outcomes: list[Outcome],
    alternatives: list[dict[str, Any]],
    errors: list[str],
    asker: Asker,
) -> str:
    parts: list[str] = []
    stated = f"'{QUALIFIER_WORDS[c.qualifier]}{c.figure.text}'"
    if c.kind == "comparison":
        parts.append(_comparison_reason(c, chosen, stated))
    else:
        parts.append(
            _what(plan, chosen.reading).format(value=f"{chosen.answer.value:,}")
            + f" (release {chosen.answer.release.label})."
        )
        caveats = getattr(chosen.answer, "caveats", ())
        if caveats:
            parts.append(
                "No CBP release answers this reading, so it comes from the Border Patrol history tables: "
                + " ".join(caveats)
            )
        parts.append(_count_fit(c, chosen, stated))
        if c.qualifier == "exact" and chosen.value != c.figure.value:
            said = _earlier_vintages(c, chosen, asker)
            if said:
                parts.append(
                    f"{c.figure.text} is what the {', '.join(said)} "
                    f"release{'s' if len(said) > 1 else ''} said."
                )
    if len(outcomes) > 1:
        others = [o for o in outcomes if o is not chosen]
        if chosen.ok:
            matched = [o for o in outcomes if o.ok]
            parts.append(
                ("The reading that matched: " if len(matched) == 1 else "Readings that match: ")
                + "; ".join(o.reading.describe() for o in matched)
                + ". Other readings: "
                + "; ".join(f"{o.reading.describe()} = {_fmt(o.value)}" for o in others if not o.ok)
                + "."
                if any(not o.ok for o in others)
                else (
                    "Every reading matches: "
                    + "; ".join(f"{o.reading.describe()} = {_fmt(o.value)}" for o in outcomes)
                    + "."
                )
            )
        else:
            parts.append(
                "No reading matches: "
                + "; ".join(f"{o.reading.describe()} = {_fmt(o.value)}" for o in outcomes)
                + "."
            )
    if not chosen.ok:
        fits = [a for a in alternatives if a.get("matches") and "value" in a]
        if fits:
            a = fits[0]
            parts.append(
                f"The figure for {_alt_text(a['question'])}, {_fmt(a['value'])}, would match: "
                "the text likely used it."
            )
        also = [a for a in alternatives if not a.get("matches") and "period" in a["question"]]
        if also:
            parts.append(
                "Also: " + "; ".join(f"{_alt_text(a['question'])} = {_fmt(a['value'])}" for a in also) + "."
            )
    parts += _cue_notes(c, plan, chosen.reading)
    if errors:
        parts.append("Could not answer: " + "; ".join(errors[:2]) + ".")
    return " ".join(p for p in parts if p)


def _count_fit(c: Candidate, o: Outcome, stated: str) -> str:
    x = Fraction(c.figure.value)
    if o.reading.parts:
        b = tolerance.band(c.qualifier, x, c.figure.unit, each=True)
        verdict = "every one passes" if o.ok else "not every one passes"
        failing = [
            seg for seg in o.detail.split(", ") if not b.contains(int(seg.rsplit(" ", 1)[1].replace(",", "")))
        ]
        tail = f" ({', '.join(failing)} fails)" if failing else ""
        return f"With 'each', every nationality must be {_band_text(b)}: {o.detail}; {verdict}{tail}."
    b = tolerance.band(c.qualifier, x, c.figure.unit)
    v = o.answer.value
    diff = v - x
    pct = abs(float(diff) / float(x) * 100) if x else 0.0
    side = "above" if diff > 0 else "below"
    if o.ok:
        if diff == 0:
            return f"That is exactly {stated}."
        text = (
            f"{_fmt(abs(diff))} ({pct:.1f}%) {side} {_fmt(x)}, "
            f"inside the band for {stated} ({_band_text(b)})."
        )
        if c.qualifier == "exact" and abs(diff) > c.figure.unit / 2:
            text += (
                f" The claim differs from the current figure by {_fmt(abs(diff))} ({pct:.1f}%), which is "
                "consistent with revisions (first-release figures move by up to about 1%)."
            )
        return "That is " + text
    why = ""
    if b.high is not None and v > b.high:
        why = " so the claim understates the figure" if c.qualifier in ("more_than", "at_least") else ""
    elif b.low is not None and v < b.low and c.qualifier in ("nearly", "less_than"):
        why = " so the claim overstates the figure"
    return (
        f"That is {pct:.0f}% {side} {_fmt(x)}, outside the band for {stated} ({_band_text(b)})"
        f"{',' if why else ''}{why}."
    )


def _band_text(b: tolerance.Band) -> str:
    """A count band as the whole numbers inside it: '24,751 to 31,250', '24,750 or more'."""
    lo, hi = b.integer_range()
    if lo is not None and hi is not None:
        return f"{lo:,} to {hi:,}"
    if lo is not None:
        return f"{lo:,} or more"
    return f"{hi:,} or fewer" if hi is not None else "any value"


def _comparison_reason(c: Candidate, o: Outcome, stated: str) -> str:
    r = o.reading
    assert r.base is not None
    what = "a ratio of" if c.figure.multiple else "a change of"
    shown = f"×{o.value:.2f}" if c.figure.multiple else f"{o.value:+.2f}%"
    fit = tolerance.comparison_band(c.qualifier, Fraction(c.figure.value), multiple=c.figure.multiple)
    unit = "" if c.figure.multiple else " points"
    sense = f"The text says {c.direction}; "
    sense += (
        "the data agree"
        if (o.value > (1 if c.figure.multiple else 0)) == (c.direction == "up")
        else "the data go the other way"
    )
    return (
        f"Both sides from release {o.answer.release.label}: {o.detail}, {what} {shown}. "
        f"{stated} fits {fit.describe(_fmt)}{unit}. {sense}."
    )


def _alt_text(diff: dict[str, Any]) -> str:
    bits = []
    if "region" in diff:
        bits.append(REGION_LABELS[diff["region"]])
    if "component" in diff:
        bits.append(
            {None: "all of CBP", "usbp": "U.S. Border Patrol", "ofo": "ports of entry"}[diff["component"]]
        )
    if "period" in diff:
        bits.append(diff["period"]["label"])
    return ", ".join(bits) or "another reading"


def _cue_notes(c: Candidate, plan: Plan, r: Reading) -> list[str]:
    notes = []
    borrowed: dict[str, list[str]] = {}  # where each cue that is not in the claim's own clause came from
    for category, s in c.cues.items():
        if category != "named" and s.source != "this clause":
            borrowed.setdefault(s.source, []).extend(f"'{t}'" for t in s.texts)
    for pick in (c.period, c.current, c.base):
        if pick is not None and pick.source != "this clause":
            borrowed.setdefault(pick.source, []).append(f"'{pick.cue.text}'")
    for source, texts in borrowed.items():
        unique = list(dict.fromkeys(texts))
        listed = unique[0] if len(unique) == 1 else ", ".join(unique[:-1]) + " and " + unique[-1]
        where = "the rest of this sentence" if source == "this sentence" else source
        notes.append(f"{listed} come{'s' if len(unique) == 1 else ''} from {where}.")
    if r.period.note:
        notes.append(f"Period: {r.period.label}, {r.period.note}.")
    named = c.cues.get("named")
    if "agency" not in c.cues:
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
        apprehension = len({x.component for x in plan.readings}) > 1
        if why or apprehension:
            head = f"No agency is named ({'; '.join(why)})" if why else "No agency is named"
            tail = (
                ": apprehensions are read both as all CBP encounters and as U.S. Border Patrol's"
                if apprehension
                else ", so the count is of all CBP encounters"
            )
            notes.append(head + tail + ".")
    notes += [n[0].upper() + n[1:] + "." for n in plan.notes if not n.startswith("apprehensions")]
    return notes


def _unverifiable(c: Candidate, plan: Plan) -> str:
    assert plan.unverifiable is not None
    return plan.unverifiable[0].upper() + plan.unverifiable[1:] + "."


def _earlier_vintages(c: Candidate, o: Outcome, asker: Asker) -> list[str]:
    """Older releases of the same family that gave exactly the stated figure (first-release figures)."""
    from dataclasses import replace

    current = o.answer.release
    labels = []
    for rel in asker.catalog.releases:
        if rel.family != current.family or rel.release_id == current.release_id:
            continue
        try:
            v = asker.ask(replace(o.reading.question, as_of=rel.sha256)).value
        except BorderdeskError:
            continue
        if v == c.figure.value:
            labels.append(rel.label)
        if len(labels) >= 4:
            break
    return labels
