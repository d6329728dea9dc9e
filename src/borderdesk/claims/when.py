"""The period each number takes inside its sentence: its own segment (right after it, unless compared),
a 'when' clause, the period just before it, the number it relates to, the sentence's shared frame; and
the two sides of a stated change."""

from __future__ import annotations

import re
from functools import cache

from borderdesk.claims import periods, vocab
from borderdesk.claims.cues import LIST_GLUE
from borderdesk.claims.periods import PeriodCue, PeriodSpec
from borderdesk.claims.pieces import (
    ANCHOR,
    OWN,
    SENTENCE,
    PeriodPick,
    Piece,
    SentenceReading,
    _first_in_clause,
    compared_period,
    told_pair,
)
from borderdesk.values import MONTH_WORDS


def _period(text: str, r: SentenceReading, p: Piece, earlier: list[Piece], later: list[Piece]) -> None:
    if p.kind == "comparison":
        return  # a change has two periods: see comparison_periods
    glossed = [c for c in r.periods if c.meaningful and _GLOSS.fullmatch(text, c.end, p.figure.start)]
    if glossed:  # 'in this fiscal year (56,881) exceeded the 2020 total': the number glosses the period
        p.period = PeriodPick(glossed[-1], OWN)
        return
    own = _own_period(text, r, p, r.periods_in(p.start, p.end))
    if (
        own is not None
        and own.spec.kind == "since"
        and own.spec.start is not None
        and own.end <= p.figure.start
        and p.role == "comparator"
        and p.lead.casefold().startswith("from")
    ):  # 'each month since April, from 1,759 to 6,517 in August': the level the rise started from, in April
        own = PeriodCue(own.start, own.end, own.text, own.spec.start)
    if own is not None:
        p.period = PeriodPick(own, OWN)
        return
    just_before = [
        c
        for c in r.periods
        if c.meaningful and c.end <= p.figure.start and _ATTACHED.fullmatch(text, c.end, p.figure.start)
    ]
    if just_before:  # 'over the fiscal year of 2021 at 1,659,206'
        p.period = PeriodPick(just_before[-1], OWN)
        return
    when = _when_clause(text, r, p)
    if when is not None:
        p.period = PeriodPick(when, SENTENCE)
        return
    change = next(
        (
            q
            for q in reversed(r.pieces)
            if q.kind == "comparison" and q.figure.end <= p.figure.start and q.clause == p.clause
        ),
        None,
    )
    if change is not None and p.role == "main":
        # 'apprehensions dropping 14% in October compared to September, reaching below 189,000'
        found = r.set_periods_in(text, change.start, change.end)
        if found:
            cue = found[0]
            if cue.spec.kind == "range" and cue.spec.end is not None:
                # 'rebounded by 61% between June and August, to roughly 233,000': the level at the end
                cue = PeriodCue(cue.start, cue.end, cue.text, cue.spec.end)
            p.period = PeriodPick(cue, SENTENCE)
            return
    if not p.first_in_clause:
        lead = r.periods_in(p.clause[0], _first_in_clause(r, p).figure.start)
        if lead:
            p.period = PeriodPick(lead[-1], SENTENCE)
            return
    if p.anchor is not None and p.role == "comparator":
        if _TEMPORAL_LEAD.search(p.lead) or r.changes:
            p.period_default = "comparator"  # 'up from 242,399': the month (or year) before the main one's
            return
        if p.anchor.period is not None:  # 'compared to 39,733 Mexicans': the same months
            p.period = PeriodPick(p.anchor.period.cue, ANCHOR)
            return
    if p.anchor is not None and p.anchor.period is not None:
        p.period = PeriodPick(p.anchor.period.cue, ANCHOR)
        return
    for span in r.shared:
        found = r.set_periods_in(text, *span)
        if found:
            p.period = PeriodPick(found[-1], SENTENCE)
            return
    for q in [*reversed(earlier), *later]:
        if q in later and not _LISTED.fullmatch(text, p.figure.end, q.figure.start):
            continue  # '96,917 Indians were arrested ..., with April recording 12,537': not a shared tail
        if q.period is not None and q.role != "comparator":
            p.period = PeriodPick(q.period.cue, SENTENCE)
            return
        if q in later:
            found = [c for c in r.periods_in(q.start, q.end) if c.spec.kind not in periods.RELATIVE]
            if found:
                p.period = PeriodPick(found[0], SENTENCE)
                return


