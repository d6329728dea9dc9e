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

from borderdesk.claims import numbers, periods
from borderdesk.claims.choose import list_groups
from borderdesk.claims.cues import SUBJECT, Cue, counted_words, find_cues
from borderdesk.claims.numbers import Figure
from borderdesk.claims.periods import PeriodCue, PeriodSpec
from borderdesk.claims.pieces import SENTENCE, Piece, SentenceReading, compared_period
from borderdesk.claims.roles import _opens_comparison, _respectively, _roles, resolution_order
from borderdesk.claims.segment import Sentence
from borderdesk.claims.takes import _frame
from borderdesk.claims.units import difference_of, direction_of, listed_after, unit_of

_MASKED = ("region", "agency", "measure", "demographic", "title", "aor", "state", "cbp_source", "source")


_BOUNDARY = re.compile(
    r"[;,:()]|\s[—–-]\s|\b(?:and|while|whereas|but|or|to|from|than|versus|vs\.?|compared|including|with"
    r"|against|up|down|of|above|below|over|when)\b",
    re.IGNORECASE,
)


_CLAIMABLE = frozenset(
    {"measure", "measure_weak", "anaphor", "continuation", "nationality", "demographic", "title"}
)


def read_sentence(text: str, s: Sentence, *, borrowing: bool = True) -> SentenceReading:
    """Find the numbers of a sentence, cut it into their segments, give each its role and its frame.
    With ``borrowing`` False (no claim just before it to borrow an encounter word from), a sentence with
    no encounter word, group or back-reference of its own holds no claim, and its numbers are not read."""
    cues = find_cues(text, s.start, s.end)
    hopeless = not borrowing and not any(c.category in _CLAIMABLE for c in cues)
    hopeless = hopeless and not counted_words().search(text, s.start, s.end)
    figures = [] if hopeless else numbers.parse_figures(text, s.start, s.end)
    cues = _context_only(text, cues, figures, s.end)
    found = _compose(text, _drop_annotations(text, periods.find_periods(text, s.start, s.end)), figures)
    found = [_aside(text, p) for p in found]
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
    _list_items(text, reading)
    _respectively(text, reading)
    return reading


def _list_items(text: str, r: SentenceReading) -> None:
    """'... from February to March 2022 (33%) and February to March 2021 (73%)': a later item of a list
    of changes counts what the first item counts; it takes the subject its own words lack."""
    for p in r.pieces:
        if not p.figure.percent or p.kind != "comparison":
            continue
        prev = listed_after(text, r.periods, p.figure)
        head = next((q for q in r.pieces if prev is not None and q.figure.start == prev.start), None)
        if head is None:
            continue
        for category in SUBJECT:
            if category not in p.frame and category in head.frame:
                p.frame[category] = head.frame[category].moved(SENTENCE)


_CONTRAST = re.compile(
    r"\b(?:in\s+comparison\s+(?:with|to)|compared\s+(?:with|to)|unlike|relative\s+to|versus|vs\.?"
    r"|than\s+(?:at|on|along|in|across))\s+(?:[\w.'’-]+\s+){0,3}$",
    re.IGNORECASE,
)
_BREAK = re.compile(r"[,;:—–()]|\s-\s")


_COMPOSITION_GAP = re.compile(
    r"(?:\s+(?:of\s+)?(?:them\s+)?(?:were\s+|are\s+)?(?:[a-z]+\s+)?)", re.IGNORECASE
)


def _context_only(text: str, cues: list[Cue], figures: list[Figure], end: int) -> list[Cue]:
    """The cues without those named only as context, which do not narrow what the numbers count:
    - a region named only as what the numbers are set against ('While the numbers still pale in comparison
      with the U.S southern border, that's more than twice as many as the 7,630 ...');
    - who most of them were ('it caught 180,034 migrants, mostly single adults, in May');
    - who is named in the circumstances a count came 'amid' ('230,000 times in October amid growing numbers
      from Cuba and Nicaragua') -- unless a number of its own follows the marker before them."""
    compositions = [c for c in cues if c.category == "composition_marker"]
    circumstances = [c for c in cues if c.category == "circumstance_marker"]

    def counted(a: int, b: int) -> bool:
        return any(f.reject is None and a <= f.start < b for f in figures)

    def context(c: Cue) -> bool:
        if c.category == "region" and _CONTRAST.search(text, max(0, c.start - 60), c.start):
            brk = _BREAK.search(text, c.end, end)
            return not counted(c.end, brk.start() if brk else end)
        if c.category not in ("nationality", "demographic"):
            return False
        return any(
            m.end <= c.start and _COMPOSITION_GAP.fullmatch(text, m.end, c.start) for m in compositions
        ) or any(m.end <= c.start and not counted(m.end, c.start) for m in circumstances)

    return [c for c in cues if not context(c)]


