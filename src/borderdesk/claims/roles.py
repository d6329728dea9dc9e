"""The role of each number in its sentence, from the words that lead to it (see :mod:`.frame`): main,
sibling, comparator, subset, container, total, change; lists continue a role, 'respectively' pairs numbers
with groups."""

from __future__ import annotations

import itertools
import re
from functools import cache

from borderdesk.claims import vocab
from borderdesk.claims.choose import Sourced, list_groups
from borderdesk.claims.cues import counted_words
from borderdesk.claims.pieces import _QUALIFIER_GAP, OWN, Piece, SentenceReading

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
            and not _heads_a_change(r, p)
            and not any(
                c.category in ("measure", "agency", "nationality", "region")
                for c in r.cues_in(p.start, p.figure.start)
            )
        ):
            p.role, p.lead = "comparator", "(a list of comparators)"
        elif lead := _lead(text, p, "subset_lead"):
            p.role, p.lead = "subset", lead
        elif (tail := _TAIL_SUBSET.match(text, p.figure.end, p.end)) and not _own_group(r, main or container):
            p.role, p.lead = "subset", tail.group(0).strip()
        elif (lead := _lead(text, p, "total_lead")) or (lead := _opening(text, p, "total_lead")):
            p.role, p.lead = "total", lead
        elif main is None and container is None:
            p.role = "main"
            main = p
        elif main is None and p.kind == "count":
            # 'Of the 56,881 Brazilians detained ..., the majority came with families (43,790)': what
            # follows a container divides it, and each part is of the container's group
            p.role, p.lead = "subset", "(a part of the container)"
        else:
            p.role = "sibling"
    if main is None and container is None and not _shared_counted(r):
        # 'That was up from 32,153 in March': a comparator with no main of its own refers back -- unless
        # the sentence names what it counts ('more children traveling alone, including about 2,400')
        for p in r.pieces:
            if p.role in ("comparator", "subset") or (p.role == "total" and not _names_its_count(text, p)):
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
                    if q.kind == "count"
                    and q.role != "comparator"
                    and q.clause == p.clause
                    and not _in_parentheses(text, q, p)
                ),
                None,
            )
            p.anchor = near or (head if head is not p else None)
        elif p.role == "comparator" and head is not None and head is not p:
            p.anchor = head
        elif p.role == "subset":
            p.anchor = (
                p.anchor
                or container
                or (main if main is not None and main.figure.start < p.figure.start else None)
            )
            p.refers_back = p.anchor is None and not _shared_counted(r)
    _lists(text, r)


def _own_group(r: SentenceReading, head: Piece | None) -> bool:
    """'Before the surge of unaccompanied minors in 2014, when agents apprehended 68,631 of them': with no
    number before it, 'of them' is the group the sentence itself names, and the number is its main count."""
    return head is None and _shared_counted(r)


def _names_its_count(text: str, p: Piece) -> bool:
    """'CBP recorded a total of 189,372 encounters': a total that names what it counts is a count of its
    own, not the total of what an earlier sentence counted."""
    return _counted_after().match(text, p.figure.end, p.end) is not None


@cache
def _counted_after() -> re.Pattern[str]:
    return re.compile(r"\s+(?:[\w-]+\s+){0,2}?" + counted_words().pattern)


def _heads_a_change(r: SentenceReading, p: Piece) -> bool:
    """'..., up 33% from 159,064 in February 2022, and 169,216 in March 2021, up 73% from 97,643': a number
    with a change of its own after it in its clause heads a comparison of its own, not a list."""
    return any(
        q.kind == "comparison" and q.clause == p.clause and q.figure.start > p.figure.start for q in r.pieces
    )


def _in_parentheses(text: str, q: Piece, p: Piece) -> bool:
    """Is ``q`` inside a parenthesis that closes before ``p`` ('a 13.8 percent decrease from September
    (when agents apprehended nearly 219,000 ...) and an 8 percent decline': an aside, not what the change
    is of)?"""
    opened = text.rfind("(", q.clause[0], q.figure.start)
    closed = text.rfind(")", q.clause[0], q.figure.start)
    if opened <= closed or not text[opened + 1 : q.figure.start].strip():
        return False  # 'Southwest border encounters (302,034) increased 68 percent': the count itself
    return ")" in text[q.figure.end : p.figure.start]


_OF_THE = re.compile(
    rf"\s+(?:of|out of|among)\s+(?:the(?:\s+total(?:\s+of)?)?|those|these|a total of)?{_QUALIFIER_GAP}\s*$",
    re.IGNORECASE,
)


_PREDICATE = re.compile(
    r"\b(?:were|was|are|is|had|have|has|involved|came|included|accounted|made)\b", re.IGNORECASE
)


_QUANTIFIER_OF = re.compile(
    r"(?i:\b(?:majority|most|half|bulk|share|portion|part|some|many|all"
    r"|two-thirds|a third|one-third|nearly half)"
    rf"\s+of\s+(?:the|those|these){_QUALIFIER_GAP}\s*)$"
)


def _quantified(text: str, r: SentenceReading) -> None:
    """'The majority of the 302,000 encounters in December were migrants apprehended by Border Patrol
    agents': the number is the whole; what the sentence says of its part ('were ... Border Patrol') is
    not about it."""
    for p in r.pieces:
        share = _QUANTIFIER_OF.search(text, max(p.start, p.figure.start - 50), p.figure.start)
        if p.kind != "count" or share is None:
            continue
        p.role, p.lead = "container", "a part of"
        p.part_from = share.start()  # 'Families accounted for a third of ...': the part's words end here
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
        # 'family apprehensions make up 332,981 of the total 593,507': the words before the part are
        # the part's; the whole takes its group and agency from its own words only
        b.part_from, b.refers_back = a.figure.end, False
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
        if _heads_a_change(r, b):
            continue
        if _LIST_ITEM.fullmatch(lead) and not any(
            c.category in ("measure", "agency", "region") for c in r.cues_in(b.start, b.figure.start)
        ):
            b.role, b.lead, b.anchor = a.role, "(a list)", a.anchor
            b.refers_back = a.refers_back


def resolution_order(p: Piece) -> tuple[int, int]:
    """Anchors first (a comparator reads the main number's frame), then in text order."""
    rank = {"container": 0, "main": 0, "sibling": 1, "total": 1}.get(p.role, 2)
    return rank, p.figure.start
