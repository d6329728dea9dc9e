"""Is a number an encounter claim? A percentage only as a stated change ('fell 42%', 'a 30 percent drop'),
not a share; a count not when the words after it name other things ('agents', 'days'), when another agency
or country counted it (ICE, HHS, Mexican authorities), when it is a per-day or monthly average, a rank, a
projection or a negated statement, or when no encounter word is in its frame (claim-check.md, Not claims)."""

from __future__ import annotations

import re
from functools import cache

from borderdesk.claims import vocab
from borderdesk.claims.choose import Sourced, choose, sourced
from borderdesk.claims.cues import Cue
from borderdesk.claims.numbers import Figure, parse_figures
from borderdesk.claims.pieces import ANCHOR, OWN, SENTENCE, Piece, SentenceReading
from borderdesk.claims.units import direction_of, unit_of


def _between(r: SentenceReading, a: int, b: int) -> bool:
    return any(a <= f.start < b for f in r.figures)


def _governs(r: SentenceReading, c: Cue, fig: Figure) -> bool:
    """Does the marker belong to this number: just before it with no other number between ('an average of
    8,000 ... April recording 12,537': not the 12,537), or just after it ('12,000 on average')?"""
    if c.end <= fig.start:
        return fig.start - c.end <= 60 and not _between(r, c.end, fig.start)
    return c.start - fig.end <= 30


def not_a_claim(text: str, r: SentenceReading, p: Piece) -> str | None:
    """Why ``p`` is not an encounter claim, or None when it is one."""
    fig = p.figure
    own = r.cues_in(p.start, p.end)
    lead = r.cues_in(p.clause[0], fig.start)
    if fig.percent and direction_of(text, r.cues, r.periods, fig) is None:
        return "a percentage that is not a stated change (a share, a rate or a level)"
    if not fig.percent and not fig.multiple and not p.difference:
        unit = unit_of(text, fig, p.end) or _unit_of_restated(text, fig)
        if unit is not None and unit[0] == "block":
            return f"counts {unit[1]}, not encounters"
        if _per_day(text, fig, own) or _per_day_range(text, fig, r.cues):
            return "a per-day average, not a monthly count"
    if _restated_in_parentheses(text, r, fig):
        return "a rounded figure restated more precisely in the parentheses after it"
    others = _others(r, p)
    if others is not None:
        return f"counted by others ({others.value}), not CBP encounters"
    if p.role == "comparator":
        # the other side of a comparison is what its main side is: 'fell to 300 a day ... from 1,100'
        # is a rate; 'Panama counted 200 crossings in March, compared to 37,000' is Panama's count
        if p.kind == "count" and _daily(p):
            return "the other side of a per-day rate, not a monthly count"
        side = p.anchor or r.main
        if side is not None and side is not p and (others := _others(r, side)) is not None:
            return f"compared with a count by others ({others.value}), not CBP encounters"
    if any(c.category == "rank_marker" for c in own) or _restated_threshold(text, r, fig):
        return "a rank or record statement without a count of its own"
    before_fig = [c for c in own + lead if c.end <= fig.start]
    if any(c.category == "projection" for c in before_fig):
        return "a projection, not a count"
    # a negation denies only the next number ('has not fallen below 148,000 ..., when agents caught 98,000')
    if any(c.category == "negation" and not _between(r, c.end, fig.start) for c in before_fig):
        return "a negated statement ('has not fallen below ...'), not a count"
    if any(c.category == "average_marker" and _governs(r, c, fig) for c in own) and (
        p.kind == "count" or _averaged_comparison(text, r, p)
    ):
        return "an average, not a count for a stated period"
    if (
        p.kind == "count"
        and any(
            c.category == "per_month"
            and 0 <= c.start - fig.end <= 25
            # 'the 9,300 apprehensions per month': a rate by its own words; 'a month' only with an average
            and (
                (
                    c.text.casefold() == "per month"
                    and not re.search(r"\d", text[fig.end : c.start])
                    # 'jumped from roughly 61,000 to 109,000 per month': a monthly level, not an average
                    and not _FROM_TO.search(text, max(0, fig.start - 50), fig.start)
                )
                or any(
                    d.category == "average_marker" or d.text.casefold() in ("each month", "every month")
                    for d in r.cues
                )
            )
            for c in own
        )
    ):
        return "a monthly average, not a count for a stated period"
    if p.kind == "comparison" and _averaged_comparison(text, r, p):
        return "a comparison with an average"
    if _size_lead().search(text[max(p.start, fig.start - 30) : fig.start]):
        return "the size of a group, not a count of encounters"
    weak = False
    if "measure" not in p.frame:
        found = _take_weak(text, r, p)
        if found is None:
            return "no encounter word in its frame"
        p.frame["measure"], weak = found, True
    if weak or p.frame["measure"].source not in (OWN, SENTENCE, ANCHOR):
        blocks = [c for c in r.cues if c.category in ("context_block", "other_counter")]
        if blocks:
            return f"about {blocks[0].value}, not encounters"
    return None