_RELATIVE_ASIDE = re.compile(r",\s*(?:which|who|where|when|after|before)\b[^,;]*$", re.IGNORECASE)


def _aside(text: str, p: PeriodCue) -> PeriodCue:
    """'The Yuma sector, which was closed from Dec. 4 through Jan. 4, saw a 69.1% drop': a stretch of days
    in a relative clause describes the subject, not the number's period."""
    if p.spec.kind == "partial" and _RELATIVE_ASIDE.search(text, max(0, p.start - 80), p.start):
        return PeriodCue(p.start, p.end, p.text, PeriodSpec("ignore", note="an aside"))
    return p


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
            and p.start - prev.end <= 60
            and _one_count_between(text, prev, p, figures)
        ):
            spec = PeriodSpec("month", month=prev.spec.month, year=p.spec.year)
            if any(f.reject is None and prev.end <= f.start < p.start for f in figures):
                # the count stays between them: the year's place holds the composed month
                out[-1] = PeriodCue(p.start, p.end, f"{prev.text} ... {p.text}", spec)
            else:
                out[-1] = PeriodCue(prev.start, p.end, text[prev.start : p.end], spec)
            continue
        out.append(p)
    return out


def _one_count_between(text: str, month: PeriodCue, year: PeriodCue, figures: list[Figure]) -> bool:
    """No number between the month and the year, or one count with 'in' before the year and no clause
    break ('October saw about 231,000 encounters in 2022')."""
    between = [f for f in figures if f.reject is None and month.end <= f.start < year.start]
    if not between:
        return True
    gap = text[month.end : between[0].start] + text[between[0].end : year.start]
    return len(between) == 1 and not re.search(r"[,;:()]", gap) and gap.rstrip().endswith(" in")


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
        lead = compared_period(text, p, p.start - 20) if p.meaningful else None
        if lead is not None and _OF_A_NUMBER.match(text, p.end):
            lead = None  # 'from the July report of 132,648': the comparator opens the number's segment
        spans.append((lead.start() if lead else p.start, p.end))
    return spans


_OF_A_NUMBER = re.compile(
    r"\s*(?:[A-Za-z'-]+\s+){0,2}(?:of|at|with|when|:)\s+(?:[A-Za-z]+\s+){0,2}\d", re.IGNORECASE
)


_COUNTRY_FROM = re.compile(r"\b(?:from|of|out of)\s+(?:the\s+)?$", re.IGNORECASE)


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
    """Where the next number's segment starts: the first connector after the previous number. An 'of'
    right after the previous number, or after its counted noun ('68,631 of them arriving at the border, ...',
    '5,283 arrests of unaccompanied children, up 33 percent'), is that number's own words when a later
    connector still opens the next number's segment."""
    found = [m for m in _BOUNDARY.finditer(text, start, end) if not any(a <= m.start() < b for a, b in mask)]
    if len(found) > 1 and found[0].group(0).casefold() == "of" and _own_noun(text, start, found[0].start()):
        found = found[1:]
    if found and found[0].group(0) == "(" and (close := text.find(")", found[0].end(), end)) >= 0:
        # '126,150 arrests (76%) involved adults ..., indicating an 11% increase': an aside closed before
        # the next number is the previous number's, and so are the words up to the next connector
        after = [m for m in found if m.start() > close]
        found = after or found
    if found:
        return found[0].start() + (1 if text[found[0].start()].isspace() else 0)
    return end


def _own_noun(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` nothing, or only the counted noun of the number before it ('arrests')?"""
    gap = text[start:end].strip()
    return not gap or (" " not in gap and counted_words().fullmatch(gap) is not None)


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


def _counted_noun(text: str, s: Sentence, cues: list[Cue]) -> bool:
    if any(c.category in ("nationality", "demographic") for c in cues):
        return True
    return counted_words().search(text, s.start, s.end) is not None
