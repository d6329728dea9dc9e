"""How cues travel between sentences (claim-check.md, amendment 5).

*Scene cues* — region, the state or area named as the place, and the period — set the scene for a
stretch of text: a sentence that lacks one takes it from the nearest earlier sentence of its section
that has it (a paragraph break does not end the scene, a heading does; the headline is the text's first
sentence), then (region and place only) from the later sentences of its paragraph, then from the
heading. A period is never taken from a later sentence: there it usually belongs to a comparison.

*Subject cues* — nationality, demographic, agency and the measure's kind — carry only when a sentence
refers back to what an earlier one counted: an anaphor as the counted thing ('that', 'of them', 'the
figure'), a continuation ('another 62,000'), or no counted noun at all ('In April, 20,118.'). A sentence
that names its own counted thing takes none of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from borderdesk.claims import periods
from borderdesk.claims.choose import Sourced, list_groups
from borderdesk.claims.cues import SCENE, SUBJECT, Cue
from borderdesk.claims.periods import PeriodCue, PeriodSpec
from borderdesk.claims.pieces import ANCHOR, OWN, SENTENCE, PeriodPick, Piece, SentenceReading

#: how many sentences back an explicit back-reference ('of them', 'that number', 'another') may reach
REACH = 12
#: ... and a sentence with no counted noun at all, or one that borrows an encounter word
NEAR = 3
_WITHIN = (OWN, SENTENCE)
#: the period of a figure told again ('Of the 56,881 Brazilians detained, ...'): where it was first told
RESTATED = "the same figure, told before"


def _after_comparator(r: SentenceReading, p: Piece) -> PeriodPick | None:
    """'Encounters: 26,000 -- down from 26,191 in August 2025': a main count with no period of its own
    whose comparator names the month before is that month's successor (the comparator is 'the month
    before' by default, amendment 5), not a scene's longer stretch."""
    if p.role != "main" or (p.scene_period is not None and p.scene_period.cue.spec.kind == "month"):
        return None
    for q in r.pieces:
        if q.role != "comparator" or q.anchor is not p or q.period is None or q.period.source != OWN:
            continue
        spec = q.period.cue.spec
        if spec.kind != "month" or spec.month is None or spec.which is not None:
            return None
        month = spec.month % 12 + 1
        year = None if spec.year is None else spec.year + (1 if spec.month == 12 else 0)
        cue = PeriodCue(
            q.period.cue.start,
            q.period.cue.end,
            q.period.cue.text,
            PeriodSpec("month", month=month, year=year, note="the month after the comparator's"),
        )
        return PeriodPick(cue, "the month after its comparator's")
    return None


#: who a count is of: what a list of parts names and a remainder ('the remaining 20,742') is not
_PARTS = ("nationality", "demographic")


def _remainder(r: SentenceReading, p: Piece) -> bool:
    return any(c.category == "continuation" and c.value == "remainder" for c in r.cues_in(p.start, p.end))


def _precise(p: Piece) -> bool:
    """Is the figure told to three significant digits or more (56,881; 2.05 million), so that the same
    figure told again is the same count, not a round number that happens to recur?"""
    return p.figure.unit * 100 <= p.figure.value and not p.figure.percent and not p.figure.multiple


def distance_label(d: int) -> str:
    return "the previous sentence" if d == 1 else f"the sentence {d} before"


@dataclass
class Scene:
    """What the text before a sentence has set: where, when, and what was last counted."""

    region: tuple[Sourced, int] | None = None
    place: tuple[str, Sourced, int] | None = None
    period: tuple[PeriodPick, int] | None = None
    base: PeriodPick | None = None  # 'An increase from November to December': the earlier side
    month: tuple[PeriodPick, int] | None = None  # the last month named: what 'during the month' means
    referent: tuple[dict[str, Sourced], int] | None = None  # the frame of what was last counted
    told: dict[Fraction, PeriodPick] = field(default_factory=dict)  # precise figures told, with their periods

    def borrowing(self, index: int) -> bool:
        """May sentence ``index`` borrow what an earlier one counted (is there a claim close before it)?"""
        return self.referent is not None and index - self.referent[1] <= REACH

    def carry(self, r: SentenceReading, p: Piece, index: int) -> None:
        """Give ``p`` (in sentence ``index``) the scene and, if it refers back, the subject it lacks. A
        number tied to another (a subset, a comparator, a change) first takes what that one was given."""
        if p.anchor is not None:
            for category, cue in p.anchor.frame.items():
                if category not in p.frame and (p.role != "total" or category in ("region", "measure")):
                    p.frame[category] = cue
            if (
                p.period is None
                and p.period_default is None
                and p.kind == "count"
                and p.anchor.period is not None
            ):
                p.period = p.anchor.period
        has_place = any(c in p.frame for c in ("state", "aor"))
        if "region" not in p.frame and self.region is not None and p.role != "total":
            cue, at = self.region
            p.frame["region"] = cue.moved(distance_label(index - at))
        # a region taken from the number it belongs to is named in this sentence too
        region_here = "region" in p.frame and p.frame["region"].source in (*_WITHIN, ANCHOR)
        if not region_here and not has_place and self.place is not None and p.role != "total":
            category, cue, at = self.place
            p.frame[category] = cue.moved(distance_label(index - at))
        if self.month is not None:
            pick, at = self.month
            p.scene_month = PeriodPick(pick.cue, distance_label(index - at))
        if (
            p.period is None
            and p.period_default is None
            and p.kind == "count"
            and p.figure.value in self.told
        ):
            # a precise figure told again is the same count, of the same period ('Of the 56,881 Brazilians
            # detained on the border with Mexico, ...' after '... in this fiscal year (56,881)')
            p.period = PeriodPick(self.told[p.figure.value].cue, RESTATED)
        whole = next((q for q in r.pieces if q.role == "container" and q.figure.start < p.figure.start), None)
        if p.period is None and p.period_default is None and whole is not None and whole.period is not None:
            p.period = whole.period  # 'Of the 56,881 ..., the majority came with families (43,790)': the same
        if self.period is not None:
            pick, at = self.period
            p.scene_period = PeriodPick(pick.cue, distance_label(index - at))
            if p.period is None and p.period_default is None:
                p.period = _after_comparator(r, p) or p.scene_period
                if self.base is not None:
                    p.scene_base = PeriodPick(self.base.cue, distance_label(index - at))
        if self.referent is None:
            return
        frame, at = self.referent
        if index - at > REACH or (index - at > NEAR and not p.refers_back):
            return
        if p.refers_back or not r.counted_noun:
            for category in SUBJECT:
                if category in _PARTS and _remainder(r, p):
                    continue  # 'The remaining 20,742 ...': the whole's agency and kind, not the parts' group
                if category not in p.frame and category in frame:
                    p.frame[category] = frame[category].moved(f"what {distance_label(index - at)} counted")
        elif "measure" not in p.frame and "measure" in frame:
            # the sentence goes on about the same encounters without naming them ('Guatemalans and
            # Hondurans each topped 24,000'): an encounter count, of no particular kind
            p.frame["measure"] = Sourced(("encounters",), frame["measure"].texts, distance_label(index - at))

    def update(self, text: str, r: SentenceReading, claims: list[Piece], index: int) -> None:
        """After sentence ``index``: what it stated becomes the scene, its main claim the referent. Only
        the main claim's frame and the sentence's shared frame set the scene: a comparator's month or a
        subset's state stays with that number."""
        main = next((p for p in claims if p.role in ("main", "container")), claims[0] if claims else None)
        for p in claims:
            if p.kind == "count" and p.period is not None and _precise(p):
                self.told.setdefault(p.figure.value, p.period)
        shared = [c for c in r.cues if any(a <= c.start < b for a, b in r.shared)] if r.pieces else r.cues
        region = main.frame.get("region") if main is not None else None
        if region is not None and region.source in _WITHIN:
            self.region = (region, index)
        elif cues := [c for c in shared if c.category == "region"]:
            self.region = (Sourced((cues[0].value,), (cues[0].text,), OWN), index)
        places = [c for c in shared if c.category in ("state", "aor")]
        if main is not None and any(
            k in main.frame and main.frame[k].source in _WITHIN for k in ("state", "aor")
        ):
            k = "aor" if "aor" in main.frame else "state"
            self.place = (k, main.frame[k], index)
        elif places:
            self.place = (places[0].category, Sourced((places[0].value,), (places[0].text,), OWN), index)
        elif (region is not None and region.source in _WITHIN) or any(c.category == "region" for c in shared):
            self.place = None  # a sentence that names its region without a place leaves the place behind
        if (
            main is not None
            and main.period is not None
            and main.period.source in (*_WITHIN, ANCHOR, RESTATED)
            and main.period.cue.spec.kind != "partial"  # 'closed from Dec. 4 through Jan. 4': not a scene
            # 'the same period in FY22 when agents encountered 400,219': told against the period in view,
            # which stays in view
            and main.period.cue.spec.kind not in periods.RELATIVE
        ):
            self.period, self.base = (main.period, index), None
            if main.period.cue.spec.kind == "month":
                self.month = (main.period, index)
        else:
            spans = r.shared if r.pieces else [(r.sentence.start, r.sentence.end)]
            found = [
                c
                for a, b in spans
                for c in r.set_periods_in(text, a, b)
                if c.spec.kind not in periods.RELATIVE and c.spec.kind != "partial"
            ]
            if found:
                self.period, self.base = _change_sides(r, found[0], index)
                if self.period[0].cue.spec.kind == "month":
                    self.month = self.period
        if main is not None:
            self.referent = (main.frame, index)
        elif not _numbers(r):
            # 'Cubans are arriving at the southern border in growing numbers.': a sentence with no number
            # (its dates aside: 'in fiscal year 2021 (October 1, 2020 to September 30, 2021)') that names
            # what is counted is what a following 'of them' refers to
            frame = {}
            for category in SUBJECT:
                found_cues = [c for c in r.cues if c.category == category]
                if category == "nationality" and found_cues:
                    # 'Nicaraguans were the fourth-largest nationality, closely behind Venezuelans.': the
                    # nationalities the sentence is about are its first list; later ones are ranked against
                    found_cues = list_groups(text, found_cues)[0]
                if found_cues:
                    values = tuple(dict.fromkeys(c.value for c in found_cues))
                    frame[category] = Sourced(values, tuple(c.text for c in found_cues), OWN)
            if "measure" in frame or "nationality" in frame or "demographic" in frame:
                self.referent = (frame, index)


