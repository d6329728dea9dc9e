"""Where a claim's cues may come from (its clause, the rest of its sentence, the paragraph, the
heading) and which cue of a category it takes from there.

Inside the claim's own clause the choice is by position: a cue right after the number ('18,870
unaccompanied children', '405,000 apprehensions') belongs to it; otherwise the nearest one before it
(the subject: 'Single adults (164,907 encounters) increased by 31.6%'), then the nearest after.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from borderdesk.claims import periods, vocab
from borderdesk.claims.cues import Cue, find_cues
from borderdesk.claims.model import Sourced
from borderdesk.claims.numbers import Figure
from borderdesk.claims.periods import PeriodCue
from borderdesk.claims.segment import Block

MAX_REACH = 8  # sentences either side a cue may come from; bounds the work on a huge paragraph
CLAUSE_TAGS = ("clause", "earlier_clause", "later_clause")
_UNIT_GAP = re.compile(r"[\s\"“”'()]*(?:[A-Za-z-]+[\s\"“”']+){0,2}$")
_UNVERIFIABLE_MEASURES = frozenset({"gotaways", "watchlist", "unique", "daily"})


@dataclass(frozen=True)
class Scope:
    label: str  # where a cue found here comes from, for the reason
    start: int
    end: int
    tag: str  # clause | earlier_clause | later_clause | earlier_sentence | later_sentence | heading
    has_figures: bool = False
    comparison: bool = False  # a clause that starts 'down from', 'compared with' ...

    @property
    def source(self) -> str:
        return "this sentence" if self.tag in ("earlier_clause", "later_clause") else self.label


class Doc:
    """The normalized text with per-span cue analysis, memoized (a sentence is read once)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._memo: dict[tuple[int, int], tuple[list[Cue], list[PeriodCue]]] = {}

    def analyze(self, start: int, end: int) -> tuple[list[Cue], list[PeriodCue]]:
        key = (start, end)
        if key not in self._memo:
            found = periods.find_periods(self.text, start, end)
            self._memo[key] = (find_cues(self.text, start, end), _drop_annotations(self.text, found))
        return self._memo[key]

    def cues(self, start: int, end: int, outer: tuple[int, int]) -> list[Cue]:
        return [c for c in self.analyze(*outer)[0] if c.start >= start and c.end <= end]

    def periods(self, start: int, end: int, outer: tuple[int, int]) -> list[PeriodCue]:
        return [
            p
            for p in self.analyze(*outer)[1]
            if p.start >= start and p.end <= end and p.spec.kind in periods.MEANINGFUL
        ]


def _drop_annotations(text: str, found: list[PeriodCue]) -> list[PeriodCue]:
    """'December 2021 (Fiscal Year 2022)': the bracketed period only glosses the one before it."""
    out: list[PeriodCue] = []
    for p in found:
        if out and text[out[-1].end : p.start].strip() == "(" and p.spec.kind in periods.MEANINGFUL:
            continue
        out.append(p)
    return out


def prose_scopes(doc: Doc, block: Block, i: int, fig: Figure, live: list[Figure]) -> list[Scope]:
    """The claim's clause, the other clauses of its sentence (earlier ones nearest first, then later
    ones), the other sentences of its paragraph by distance (earlier before later), the heading."""
    s = block.sentences[i]
    own = next((c for c in s.clauses if c[0] <= fig.start < c[1]), (s.start, s.end))
    scopes = [Scope("this clause", own[0], own[1], "clause")]
    comparators = vocab.words("comparator")

    def clause_scope(c: tuple[int, int], tag: str) -> Scope:
        has = any(c[0] <= f.start < c[1] for f in live if f is not fig)
        lead = " ".join(doc.text[c[0] : c[1]].split()[:2]).casefold()
        comparison = any(lead == w or lead.startswith(w + " ") for w in comparators)
        return Scope("this sentence", c[0], c[1], tag, has, comparison)

    scopes += [clause_scope(c, "earlier_clause") for c in reversed([c for c in s.clauses if c[1] <= own[0]])]
    scopes += [clause_scope(c, "later_clause") for c in s.clauses if c[0] >= own[1]]
    sents = block.sentences
    for d in range(1, min(len(sents), MAX_REACH + 1)):
        if i - d >= 0:
            o = sents[i - d]
            scopes.append(Scope(distance_label(d, True), o.start, o.end, "earlier_sentence"))
        if i + d < len(sents):
            o = sents[i + d]
            scopes.append(Scope(distance_label(d, False), o.start, o.end, "later_sentence"))
    if block.heading is not None:
        scopes.append(Scope("the heading", block.heading[0], block.heading[1], "heading"))
    return scopes


