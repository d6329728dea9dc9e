"""Text normalization: what the reader matches is plain, and every span maps back to what was written."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from borderdesk.claims.numbers import parse_figures
from borderdesk.claims.text import normalize

INVISIBLE = ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


@pytest.mark.parametrize(
    ("original", "plain"),
    [
        pytest.param("5,5\u00ad07 Russians", "5,507 Russians", id="soft-hyphen-inside-a-number"),
        pytest.param("Vene\u200bzuelans", "Venezuelans", id="zero-width-space"),
        pytest.param("5\u202f507", "5,507", id="narrow-nbsp-separator"),
        pytest.param("5\u2009507", "5,507", id="thin-space-separator"),
        pytest.param("1\u00a0234\u00a0567", "1,234,567", id="nbsp-separators"),
        pytest.param("\u0665\u066c\u0665\u0660\u0667", "5,507", id="arabic-indic-digits"),
        pytest.param("\uff15\uff0c\uff15\uff10\uff17", "5,507", id="full-width-digits"),
        pytest.param("U.S.\u2013Mexico", "U.S.-Mexico", id="en-dash-inside-a-word"),
        pytest.param("\u201cnearly\u201d", '"nearly"', id="curly-quotes"),
        pytest.param("in 2022 and\u00a0in 2023", "in 2022 and in 2023", id="nbsp-between-words"),
    ],
)
def test_plain_text(original: str, plain: str) -> None:
    assert normalize(original).text == plain


def test_a_space_between_two_numbers_is_not_a_separator() -> None:
    """An ordinary space never joins digit groups: '2022 507' stays two numbers."""
    assert normalize("in 2022 507 Russians").text == "in 2022 507 Russians"


def test_the_number_is_read_through_the_invisible_character() -> None:
    s = normalize("In November, 5,5\u00ad07 Russians crossed.")
    (figure,) = [f for f in parse_figures(s.text) if f.value == 5507]
    a, b = s.original_span(figure.start, figure.end)
    assert s.original[a:b] == "5,5\u00ad07"


words = st.lists(
    st.sampled_from(["CBP", "encountered", "5,507", "Russians", "in", "November", "."]), max_size=12
)


@given(words, st.data())
def test_spans_map_back_to_the_original(tokens: list[str], data: st.DataObject) -> None:
    """Invisible characters scattered anywhere: the normalized text is the text without them, and any span
    of it maps to the original span that, stripped of them, is the same words."""
    clean = " ".join(tokens)
    out = []
    for ch in clean:
        out.append(data.draw(st.sampled_from(["", *INVISIBLE])))
        out.append(ch)
    original = "".join(out)
    s = normalize(original)
    assert s.text == clean
    start = data.draw(st.integers(0, len(clean)))
    end = data.draw(st.integers(start, len(clean)))
    a, b = s.original_span(start, end)
    assert 0 <= a <= b <= len(original)
    stripped = "".join(ch for ch in original[a:b] if ch not in INVISIBLE)
    assert stripped == clean[start:end]
