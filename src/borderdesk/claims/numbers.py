"""Numbers as written: '31,600', '2.7 million', 'one million', 'half a million', '7.35 lakh', '180,000+',
'42%', 'one percent', 'doubled', 'twice as many', '12-fold'.

A :class:`Figure` keeps the value, the place value ``unit`` of its last significant digit as written
(u in claim-check.md: '31,600' -> 100, '2.7 million' -> 100,000, '1 million' -> 1,000,000) and why it
cannot be a count (money, an ordinal, part of '24-year-old' ...), decided from the characters around it.
Every word list (scales, number words, multiples) comes from claim_cues.csv.

>>> f = parse_figures("about 2.7 million migrants")[0]
>>> (int(f.value), int(f.unit))
(2700000, 100000)
>>> [int(f.value) for f in parse_figures("nearly one million, then half a million")]
[1000000, 500000]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

from borderdesk.claims import vocab
from borderdesk.claims.matcher import fold, holds_any
from borderdesk.values import MONTH_WORDS

_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d{1,15})(?:\.(\d{1,6}))?(?![\d])")
_PERCENT = re.compile(r"(?:[ \t]|-(?=p))?(?:%|percent\b|per[ \t]?cent\b|pct\b)", re.IGNORECASE)
_SCALE_SUFFIX = re.compile(r"(k|m|mn|bn)\b", re.IGNORECASE)
_FOLD = re.compile(r"(?<![\w-])(\d{1,3})[- ]?fold\b", re.IGNORECASE)
_MONEY_BEFORE = ("$", "€", "£", "¥", "₹")


@dataclass(frozen=True)
class Figure:
    """One number in the text. ``start``/``end`` cover the digits and any scale word or sign."""

    start: int
    end: int
    text: str
    value: Fraction
    unit: Fraction
    percent: bool = False
    multiple: bool = False  # 'doubled', '12-fold', 'twice as many': a ratio, never a count
    suffix_qualifier: str | None = None  # '180,000+' -> more_than, '5,000 or more' -> at_least
    reject: str | None = None  # why it is not a count of anything (money, ordinal, ...)
    spelled: bool = False  # written in words ('one million', 'half a million')

    @property
    def number(self) -> int | float:
        """The value as JSON wants it: an int when whole."""
        return int(self.value) if self.value.denominator == 1 else float(self.value)


def place_value(digits: str, decimals: str | None) -> Fraction:
    """u of a mantissa as written: '31600' -> 100, '5507' -> 1, '2','7' -> 1/10, '2','70' -> 1/100."""
    if decimals:
        return Fraction(1, 10 ** len(decimals))
    stripped = digits.rstrip("0")
    if not stripped:
        return Fraction(1)
    return Fraction(10 ** (len(digits) - len(stripped)))


def parse_figures(text: str, start: int = 0, end: int | None = None) -> list[Figure]:
    """Every number between ``start`` and ``end`` (counts and rejects alike), in text order."""
    stop = len(text) if end is None else end
    found = multiples(text, start, stop) + spelled(text, start, stop)
    taken = [(f.start, f.end) for f in found]
    for m in _NUMBER.finditer(text, start, stop):
        if not any(a < m.end() and m.start() < b for a, b in taken):  # the 12 of '12-fold'
            found.append(_figure(text, m, stop))
    return sorted(found, key=lambda f: f.start)


def _figure(text: str, m: re.Match[str], stop: int) -> Figure:
    digits, decimals = m.group(1).replace(",", ""), m.group(2)
    mantissa = Fraction(int(digits + (decimals or "")), 10 ** len(decimals or ""))
    unit = place_value(digits, decimals)
    s, e = m.start(), m.end()
    after = text[e : min(stop, e + 12)]
    reject = _reject_around(text, s, e, stop)
    if pm := _PERCENT.match(after):
        if reject == "part of a compound word":  # 'a 78-percent increase'
            reject = None
        return Figure(s, e + pm.end(), text[s : e + pm.end()], mantissa, unit, percent=True, reject=reject)
    factor = Fraction(1)
    if sm := _scale_word().match(text, e, min(stop, e + 14)):
        factor = vocab.scale(sm.group(1)) or Fraction(1)
        e = sm.end()
    elif xm := _SCALE_SUFFIX.match(text, e, min(stop, e + 3)):  # '180k', '2.7m': attached, no space
        factor = vocab.scale(xm.group(1)) or Fraction(1)
        e = xm.end()
        reject = None if reject == "attached to letters" else reject
    value, unit = mantissa * factor, unit * factor
    qualifier, e, reject = _suffix(text, e, stop, reject)
    if reject is None and value.denominator != 1:
        reject = "not a whole number"
    return Figure(s, e, text[s:e], value, unit, suffix_qualifier=qualifier, reject=reject)


def _suffix(text: str, e: int, stop: int, reject: str | None) -> tuple[str | None, int, str | None]:
    """'180,000+', '180,000-plus' (more than), '5,000 or more' (at least), '2,000 or so' (about)."""
    tail = text[e : min(stop, e + 10)]
    if tail.startswith("+"):
        return "more_than", e + 1, reject
    if re.match(r"-plus\b", tail, re.IGNORECASE):
        return "more_than", e + len("-plus"), None if reject == "part of a compound word" else reject
    if m2 := re.match(r"\s+or\s+(more|so)\b", text[e : min(stop, e + 12)], re.IGNORECASE):
        return ("at_least" if m2.group(1).lower() == "more" else "about"), e, reject
    return None, e, reject


@cache
def _scale_word() -> re.Pattern[str]:
    words = vocab.alternation(sorted(vocab.words("scale")))
    return re.compile(rf"\s+({words})\b", re.IGNORECASE)


_NUMERIC_DATE = re.compile(r"(?<![\d,.])\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}(?!\d)")


@cache
def _day_month() -> re.Pattern[str]:
    """A month name, capitalised as written, after a day ('16 June 2022'); names from borderdesk.values."""
    names = vocab.alternation(sorted(name.capitalize() for name in MONTH_WORDS))
    return re.compile(rf"\s+(?:{names})\b\.?(?:,?\s+(?:19|20)\d{{2}})?(?![\w-])")


def _reject_around(text: str, s: int, e: int, stop: int) -> str | None:
    before = text[max(0, s - 4) : s]
    after = text[e : min(stop, e + 3)]
    if before[-1:] in _MONEY_BEFORE or before.rstrip()[-1:] in _MONEY_BEFORE:
        return "money"
    if before[-1:] == "#" or re.search(r"\bno\.\s?$", text[max(0, s - 4) : s], re.IGNORECASE):
        return "a rank or label"
    if re.search(
        r"\b(?:title|section|article|chapter|form|route|highway|interstate|i-|sb|hb|h\.r\.|figures?|tables?|district"
        r"|item|step|phase|page|part|tier|level|category|appendix|precinct|ward|unit|room|gate|lane|exit|docket)\s?$",
        text[max(0, s - 12) : s],
        re.IGNORECASE,
    ):
        return "a name (Title 42, Section 212 ...)"
    if before[-1:] == "-" and re.search(r"[A-Za-z]-$", before):
        return "part of a code"
    if before[-1:] in ("/", ":") or (after[:1] in ("/", ":") and after[1:2].isdigit()):
        return "a date, time or ratio"
    if re.match(r"(?:st|nd|rd|th)\b", after, re.IGNORECASE):
        return "an ordinal"
    if _NUMERIC_DATE.search(text, max(0, s - 6), min(stop, e + 8)) and e - s <= 4:
        return "a date ('15-10-2020')"
    if e - s <= 2 and _day_month().match(text, e, stop) and 1 <= int(text[s:e] or 0) <= 31:
        return "a date ('16 June 2022')"
    if re.search(r"(?i:\bfigures?\s+\d+\s*(?:,|and|&)\s*)$", text[max(0, s - 20) : s]):
        return "a name (Figures 1 and 2)"
    line_start = s == 0 or text[s - 1] == "\n" or text[max(0, s - 2) : s] == "\n "
    if line_start and e - s <= 2 and (e >= stop or text[e : e + 1] in ".)\n" or text[e:stop].strip() == ""):
        return "list numbering"
    if re.search(r"[A-Z][a-z]+,\s?$", text[max(0, s - 30) : s]) and re.match(r",", after) and e - s <= 3:
        return "an age ('Saul Monago, 31,')"
    if re.match(r"-[A-Za-z]", after):
        return "part of a compound word"
    if after[:1].isalpha():
        return "attached to letters"
    return None


# ------------------------------------------------------------------------------------ words


@cache
def _spelled_regex() -> re.Pattern[str]:
    """'one million', 'a million', 'half a million', 'a quarter of a million', 'twenty-five thousand',
    'one hundred thousand', 'one and a half million'."""
    quantities = vocab.alternation(sorted(vocab.words("number_word")))
    scales = vocab.alternation(sorted(vocab.words("number_word_scale")))
    return re.compile(
        rf"(?<![\w-])(?P<q>(?:{quantities})(?:-(?:{quantities}))?)\s+(?:(?P<h>hundred)\s+)?(?P<s>{scales})\b",
        re.IGNORECASE,
    )


def _word_value(word: str) -> Fraction:
    table = vocab.cue_table()["number_word"]
    key = " ".join(word.casefold().split())
    if key in table:
        return Fraction(table[key]).limit_denominator(1000)
    first, _, second = key.partition("-")  # 'twenty-five'
    return Fraction(table[first]) + Fraction(table.get(second, "0"))


@cache
def _scales() -> frozenset[str]:
    return frozenset(map(fold, vocab.words("number_word_scale")))


def spelled(text: str, start: int, stop: int) -> list[Figure]:
    """Counts written in words, and percents in words ('one percent'), as figures."""
    out = []
    # no scale word ('million'), no count in words: then the regex is not even compiled
    counts = _spelled_regex().finditer(text, start, stop) if holds_any(text, start, stop, _scales()) else ()
    for m in counts:
        q = _word_value(m.group("q"))
        scale = Fraction(vocab.cue_table()["number_word_scale"][m.group("s").casefold()])
        if m.group("h"):
            scale *= 100
        value = q * scale
        if value.denominator != 1:
            continue
        # u: 'one million' -> 1,000,000; 'half a million' -> 100,000 (0.5 million); 'a quarter' -> 10,000
        k = next((k for k in range(7) if (q * 10**k).denominator == 1), 0)
        unit = scale / 10**k if k else place_value(str(q.numerator), None) * scale
        out.append(Figure(m.start(), m.end(), m.group(0), value, unit, spelled=True))
    for hit in vocab.matcher("percent_word").finditer(text, start, stop):
        value = Fraction(hit.value).limit_denominator(1000)
        if any(f.start <= hit.start < f.end for f in out):
            continue
        out.append(Figure(hit.start, hit.end, hit.text, value, Fraction(1), percent=True, spelled=True))
    return out


@cache
def _multiple_matcher() -> vocab.Matcher:
    return vocab.matcher("multiple")


_TIMES = frozenset({"times"})

# 'three times last year's total', 'twice March's number': a multiple of what a possessive names
_POSSESSIVE = r"(?:[A-Za-z.]+\s+){0,2}[A-Za-z]+['’]s\b"


@cache
def _twice_words() -> frozenset[str]:
    return frozenset(map(fold, vocab.words("multiple_needs_follower")))


@cache
def _twice() -> re.Pattern[str]:
    words = vocab.alternation(sorted(vocab.words("multiple_needs_follower")))
    followers = vocab.alternation(sorted(vocab.words("multiple_follower")))
    return re.compile(rf"(?<![\w-])({words})(?=\s+(?:(?:{followers})\b|{_POSSESSIVE}))", re.IGNORECASE)


@cache
def _times() -> re.Pattern[str]:
    words = vocab.alternation(sorted(w for w in vocab.words("number_word") if w not in ("a", "an")))
    followers = vocab.alternation(
        sorted(vocab.words("multiple_follower") | {"higher", "more", "larger", "greater", "bigger"})
    )
    qualifiers = vocab.alternation(sorted(vocab.words("qualifier_before")))
    # 'exceeded the 2020 total by almost eight times': 'by' before it makes it a multiple too
    by = rf"(?P<by>\bby\s+(?:(?:{qualifiers})\s+)?)?"
    return re.compile(
        rf"{by}(?<![\w.,-])(?P<n>(?:{words})|\d{{1,2}}(?:\.\d)?)\s+times"
        rf"(?(by)\b|(?=\s+(?:(?:{followers})\b|{_POSSESSIVE})))",
        re.IGNORECASE,
    )


def multiples(text: str, start: int, stop: int) -> list[Figure]:
    """'doubled' -> 2, 'twelvefold' -> 12, '12-fold' -> 12, 'halved' -> 0.5, 'twice as many' -> 2."""
    out = []
    taken: list[tuple[int, int]] = []
    for m in _FOLD.finditer(text, start, stop):
        value = Fraction(int(m.group(1)))
        out.append(Figure(m.start(), m.end(), m.group(0), value, value / 10, multiple=True))
        taken.append((m.start(), m.end()))
    for hit in _multiple_matcher().finditer(text, start, stop):
        if any(a <= hit.start < b for a, b in taken):
            continue
        value = Fraction(hit.value)
        out.append(Figure(hit.start, hit.end, hit.text, value, value / 10, multiple=True))
    # 'nearly four times the 34,845', '3.5 times as many' (no regex without the word 'times')
    for m in _times().finditer(text, start, stop) if holds_any(text, start, stop, _TIMES) else ():
        if any(a <= m.start("n") < b for a, b in taken):
            continue
        word = m.group("n").casefold()
        value = (
            Fraction(word) if word[0].isdigit() else Fraction(vocab.cue_table()["number_word"].get(word, "0"))
        )
        if value >= 2:
            out.append(
                Figure(m.start("n"), m.end(), text[m.start("n") : m.end()], value, value / 10, multiple=True)
            )
            taken.append((m.start("n"), m.end()))
    table = vocab.cue_table()["multiple_needs_follower"]
    for m in _twice().finditer(text, start, stop) if holds_any(text, start, stop, _twice_words()) else ():
        value = Fraction(table[m.group(1).casefold()])
        out.append(Figure(m.start(), m.end(), m.group(0), value, value / 10, multiple=True))
    return out