def distance_label(d: int, earlier: bool) -> str:
    if earlier:
        return "the previous sentence" if d == 1 else f"the sentence {d} before"
    return "the next sentence" if d == 1 else f"the sentence {d} after"


def allowed(category: str, scope: Scope, own_cues: list[Cue]) -> bool:
    """May a claim take a ``category`` cue from ``scope``? A total ('for a total of 203,597') takes
    no subset's agency or nationality; who a later sentence is about ('a father from Honduras said')
    is not who an earlier figure counted; a later clause with a figure of its own keeps its cues."""
    if scope.tag == "clause":
        return True
    own = {c.category for c in own_cues}
    if category in ("agency", "nationality", "demographic", "title", "aor", "state"):
        if "total" in own:
            return False
        if category in ("nationality", "demographic") and (
            scope.tag == "later_sentence" or (scope.tag == "later_clause" and "population" in own)
        ):
            return False
        if scope.tag == "later_clause" and scope.has_figures:
            return False
    return True


def pick(
    category: str,
    fig: Figure,
    scopes: list[Scope],
    cues_in: Callable[[Scope], list[Cue]],
    text: str,
    *,
    own_cues: list[Cue] | None = None,
    tags: tuple[str, ...] | None = None,
) -> Sourced | None:
    """The cue(s) of ``category`` a claim takes: from the first scope that has any."""
    for scope in scopes:
        if tags is not None and scope.tag not in tags:
            continue
        if own_cues is not None and not allowed(category, scope, own_cues):
            continue
        found = [c for c in cues_in(scope) if c.category == category]
        if category == "agency":
            found = combine_agency(found)
        if not found:
            continue
        chosen = choose(category, fig, found, text, own=scope.tag == "clause")
        return Sourced(tuple(c.value for c in chosen), tuple(c.text for c in chosen), scope.source)
    return None


def combine_agency(found: list[Cue]) -> list[Cue]:
    """Border Patrol and ports of entry named together mean all of CBP; else the most specific."""
    values = {c.value for c in found}
    if {"usbp", "ofo"} <= values:
        return [Cue("agency", "all", found[0].start, found[-1].end, " and ".join(c.text for c in found))]
    for v in ("usbp", "ofo", "all"):
        if v in values:
            return [c for c in found if c.value == v][:1]
    return found


def in_unit_position(text: str, fig: Figure, cue: Cue) -> bool:
    """'18,870 unaccompanied children', '2,000 Russians', '405,000 apprehensions': the cue follows the
    number within two words."""
    return cue.start >= fig.end and bool(_UNIT_GAP.match(text[fig.end : cue.start]))


def _distance(fig: Figure, c: Cue) -> int:
    return min(abs(c.start - fig.end), abs(fig.start - c.end))


def choose(category: str, fig: Figure, found: list[Cue], text: str, *, own: bool) -> list[Cue]:
    if category == "measure":
        # 'a daily average of 279 apprehensions' is a daily average; 'gotaways ... there were 405,000
        # apprehensions' counts apprehensions; 'unique individuals encountered ... was 182,704' people
        odd = [c for c in found if c.value in _UNVERIFIABLE_MEASURES]
        near = [c for c in odd if _distance(fig, c) <= 30]
        unit = [c for c in found if in_unit_position(text, fig, c)]
        chosen = near or unit or (odd if own else []) or [min(found, key=lambda c: _distance(fig, c))]
        return chosen[:1]
    if category in ("nationality", "demographic"):
        if own:
            found = _by_position(text, fig, found)
        if category == "demographic":
            return found[:1]
        seen: dict[str, Cue] = {}
        for c in found:
            seen.setdefault(c.value, c)
        return list(seen.values())
    return [min(found, key=lambda c: _distance(fig, c))]


_LIST_GLUE = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s*)$")


def _by_position(text: str, fig: Figure, found: list[Cue]) -> list[Cue]:
    """Group cues joined as a list ('Guatemala, Honduras and El Salvador'), then take the group right
    after the number, else the nearest group before it, else the nearest after."""
    groups: list[list[Cue]] = []
    for c in sorted(found, key=lambda c: c.start):
        if (
            groups
            and _LIST_GLUE.match(text[groups[-1][-1].end : c.start] + "")
            and (c.start - groups[-1][-1].end <= 8)
        ):
            groups[-1].append(c)
        else:
            groups.append([c])
    after = [g for g in groups if g[0].start >= fig.end]
    before = [g for g in groups if g[-1].end <= fig.start]
    unit = [g for g in after if in_unit_position(text, fig, g[0])]
    if unit:
        return unit[0]
    if before:
        return before[-1]
    return after[0] if after else found
