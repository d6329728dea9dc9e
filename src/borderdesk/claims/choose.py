"""Which cue of a category a number takes from a stretch of text that holds several.

Inside the number's own segment the choice is by position: a cue right after the number ('18,870
unaccompanied children', '405,000 apprehensions') belongs to it; otherwise the nearest one before it
(the subject: 'Single adults (164,907 encounters)'), then the nearest after. Nationalities joined as a
list ('Guatemala, Honduras and El Salvador') are taken together. Border Patrol and ports of entry named
together mean all of CBP.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from borderdesk.claims.cues import Cue
from borderdesk.claims.numbers import Figure

_UNIT_GAP = re.compile(r"[\s\"'()]*(?:[A-Za-z-]+[\s\"']+){0,2}$")
_LIST_GLUE = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s*)$")
#: measures no release counts: a claim about them is unverifiable, whatever else its sentence says
UNVERIFIABLE_MEASURES = frozenset({"gotaways", "watchlist", "unique", "daily", "repeat"})


@dataclass(frozen=True)
class Sourced:
    """The cues of one category a claim took: their values, the words they came from, and where those
    words are ('this clause', 'the rest of this sentence', 'the previous sentence', 'the heading' ...)."""

    values: tuple[str, ...]
    texts: tuple[str, ...]
    source: str

    @property
    def borrowed(self) -> bool:
        return self.source not in ("this clause", "this sentence")

    def moved(self, source: str) -> Sourced:
        return Sourced(self.values, self.texts, source)


def sourced(found: list[Cue], source: str) -> Sourced:
    return Sourced(tuple(c.value for c in found), tuple(c.text for c in found), source)


_AGENCY_GLUE = re.compile(
    r"(?:\s+(?:agents?|officers?|officials?|personnel))?[\s,]*(?:and|or|&|plus|as well as)\s+"
    r"(?:(?:at|by|the|its|between|U\.S\.|CBP|CBP's|agents|officers|officials)\s+){0,3}",
    re.IGNORECASE,
)


def combine_agency(found: list[Cue], text: str | None = None) -> list[Cue]:
    """Border Patrol and ports of entry named together ('by the Border Patrol and at ports of entry') mean
    all of CBP; named apart ('At ports of entry, Border Patrol turned away 3,984'), Border Patrol comes
    first (claim-check.md, Agency); else the most specific."""
    values = {c.value for c in found}
    joined = text is None or any(
        a.value != b.value
        and {a.value, b.value} == {"usbp", "ofo"}
        and 0 <= b.start - a.end <= 40
        and _AGENCY_GLUE.fullmatch(text, a.end, b.start)
        for a in found
        for b in found
    )
    if {"usbp", "ofo"} <= values and joined:
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
    """The cue(s) of ``category`` that ``fig`` takes among ``found`` (all of that category)."""
    if category == "agency":
        return combine_agency(found, text)
    if category == "measure":
        # 'a daily average of 279 apprehensions' is a daily average; 'unique individuals encountered ...
        # was 182,704' people; else the word right after the number, else the nearest
        odd = [c for c in found if c.value in UNVERIFIABLE_MEASURES]
        near = [c for c in odd if _distance(fig, c) <= 30]
        unit = [c for c in found if in_unit_position(text, fig, c)]
        # 'arrested or stopped': an apprehension word keeps both readings (all of CBP and Border Patrol)
        caught = [c for c in found if c.value == "apprehensions"] if own else []
        chosen = (
            near or unit or (odd if own else []) or caught or [min(found, key=lambda c: _distance(fig, c))]
        )
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


def _by_position(text: str, fig: Figure, found: list[Cue]) -> list[Cue]:
    """Group cues joined as a list ('Guatemala, Honduras and El Salvador'), then take the group right
    after the number, else the nearest group before it, else the nearest after."""
    groups = list_groups(text, found)
    after = [g for g in groups if g[0].start >= fig.end]
    before = [g for g in groups if g[-1].end <= fig.start]
    unit = [g for g in after if in_unit_position(text, fig, g[0])]
    if unit:
        return unit[0]
    if before:
        return before[-1]
    return after[0] if after else found


def list_groups(text: str, found: list[Cue]) -> list[list[Cue]]:
    groups: list[list[Cue]] = []
    for c in sorted(found, key=lambda c: c.start):
        prev = groups[-1][-1] if groups else None
        if prev is not None and c.start - prev.end <= 8 and _LIST_GLUE.match(text[prev.end : c.start]):
            groups[-1].append(c)
        else:
            groups.append([c])
    return groups
