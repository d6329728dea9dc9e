"""Finding a vocabulary's phrases in a text: whole words only, non-overlapping, the longest phrase first.

A category's phrases are one regex (``Matcher.regex``, a prefix-trie alternation); that regex defines
the hits. But ``re`` compiles in Python, and the whole vocabulary costs a one-shot ``borderdesk check``
tens of milliseconds, so a :class:`Matcher` finds the same hits more cheaply: its phrases are grouped by
their first word, a text's words are listed once per span (:class:`Runs`), and only the groups of
words the text holds are tried, where those words start -- phrases of plain words by comparing words,
the others by a small regex of their group.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache


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


def _bounded(phrases: list[str], flags: int) -> re.Pattern[str]:
    """Phrases as one regex that matches only whole words, the longest phrase first."""
    body = alternation(phrases) or r"(?!x)x"
    return re.compile(rf"(?<![\w])(?:{body})(?![\w])", flags)


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


class Runs:
    """The runs of word characters of ``text[start:end]``: ``folded[i]`` is the :func:`fold` of the i-th,
    ``keys`` the set of them; where they are (``spans``) is worked out only for a span that holds a
    phrase's first word."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text, self.start, self.end = text, start, end
        self.span = span = text[start:end]
        if span.isascii():  # the common case: lower-case the span once, not word by word
            self.folded = _RUN.findall(span.lower())
            self.ascii_words = True
        else:
            raw = _RUN.findall(span)
            self.folded = [fold(w) for w in raw]
            self.ascii_words = all(w.isascii() for w in raw)  # curly quotes and dashes are no words
        self.keys = frozenset(self.folded)

    @cached_property
    def spans(self) -> list[tuple[int, int]]:
        return [m.span() for m in _RUN.finditer(self.text, self.start, self.end)]

    @cached_property
    def where(self) -> dict[str, list[int]]:
        """Folded word -> the indexes of its runs."""
        out: dict[str, list[int]] = {}
        for i, w in enumerate(self.folded):
            out.setdefault(w, []).append(i)
        return out

    @cached_property
    def cut(self) -> bool:
        """The first run continues a word that starts before the span (so no phrase starts there)."""
        first = self.spans[0][0] if self.spans else -1
        return first == self.start > 0 and _RUN.match(self.text, self.start - 1) is not None


@lru_cache(maxsize=64)
def word_runs(text: str, start: int, end: int) -> Runs:
    """The :class:`Runs` of a span (a sentence is scanned by many matchers: they are found once for all
    of them; callers only read them)."""
    return Runs(text, start, end)


def holds_any(text: str, start: int, end: int, words: frozenset[str]) -> bool:
    """Whether ``text[start:end]`` has one of ``words`` (as :func:`fold` gives them) as a whole run of word
    characters: a quick test before compiling or running a regex that cannot match without one."""
    return not word_runs(text, start, end).keys.isdisjoint(words)


@dataclass(frozen=True)
class Others:
    """What a span must hold for a phrase left out of the groups to match in it: one of the characters
    such phrases start with (characters without case), or a word with a non-ASCII letter."""

    chars: frozenset[str] = frozenset()
    non_ascii: bool = False

    def may_match(self, runs: Runs) -> bool:
        return (self.non_ascii and not runs.ascii_words) or any(c in runs.span for c in self.chars)


def _by_first_run(phrases: list[str], case_sensitive: bool) -> tuple[dict[str, list[str]], Others] | None:
    """The phrases grouped by the :func:`fold` of their first run of word characters, and what a span
    needs for one of the others to match: a phrase that starts with a character without case ('~500',
    "'s border"), or, ignoring case, one with a non-ASCII letter that only non-ASCII letters match
    ('Darién Gap'). None when some phrase is neither: then only the category's whole regex is exact.

    A phrase matches only at the start of a word, and its first run is followed by a non-word character
    or the phrase's end, so where it matches the text's word is that run: the same characters, or,
    ignoring case, characters that a regex matches to the run's ASCII ones -- the same fold."""
    out: dict[str, list[str]] = {}
    chars: set[str] = set()
    non_ascii = False
    for p in phrases:
        m = _RUN.match(p)
        if m is not None and (case_sensitive or m.group(0).isascii()):
            out.setdefault(fold(m.group(0)), []).append(p)
        elif m is None and p[:1] and (case_sensitive or p[0].lower() == p[0] == p[0].upper()):
            chars.add(p[0])
        elif m is not None and any(not ch.isascii() and ch not in ASCII_FOLDS and _RUN.match(ch) for ch in p):
            non_ascii = True  # a non-ASCII letter that no ASCII one matches: the text needs such a word
        else:
            return None
    return out, Others(frozenset(chars), non_ascii)


