"""Readings -> verdict: ask the engine, apply the tolerance band, read it as published, explain.

A claim is ``supported`` when any reading's value falls in its band — today's figure, or the figure of
the release already published on the text's date ("as published", amendment 5) — ``inaccurate`` when
none does, and ``unverifiable`` when no reading can be answered (a nationality pooled into OTHER,
gotaways, a period outside every release). Values travel as numbers (:class:`Outcome`), never as text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from borderdesk.claims import explain
from borderdesk.claims.confusions import confusions as find_confusions
from borderdesk.claims.evaluate import Outcome, _with_published, evaluate
from borderdesk.claims.model import Candidate, ClaimResult
from borderdesk.claims.resolve import Asker, Plan
from borderdesk.errors import BorderdeskError


def judge(
    c: Candidate, plan: Plan, asker: Asker, date: dt.date, shown: tuple[tuple[int, int], str]
) -> ClaimResult:
    """The verdict on one candidate claim. ``shown`` is its span and text in the original."""
    span, text = shown

    def result(**kw: Any) -> ClaimResult:
        return ClaimResult(
            span=span,
            text=text,
            number=c.figure.number,
            qualifier=c.qualifier,
            kind=c.kind,
            sentence=c.sentence,
            claim_span=c.claim_span,
            figure_span=(c.figure.start, c.figure.end),
            cues=explain.cue_list(c),
            **kw,
        )

    if plan.unverifiable:
        return result(
            question=plan.sketch, value=None, verdict="unverifiable", reason=explain.unverifiable(c, plan)
        )
    outcomes: list[Outcome] = []
    errors: list[str] = []
    for r in plan.readings:
        try:
            outcomes.append(evaluate(c, r, asker, date))
        except BorderdeskError as e:
            errors.append(f"{r.describe()}: {e}")
    if not outcomes:
        reason = "No release can answer this: " + errors[0]
        return result(
            question=explain.question_dict(plan, plan.readings[0]),
            value=None,
            verdict="unverifiable",
            reason=reason,
        )
    if not any(o.ok for o in outcomes):  # was it right as first published?
        outcomes = [_with_published(c, o, asker, date) for o in outcomes]
    chosen = next((o for o in outcomes if o.ok), outcomes[0])
    if chosen.then is None:
        chosen = _with_published(c, chosen, asker, date)
        outcomes = [chosen if o.reading == chosen.reading else o for o in outcomes]
    if not chosen.ok and errors and len(outcomes) < len(plan.readings):
        # one reading fails and another cannot be answered: the claim cannot be settled
        reason = explain.unsettled(c, plan, chosen, errors)
        return result(
            question=explain.question_dict(plan, chosen.reading),
            value=None,
            verdict="unverifiable",
            reason=reason,
        )
    confusions = [] if chosen.ok else find_confusions(c, plan, chosen, asker, date)
    alternatives = [
        {
            "question": explain.diff(chosen.reading, o.reading),
            "value": o.value,
            "matches": o.ok,
            "release": o.now.release.label,
        }
        for o in outcomes
        if o is not chosen
    ]
    alternatives += [a.to_dict() for a in confusions]
    answer = chosen.now.answer
    release = {k: answer.release.brief()[k] for k in ("label", "file", "sha256", "published")}
    sql = answer.sql + "  -- params: " + ", ".join(str(p) for p in answer.params)
    return result(
        question=explain.question_dict(plan, chosen.reading),
        value=chosen.value,
        verdict="supported" if chosen.ok else "inaccurate",
        reason=explain.reason(c, plan, chosen, outcomes, confusions, errors, date),
        alternatives=alternatives,
        release=release,
        sql=sql,
        as_published=explain.as_published(chosen),
    )