def _numbers(r: SentenceReading) -> bool:
    """Does the sentence hold a number other than a date or a period's?"""
    return any(f.reject is None and not any(p.start <= f.start < p.end for p in r.periods) for f in r.figures)


def _change_sides(
    r: SentenceReading, cue: PeriodCue, index: int
) -> tuple[tuple[PeriodPick, int], PeriodPick | None]:
    """'An increase in encounters from November to December was seen': the later month is the scene's
    period, the earlier one the side a following change compares with."""
    spec = cue.spec
    changing = any(c.category in ("direction", "direction_after") for c in r.cues)
    if (
        spec.kind == "range"
        and cue.text.casefold().startswith("from")
        and changing
        and spec.start
        and spec.end
    ):
        later = PeriodCue(cue.start, cue.end, cue.text, spec.end)
        earlier = PeriodCue(cue.start, cue.end, cue.text, periods.range_start(spec))
        return (PeriodPick(later, OWN), index), PeriodPick(earlier, OWN)
    return (PeriodPick(cue, OWN), index), None


def fill_from_later(readings: list[tuple[int, SentenceReading]], claims: dict[int, list[Piece]]) -> None:
    """Region and place still missing: from the later sentences of the same paragraph."""
    # the first scene cue after each sentence within its paragraph, in one backward pass (a paragraph of
    # a thousand sentences costs a thousand steps, not half a million)
    after: list[Cue | None] = [None] * len(readings)
    nxt: Cue | None = None
    for k in range(len(readings) - 1, -1, -1):
        after[k] = nxt
        if k > 0 and readings[k - 1][0] != readings[k][0]:
            nxt = None  # a new paragraph starts here: the one before sees nothing of it
            continue
        own = next((c for c in readings[k][1].cues if c.category in SCENE), None)
        if own is not None:
            nxt = own
    for k in range(len(readings)):
        cue = after[k]
        if cue is None:
            continue
        for p in claims.get(k, []):
            if "region" in p.frame or any(c in p.frame for c in ("state", "aor")):
                continue
            p.frame[cue.category] = Sourced((cue.value,), (cue.text,), "a later sentence of the paragraph")
