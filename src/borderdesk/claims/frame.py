"""The frame of each number inside its sentence (claim-check.md, 'Reading the sentence').

A sentence is cut into one *segment* per number: a number's clause, or the part of a clause from the
connector before it ('and', 'while', 'up from', 'including' ...) to the next number's. What is left —
clauses that hold no number, and the words of a clause before its first number (its subject: 'At the
southern border, CBP counted ...') — is the sentence's *shared frame*.

Each number gets a *role* from the words that lead to it:

- ``main``: the first number that is not a comparator (what the sentence is about);
- ``comparator``: 'up from 242,399 in November', 'compared with 3,100 a year earlier', 'from 179,219 in
  December to ...': it takes the main number's frame, except what it restates (usually its period);
- ``subset``: 'including 10,385 who ...', '58,000 of them': the main number's frame, its own cues first;
- ``container``: 'Of the 41,000 encountered, ...': the number the rest of the sentence divides;
- ``total``: 'for a total of 203,597': the shared frame only, none of a sibling's agency or group;
- ``sibling``: another number with a frame of its own ('12,000 children and 60,000 family members'):
  it never takes a sibling's group or agency, only where and when;
- ``change``: a percent change or a multiple: the main number's frame, with two periods.

:func:`read_sentence` resolves every category a number can take inside its sentence and says where each
cue came from; :mod:`borderdesk.claims.scene` carries scene cues and back-references across sentences.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import cache

from borderdesk.claims import numbers, periods, vocab
from borderdesk.claims.choose import Sourced, choose, list_groups, sourced
from borderdesk.claims.cues import SCENE, SUBJECT, Cue, find_cues
from borderdesk.claims.numbers import Figure
from borderdesk.claims.periods import PeriodCue, PeriodSpec
from borderdesk.claims.segment import Sentence
from borderdesk.claims.units import difference_of, direction_of, unit_of

CATEGORIES = (*SUBJECT, *SCENE)
OWN, SENTENCE, ANCHOR = "this clause", "this sentence", "the number it compares with or belongs to"
_MASKED = ("region", "agency", "measure", "demographic", "title", "aor", "state", "cbp_source", "source")
_BOUNDARY = re.compile(
    r"[;,:()]|\s[—–-]\s|\b(?:and|while|whereas|but|or|to|from|than|versus|vs\.?|compared|including|with"
    r"|against|up|down|of|above|below|over|when)\b",
    re.IGNORECASE,
)
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

    def compares(self, text: str, start: int, end: int) -> bool:
        """Is there a comparator word ('than', 'from', 'compared') between ``start`` and ``end``, outside
        cue phrases ('migrants from the People's Republic of China', 'entering from Mexico')?"""
        for m in _COMPARED.finditer(text, start, end):
            if not any(a <= m.start() < b for a, b in self.mask):
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
            p
            for p in self.periods_in(start, end)
            if not _PERIOD_COMPARED.search(text, max(start, p.start - 30), p.start)
        ]

    @property
    def main(self) -> Piece | None:
        return next((p for p in self.pieces if p.role in ("main", "container")), None)


# ----------------------------------------------------------------------------------- pieces


_CLAIMABLE = frozenset(
    {"measure", "measure_weak", "anaphor", "continuation", "nationality", "demographic", "title"}
)


def read_sentence(text: str, s: Sentence, *, borrowing: bool = True) -> SentenceReading:
    """Find the numbers of a sentence, cut it into their segments, give each its role and its frame.
    With ``borrowing`` False (no claim just before it to borrow an encounter word from), a sentence with
    no encounter word, group or back-reference of its own holds no claim, and its numbers are not read."""
    cues = find_cues(text, s.start, s.end)
    hopeless = not borrowing and not any(c.category in _CLAIMABLE for c in cues)
    hopeless = hopeless and not _counted_words().search(text, s.start, s.end)
    figures = [] if hopeless else numbers.parse_figures(text, s.start, s.end)
    found = _compose(text, _drop_annotations(text, periods.find_periods(text, s.start, s.end)), figures)
    reserved = [(p.start, p.end) for p in found]
    live = [
        f
        for f in figures
        if f.reject is None and not _overlaps(f, reserved) and _may_claim(text, f, cues, found, s.end)
    ]
    mask = _mask(text, cues, found)
    pieces = _pieces(text, s, live, mask + _period_spans(text, found))
    for p in pieces:
        if not p.figure.percent and not p.figure.multiple:
            p.difference = difference_of(text, cues, found, p.figure) is not None
    shared, compared = _shared(text, s, pieces)
    counted = _counted_noun(text, s, cues)
    reading = SentenceReading(s, cues, found, figures, pieces, shared, counted, compared, mask)
    _roles(text, reading)
    for piece in sorted(pieces, key=resolution_order):
        _frame(text, reading, piece)
    _respectively(text, reading)
    return reading