def _unit_of_restated(text: str, fig: Figure) -> tuple[str, str] | None:
    """'DHS reassigned 600 CBP officers ... one-third of those 600 are set to arrive': a number after
    'those' or 'these' that repeats one written before counts what that one counted."""
    if not re.search(r"(?i:\b(?:those|these)\s+)$", text[max(0, fig.start - 8) : fig.start]):
        return None
    earlier = [f for f in parse_figures(text, 0, fig.start) if f.text == fig.text]
    return unit_of(text, earlier[-1], fig.start) if earlier else None


def _restated_in_parentheses(text: str, r: SentenceReading, fig: Figure) -> bool:
    """'more than half a million encounters (510,000+)': the figure in the parentheses is the same count
    written more precisely, and the claim is that one."""
    nxt = min((f for f in r.figures if f.start >= fig.end), key=lambda f: f.start, default=None)
    if nxt is None or fig.percent or fig.multiple or nxt.percent or nxt.multiple or nxt.reject is not None:
        return False
    if _PARENS_OPEN.fullmatch(text, fig.end, nxt.start) is None or not re.match(r"\s*\)", text[nxt.end :]):
        return False
    return nxt.unit < fig.unit and abs(nxt.value - fig.value) <= fig.value / 4


_PARENS_OPEN = re.compile(r"(?:\s+[A-Za-z][\w'-]*){0,3}\s*\(\s*")


def _restated_threshold(text: str, r: SentenceReading, fig: Figure) -> bool:
    """'made 2.05 million arrests ..., the second year in a row that figure has exceeded two million': a
    threshold that the figure already given passes, with that figure as its subject, is a record statement
    about it, not a count of its own."""
    verbs = [
        v
        for v in vocab.matcher("comparator_verb").finditer(text, max(0, fig.start - 40), fig.start)
        if not re.search(r"\d|[,;]", text[v.end : fig.start])
    ]
    if not verbs:
        return False
    verb = verbs[-1]
    subject = any(
        c.category == "anaphor" and _AUXILIARY.fullmatch(text, c.end, verb.start) is not None for c in r.cues
    )
    return subject and any(
        f.end <= verb.start and not (f.percent or f.multiple) and f.reject is None and f.value >= fig.value
        for f in r.figures
    )


_AUXILIARY = re.compile(r"\s+(?:(?:has|had|have|again|already|now)\s+)*", re.IGNORECASE)


def _others(r: SentenceReading, p: Piece) -> Cue | None:
    """The other counter ('Mexican authorities', 'the Darien Gap') in a number's clause before it or in
    its own words."""
    found = r.cues_in(p.start, p.end) + r.cues_in(p.clause[0], p.figure.start)
    return next((c for c in found if c.category == "other_counter"), None)


