"""The text as the reader sees it, with every offset mapped back to what the reporter wrote.

News text arrives with invisible characters (soft hyphens and zero-width spaces that break a number in
two: "5,5\\u00ad07"), non-breaking and thin spaces used as thousands separators ("5\\u202f507"), digits of
other scripts (Arabic-Indic, full-width), curly quotes and typographic dashes. :func:`normalize` makes
all of that plain ASCII the vocabularies can match, deleting the invisible characters, and keeps a map
so that :meth:`Source.original_span` turns a span of the normalized text into the span of the original:
a claim's ``span`` and ``text`` in the JSON always point at what was published.

>>> s = normalize("In November, 5,5\\u00ad07 Russians crossed.")
>>> s.text
'In November, 5,507 Russians crossed.'
>>> s.original_span(13, 18)
(13, 19)
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

#: Characters that carry no text: deleted (soft hyphen, zero-width space/joiners, word joiner, BOM...).
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]")
#: Same-length replacements: digits of other scripts, quotes, spaces, dashes, minus, control characters.
_TRANSLATE = str.maketrans(
    {
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # Extended Arabic-Indic (Persian, Urdu)
        **{chr(0x0966 + i): str(i) for i in range(10)},  # Devanagari
        **{chr(0xFF10 + i): str(i) for i in range(10)},  # full-width
        "\u066c": ",", "\u066b": ".", "\uff05": "%", "\u066a": "%",  # Arabic separators, percent signs
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
        "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u2002": " ", "\u2003": " ",
        "\u2004": " ", "\u2005": " ", "\u2006": " ", "\u2008": " ", "\u200a": " ", "\u205f": " ",
        "\u3000": " ", "\u2212": "-", "\ufe63": "-", "\uff0d": "-", "\ufffd": " ", "\x7f": " ",
        **{chr(c): " " for c in range(0x00, 0x20) if chr(c) not in "\n\t\r"},
    }
)  # fmt: skip
#: A thin, narrow or non-breaking space between digit groups is a thousands separator: '5 507' -> '5,507'.
_GROUP_SPACE = re.compile("(?<![\\d,.])(\\d{1,3})((?:[\u00a0\u2007\u2009\u202f]\\d{3})+)(?![\\d])")
_FULLWIDTH_SEPARATOR = re.compile("(?<=\\d)[\uff0c\uff0e](?=\\d)")
#: Hyphen-like dashes between two non-spaces are hyphens ('U.S.\u2013Mexico', '2022\u201323'); an em dash
#: always marks a clause ('migrants\u2014those who ...\u2014were').
_DASH_INSIDE = re.compile("(?<=\\S)[\u2010\u2011\u2013](?=\\S)")


@dataclass(frozen=True)
class Source:
    """The original text, its normalized form, and where the deleted characters were."""

    original: str
    text: str
    _keys: tuple[int, ...] = ()  # for each deleted character, its offset minus those deleted before it

    def original_offset(self, i: int) -> int:
        """The offset in ``original`` of the normalized character at ``i``."""
        return i + bisect_right(self._keys, i) if self._keys else i

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``original`` that ``text[start:end]`` came from (deleted characters inside it
        included)."""
        if not self._keys:
            return start, end
        if end <= start:
            o = self.original_offset(start)
            return o, o
        return self.original_offset(start), self.original_offset(end - 1) + 1

    def original_text(self, start: int, end: int) -> str:
        a, b = self.original_span(start, end)
        return self.original[a:b]


def normalize(original: str) -> Source:
    """Plain text for the vocabularies, with the deleted characters recorded (see the module doc)."""
    text = _FULLWIDTH_SEPARATOR.sub(lambda m: "," if m.group(0) == "\uff0c" else ".", original)
    text = _GROUP_SPACE.sub(lambda m: m.group(1) + re.sub("[^\\d]", ",", m.group(2)), text)
    text = _DASH_INSIDE.sub("-", text.translate(_TRANSLATE))
    deleted = [m.start() for m in _INVISIBLE.finditer(text)]
    if not deleted:
        return Source(original, text)
    keys = tuple(d - k for k, d in enumerate(deleted))
    return Source(original, _INVISIBLE.sub("", text), keys)
