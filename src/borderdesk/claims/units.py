"""What a number is of, read from the words right around it: the noun after it ('agents', 'days',
'migrants') and, for a percentage, the change it states ('fell 42%', 'a 30 percent drop')."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from borderdesk.claims import vocab
from borderdesk.claims.cues import Cue
from borderdesk.claims.numbers import Figure
from borderdesk.claims.periods import PeriodCue

_WORD = re.compile(r"[A-Za-z][\w'.-]*|[,.;:!?()]")


def unit_of(text: str, fig: Figure, stop: int) -> tuple[str, str] | None:
    """What the words right after a number say it counts: ('count', word) for people or encounters,
    ('block', kind) for other things ('agents or officers', 'days', 'money' ...), None if unknown."""
    block = vocab.cue_table().get("unit_block", {})
    counts = vocab.words("count_noun")
    stops = vocab.words("unit_stop")
    tokens = []
    pos = fig.end
    for m in _WORD.finditer(text, fig.end, min(stop, fig.end + 80)):
        if re.search(r"[,;:\u2014\u2013]|\s-\s|--", text[pos : m.start()]):
            break  # a comma or a dash: the words after it are not this number's unit ('7,181 -- down 14%')
        pos = m.end()
        w = m.group(0).rstrip(".'-")
        if not w[:1].isalpha():
            break
        tokens.append(w)
        if len(tokens) >= 5:
            break
    for k, w in enumerate(tokens):
        low = w.casefold().rstrip(".")
        pair = f"{low} {tokens[k + 1].casefold()}" if k + 1 < len(tokens) else ""
        if pair in counts or low in counts or vocab.nationality(w) is not None:
            return ("count", w)
        if low in block:
            if block[low] == "months" and k > 0 and tokens[k - 1].casefold() == "per":
                return None  # '109,000 per month': a rate or a monthly level, not a number of months
            return ("block", block[low])
        if low in stops:
            return None
    return None


@cache
def _gap_words() -> re.Pattern[str]:
    words = vocab.alternation(sorted(vocab.words("direction_gap")))
    return re.compile(rf"(?i:\s*(?:(?:{words})\b\s*)*)")


_COMPARATIVE = frozenset({"more", "fewer", "less", "higher", "lower"})


def difference_of(text: str, cues: list[Cue], found: list[PeriodCue], fig: Figure) -> str | None:
    """The direction of a stated difference: '120,000 fewer', '6,000 more', 'an increase of almost 6,000',
    'up 2,300 from 9,100', 'increased in June by more than 9,000' -- not 'fell to 11,710' nor '371,036
    increased 80 percent'."""
    after = [
        c
        for c in cues
        if c.category == "direction_after"
        and c.text.casefold() in _COMPARATIVE
        and 0 <= c.start - fig.end <= 1
    ]
    if after:
        return after[0].value
    return _before(text, cues, found, fig)


def _before(text: str, cues: list[Cue], found: list[PeriodCue], fig: Figure) -> str | None:
    before = [c for c in cues if c.category == "direction" and c.end <= fig.start and fig.start - c.end <= 60]
    if not before:
        return None
    last = before[-1]
    between = text[last.end : fig.start]
    for c in found:
        if last.end <= c.start and c.end <= fig.start:
            # the period with its preposition: 'increased in June by more than 9,000'
            between = re.sub(
                rf"(?i:\b(?:in|during|for|from|between|over)\s+)?{re.escape(c.text)}", " ", between, count=1
            )
    # 'the rate of increase from February to March 2023 (25%)': the change in parentheses after its period
    between = re.sub(r"\s*\(\s*$", " ", between)
    return last.value if _gap_words().fullmatch(between) is not None else None


def direction_of(text: str, cues: list[Cue], found: list[PeriodCue], fig: Figure) -> str | None:
    """The change a percentage states: a word right after it ('a 42% drop', '30 percent lower'), else a
    direction word right before it, with nothing but qualifiers (and a period) between ('fell 42%', 'up
    more than 41%', 'a drop of 53%', 'decreased between June and July by about 24%'). 'from the 53%' is
    a level, '30% of' a share: no change."""
    after = [
        c for c in cues if c.category in ("direction", "direction_after") and 0 <= c.start - fig.end <= 3
    ]
    if after:
        return after[0].value
    if re.match(r"\s+of\b", text[fig.end : fig.end + 4]):
        return None
    if prev := listed_after(text, found, fig):  # 'fell by about 24% and 25%, respectively'
        return direction_of(text, cues, found, prev)
    return _before(text, cues, found, fig)


_PCT = re.compile(r"(?<![\w.,])\d[\d,]*(?:\.\d+)?\s?(?:%|percent\b|per\s?cent\b)", re.IGNORECASE)
_GLUE = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)"
_COMPARING = r"(?:over|from|than|compared\s+(?:with|to)|versus|vs\.?)"
# '6% over the previous month and 73% over February ...': each item has its own other side
_EACH_COMPARED = re.compile(rf"\s+{_COMPARING}\b[^\d;:()]{{0,60}}?{_GLUE}", re.IGNORECASE)
_COMPARED_NEXT = re.compile(rf"\s+{_COMPARING}\b", re.IGNORECASE)
# '... from February to March 2022 (33%) and February to March 2021 (73%)': each after its own period
_EACH_IN_PARENS = re.compile(rf"\s*\){_GLUE}\s*\(\s*", re.IGNORECASE)


@cache
def _plain_list() -> re.Pattern[str]:
    qualifiers = vocab.alternation(sorted(vocab.words("qualifier_before")))
    return re.compile(rf"{_GLUE}(?:(?:{qualifiers})\s+)?", re.IGNORECASE)


def listed_after(text: str, found: list[PeriodCue], fig: Figure) -> Figure | None:
    """The percentage just before ``fig`` in a list of percentages ('24% and 25%', '10%, 12% or 15%',
    'up 6% over January and 73% over February 2021'): the list states one change for each of its
    items, so each item takes the first one's direction."""
    prev = [m for m in _PCT.finditer(text, max(0, fig.start - 120), fig.start) if m.end() <= fig.start]
    if not prev:
        return None
    m = prev[-1]
    gap = text[m.end() : fig.start]
    for c in found:  # the periods between the items are the items' own
        if m.end() <= c.start and c.end <= fig.start:
            gap = gap.replace(c.text, " ", 1)
    listed = (
        _plain_list().fullmatch(gap) is not None
        or _EACH_IN_PARENS.fullmatch(gap) is not None
        or (_EACH_COMPARED.fullmatch(gap) is not None and _COMPARED_NEXT.match(text, fig.end) is not None)
    )
    return replace(fig, start=m.start(), end=m.end()) if listed else None
