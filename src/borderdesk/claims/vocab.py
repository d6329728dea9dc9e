"""Cue vocabularies for the claim checker, read once from ``metadata/data/claim_*.csv``.

Every word list the checker uses lives in those CSV files (a registry per category), so adding a word
("nabbed" as an apprehension verb, a new demonym) is a data change, not a code change. This module
only loads them and compiles each category into one bounded, literal-alternation regex. (Month names
are not here: every layer reads them from the one table in :mod:`borderdesk.values`.)
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from functools import cache, lru_cache
from importlib import resources

from borderdesk import metadata


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("borderdesk.metadata").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def phrase_pattern(phrase: str) -> str:
    """A literal phrase as a regex: any run of whitespace between words, so line breaks match too."""
    return r"\s+".join(re.escape(w) for w in phrase.split())


_SPACE = object()  # a run of whitespace in a phrase


def alternation(phrases: list[str]) -> str:
    """One pattern for many phrases, built as a prefix trie (each position tries one branch per next
    character, not every phrase) with longer continuations before the end of a shorter phrase, so that
    'between ports of entry' wins over 'ports of entry' at the same place."""
    trie: dict[object, dict] = {}  # type: ignore[type-arg]
    for phrase in set(phrases):
        words = phrase.split()
        if not words:
            continue
        node = trie
        for k, word in enumerate(words):
            if k:
                node = node.setdefault(_SPACE, {})
            for ch in word:
                node = node.setdefault(ch, {})
        node[""] = {}
    return _emit(trie)


def _emit(node: dict) -> str:  # type: ignore[type-arg]
    branches = []
    for key in sorted((k for k in node if k != ""), key=lambda k: "\x00" if k is _SPACE else str(k)):
        head = r"\s+" if key is _SPACE else re.escape(str(key))
        branches.append(head + _emit(node[key]))
    if "" in node:
        branches.append("")
    if not branches:
        return ""
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


@dataclass(frozen=True)
class Hit:
    """One vocabulary phrase found in the text (offsets are absolute)."""

    start: int
    end: int
    text: str
    value: str


_RUN = re.compile(r"\w+")


#: the non-ASCII characters that a regex ignoring case matches to an ASCII word character (the Turkish
#: dotted and dotless i, the long s, the Kelvin sign), as that character
ASCII_FOLDS = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_FOLDS = str.maketrans(ASCII_FOLDS)


def fold(word: str) -> str:
    """A word as a dictionary key: lower case, and a regex's ASCII look-alikes as ASCII."""
    return word.lower() if word.isascii() else word.translate(_FOLDS).lower()


@lru_cache(maxsize=64)
def word_starts(text: str, start: int, end: int) -> dict[str, list[int]]:
    """Where each run of word characters in ``text[start:end]`` starts, by its :func:`fold` (a sentence
    is scanned by many matchers: this is computed once for all of them; callers only read it)."""
    out: dict[str, list[int]] = {}
    for m in _RUN.finditer(text, start, end):
        out.setdefault(fold(m.group(0)), []).append(m.start())
    return out


def _by_first_run(phrases: list[str], case_sensitive: bool) -> dict[str, list[str]] | None:
    """The phrases grouped by the :func:`fold` of their first run of word characters; None when some
    phrase does not start with a word character (it may match anywhere) or, ignoring case, starts with a
    non-ASCII one: then only the whole category's regex is exact.

    A phrase matches only at the start of a word, and its first run is followed by a non-word character
    or the phrase's end, so where it matches the text's word is that run: the same characters, or,
    ignoring case, characters that a regex matches to the run's ASCII ones -- the same fold."""
    out: dict[str, list[str]] = {}
    for p in phrases:
        m = _RUN.match(p)
        if m is None or not (case_sensitive or m.group(0).isascii()):
            return None
        out.setdefault(fold(m.group(0)), []).append(p)
    return out


def _bounded(phrases: list[str], flags: int) -> re.Pattern[str]:
    """Phrases as one regex that matches only whole words, the longest phrase first."""
    body = alternation(phrases) or r"(?!x)x"
    return re.compile(rf"(?<![\w])(?:{body})(?![\w])", flags)