_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)
_GLUE = re.compile(
    r"[\s,]*(?:and|or|&)?[\s,]*(?:(?:about|some|roughly|nearly|more than|over)\s+)?", re.IGNORECASE
)


def _respectively(text: str, r: SentenceReading) -> None:
    """'unaccompanied children and families ... by about 24% and 25%, respectively': the i-th of a list
    of numbers takes the i-th of the list of groups (or places) before it."""
    s = r.sentence
    if not _RESPECTIVELY.search(text, s.start, s.end) or len(r.pieces) < 2:
        return
    runs: list[list[Piece]] = [[r.pieces[0]]]
    for a, b in itertools.pairwise(r.pieces):
        if _GLUE.fullmatch(text, a.figure.end, b.figure.start):
            runs[-1].append(b)
        else:
            runs.append([b])
    run = max(runs, key=len)
    if len(run) < 2:
        return
    for category in ("nationality", "demographic", "region", "state", "aor", "agency"):
        found = [c for c in r.cues if c.category == category and c.end <= run[0].figure.start]
        groups = [g for g in list_groups(text, found) if len({c.value for c in g}) == len(run)]
        if groups:
            for piece, cue in zip(run, groups[-1], strict=True):
                piece.frame[category] = Sourced((cue.value,), (cue.text,), OWN)


def _may_claim(text: str, f: Figure, cues: list[Cue], found: list[PeriodCue], end: int) -> bool:
    """A share ('41.3% of the total') or a number of other things ('2,000 agents') is no claim and takes
    no segment: its words stay with the number it interrupts."""
    if f.percent:
        return direction_of(text, cues, found, f) is not None
    if f.multiple:
        return True
    unit = unit_of(text, f, end)
    return unit is None or unit[0] != "block"


def _overlaps(f: Figure, spans: list[tuple[int, int]]) -> bool:
    return any(f.start < b and f.end > a for a, b in spans)


def _compose(text: str, found: list[PeriodCue], figures: list[Figure]) -> list[PeriodCue]:
    """'February, year by year, you had 2025 -- you're at 8,300': a month and the year that follows it,
    with no number between, are one month."""
    out: list[PeriodCue] = []
    for p in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.spec.kind == "month"
            and prev.spec.year is None
            and p.spec.kind == "year"
            and p.start - prev.end <= 40
            and not any(prev.end <= f.start < p.start for f in figures if f.reject is None)
        ):
            spec = PeriodSpec("month", month=prev.spec.month, year=p.spec.year)
            out[-1] = PeriodCue(prev.start, p.end, text[prev.start : p.end], spec)
            continue
        out.append(p)
    return out


_GLOSS = re.compile(
    r"\b(?:that|which)\s+(?:began|begins|started|starts|ended|ends|ran|runs|closed|closes)(?:\s+(?:on|in))?\s*$",
    re.IGNORECASE,
)


def _drop_annotations(text: str, found: list[PeriodCue]) -> list[PeriodCue]:
    """'December 2021 (Fiscal Year 2022)', 'the fiscal year that began in October': a period that only
    glosses the one before it."""
    out: list[PeriodCue] = []
    for p in found:
        glossing = out and p.meaningful and _GLOSS.search(text, out[-1].end, p.start)
        if glossing or (out and text[out[-1].end : p.start].strip() == "(" and p.meaningful):
            out.append(PeriodCue(p.start, p.end, p.text, PeriodSpec("ignore", note="a gloss")))
            continue
        out.append(p)
    return out