def _plain_words(phrases: list[str], case_sensitive: bool) -> list[tuple[str, ...]] | None:
    """Each phrase as its words, the longest phrase first, when every word is one run of word characters
    (ASCII unless case counts: then comparing folded words is what the regex does); else None."""
    out = []
    for p in phrases:
        words = p.split()
        if not all(_RUN.fullmatch(w) and (case_sensitive or w.isascii()) for w in words):
            return None
        out.append(tuple(words if case_sensitive else map(fold, words)))
    return sorted(out, key=len, reverse=True)


class Matcher:
    """All phrases of one category; ``finditer`` yields the hits of ``regex``, non-overlapping, longest
    phrase first (see the module docstring for how, when every phrase starts with a word)."""

    def __init__(self, table: dict[str, str], *, case_sensitive: bool = False) -> None:
        self.table = {(p if case_sensitive else p.casefold()): v for p, v in table.items()}
        self.case_sensitive = case_sensitive
        self._flags = 0 if case_sensitive else re.IGNORECASE
        self._phrases = list(table)
        self._regex: re.Pattern[str] | None = None
        grouped = _by_first_run(self._phrases, case_sensitive)
        self._groups: dict[str, list[str]] | None = grouped[0] if grouped else None
        self._others = grouped[1] if grouped else Others()
        self._first_words = frozenset(self._groups or ())
        self._words: dict[str, list[tuple[str, ...]] | None] = {}
        self._regexes: dict[str, re.Pattern[str]] = {}

    @property
    def regex(self) -> re.Pattern[str]:
        """The whole category as one regex, compiled when first needed."""
        if self._regex is None:
            self._regex = _bounded(self._phrases, self._flags)
        return self._regex

    def _group_regex(self, word: str) -> re.Pattern[str]:
        """The regex of the phrases that start with ``word``."""
        pattern = self._regexes.get(word)
        if pattern is None:
            assert self._groups is not None
            pattern = self._regexes[word] = _bounded(self._groups[word], self._flags)
        return pattern

    def _group_words(self, word: str) -> list[tuple[str, ...]] | None:
        if word not in self._words:
            assert self._groups is not None
            self._words[word] = _plain_words(self._groups[word], self.case_sensitive)
        return self._words[word]

    def value(self, found: str) -> str:
        key = " ".join(found.split())
        return self.table.get(key if self.case_sensitive else key.casefold(), "")

    def _hit(self, text: str, start: int, end: int) -> Hit:
        return Hit(start, end, text[start:end], self.value(text[start:end]))

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[Hit]:
        stop = len(text) if end is None else end
        for a, b in self._spans(text, start, stop):
            yield self._hit(text, a, b)

    def _spans(self, text: str, start: int, stop: int) -> Iterator[tuple[int, int]]:
        groups = self._groups
        if groups is None:
            for m in self.regex.finditer(text, start, stop):
                yield m.span()
            return
        runs = word_runs(text, start, stop)
        if self._others.may_match(runs):  # the whole regex, which the other phrases need
            for m in self.regex.finditer(text, start, stop):
                yield m.span()
            return
        present = runs.keys & self._first_words
        if not present:
            return
        where = runs.where
        found = (
            where[next(iter(present))] if len(present) == 1 else sorted(i for w in present for i in where[w])
        )
        reached = start
        for i in found:
            if (at := runs.spans[i][0]) >= reached:
                end = self._end_at(text, runs, i, runs.folded[i], stop)
                if end is not None:
                    reached = end
                    yield at, end

    def _end_at(self, text: str, runs: Runs, i: int, key: str, stop: int) -> int | None:
        """Where the longest phrase of group ``key`` that starts at run ``i`` ends, if one does."""
        phrases = self._group_words(key)
        if phrases is None:
            m = self._group_regex(key).match(text, runs.spans[i][0], stop)
            return None if m is None else m.end()
        if i == 0 and runs.cut:
            return None
        if phrases[-1] == (key,) and len(phrases) == 1 and not self.case_sensitive:
            return runs.spans[i][1]  # one word, and the run is it
        own = runs.spans if self.case_sensitive else None
        for words in phrases:
            last = i + len(words) - 1
            if last >= len(runs.spans):
                continue
            if all(
                (text[own[i + k][0] : own[i + k][1]] if own else runs.folded[i + k]) == w
                and (k == 0 or text[runs.spans[i + k - 1][1] : runs.spans[i + k][0]].isspace())
                for k, w in enumerate(words)
            ):
                return runs.spans[last][1]
        return None

    def search(self, text: str, start: int = 0, end: int | None = None) -> Hit | None:
        return next(self.finditer(text, start, end), None)

    def match(self, text: str, pos: int = 0) -> Hit | None:
        """The phrase that starts exactly at ``pos``, if any."""
        run = _RUN.match(text, pos)
        if self._groups is None or self._others != Others():
            m = self.regex.match(text, pos)
        elif run is None or (word := fold(run.group(0))) not in self._groups:
            return None
        else:
            m = self._group_regex(word).match(text, pos)
        return None if m is None else self._hit(text, m.start(), m.end())