def _averaged_comparison(text: str, r: SentenceReading, p: Piece) -> bool:
    """'89 percent lower than the monthly average', 'Fall to 263 per Day ..., Down 94 Percent', 'the
    seven-day average dropped 50 percent to 1,900 a day', '37% less than the monthly average of 185,625'."""
    if any(c.category in ("average_marker", "per_day") for c in r.cues_in(p.figure.end, p.end)):
        return True
    nxt = min(
        (q for q in r.pieces if q.figure.start >= p.figure.end), key=lambda q: q.figure.start, default=None
    )
    if _daily(p) or (nxt is not None and nxt.role == "comparator" and _daily(nxt)):
        return True  # a change between rates, or against an average as its other side
    counts = [q for q in r.pieces if q.kind == "count" and q.figure.end <= p.figure.start]
    return bool(counts) and any(
        c.category == "per_day" for c in r.cues_in(counts[-1].figure.end, p.figure.start)
    )


def _daily(p: Piece) -> bool:
    """A rate by its sentence's own words: its measure is a per-day (or averaged) figure."""
    m = p.frame.get("measure")
    return m is not None and m.values == ("daily",) and m.source in (OWN, SENTENCE, ANCHOR)


def _take_weak(text: str, r: SentenceReading, p: Piece) -> Sourced | None:
    """'CBP reported 1,681 Russians': a reporting verb with people after the number reads as encounters."""
    unit = unit_of(text, p.figure, p.end)
    if unit is None or unit[0] != "count":
        return None
    found = r.cues_in(p.clause[0], p.end, "measure_weak")
    return sourced(choose("measure", p.figure, found, text, own=True), OWN) if found else None


def _per_day(text: str, fig: Figure, own: list[Cue]) -> bool:
    for c in own:
        if c.category != "per_day":
            continue
        if 0 <= c.start - fig.end <= 25 or (
            c.end <= fig.start and fig.start - c.end <= 25 and "average" in c.text.lower()
        ):
            return True
        # 'daily Border Patrol apprehensions totaled 204': a day's count, by its adjective
        if (
            c.text.casefold() == "daily"
            and c.end <= fig.start
            and fig.start - c.end <= 60
            and _daily_count().match(text, c.end)
            and not re.search(r"\d|[,;.]\s", text[c.end : fig.start])
        ):
            return True
    return bool(
        re.search(
            r"(?i:\baverage(?:d)?\s+(?:of\s+)?(?:about\s+|more than\s+|nearly\s+)?)$",
            text[max(0, fig.start - 30) : fig.start],
        )
    )


@cache
def _daily_count() -> re.Pattern[str]:
    """'daily [Border Patrol] apprehensions': a measure word (claim_cues.csv) after the adjective."""
    words = sorted(w for w, v in vocab.cue_table()["measure"].items() if " " not in w and w.endswith("s"))
    return re.compile(
        rf"\s+(?:[A-Z][\w.]*\s+){{0,3}}(?:border\s+)?(?i:(?:{vocab.alternation(words)}))\b", re.IGNORECASE
    )


_FROM_TO = re.compile(
    r"\bfrom\s+(?:about\s+|roughly\s+|some\s+|nearly\s+)?\d[\d,.]*\s+(?:\w+\s+)?to\s+"
    r"(?:about\s+|roughly\s+|some\s+|nearly\s+)?$",
    re.IGNORECASE,
)
_RANGE_TO = re.compile(r"\s*(?:to|-|–|—|and|or)\s*(?:about\s+|around\s+|some\s+)?\d[\d,.]*", re.IGNORECASE)


def _per_day_range(text: str, fig: Figure, cues: list[Cue]) -> bool:
    """'going from 20 to 30 apprehensions a day': the first number of a range takes the rate after the
    second."""
    m = _RANGE_TO.match(text, fig.end)
    if m is None:
        return False
    return any(c.category == "per_day" and 0 <= c.start - m.end() <= 25 for c in cues)


@cache
def _size_lead() -> re.Pattern[str]:
    words = vocab.alternation(sorted(vocab.words("size_lead")))
    return re.compile(rf"(?i:\b(?:{words})\s+(?:(?:about|some|more than|over|up to|nearly)\s+)?)$")
