"""The vocabulary matchers try only the phrase groups of the words a text holds (a one-shot check then
compiles a few small regexes, not the whole vocabulary): the hits must stay exactly those of each
category's one regex, whatever the text's case and characters."""

from __future__ import annotations

import json
import re
import sys
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borderdesk.claims import vocab

ARTICLES = Path(__file__).resolve().parents[1] / "golden" / "articles" / "articles.jsonl"
_WORD = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"


def test_ascii_folds_are_every_non_ascii_look_alike_of_a_regex_ignoring_case() -> None:
    any_ascii_word = re.compile("|".join(_WORD), re.IGNORECASE)
    look_alikes = {
        chr(i): next(a.lower() for a in _WORD if re.fullmatch(a, chr(i), re.IGNORECASE))
        for i in range(128, sys.maxunicode + 1)
        if any_ascii_word.fullmatch(chr(i))
    }
    assert look_alikes == vocab.ASCII_FOLDS


@cache
def _matchers() -> list[tuple[str, vocab.Matcher]]:
    out = [("nationality", vocab.nationality_matcher())]
    for category, table in sorted(vocab.cue_table().items()):
        out.append((category, vocab.Matcher(table)))
        out.append((f"{category} (case)", vocab.Matcher(table, case_sensitive=True)))
    return out


def _same_hits(text: str, start: int, end: int) -> None:
    for name, matcher in _matchers():
        got = [(h.start, h.end, h.text) for h in matcher.finditer(text, start, end)]
        want = [(m.start(), m.end(), m.group(0)) for m in matcher.regex.finditer(text, start, end)]
        assert got == want, name


def _articles() -> list[str]:
    return [json.loads(line)["text"] for line in ARTICLES.read_text(encoding="utf-8").splitlines()[:12]]


@pytest.mark.parametrize("text", _articles())
def test_article_hits_are_the_whole_regexes_hits(text: str) -> None:
    _same_hits(text, 0, len(text))
    for m in re.finditer(r"[^.\n]+", text):  # sentence-like spans, whose edges cut nothing or words
        _same_hits(text, max(0, m.start() - 3), m.end())


def _some_phrases() -> list[str]:
    table = vocab.cue_table()
    return sorted(
        {
            p
            for c in ("measure", "region", "agency", "demographic", "place", "other_counter")
            for p in table[c]
        }
    )


_LOOK_ALIKES = {
    "i": "\u0130\u0131",
    "I": "\u0130\u0131",
    "s": "\u017f",
    "S": "\u017f",
    "k": "\u212a",
    "K": "\u212a",
}


def _disguised(phrase: str, data: st.DataObject) -> str:
    """The phrase with some letters written as a character a regex ignoring case reads as that letter."""
    return "".join(
        data.draw(st.sampled_from([ch, *_LOOK_ALIKES[ch]])) if ch in _LOOK_ALIKES else ch for ch in phrase
    )


# vocabulary phrases, their words run together or cut, in any case, some letters written as look-alikes
_pieces = st.one_of(
    st.sampled_from(_some_phrases()),
    st.tuples(st.sampled_from(_some_phrases()), st.data()).map(lambda pd: _disguised(*pd)),
    st.sampled_from(sorted(vocab.nationalities())),
    st.sampled_from([" ", ", ", ". ", "-", "'", "\n", "~", "+", "%", "é", "É", *vocab.ASCII_FOLDS]),
    st.text(alphabet="aAsSkKiIeE\u0130\u0131\u017f\u212a ", max_size=6),
)
_texts = (
    st.lists(_pieces, max_size=14)
    .map("".join)
    .flatmap(lambda t: st.sampled_from([t, t.upper(), t.lower(), t.swapcase()]))
)


@pytest.mark.parametrize("look_alike", [0, 1])
def test_phrases_in_look_alike_letters_are_the_whole_regexes_hits(look_alike: int) -> None:
    """'apprehenſions', 'İllegal crossings': a regex ignoring case reads these letters as ASCII ones."""
    disguise = str.maketrans({k: v[look_alike % len(v)] for k, v in _LOOK_ALIKES.items()})
    text = " and ".join(p.translate(disguise) for p in _some_phrases())
    assert text != " and ".join(_some_phrases())
    _same_hits(text, 0, len(text))


@pytest.mark.parametrize("between", [" \n\t ", ", ", "-", " . ", "_", ""])
def test_phrases_with_other_gaps_between_their_words_are_the_whole_regexes_hits(between: str) -> None:
    """'border patrol' is found across a line break, but not in 'border, patrol' nor 'border-patrol'."""
    phrases = [p for p in _some_phrases() if " " in p]
    text = " and ".join(between.join(p.split()) for p in phrases)
    _same_hits(text, 0, len(text))


@settings(max_examples=300, deadline=None)
@given(text=_texts, data=st.data())
def test_generated_hits_are_the_whole_regexes_hits(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    _same_hits(text, start, end)
    names = vocab.nationality_matcher()
    got = names.match(text, start)
    want = names.regex.match(text, start)
    assert (got and (got.start, got.end)) == (want and (want.start(), want.end()))


_ODD = {
    phrase: phrase
    for phrase in ("Côte d’Ivoire", "’tis", "ſeized", "plain words", "Über alles", "~500", "cote", "straße")
}


@pytest.mark.parametrize(
    "text",
    [
        "COTE D’IVOIRE, Côte d’Ivoire and cote d'ivoire",
        "’TIS the season; 'tis not",
        "SEIZED, seized and ſeized; Plain  Words, plain-words",
        "über alles, UBER ALLES, ÜBER ALLES ~500 ~ 500",
        "STRASSE, Straße, STRAẞE",
    ],
)
def test_phrases_that_start_otherwise_are_the_whole_regexes_hits(text: str) -> None:
    """Phrases that start with no letter, or with a non-ASCII one, or hold one only non-ASCII letters
    match: each span of the text, ignoring case or not."""
    for matcher in (vocab.Matcher(_ODD), vocab.Matcher(_ODD, case_sensitive=True)):
        for a in range(len(text) + 1):
            for b in (a, (a + len(text)) // 2, len(text)):
                if b < a:
                    continue
                got = [(h.start, h.end) for h in matcher.finditer(text, a, b)]
                assert got == [m.span() for m in matcher.regex.finditer(text, a, b)], (text, a, b)


def test_a_phrase_whose_only_non_ascii_letters_match_ascii_ones_is_found_in_ascii_words() -> None:
    """'ſeized’' is found in 'SEIZED’': its curly apostrophe is no letter, its long s matches an 's'."""
    matcher = vocab.Matcher({"ſeized’": "seized", "plain": "plain"})
    text = "SEIZED’ and seized’ plain"
    assert [h.text for h in matcher.finditer(text)] == [m.group(0) for m in matcher.regex.finditer(text)]
    assert [h.text for h in matcher.finditer(text)] == ["SEIZED’", "seized’", "plain"]