#: a list whose period comes after its last item ('50,000 Venezuelans and 40,000 Cubans in December')
_LISTED = re.compile(rf"(?:\s*[\w'-]+){{0,5}}?\s*{LIST_GLUE}(?:[\w'-]+\s+){{0,3}}")


#: relative periods that name the other side of a comparison ('a year earlier'), not a count's own period
_COMPARISON_RELATIVE = frozenset({"previous_month", "year_earlier", "same_in_year"})


_TEMPORAL_LEAD = re.compile(r"\b(?:up|down)?\s*from\b|\blist\b", re.IGNORECASE)


#: a number in parentheses right after a period phrase
_GLOSS = re.compile(r"\s*\(\s*(?:about|some|nearly|more than|over|almost)?\s*", re.IGNORECASE)


_ATTACHED = re.compile(
    r"[\s,:(]*(?:at|with|of|was|were|stood at|totaled|totalled)?[\s,:(]*"
    r"(?:(?:about|some|nearly|more than|over)\s+)?",
    re.IGNORECASE,
)


#: between a period and its 'when' clause: an aside, or the end of a parenthesis the period closes
#: ('(ie, from October 1, 2019 to September 30, 2020), when ...')
_ASIDE = re.compile(r"[\s,()]*(?:[—–-]+[^—–]{0,60}[—–-]+)?[\s,(]*")


#: '..., when', and after an aside: 'since February 2021 — Biden's first full month — when'
_WHEN = re.compile(
    r"[\s,(]*(?:[—–-]+[^—–]{0,60}[—–-]+)?[\s,(]*(?:when|during which|in which|by which time)\b", re.IGNORECASE
)


def _when_clause(text: str, r: SentenceReading, p: Piece) -> PeriodCue | None:
    """'... from February, when more than 9,400 minors were taken into custody': a 'when' clause is set
    in the period right before it."""
    if not _WHEN.match(text, p.start, p.figure.start):
        return None
    before = [
        c for c in r.periods if c.meaningful and c.end <= p.start and _ASIDE.fullmatch(text, c.end, p.start)
    ]
    if not before:
        return None
    cue = before[-1]
    if cue.spec.kind == "since" and cue.spec.start is not None:  # 'since May, when ...': that May
        return PeriodCue(cue.start, cue.end, cue.text, cue.spec.start)
    return cue


_TIED = re.compile(r"\b(?:when|while|as)\b", re.IGNORECASE)