def _mask(text: str, cues: list[Cue], found: list[PeriodCue]) -> list[tuple[int, int]]:
    """Spans whose connector words ('entering from Mexico', 'from October to December', 'Guatemala and
    Honduras') must not cut a sentence into segments."""
    spans = [(c.start, c.end) for c in cues if c.category in _MASKED]
    for g in list_groups(text, [c for c in cues if c.category == "nationality"]):
        lead = _COUNTRY_FROM.search(text, max(0, g[0].start - 16), g[0].start)
        spans.append((lead.start() if lead else g[0].start, g[-1].end))
    for g in list_groups(text, [c for c in cues if c.category == "agency"]):
        spans.append((g[0].start, g[-1].end))  # 'at both ports of entry and between ports of entry'
    return spans


def _period_spans(text: str, found: list[PeriodCue]) -> list[tuple[int, int]]:
    """Period phrases, with the comparator word that opens them ('a 70% spike over February'): no
    connector inside them starts a new segment."""
    spans = []
    for p in found:
        lead = _PERIOD_COMPARED.search(text, max(0, p.start - 20), p.start) if p.meaningful else None
        if lead is not None and _OF_A_NUMBER.match(text, p.end):
            lead = None  # 'from the July report of 132,648': the comparator opens the number's segment
        spans.append((lead.start() if lead else p.start, p.end))
    return spans


_OF_A_NUMBER = re.compile(
    r"\s*(?:[A-Za-z'-]+\s+){0,2}(?:of|at|with|when|:)\s+(?:[A-Za-z]+\s+){0,2}\d", re.IGNORECASE
)


_COUNTRY_FROM = re.compile(r"\b(?:from|of|out of)\s+(?:the\s+)?$", re.IGNORECASE)
_PERIOD_COMPARED = re.compile(
    r"\b(?:over|from|than|compared (?:with|to)|versus|vs\.?|as|like)\s+(?:(?:the|a|in|most months)\s+)*$",
    re.IGNORECASE,
)


def _pieces(text: str, s: Sentence, live: list[Figure], mask: list[tuple[int, int]]) -> list[Piece]:
    out: list[Piece] = []
    for clause in s.clauses:
        inside = [f for f in live if clause[0] <= f.start < clause[1]]
        starts = [clause[0]]
        for prev, fig in itertools.pairwise(inside):
            starts.append(_boundary(text, prev.end, fig.start, mask))
        ends = [*starts[1:], clause[1]]
        for k, fig in enumerate(inside):
            out.append(Piece(fig, starts[k], ends[k], clause, first_in_clause=k == 0))
    return out


def _boundary(text: str, start: int, end: int, mask: list[tuple[int, int]]) -> int:
    """Where the next number's segment starts: the first connector after the previous number."""
    for m in _BOUNDARY.finditer(text, start, end):
        if not any(a <= m.start() < b for a, b in mask):
            return m.start() + (1 if text[m.start()].isspace() else 0)
    return end


