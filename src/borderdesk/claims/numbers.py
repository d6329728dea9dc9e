"""Numbers as written: '31,600', '2.7 million', '7.35 lakh', '180,000+', '42%', 'doubled', '12-fold'.

A :class:`Figure` keeps the value, the place value ``unit`` of its last significant digit as written
(u in claim-check.md: '31,600' -> 100, '2.7 million' -> 100,000, '1 million' -> 1,000,000) and why it
cannot be a count (money, an ordinal, part of '24-year-old' ...), decided from the characters around it.

>>> f = parse_figures("about 2.7 million migrants")[0]
>>> (int(f.value), int(f.unit))
(2700000, 100000)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

from borderdesk.claims import vocab

_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d{1,15})(?:\.(\d{1,6}))?(?![\d])")
_PERCENT = re.compile(r"[ \t]?(?:%|percent\b|per[ \t]?cent\b)", re.IGNORECASE)
_SCALE_WORD = re.compile(r"\s+(thousand|million|billion|lakhs?|lac|crores?)\b", re.IGNORECASE)
_SCALE_SUFFIX = re.compile(r"(k|m|mn|bn)\b", re.IGNORECASE)
_FOLD = re.compile(
    r"(?<![\w-])(\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
    r"[- ]?fold\b",
    re.IGNORECASE,
)
_SPELLED = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
}  # fmt: skip


@dataclass(frozen=True)
class Figure:
    """One number in the text. ``start``/``end`` cover the digits and any scale word or sign."""

    start: int
    end: int
    text: str
    value: Fraction
    unit: Fraction
    percent: bool = False
    multiple: bool = False  # 'doubled', '12-fold': a ratio, never a count
    suffix_qualifier: str | None = None  # '180,000+' -> more_than, '5,000 or more' -> at_least
    reject: str | None = None  # why it is not a count of anything (money, ordinal, ...)

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
    """Every number between ``start`` and ``end``, counts and rejects alike, plus spelled multiples."""
    stop = len(text) if end is None else end
    folds = multiples(text, start, stop)
    out = [
        f
        for f in (_figure(text, m, stop) for m in _NUMBER.finditer(text, start, stop))
        if not any(f.start < g.end and f.end > g.start for g in folds)  # the 12 of '12-fold'
    ]
    return sorted(out + folds, key=lambda f: f.start)


def _figure(text: str, m: re.Match[str], stop: int) -> Figure:
    digits, decimals = m.group(1).replace(",", ""), m.group(2)
    mantissa = Fraction(int(digits + (decimals or "")), 10 ** len(decimals or ""))
    unit = place_value(digits, decimals)
    s, e = m.start(), m.end()
    after = text[e : min(stop, e + 12)]
    reject = _reject_around(text, s, e, stop)
    if pm := _PERCENT.match(after):
        return Figure(s, e + pm.end(), text[s : e + pm.end()], mantissa, unit, percent=True, reject=reject)
    factor = Fraction(1)
    if sm := _SCALE_WORD.match(text, e, min(stop, e + 12)):
        factor = vocab.scale(sm.group(1)) or Fraction(1)
        e = sm.end()
    elif xm := _SCALE_SUFFIX.match(text, e, min(stop, e + 3)):  # '180k', '2.7m': attached, no space
        factor = vocab.scale(xm.group(1)) or Fraction(1)
        e = xm.end()
        reject = None if reject == "attached to letters" else reject
    value, unit = mantissa * factor, unit * factor
    qualifier = None
    tail = text[e : min(stop, e + 10)]
    if tail.startswith("+"):
        qualifier, e = "more_than", e + 1
    elif re.match(r"-?plus\b", tail, re.IGNORECASE) and tail[:1] == "-":
        qualifier, e = "more_than", e + len("-plus")
        reject = None if reject == "part of a compound word" else reject
    elif m2 := re.match(r"\s+or\s+(more|so)\b", text[e : min(stop, e + 12)], re.IGNORECASE):
        qualifier = "at_least" if m2.group(1).lower() == "more" else "about"
    if reject is None and value.denominator != 1:
        reject = "not a whole number"
    return Figure(s, e, text[s:e], value, unit, suffix_qualifier=qualifier, reject=reject)


def _reject_around(text: str, s: int, e: int, stop: int) -> str | None:
    before = text[max(0, s - 4) : s]
    after = text[e : min(stop, e + 3)]
    if before[-1:] in ("$", "€", "£", "¥"):
        return "money"
    if before.rstrip()[-1:] in ("$", "€", "£"):
        return "money"
    if before[-1:] == "#" or re.search(r"\bno\.\s?$", text[max(0, s - 4) : s], re.IGNORECASE):
        return "a rank or label"
    if re.search(
        r"\b(?:title|section|article|chapter|form|route|highway|interstate)\s$",
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
    if re.match(r"-[A-Za-z]", after):
        return "part of a compound word"
    if after[:1].isalpha():
        return "attached to letters"
    return None


@cache
def _multiple_matcher() -> vocab.Matcher:
    return vocab.matcher("multiple")


def multiples(text: str, start: int, stop: int) -> list[Figure]:
    """'doubled' -> 2, 'twelvefold' -> 12, '12-fold' -> 12, 'halved' -> 0.5, as comparison figures."""
    out = []
    taken: list[tuple[int, int]] = []
    for m in _FOLD.finditer(text, start, stop):
        word = m.group(1).lower()
        value = Fraction(int(word)) if word.isdigit() else Fraction(_SPELLED[word])
        out.append(Figure(m.start(), m.end(), m.group(0), value, value / 10, multiple=True))
        taken.append((m.start(), m.end()))
    for hit in _multiple_matcher().finditer(text, start, stop):
        if any(a <= hit.start < b for a, b in taken):
            continue
        value = Fraction(hit.value)
        out.append(Figure(hit.start, hit.end, hit.text, value, value / 10, multiple=True))
    return out