_WHEN_TAIL = re.compile(
    r"\s*,?\s*when\b[^,;.()—–]{0,80}?(?:only\s+|just\s+|about\s+|some\s+)?", re.IGNORECASE
)
_LEVEL_OF = re.compile(
    r"\s+(?:[\w-]+\s+){0,2}?(?:levels?|figures?|totals?|numbers?|marks?|tally|count)\s+of\s+"
    r"(?:about\s+|some\s+|nearly\s+|only\s+|just\s+)?",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(
    r"[,;:()—–]|\s-\s|\b(?:and|but|while|whereas|which|compared|than)\b", re.IGNORECASE
)


def _reach(text: str, p: Piece, c: PeriodCue) -> int:
    """How far after a number a relative period can still be its own: a year back told in the same clause
    ('... encountered between border posts during the same time period the previous year') reaches
    further than 'for the month'."""
    if c.spec.kind in _COMPARISON_RELATIVE and not _CLAUSE_BREAK.search(text, p.figure.end, c.start):
        return 90
    return 40


def _own_period(text: str, r: SentenceReading, p: Piece, found: list[PeriodCue]) -> PeriodCue | None:
    """Right after the number ('153,941 in January') unless compared ('higher than November', 'from their
    July peak'), else the nearest before it."""
    after = [
        c
        for c in found
        if c.start >= p.figure.end
        and not r.compares(text, p.figure.end, c.start, c)
        # 'for the month' far after the number ('... though the figures for the month vary'): not its own
        and not (c.spec.kind in periods.RELATIVE and c.start - p.figure.end > _reach(text, p, c))
    ]
    if any(c.end <= p.figure.start for c in found):
        # 'since the beginning of the fiscal year, a total of 140,602 Cubans have entered, a figure that
        # already exceeds the Mariel Boatlift exodus of 1980': past a comma, a later year is another topic
        after = [c for c in after if "," not in text[p.figure.end : c.start]]
    absolute = [c for c in after if c.spec.kind not in _COMPARISON_RELATIVE]
    if (
        after
        and after[0].spec.kind in _COMPARISON_RELATIVE
        and absolute
        and absolute[0].spec.kind == "event"
        and not _CLAUSE_BREAK.search(text, p.figure.end, after[0].start)
    ):  # '1.7 million set the year before by the CBP under Biden': the year is the number's, not the term
        return after[0]
    if absolute or (after and p.role == "comparator"):  # '3,100 a year earlier' is the comparator's own
        return (absolute or after)[0]
    # '189,000 for the same month a year ago', 'the 7,630 encountered between border posts during the same
    # time period the previous year': in the number's own clause, a year back is the number's period
    tied = [c for c in after if not _CLAUSE_BREAK.search(text, p.figure.end, c.start)]
    if tied:
        return tied[0]
    # 'up from the same period in FY22 when agents encountered 400,219': the period the 'when' clause is in
    set_in = [
        c
        for c in found
        if c.end <= p.figure.start
        and c.spec.kind in _COMPARISON_RELATIVE
        and _WHEN_TAIL.fullmatch(text, c.end, p.figure.start)
    ]
    if set_in:
        return set_in[-1]
    # 'about four times the year-ago level of 2,890', 'down from the FY2019 apprehension total of 851,508':
    # the period that names the level is the number's own, even inside a comparator phrase
    level = [
        c
        for c in r.periods
        if c.meaningful and c.end <= p.figure.start and _LEVEL_OF.fullmatch(text, c.end, p.figure.start)
    ]
    if level:
        return level[-1]
    before = [
        c
        for c in found
        if c.end <= p.figure.start
        and c.spec.kind not in _COMPARISON_RELATIVE
        # 'compared to September, reaching 189,000' -- but 'from January when OFO encountered 32,346'
        and not (
            p.role != "comparator"
            and compared_period(text, c, c.start - 30)
            and not _TIED.search(text, c.end, p.figure.start)
        )
    ]
    if not before:
        return None
    last = before[-1]
    if last.spec.kind == "year":  # 'February, year by year, you had 2025 -- you're at 8,300'
        month = next(
            (c for c in reversed(before[:-1]) if c.spec.kind == "month" and c.spec.year is None), None
        )
        if month is not None:
            spec = PeriodSpec("month", month=month.spec.month, year=last.spec.year)
            return PeriodCue(month.start, last.end, text[month.start : last.end], spec)
    return last


_IN_PARENS = re.compile(r"\s*\(\s*")


@cache
def _day_bounds() -> re.Pattern[str]:
    """A month with its day ('October 1', 'Sept. 30', '30 September'): a range bounded by days."""
    names = vocab.alternation(sorted(MONTH_WORDS))
    return re.compile(
        rf"(?i:\b(?:{names}))\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?i:(?:{names}))\b"
    )


def comparison_periods(
    text: str, r: SentenceReading, p: Piece
) -> tuple[PeriodPick | None, PeriodPick | None]:
    """(later side, earlier side) of a stated change; an unstated side is None (the resolver supplies
    the default: the previous month for a month, the same period a year earlier otherwise)."""
    own = r.periods_in(p.start, p.end)
    head = _list_head(text, r, p)
    if head is not None and not own:  # 'fell between June and July by 24% and 25%': the list's periods
        return comparison_periods(text, r, head)
    for c in own:
        if (
            _two_ends(c) or (_two_ended_range(c) and _IN_PARENS.fullmatch(text, c.end, p.figure.start))
        ) and c.start >= p.figure.end - 40:
            # 'rose 42% from December to January', 'rebounded by 61% between June and August', 'February to
            # March 2021 (73%)': a range with its change in parentheses right after it
            return _ends(c)
    bases = [
        c
        for c in own
        if c.start >= p.figure.end
        and (c.spec.kind in periods.RELATIVE or r.compares(text, p.figure.end, c.start) or p.figure.multiple)
    ]
    base = PeriodPick(bases[0], OWN) if bases else None
    if base is None:
        # 'up 33% from 174,845 a year ago': the earlier side sits with the comparator number after it
        comparator = next(
            (q for q in r.pieces if q.role == "comparator" and q.figure.start > p.figure.start), None
        )
        if comparator is not None:
            found = r.periods_in(comparator.start, comparator.end)
            base = PeriodPick(found[0], SENTENCE) if found else None
    if base is None:
        # 'increased 80 percent, ... compared to December 2021': a comparator phrase with no number
        for span in r.compared:
            found = r.periods_in(*span)
            if found:
                base = PeriodPick(found[0], SENTENCE)
                break
    if base is None:
        # 'between April and July, the two sectors reported an increase of 139 percent': with no other
        # earlier side, a 'between' range told before the change in its clause gives both of its sides
        between = [
            c
            for c in own
            if _two_ends(c) and c.end <= p.figure.start and c.text.casefold().startswith("between")
        ]
        if between:
            return _ends(between[-1])
    currents = [c for c in own if (base is None or c is not base.cue) and c.spec.kind not in periods.RELATIVE]
    before = [
        c
        for c in currents
        if c.end <= p.figure.start
        and not r.compares(text, c.end, p.figure.start)
        # 'down 23% from March 2022 (211,181) and down 4% from March 2021': another change's earlier side
        and not compared_period(text, c, c.start - 30)
    ]
    if before:  # 'fell 42% in January from December', 'In August, ... a 1.7% increase'
        return PeriodPick(before[-1], OWN), base
    # '427,471 in fiscal 2023, compared to 256,102 this year -- a 40.1% decrease (year over year)'
    pair = told_pair(r, p) if base is None or base.cue.spec.kind in periods.RELATIVE else None
    if pair is not None:
        return pair
    if p.anchor is not None and p.anchor.period is not None:
        # not when the number it belongs to sits in the earlier side ('up 187 percent from the same period
        # last year when agents apprehended 67,048': the later side is what 'this' refers back to)
        if not _earlier_side(text, r, p, p.anchor, base) and (
            base is None or p.anchor.period.cue != base.cue
        ):
            return PeriodPick(p.anchor.period.cue, ANCHOR), base
        if base is None:  # 'nearly four times the 34,845 ... during the same period in fiscal 2020'
            base = PeriodPick(p.anchor.period.cue, ANCHOR)
    after = [c for c in currents if c.start >= p.figure.end]
    if after:
        return PeriodPick(after[0], OWN), base
    for span in r.shared:
        found = [c for c in r.periods_in(*span) if base is None or c is not base.cue]
        if found:
            return PeriodPick(found[-1], SENTENCE), base
    return None, base


def _two_ends(c: PeriodCue) -> bool:
    """A range told by its two ends ('from December to January', 'between June and August')."""
    return c.text.casefold().startswith(("from", "between")) and _two_ended_range(c)


def _two_ended_range(c: PeriodCue) -> bool:
    """A range of months with both ends stated, not bounded by days."""
    return (
        c.spec.kind == "range"
        and c.spec.start is not None
        and c.spec.end is not None
        # 'from October 1, 2019 to September 30, 2020': bounded by days, one stretch, not two sides
        and not _day_bounds().search(c.text)
    )


def _ends(c: PeriodCue) -> tuple[PeriodPick, PeriodPick]:
    """(later side, earlier side) of a change told across a range: its last and its first month."""
    assert c.spec.end is not None
    return (
        PeriodPick(PeriodCue(c.start, c.end, c.text, c.spec.end), OWN),
        PeriodPick(PeriodCue(c.start, c.end, c.text, periods.range_start(c.spec)), OWN),
    )


_GLUE_ONLY = re.compile(rf"{LIST_GLUE}(?:[a-z]+\s+)?", re.IGNORECASE)


def _list_head(text: str, r: SentenceReading, p: Piece) -> Piece | None:
    """The change just before ``p`` in a list of changes with nothing but list glue (and a qualifier)
    between them ('24% and 25%'): the list's items share one pair of periods."""
    prev = [q for q in r.pieces if q.kind == "comparison" and q.figure.end <= p.figure.start]
    if not prev or p.kind != "comparison":
        return None
    q = prev[-1]
    return q if _GLUE_ONLY.fullmatch(text, q.figure.end, p.figure.start) else None


def _earlier_side(text: str, r: SentenceReading, p: Piece, anchor: Piece, base: PeriodPick | None) -> bool:
    """Is the number a change relates to its earlier side ('a 33.3 percent increase over June (when agents
    apprehended 99,539)', 'up from the same period in FY22 when agents encountered 400,219 -- an increase
    of 21 percent', 'four times the 34,845 ...')? Then its period is the change's base, not its current."""
    assert anchor.period is not None
    cue = anchor.period.cue
    if base is not None and cue is base.cue:
        return True
    if anchor.role == "comparator" or compared_period(text, cue, cue.start - 30):
        return True
    return anchor.figure.start > p.figure.end and (
        p.figure.multiple or r.compares(text, p.figure.end, anchor.figure.start)
    )


#: a stretch of a year in view ('the first four months of fiscal 2023', 'so far this fiscal year'): what a
#: contrast of 'last year' with 'this year' compares
_PART_OF_YEAR = frozenset({"part", "quarter", "half", "range", "window", "through", "fytd", "past_months"})


def year_in_view(
    r: SentenceReading, p: Piece, pick: PeriodPick | None, side: str = "count"
) -> tuple[PeriodPick | None, bool]:
    """(the period, whether it counts back from the stretch in view). In a text about a stretch of the year
    ('the first four months of fiscal 2023'), a change told as '167,461 last year but only 99,172 this year
    -- a 40.8 percent decrease' or 'surpassing last year's number of 6,844' compares that stretch with the
    same months a year before: 'this year' is the stretch, 'last year' a year before it (a change's later
    ``side`` is the stretch, whichever year it was read from)."""
    scene = p.scene_period
    if pick is None or scene is None or not r.changes or scene.cue.spec.kind not in _PART_OF_YEAR:
        return pick, False
    if any(c.spec.kind not in ("this_year", "last_year") for c in r.periods if c.meaningful):
        return pick, False  # 'nearly two million for this fiscal year -- just shy of last year's 2.2 million'
    if pick.cue.spec.kind == "this_year" or (side == "current" and pick.cue.spec.kind == "last_year"):
        return scene, False  # a change told with both years is the stretch's change
    if pick.cue.spec.kind == "last_year":
        spec = PeriodSpec("year_earlier", note="the same months a year before the stretch in view")
        return PeriodPick(PeriodCue(pick.cue.start, pick.cue.end, pick.cue.text, spec), pick.source), True
    return pick, False
