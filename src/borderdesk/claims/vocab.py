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


@lru_cache(maxsize=64)
def words_in(text: str, start: int, end: int) -> frozenset[str]:
    """The lower-cased runs of word characters in ``text[start:end]`` (a sentence is scanned by many
    matchers: this is computed once for all of them)."""
    return frozenset(w.lower() for w in _RUN.findall(text, start, end))


def _first_runs(phrases: list[str]) -> frozenset[str] | None:
    """Each phrase's first run of word characters, lower-cased; None when some phrase does not start with
    an ASCII word character (then no quick test is safe). A phrase is matched only at a word start and its
    first run is followed by a non-word character or the phrase's end, so the text has that run as a word."""
    out = set()
    for p in phrases:
        m = _RUN.match(p)
        if m is None or not m.group(0).isascii():
            return None
        out.add(m.group(0).lower())
    return frozenset(out)


class Matcher:
    """All phrases of one category; ``finditer`` yields non-overlapping hits, longest phrase first."""

    def __init__(self, table: dict[str, str], *, case_sensitive: bool = False) -> None:
        self.table = {(p if case_sensitive else p.casefold()): v for p, v in table.items()}
        self.case_sensitive = case_sensitive
        self._phrases = list(table)
        self._regex: re.Pattern[str] | None = None
        # a quick test that skips the scan of a text holding none of the phrases' first words
        self.first_runs = _first_runs(self._phrases)

    @property
    def regex(self) -> re.Pattern[str]:
        """The category as one regex, compiled when first needed (a one-shot check meets few categories)."""
        if self._regex is None:
            body = alternation(self._phrases) or r"(?!x)x"
            flags = 0 if self.case_sensitive else re.IGNORECASE
            self._regex = re.compile(rf"(?<![\w]){'(?:' + body + ')'}(?![\w])", flags)
        return self._regex

    def value(self, found: str) -> str:
        key = " ".join(found.split())
        return self.table.get(key if self.case_sensitive else key.casefold(), "")

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[Hit]:
        stop = len(text) if end is None else end
        if self.first_runs is not None and self.first_runs.isdisjoint(words_in(text, start, stop)):
            return
        for m in self.regex.finditer(text, start, stop):
            yield Hit(m.start(), m.end(), m.group(0), self.value(m.group(0)))

    def search(self, text: str, start: int = 0, end: int | None = None) -> Hit | None:
        return next(self.finditer(text, start, end), None)


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
def nationality_regex() -> re.Pattern[str]:
    """Proper nouns only: capitalised as written ('Chinese') or in capitals ('CHINESE'), never 'turkey'."""
    phrases = list(nationalities())
    body = alternation(phrases + [p.upper() for p in phrases])
    return re.compile(rf"(?<![\w])(?:{body})(?![\w])")


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
