"""Matching what a user typed to a dimension's values: exact spellings, loose ones, and did-you-mean.

:class:`Names` holds a dimension's spellings, {folded spelling -> canonical value}: the aliases
(demonyms, codes, short forms like UK or DR), the file spellings and the values themselves, as
:mod:`borderdesk.query.question` gathers them. A name is matched in this order, each step better
evidence than the next:

1. the spelling itself, any case (``russians``);
2. the spelling without its punctuation (``U.K`` is ``UK``, ``Dominican Rep`` is ``Dominican Rep.``);
3. for did-you-mean only: the start of a name or alias (``Domin`` -> DOMINICAN REPUBLIC), then names and
   aliases spelt nearly alike (``Rusia`` -> RUSSIA), scored by rapidfuzz's normalised edit distance.

Nothing is guessed from one or two letters: between codes one letter apart it only finds noise (``US``
is one letter from ``RUS``, ``UK`` the start of ``UKR``), so short input is matched exactly, as an
alias, or not at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from borderdesk import metadata

#: Did-you-mean (by prefix, "Sal" -> EL SALVADOR, or by edit distance, "TXX" -> TX) is tried from three
#: characters; one or two get no guess.
MIN_GUESS = 3
#: The lowest rapidfuzz ratio (0-100) a close spelling needs, and how far below the best one another
#: suggestion may score (so "Rusia" suggests RUSSIA alone, not every name with an "s" and an "a").
MIN_SCORE = 70.0
NEAR_BEST = 8.0
MAX_SUGGESTIONS = 3

_PUNCTUATION = re.compile(r"[.\u2019'`]")
_SEPARATORS = re.compile(r"[\s\-_/]+")


def loose(key: str) -> str:
    """A folded spelling without its punctuation: 'u.s.a.' -> 'usa', 'guinea-bissau' -> 'guinea bissau'."""
    return _SEPARATORS.sub(" ", _PUNCTUATION.sub("", key)).strip()


@dataclass(frozen=True)
class Names:
    """A dimension's spellings, ready to match: {folded spelling -> value}, and the same without
    punctuation (only those whose loose form names a single value)."""

    spellings: Mapping[str, str]
    loose: Mapping[str, str]

    @classmethod
    def of(cls, spellings: Mapping[str, str]) -> Names:
        found: dict[str, set[str]] = {}
        for key, value in spellings.items():
            found.setdefault(loose(key), set()).add(value)
        unique = {key: next(iter(values)) for key, values in found.items() if len(values) == 1}
        return cls(dict(spellings), unique)

    def exact(self, text: str) -> str | None:
        """The value ``text`` spells, any case, with or without punctuation; None if it spells none."""
        key = metadata.fold(text)
        hit = self.spellings.get(key)
        return hit if hit is not None else self.loose.get(loose(key))

    def suggest(self, text: str) -> list[str]:
        """Up to three values ``text`` may have meant, the likeliest first: names and aliases it starts,
        else ones spelt nearly alike. Empty for input too short to guess from."""
        key = loose(metadata.fold(text))
        if len(key) < MIN_GUESS:
            return []
        spellings = {loose(k): v for k, v in self.spellings.items()}
        started = sorted((k for k in spellings if k.startswith(key)), key=lambda k: (len(k), k))
        if started:
            return _distinct(spellings[k] for k in started)
        from rapidfuzz import (  # here: a did-you-mean is rare, and every CLI start pays an import
            fuzz,
            process,
        )

        scored = process.extract(key, list(spellings), scorer=fuzz.ratio, score_cutoff=MIN_SCORE, limit=None)
        if not scored:
            return []
        best = scored[0][1]
        return _distinct(spellings[k] for k, score, _ in scored if score >= best - NEAR_BEST)


def _distinct(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        if value not in out:
            out.append(value)
        if len(out) == MAX_SUGGESTIONS:
            break
    return out