def _shared(
    text: str, s: Sentence, pieces: list[Piece]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(the sentence's shared frame, its comparator phrases). The shared frame is the clauses that hold no
    number and each clause's words before its first number (the subject); a clause with no number that
    opens with a comparator ('compared to December 2021', 'than in FY2024') belongs to the comparison."""
    held = {p.clause for p in pieces}
    free = [c for c in s.clauses if c not in held]
    compared = [c for c in free if _opens_comparison(text, *c)]
    out = [c for c in free if c not in compared]
    out += [
        (p.clause[0], p.figure.start) for p in pieces if p.first_in_clause and p.figure.start > p.clause[0]
    ]
    return out, compared


@cache
def _opening_comparator() -> re.Pattern[str]:
    body = vocab.alternation(sorted(vocab.words("comparator_opening")))
    return re.compile(
        rf"[\s,;:(—–-]*(?:and\s+|but\s+)?(?:(?:far|well|way|just|significantly|sharply)\s+)?(?i:{body})\b",
        re.IGNORECASE,
    )


def _opens_comparison(text: str, start: int, end: int) -> bool:
    return _opening_comparator().match(text, start, end) is not None


@cache
def _counted_words() -> re.Pattern[str]:
    words = set(vocab.words("count_noun")) - {"times"}
    words |= {w for w, v in vocab.cue_table()["measure"].items() if " " not in w and w.endswith("s")}
    return re.compile(rf"(?i:\b(?:{vocab.alternation(sorted(words))})\b)")


def _counted_noun(text: str, s: Sentence, cues: list[Cue]) -> bool:
    if any(c.category in ("nationality", "demographic") for c in cues):
        return True
    return _counted_words().search(text, s.start, s.end) is not None


# ----------------------------------------------------------------------------------- roles


@cache
def _lead_regex(category: str) -> re.Pattern[str]:
    body = vocab.alternation(sorted(vocab.words(category)))
    return re.compile(rf"(?i:\b(?:{body}))(?={_QUALIFIER_GAP}\s*$)")


_QUALIFIER_THAN = re.compile(r"(?i:\b(?:more|less|fewer|no more|no fewer|no less)\s+)$")


def _lead(text: str, piece: Piece, category: str) -> str:
    before = text[max(piece.start, piece.figure.start - 60) : piece.figure.start]
    m = _lead_regex(category).search(before)
    if m is None:
        return ""
    if m.group(0).casefold() == "than" and _QUALIFIER_THAN.search(before[: m.start()]):
        return ""  # 'more than 5,000' is a qualifier, not a comparison
    return m.group(0)


# 'up from 1.5 million in fiscal 2024, more than 2 million in fiscal 2023, and a record of more than 2.2
# million': what follows a comparator in a list is a comparator too
_LIST_ITEM = re.compile(
    r"[\s,;]*(?:and\s+|or\s+)?(?!while\b|but\b|whereas\b|to\b|into\b)(?:[A-Za-z-]+\s+){0,6}?", re.IGNORECASE
)
_TAIL_SUBSET = re.compile(
    r"\s*(?:[A-Za-z-]+\s+){0,2}?(?:of|among)\s+(?:them|those|these|whom|the total)\b", re.IGNORECASE
)


def _roles(text: str, r: SentenceReading) -> None:
    main: Piece | None = None
    container: Piece | None = None
    for k, p in enumerate(r.pieces):
        if p.kind == "comparison":
            p.role = "change"
            continue
        if (
            k == 0
            and (lead := _lead(text, p, "container_lead"))
            and text[p.clause[0] : p.figure.start].strip().casefold() == lead.casefold()
        ):
            p.role, p.lead, container = "container", lead, p
        elif lead := _lead(text, p, "comparator_lead"):
            p.role, p.lead = "comparator", lead
        elif (m := _opening_comparator().match(text, p.start, p.figure.start)) is not None:
            p.role, p.lead = "comparator", m.group(0).strip(" ,;")
        elif (
            k > 0
            and r.pieces[k - 1].role == "comparator"
            and _LIST_ITEM.fullmatch(text, p.start, p.figure.start)
            and not any(
                c.category in ("measure", "agency", "nationality", "region")
                for c in r.cues_in(p.start, p.figure.start)
            )
        ):
            p.role, p.lead = "comparator", "(a list of comparators)"
        elif lead := _lead(text, p, "subset_lead"):
            p.role, p.lead = "subset", lead
        elif _TAIL_SUBSET.match(text, p.figure.end, p.end):
            p.role, p.lead = "subset", _TAIL_SUBSET.match(text, p.figure.end, p.end).group(0).strip()  # type: ignore[union-attr]
        elif (lead := _lead(text, p, "total_lead")) or (lead := _opening(text, p, "total_lead")):
            p.role, p.lead = "total", lead
        elif main is None and container is None:
            p.role = "main"
            main = p
        else:
            p.role = "sibling"
    if main is None and container is None and not _shared_counted(r):
        # 'That was up from 32,153 in March': a comparator with no main of its own refers back -- unless
        # the sentence names what it counts ('more children traveling alone, including about 2,400')
        for p in r.pieces:
            if p.role in ("comparator", "subset", "total"):
                p.refers_back = True
    _of_the(text, r)
    _quantified(text, r)
    head = main or container
    for k, p in enumerate(r.pieces):
        if p.role == "change":
            # 'accompanied minors (140 encounters) increased by 16.7%': the count just before it
            near = next(
                (
                    q
                    for q in reversed(r.pieces[:k])
                    if q.kind == "count" and q.role != "comparator" and q.clause == p.clause
                ),
                None,
            )
            p.anchor = near or (head if head is not p else None)
        elif p.role == "comparator" and head is not None and head is not p:
            p.anchor = head
        elif p.role == "subset":
            p.anchor = container or (
                main if main is not None and main.figure.start < p.figure.start else None
            )
            p.refers_back = p.anchor is None and not _shared_counted(r)
    _lists(text, r)


_OF_THE = re.compile(
    rf"\s+(?:of|out of|among)\s+(?:the|those|these|a total of)?{_QUALIFIER_GAP}\s*$", re.IGNORECASE
)
_PREDICATE = re.compile(
    r"\b(?:were|was|are|is|had|have|has|involved|came|included|accounted|made)\b", re.IGNORECASE
)


_QUANTIFIER_OF = re.compile(
    r"(?i:\b(?:majority|most|half|bulk|share|portion|part|some|many|all|two-thirds|a third|one-third|nearly half)"
    rf"\s+of\s+(?:the|those|these){_QUALIFIER_GAP}\s*)$"
)


def _quantified(text: str, r: SentenceReading) -> None:
    """'The majority of the 302,000 encounters in December were migrants apprehended by Border Patrol
    agents': the number is the whole; what the sentence says of its part ('were ... Border Patrol') is
    not about it."""
    for p in r.pieces:
        if p.kind != "count" or not _QUANTIFIER_OF.search(
            text, max(p.start, p.figure.start - 50), p.figure.start
        ):
            continue
        p.role, p.lead = "container", "a part of"
        verb = _PREDICATE.search(text, p.figure.end, p.end)
        if verb is not None:
            p.own_end = verb.start()


def _of_the(text: str, r: SentenceReading) -> None:
    """'107,000 of the nearly 397,000 individuals apprehended ... were classified as family units': the
    second number is the whole, the first a part of it, and the predicate ('were ... family units')
    belongs to the part."""
    for a, b in zip(r.pieces, r.pieces[1:], strict=False):
        if (
            a.kind != "count"
            or b.kind != "count"
            or not _OF_THE.fullmatch(text, a.figure.end, b.figure.start)
        ):
            continue
        b.role, b.lead = "container", "of the"
        a.role, a.anchor = "subset", b
        verb = _PREDICATE.search(text, b.figure.end, b.end)
        if verb is not None:
            b.own_end = verb.start()
            a.extra = (verb.start(), b.end)


@cache
def _opening_regex(category: str) -> re.Pattern[str]:
    body = vocab.alternation(sorted(vocab.words(category)))
    return re.compile(rf"[\s,;:(—–-]*(?:and\s+)?(?i:{body})\b", re.IGNORECASE)


def _opening(text: str, p: Piece, category: str) -> str:
    """A lead at the start of the number's segment: ', bringing the total under Biden to 5.5 million'."""
    m = _opening_regex(category).match(text, p.start, p.figure.start)
    return m.group(0).strip(" ,;:") if m else ""


def _shared_counted(r: SentenceReading) -> bool:
    """Does the sentence name the group it counts outside its numbers ('more children traveling alone')?"""
    return any(c.category in ("nationality", "demographic") for a, b in r.shared for c in r.cues_in(a, b))


def _lists(text: str, r: SentenceReading) -> None:
    """'including 1,851 nationals of China, 1,469 Indian nationals, and 4,631 Colombians': what follows a
    subset (or a comparator) in a list is one too."""
    for a, b in itertools.pairwise(r.pieces):
        if a.role not in ("subset", "comparator") or b.role not in ("sibling", "main") or b.kind != "count":
            continue
        lead = text[b.start : b.figure.start]
        if _LIST_ITEM.fullmatch(lead) and not any(
            c.category in ("measure", "agency", "region") for c in r.cues_in(b.start, b.figure.start)
        ):
            b.role, b.lead, b.anchor = a.role, "(a list)", a.anchor
            b.refers_back = a.refers_back


def resolution_order(p: Piece) -> tuple[int, int]:
    """Anchors first (a comparator reads the main number's frame), then in text order."""
    rank = {"container": 0, "main": 0, "sibling": 1, "total": 1}.get(p.role, 2)
    return rank, p.figure.start


# ----------------------------------------------------------------------------------- frames


def _take(
    text: str, r: SentenceReading, p: Piece, category: str, start: int, end: int, source: str
) -> Sourced | None:
    found = r.cues_in(start, end, category)
    if not found:
        return None
    return sourced(choose(category, p.figure, found, text, own=source == OWN), source)


def _host(text: str, r: SentenceReading, p: Piece) -> tuple[int, int] | None:
    """A number in parentheses ('Single adults (164,907 encounters) increased', 'two-thirds (1,063,285;
    64%) involved single adults') also reads the words after the closing parenthesis, up to the next
    number of its clause."""
    open_at = text.rfind("(", p.clause[0], p.figure.start)
    if open_at < 0 or ")" in text[open_at : p.figure.start]:
        return None
    close = text.find(")", p.figure.end, p.clause[1])
    if close < 0:
        return None
    nxt = min((q.figure.start for q in r.pieces if q.figure.start > close), default=p.clause[1])
    return close + 1, min(nxt, p.clause[1])


def _frame(text: str, r: SentenceReading, p: Piece) -> None:
    own_cues = r.cues_in(p.start, p.end)
    host = _host(text, r, p)
    p.each = any(c.category == "each" for c in own_cues)
    if p.role != "total" and any(
        c.category in ("anaphor", "continuation") and _refers(text, c, own_cues) for c in own_cues
    ):
        p.refers_back = True
    lead_span = None if p.first_in_clause else (p.clause[0], _first_in_clause(r, p).figure.start)
    earlier = [
        q
        for q in r.pieces
        if q.figure.start < p.figure.start and q.role in ("main", "container", "sibling") and q.frame
    ]
    later = [q for q in r.pieces if q.figure.start > p.figure.start and q.role == "sibling"]
    own_end = p.own_end or p.end
    for category in CATEGORIES:
        got = _take(text, r, p, category, p.start, own_end, OWN)
        if got is None and p.extra is not None:
            got = _take(text, r, p, category, *p.extra, OWN)
        if got is None and host is not None:
            got = _take(text, r, p, category, *host, OWN)
        if got is None and p.anchor is not None and category in p.anchor.frame and _inherits(p, category):
            got = p.anchor.frame[category].moved(
                ANCHOR if p.anchor.frame[category].source == OWN else p.anchor.frame[category].source
            )
        if got is None and lead_span is not None:
            got = _take(text, r, p, category, *lead_span, SENTENCE)
        if got is None:
            for span in r.shared:
                got = _take(text, r, p, category, *span, SENTENCE)
                if got is not None:
                    break
        if got is None and category == "region":
            got = next(
                (q.frame[category].moved(SENTENCE) for q in reversed(earlier) if category in q.frame), None
            )
        if got is None and category == "measure" and p.role in ("sibling", "total"):
            # another number of the sentence counts encounters: so does this one, of no particular kind
            # ('expulsions', 'inadmissibles' are that number's subject, not this one's)
            q = next((q for q in earlier if category in q.frame), None)
            got = Sourced(("encounters",), q.frame[category].texts, SENTENCE) if q is not None else None
        if got is None and p.refers_back and category in SUBJECT:
            # 'From a peak of 18,700 UAC apprehensions in March, the numbers declined ... to 16,900'
            before = [q for q in r.pieces if q.figure.start < p.figure.start and category in q.frame]
            got = before[-1].frame[category].moved(SENTENCE) if before else None
        if got is not None:
            p.frame[category] = got
    if "state" in p.frame and "aor" in p.frame:
        del p.frame["state"]  # a sector or field office is the finer place
    _period(text, r, p, earlier, later)


_OF_AFTER = re.compile(r"\s+of\b", re.IGNORECASE)


_COUNTED = ("measure", "nationality", "demographic")


def _refers(text: str, c: Cue, own: list[Cue]) -> bool:
    """'of them', 'another' always refer back; 'the number' does, 'the number of migrant encounters' does
    not; a pronoun does only when the number has no counted noun of its own ('that climbed to 3,274', not
    'it registered 309,221 encounters', where 'it' is the agency)."""
    low = c.text.casefold()
    if c.category == "continuation" or low.startswith(("of ", "among ", "including")):
        return True
    if _OF_AFTER.match(text, c.end) is not None:
        return False
    return not any(
        (o.category in _COUNTED and o.category != "measure")
        or (o.category == "measure" and o.text.casefold().endswith("s"))
        for o in own
    )


def _first_in_clause(r: SentenceReading, p: Piece) -> Piece:
    return next(q for q in r.pieces if q.clause == p.clause and q.first_in_clause)


def _inherits(p: Piece, category: str) -> bool:
    """A comparator, subset or change takes the number it relates to for every category it does not
    restate; a total takes none of a subset's group, agency or place."""
    if p.role == "total":
        return category in ("region", "measure")
    return True


# ----------------------------------------------------------------------------------- periods


_COMPARED = re.compile(
    r"\b(?:than|compared|versus|vs\.?|from|over|against|as (?:in|of|during|for)|like in)\b", re.IGNORECASE
)


def _period(text: str, r: SentenceReading, p: Piece, earlier: list[Piece], later: list[Piece]) -> None:
    if p.kind == "comparison":
        return  # a change has two periods: see comparison_periods
    own = _own_period(text, r, p, r.periods_in(p.start, p.end))
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
        if q.period is not None and q.role != "comparator":
            p.period = PeriodPick(q.period.cue, SENTENCE)
            return
        if q in later:
            found = r.periods_in(q.start, q.end)
            if found:
                p.period = PeriodPick(found[0], SENTENCE)
                return


#: relative periods that name the other side of a comparison ('a year earlier'), not a count's own period
_COMPARISON_RELATIVE = frozenset({"previous_month", "year_earlier", "same_in_year"})
_TEMPORAL_LEAD = re.compile(r"\b(?:up|down)?\s*from\b|\blist\b", re.IGNORECASE)
_ATTACHED = re.compile(
    r"[\s,:(]*(?:at|with|of|was|were|stood at|totaled|totalled)?[\s,:(]*"
    r"(?:(?:about|some|nearly|more than|over)\s+)?",
    re.IGNORECASE,
)
_ASIDE = re.compile(r"[\s,(]*(?:[—–-]+[^—–]{0,60}[—–-]+)?[\s,(]*")
_WHEN = re.compile(r"[\s,(]*(?:when|during which|in which|by which time)\b", re.IGNORECASE)


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


def _own_period(text: str, r: SentenceReading, p: Piece, found: list[PeriodCue]) -> PeriodCue | None:
    """Right after the number ('153,941 in January') unless compared ('higher than November', 'from their
    July peak'), else the nearest before it."""
    after = [c for c in found if c.start >= p.figure.end and not r.compares(text, p.figure.end, c.start)]
    absolute = [c for c in after if c.spec.kind not in _COMPARISON_RELATIVE]
    if absolute or (after and p.role == "comparator"):  # '3,100 a year earlier' is the comparator's own
        return (absolute or after)[0]
    before = [c for c in found if c.end <= p.figure.start and c.spec.kind not in _COMPARISON_RELATIVE]
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


def comparison_periods(
    text: str, r: SentenceReading, p: Piece
) -> tuple[PeriodPick | None, PeriodPick | None]:
    """(later side, earlier side) of a stated change; an unstated side is None (the resolver supplies
    the default: the previous month for a month, the same period a year earlier otherwise)."""
    own = r.periods_in(p.start, p.end)
    for c in own:
        if c.spec.kind == "range" and c.text.casefold().startswith("from") and c.spec.start and c.spec.end:
            return (
                PeriodPick(PeriodCue(c.start, c.end, c.text, c.spec.end), OWN),
                PeriodPick(PeriodCue(c.start, c.end, c.text, c.spec.start), OWN),
            )
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
    currents = [c for c in own if (base is None or c is not base.cue) and c.spec.kind not in periods.RELATIVE]
    before = [c for c in currents if c.end <= p.figure.start and not r.compares(text, c.end, p.figure.start)]
    if before:  # 'fell 42% in January from December', 'In August, ... a 1.7% increase'
        return PeriodPick(before[-1], OWN), base
    if p.anchor is not None and p.anchor.period is not None:
        return PeriodPick(p.anchor.period.cue, ANCHOR), base
    after = [c for c in currents if c.start >= p.figure.end]
    if after:
        return PeriodPick(after[0], OWN), base
    for span in r.shared:
        found = [c for c in r.periods_in(*span) if base is None or c is not base.cue]
        if found:
            return PeriodPick(found[-1], SENTENCE), base
    return None, base