class Matcher:
    """All phrases of one category; ``finditer`` yields non-overlapping hits, longest phrase first.

    A one-shot check must not pay for compiling every phrase of every category (``re`` compiles in
    Python: the whole vocabulary costs tens of milliseconds): the phrases are grouped by their first word,
    and only the groups of the words a text holds are compiled, each tried only where its word starts.
    The hits are those of the category's one regex (``regex``), which a category whose phrases do not
    all start with a word (see :func:`_by_first_run`) still uses."""

    def __init__(self, table: dict[str, str], *, case_sensitive: bool = False) -> None:
        self.table = {(p if case_sensitive else p.casefold()): v for p, v in table.items()}
        self.case_sensitive = case_sensitive
        self._flags = 0 if case_sensitive else re.IGNORECASE
        self._phrases = list(table)
        self._regex: re.Pattern[str] | None = None
        self._groups = _by_first_run(self._phrases, case_sensitive)
        self._compiled: dict[str, re.Pattern[str]] = {}

    @property
    def regex(self) -> re.Pattern[str]:
        """The whole category as one regex, compiled when first needed."""
        if self._regex is None:
            self._regex = _bounded(self._phrases, self._flags)
        return self._regex

    def _group(self, word: str) -> re.Pattern[str]:
        """The regex of the phrases that start with ``word``."""
        pattern = self._compiled.get(word)
        if pattern is None:
            assert self._groups is not None
            pattern = self._compiled[word] = _bounded(self._groups[word], self._flags)
        return pattern

    def value(self, found: str) -> str:
        key = " ".join(found.split())
        return self.table.get(key if self.case_sensitive else key.casefold(), "")

    def _hit(self, m: re.Match[str]) -> Hit:
        return Hit(m.start(), m.end(), m.group(0), self.value(m.group(0)))

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[Hit]:
        stop = len(text) if end is None else end
        for m in self._matches(text, start, stop):
            yield self._hit(m)

    def _matches(self, text: str, start: int, stop: int) -> Iterator[re.Match[str]]:
        groups = self._groups
        if groups is None:
            yield from self.regex.finditer(text, start, stop)
            return
        starts = word_starts(text, start, stop)
        present = [word for word in starts if word in groups]
        reached = start
        for at, key in sorted((at, word) for word in present for at in starts[word]):
            if at >= reached and (m := self._group(key).match(text, at, stop)) is not None:
                reached = m.end()
                yield m

    def search(self, text: str, start: int = 0, end: int | None = None) -> Hit | None:
        return next(self.finditer(text, start, end), None)

    def match(self, text: str, pos: int = 0) -> Hit | None:
        """The phrase that starts exactly at ``pos``, if any."""
        run = _RUN.match(text, pos)
        if self._groups is None:
            m = self.regex.match(text, pos)
        elif run is None or (word := fold(run.group(0))) not in self._groups:
            return None
        else:
            m = self._group(word).match(text, pos)
        return None if m is None else self._hit(m)


@cache
def cue_table() -> dict[str, dict[str, str]]:
    """category -> {phrase -> value} from claim_cues.csv."""
    out: dict[str, dict[str, str]] = {}
    for r in _rows("claim_cues.csv"):
        out.setdefault(r["category"], {})[r["phrase"]] = r["value"]
    return out


@cache
def matcher(category: str) -> Matcher:
    """The compiled matcher of one category of claim_cues.csv (e.g. 'region', 'measure')."""
    return Matcher(cue_table().get(category, {}))


@cache
def words(category: str) -> frozenset[str]:
    return frozenset(p.casefold() for p in cue_table().get(category, {}))


def scale(word: str) -> Fraction | None:
    """'million' -> 1,000,000; 'lakh' -> 100,000 (also the attached suffixes k, m, mn, bn)."""
    key = word.casefold()
    for category in ("scale", "scale_suffix"):
        value = cue_table().get(category, {}).get(key)
        if value:
            return Fraction(value)
    return None


@dataclass(frozen=True)
class Nationality:
    phrase: str
    value: str  # CBP's canonical citizenship, or the country's name for those pooled into OTHER
    form: str  # country | adjective | plural | both


@cache
def nationalities() -> dict[str, Nationality]:
    """phrase (as capitalised in running text) -> Nationality, from claim_nationalities.csv."""
    return {
        r["phrase"]: Nationality(r["phrase"], r["value"], r["form"]) for r in _rows("claim_nationalities.csv")
    }


@cache
def nationality_matcher() -> Matcher:
    """Proper nouns only: capitalised as written ('Chinese') or in capitals ('CHINESE'), never 'turkey'."""
    phrases = list(nationalities())
    return Matcher({p: p for p in phrases + [p.upper() for p in phrases]}, case_sensitive=True)


@cache
def _upper_nationalities() -> dict[str, Nationality]:
    return {phrase.upper(): nat for phrase, nat in nationalities().items()}


def nationality(found: str) -> Nationality | None:
    key = " ".join(found.split())
    return nationalities().get(key) or _upper_nationalities().get(key)


@cache
def listed_citizenships() -> frozenset[str]:
    """The countries CBP's releases name (values.csv); every other one is pooled into OTHER."""
    values = metadata.seed_values().get("citizenship", {})
    return frozenset(v for v in values if not v.startswith("OTHER"))


@dataclass(frozen=True)
class Event:
    regex: re.Pattern[str]
    start: str  # YYYY-MM, the first whole month
    end: str  # YYYY-MM or '' (open: up to the latest published month)
    label: str


@cache
def events() -> tuple[Event, ...]:
    """'since the war began' and friends: phrase patterns with the month they start from."""
    return tuple(
        Event(re.compile(r["pattern"], re.IGNORECASE), r["start"], r["end"], r["label"])
        for r in _rows("claim_events.csv")
    )
