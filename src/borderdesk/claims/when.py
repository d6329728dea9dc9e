"""Which period expression a claim takes.

A count takes, in its own clause, the period right after it ('153,941 in January'), else the nearest
before it; then the earlier clauses of its sentence, the later ones that are not comparisons ('down
from 61,445 in January' keeps its month), the earlier sentences of its paragraph, the heading. Never a
later sentence: its period usually belongs to a comparison.

A comparison ('fell 42% in January from December', 'doubled from July to September', 'a 36 percent
increase over July') has a later side and an earlier side: the earlier one follows a comparator word
('from', 'over', 'than', 'compared with') or is relative ('a year earlier'); the later one is any other
period of the sentence, else of the paragraph before it, else the latest published month.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from borderdesk.claims import periods
from borderdesk.claims.model import PeriodPick
from borderdesk.claims.numbers import Figure
from borderdesk.claims.periods import PeriodCue, PeriodSpec
from borderdesk.claims.scopes import Doc, Scope

_COMPARATOR = re.compile(r"\b(?:from|over|compared|than|versus|vs\b\.?)", re.IGNORECASE)
_COMPARATOR_OR_TO = re.compile(r"\b(?:from|over|compared|than|versus|vs\b\.?|to)\b", re.IGNORECASE)
_MASKED = ("region", "agency", "measure")  # 'entering from Mexico' says where, not what it compares with


def _scopes(scopes: list[Scope]) -> Iterator[Scope]:
    for scope in scopes:
        if scope.tag == "later_sentence":
            continue
        if scope.tag == "later_clause" and scope.comparison:
            continue
        yield scope


def count_period(
    doc: Doc, fig: Figure, scopes: list[Scope], sentence: tuple[int, int], live: list[Figure]
) -> PeriodPick | None:
    """The period expression a count takes, or None (then: the latest published month)."""
    for scope in _scopes(scopes):
        found = doc.periods(scope.start, scope.end, _outer(scope, sentence))
        if not found:
            continue
        if scope.tag == "clause":
            best = _own_clause(doc, fig, found, live, sentence)
        elif scope.tag == "earlier_clause":
            best = found[-1]
        else:
            best = found[0]
        return PeriodPick(_later_side(doc, best, scope, sentence), scope.source)
    return None


def _outer(scope: Scope, sentence: tuple[int, int]) -> tuple[int, int]:
    return sentence if scope.tag in ("clause", "earlier_clause", "later_clause") else (scope.start, scope.end)


def _own_clause(
    doc: Doc, fig: Figure, found: list[PeriodCue], live: list[Figure], sentence: tuple[int, int]
) -> PeriodCue:
    """Right after the number ('153,941 in January') unless compared ('higher than November'), else
    the nearest before it."""
    nxt = min((f.start for f in live if f.start >= fig.end), default=10**12)
    after = [c for c in found if fig.end <= c.start < nxt and not _compared(doc, fig.end, c, sentence)]
    if after:
        return after[0]
    before = [c for c in found if c.end <= fig.start]
    return before[-1] if before else found[0]


def _later_side(doc: Doc, cue: PeriodCue, scope: Scope, sentence: tuple[int, int]) -> PeriodCue:
    """'An increase from November to December ...': a range that describes a change gives its later
    month to a count that borrows it."""
    spec = cue.spec
    if spec.kind != "range" or not cue.text.casefold().startswith("from") or spec.month2 is None:
        return cue
    outer = _outer(scope, sentence)
    if not any(c.category == "direction" for c in doc.analyze(*outer)[0]):
        return cue
    return PeriodCue(cue.start, cue.end, cue.text, PeriodSpec("month", spec.month2, spec.year2))


def reference(
    doc: Doc, pick: PeriodPick, scopes: list[Scope], sentence: tuple[int, int]
) -> PeriodPick | None:
    """What a relative period ('a year earlier', 'the same month in 2020') counts from: the nearest
    period before it in its sentence, else in the earlier sentences."""
    before = [
        c
        for c in doc.periods(sentence[0], pick.cue.start, sentence)
        if c.spec.kind not in periods.RELATIVE and c.spec.kind != "partial"
    ]
    if before:
        return PeriodPick(before[-1], "this sentence")
    for scope in scopes:
        if scope.tag != "earlier_sentence":
            continue
        found = [
            c
            for c in doc.periods(scope.start, scope.end, (scope.start, scope.end))
            if c.spec.kind not in periods.RELATIVE
        ]
        if found:
            return PeriodPick(found[0], scope.label)
    return None


def _between(doc: Doc, start: int, end: int, outer: tuple[int, int]) -> str:
    """The text between two places with the cue phrases blanked ('entering from Mexico')."""
    chars = list(doc.text[start:end])
    for c in doc.analyze(*outer)[0]:
        if c.category in _MASKED and c.end > start and c.start < end:
            for k in range(max(c.start, start), min(c.end, end)):
                chars[k - start] = " "
    return "".join(chars)


def _compared(doc: Doc, start: int, cue: PeriodCue, outer: tuple[int, int]) -> bool:
    return bool(_COMPARATOR.search(_between(doc, start, cue.start, outer)))


def comparison_periods(
    doc: Doc, fig: Figure, scopes: list[Scope], sentence: tuple[int, int], live: list[Figure]
) -> tuple[PeriodPick | None, PeriodPick | None]:
    """(later side, earlier side) of a stated change; an unstated side is None (resolve supplies the
    default: the previous month for a month, the same period a year earlier otherwise)."""
    found = doc.periods(sentence[0], sentence[1], sentence)
    clause = scopes[0]
    for c in found:
        if c.spec.kind == "range" and clause.start <= c.start < clause.end:
            return _split_range(c, "this sentence")
    bases = [
        c
        for c in found
        if c.start >= fig.end and (c.spec.kind in periods.RELATIVE or _compared(doc, fig.end, c, sentence))
    ]
    base = PeriodPick(bases[0], "this sentence") if bases else None

    def base_like(c: PeriodCue) -> bool:
        """The earlier side of some change in the sentence: relative, or last preceded by a comparator
        word since the previous change figure ('up 16% from 232,963 in August'), not by 'to' ('fell
        from 179,219 in December to 153,941 in January')."""
        if c.spec.kind in periods.RELATIVE:
            return True
        prev = max(
            (f.end for f in live if f.end <= c.start and (f.percent or f.multiple)), default=sentence[0]
        )
        words = _COMPARATOR_OR_TO.findall(_between(doc, prev, c.start, sentence))
        return bool(words) and words[-1].casefold() != "to"

    currents = [c for c in found if not base_like(c) and (base is None or c is not base.cue)]
    if currents:
        before = [c for c in currents if c.end <= fig.start]
        best = before[-1] if before else currents[0]
        return PeriodPick(best, "this sentence"), base
    for scope in scopes:
        if scope.tag not in ("earlier_sentence", "heading"):
            continue
        earlier = doc.periods(scope.start, scope.end, (scope.start, scope.end))
        if not earlier:
            continue
        first = earlier[0]
        if first.spec.kind == "range" and base is None and first.text.casefold().startswith("from"):
            return _split_range(first, scope.label)
        return PeriodPick(first, scope.label), base
    return None, base


def _split_range(c: PeriodCue, source: str) -> tuple[PeriodPick, PeriodPick]:
    s = c.spec
    earlier = PeriodCue(c.start, c.end, c.text, PeriodSpec("month", s.month, s.year))
    later = PeriodCue(c.start, c.end, c.text, PeriodSpec("month", s.month2, s.year2))
    return PeriodPick(later, source), PeriodPick(earlier, source)
