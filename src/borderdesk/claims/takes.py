"""Which cue of each category a number takes inside its sentence: its own segment first, then the number
it relates to, its clause's subject, the sentence's shared frame, and -- for where and when only -- the
sentence's other numbers."""

from __future__ import annotations

import re

from borderdesk.claims.choose import Sourced, choose, sourced
from borderdesk.claims.cues import SUBJECT, Cue, counted_words
from borderdesk.claims.pieces import (
    ANCHOR,
    CATEGORIES,
    OWN,
    SENTENCE,
    Piece,
    SentenceReading,
    _first_in_clause,
)
from borderdesk.claims.roles import _shared_counted
from borderdesk.claims.when import _period


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
    # 'make up 332,981 of the total 593,507': a whole stated after its part is this sentence's own count
    whole_of_part = p.role == "container" and any(
        q.anchor is p and q.figure.start < p.figure.start for q in r.pieces
    )
    if (
        p.role != "total"
        and not whole_of_part
        and any(
            c.category in ("anaphor", "continuation")
            and _refers(text, c, own_cues)
            # 'more children traveling without their parents, including about 2,400': the group this sentence
            # names before the number, not an earlier sentence's
            # ('68,631 of them' as the main count of a sentence that names its group)
            and not (
                (c.text.casefold().startswith("including") or (p.role == "main" and c.start > p.figure.start))
                and _shared_counted(r)
            )
            for c in own_cues
        )
    ):
        p.refers_back = True
    if p.role == "main" and _bare_subject(text, r, p):
        p.refers_back = True
    lead_span = None if p.first_in_clause else (p.clause[0], _first_in_clause(r, p).figure.start)
    if p.role == "sibling" and lead_span is not None and _first_in_clause(r, p).refers_back:
        # 'those apprehensions involved nationals of Mexico (22,231) and of Honduras (14,435)': a subject
        # that refers back is every number's of its clause
        p.refers_back = p.refers_back or any(
            c.category in ("anaphor", "continuation") for c in r.cues_in(*lead_span)
        )
    earlier = [
        q
        for q in r.pieces
        if q.figure.start < p.figure.start and q.role in ("main", "container", "sibling") and q.frame
    ]
    later = [q for q in r.pieces if q.figure.start > p.figure.start and q.role == "sibling"]
    own_end = p.own_end or p.end
    for category in CATEGORIES:
        if p.part_from is not None and category in _PART_SUBJECT:
            _whole(text, r, p, category, own_end)
            continue
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
                if span[0] > p.figure.end and category in _NOT_FROM_AFTER:
                    continue  # 'cite 1,530,523 encounters, Tucson sector sees largest total': its own news
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
            if got is None:  # the earlier number is a comparator, read after this one: its own words
                for q in reversed([q for q in r.pieces if q.figure.start < p.figure.start]):
                    got = _take(text, r, p, category, q.start, q.end, SENTENCE)
                    if got is not None:
                        break
        if got is not None:
            p.frame[category] = got
    if "state" in p.frame and "aor" in p.frame:
        del p.frame["state"]  # a sector or field office is the finer place
    _nation_or_place(r, p)
    _elliptical(text, r, p, own_cues)
    _period(text, r, p, earlier, later)


#: what the part of a whole is ('Families accounted for a third of the 2.5 million apprehensions')
_PART_SUBJECT = frozenset({"nationality", "demographic", "agency"})


def _whole(text: str, r: SentenceReading, p: Piece, category: str, own_end: int) -> None:
    """The whole a part is said of takes its group and agency only from its own words, never from the
    part's ('Families' in 'Families accounted for more than a third of the nearly 2.5 million')."""
    assert p.part_from is not None
    got = _take(text, r, p, category, max(p.start, p.part_from), own_end, OWN)
    for a, b in r.shared:
        if got is None and not (a <= p.part_from <= b) and (b <= p.clause[0] or a >= p.clause[1]):
            got = _take(text, r, p, category, a, b, SENTENCE)
    if got is not None:
        p.frame[category] = got


def _nation_or_place(r: SentenceReading, p: Piece) -> None:
    """'Tucson Sector saw a surge ..., as border officials across the nation apprehended more than 3.2
    million': a place and 'nationwide' cannot both hold; the cue nearer the number wins."""
    region = p.frame.get("region")
    kind = "aor" if "aor" in p.frame else "state" if "state" in p.frame else None
    if region is None or kind is None or region.values != ("nationwide",):
        return

    def distance(c: Cue) -> int:
        return p.figure.start - c.end if c.end <= p.figure.start else c.start - p.figure.end

    regions = [c for c in r.cues if c.category == "region" and c.text in region.texts]
    places = [c for c in r.cues if c.category == kind and c.text in p.frame[kind].texts]
    if regions and places and min(map(distance, regions)) < min(map(distance, places)):
        del p.frame[kind]


def _elliptical(text: str, r: SentenceReading, p: Piece, own: list[Cue]) -> None:
    """'in April (just over 16,900) and May (eight fewer than 13,900)', '50,000 Venezuelans in May and
    40,000 in June': a list item with no counted thing of its own counts what the item before it counts."""
    if p.role != "sibling" or any(c.category in SUBJECT for c in own):
        return
    if counted_words().search(text, p.start, p.end):
        return
    before = [q for q in r.pieces if q.figure.start < p.figure.start and q.clause == p.clause]
    if not before or before[-1].role not in ("main", "sibling"):
        return
    q = before[-1]
    for category in ("nationality", "demographic", "agency", "measure"):
        if category in q.frame and (
            category not in p.frame or (category == "measure" and p.frame[category].source == SENTENCE)
        ):
            p.frame[category] = q.frame[category].moved(SENTENCE)


#: A clause after the number that holds no number of its own is a statement of its own: its place or
#: group is not the number's.
_NOT_FROM_AFTER = frozenset({"state", "aor", "nationality", "demographic"})


_COPULA_AFTER = re.compile(r"[\s,—–-]*(?:were|was)\b", re.IGNORECASE)


def _bare_subject(text: str, r: SentenceReading, p: Piece) -> bool:
    """'12,898 were adults traveling alone.', 'The remainder -- 188 -- were minors': a bare number as the
    subject of 'were' names no group of its own; what follows classifies a part of what was counted before."""
    before = text[p.clause[0] : p.figure.start]
    if any(c.category in ("anaphor", "continuation") for c in r.cues_in(p.clause[0], p.figure.start)):
        before = before[max(c.end for c in r.cues_in(p.clause[0], p.figure.start)) - p.clause[0] :]
    return not before.strip(" \t\n—–-,") and _COPULA_AFTER.match(text, p.figure.end) is not None


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


def _inherits(p: Piece, category: str) -> bool:
    """A comparator, subset or change takes the number it relates to for every category it does not
    restate; a total takes none of a subset's group, agency or place."""
    if p.role == "total":
        return category in ("region", "measure")
    return True
