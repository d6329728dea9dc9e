"""The values the reader passes around: a number's :class:`Piece` (segment, role, frame, period) and a
:class:`SentenceReading` (the sentence's cues, periods, numbers and pieces)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from borderdesk.claims import vocab
from borderdesk.claims.choose import Sourced
from borderdesk.claims.cues import SCENE, SUBJECT, Cue
from borderdesk.claims.numbers import Figure
from borderdesk.claims.periods import PeriodCue
from borderdesk.claims.segment import Sentence

CATEGORIES = (*SUBJECT, *SCENE)


OWN = "this clause"


SENTENCE = "this sentence"


ANCHOR = "the number it compares with or belongs to"


#: a change's two sides taken from a count and its comparator told before it: ordered in time when read
PAIR = "the two numbers it relates"


_QUALIFIER_GAP = (
    r"(?:\s*(?:the|a|an|some|about|roughly|around|nearly|almost|approximately|more than|over|just|only)\b)*"
)


@dataclass(frozen=True)
class PeriodPick:
    """The period phrase a claim takes and where it came from."""

    cue: PeriodCue
    source: str


@dataclass
class Piece:
    """One number of a sentence with its segment, role and, once read, its frame."""

    figure: Figure
    start: int
    end: int
    clause: tuple[int, int]
    role: str = "main"
    lead: str = ""  # the connector words that gave the role ('up from', 'including', 'Of the')
    anchor: Piece | None = None  # the number a comparator, subset or change relates to
    first_in_clause: bool = True
    frame: dict[str, Sourced] = field(default_factory=dict)
    period: PeriodPick | None = None
    period_default: str | None = None  # 'previous' | 'year_earlier': an unstated comparator's period
    refers_back: bool = False  # an anaphor, a continuation, or no counted noun: subject cues may carry
    each: bool = False
    scene_period: PeriodPick | None = None  # the period the text before had set (for 'a year earlier')
    difference: bool = False  # 'an increase of almost 6,000', '120,000 fewer': a stated difference
    own_end: int | None = None  # 'the nearly 397,000 individuals apprehended' ends before its predicate
    extra: tuple[int, int] | None = None  # ... which belongs to the subset before it ('were family units')
    scene_base: PeriodPick | None = None  # 'an increase from November to December': the earlier side
    scene_month: PeriodPick | None = None  # the last month the text named (for 'during the month')
    part_from: int | None = None  # 'Families accounted for a third of the 2.5 million': where the part ends

    @property
    def kind(self) -> str:
        return "comparison" if self.figure.percent or self.figure.multiple or self.difference else "count"


@dataclass
class SentenceReading:
    """A sentence read: its cues, periods, numbers and the pieces that may be claims."""

    sentence: Sentence
    cues: list[Cue]
    periods: list[PeriodCue]
    figures: list[Figure]
    pieces: list[Piece]
    shared: list[tuple[int, int]]
    counted_noun: bool  # does the sentence name what it counts ('encounters', 'migrants', 'Russians')?
    compared: list[tuple[int, int]] = field(default_factory=list)  # 'compared to December 2021': no number
    mask: list[tuple[int, int]] = field(default_factory=list)  # cue phrases whose words are not connectors

    @property
    def changes(self) -> bool:
        """Does the sentence speak of a change ('rose', 'fell', 'down', 'increase')?"""
        return any(c.category in ("direction", "direction_after") for c in self.cues)

    def compares(self, text: str, start: int, end: int, period: PeriodCue | None = None) -> bool:
        """Is there a comparator word ('than', 'from', 'compared') between ``start`` and ``end``, outside
        cue phrases ('migrants from the People's Republic of China', 'entering from Mexico')? With the
        ``period`` that follows, 'over' opening a stretch of time ('over the last 12 months') is none."""
        for m in _COMPARED.finditer(text, start, end):
            if any(a <= m.start() < b for a, b in self.mask):
                continue
            if (
                period is not None
                and _over_a_stretch(m.group(0), period)
                and text[m.end() : period.start].strip().casefold() in ("", "the")
            ):
                continue
            return True
        return False

    def cues_in(self, start: int, end: int, category: str | None = None) -> list[Cue]:
        return [
            c
            for c in self.cues
            if start <= c.start and c.end <= end and (category is None or c.category == category)
        ]

    def periods_in(self, start: int, end: int) -> list[PeriodCue]:
        return [p for p in self.periods if start <= p.start and p.end <= end and p.meaningful]

    def set_periods_in(self, text: str, start: int, end: int) -> list[PeriodCue]:
        """The periods of a stretch that set a scene: not those a comparator opens ('as in most months
        since Joe Biden took office', 'than in FY2024')."""
        return [
            p for p in self.periods_in(start, end) if not compared_period(text, p, max(start, p.start - 30))
        ]

    @property
    def main(self) -> Piece | None:
        return next((p for p in self.pieces if p.role in ("main", "container")), None)


@cache
def _period_compared() -> re.Pattern[str]:
    """The word that opens a comparison's other side; a verb of exceeding ('exceeded the 2020 total')
    has that side as its object (comparator_verb in claim_cues.csv)."""
    verbs = vocab.alternation(sorted(vocab.words("comparator_verb")))
    return re.compile(
        rf"\b(?:over|from|than|compared (?:with|to)|versus|vs\.?|as|like|{verbs})"
        r"\s+(?:(?:the|a|in|most months)\s+)*$",
        re.IGNORECASE,
    )


#: 'over the last 12 months', 'over fiscal 2024' name a stretch of time, not the side of a comparison
_SPANS = frozenset(
    {"past_months", "window", "fytd", "range", "since", "through", "part", "event", "this_year"}
)


def compared_period(text: str, p: PeriodCue, floor: int) -> re.Match[str] | None:
    """The comparator word that opens period ``p`` ('a 70% spike over February', 'than in FY2024')."""
    m = _period_compared().search(text, max(0, floor), p.start)
    return None if m is not None and _over_a_stretch(m.group(0), p) else m


def _over_a_stretch(words: str, p: PeriodCue) -> bool:
    """'over the last 12 months', 'over fiscal 2024': 'over' opening a stretch of time, not a comparison."""
    return words.split()[0].casefold() == "over" and p.spec.kind in _SPANS


def _first_in_clause(r: SentenceReading, p: Piece) -> Piece:
    return next(q for q in r.pieces if q.clause == p.clause and q.first_in_clause)


_COMPARED = re.compile(
    r"\b(?:than|compared|versus|vs\.?|from|over|against|as (?:in|of|during|for)|like in)\b", re.IGNORECASE
)


def told_pair(r: SentenceReading, p: Piece) -> tuple[PeriodPick, PeriodPick] | None:
    """A change with no period of its own told after a count and its comparator, each with its own period
    ('427,471 in the fiscal year by September 2023, compared to 256,102 through September this year -- a
    40.1% decrease'): the change between the two, whichever of them the text told first (the resolver
    puts the later period on the later side)."""
    main = p.anchor
    if main is None or main.role != "main" or main.period is None or main.period.source != OWN:
        return None
    other = next(
        (
            q
            for q in r.pieces
            if q.role == "comparator"
            and q.anchor is main
            and main.figure.end <= q.figure.start
            and q.figure.end <= p.figure.start
            and q.period is not None
            and q.period.source == OWN
            and q.period.cue is not main.period.cue
        ),
        None,
    )
    if other is None or other.period is None:
        return None
    return PeriodPick(main.period.cue, PAIR), PeriodPick(other.period.cue, PAIR)
