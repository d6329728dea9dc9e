"""Names as users type them: short forms (UK, US, DR, PRC, El Sal), demonyms, punctuation, and a
did-you-mean that prefers aliases and prefixes to edit distance (issue 16, point 3)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borderdesk import metadata
from borderdesk.errors import UnknownValueError
from borderdesk.query.matching import Names
from borderdesk.query.question import build_question, resolve_value

CHINA = "CHINA, PEOPLES REPUBLIC OF"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        *[pytest.param(t, "UNITED KINGDOM", id=t) for t in ("UK", "U.K.", "u.k", "Britain", "Great Britain")],
        *[pytest.param(t, "UNITED STATES", id=t) for t in ("US", "U.S.", "USA", "U.S.A.", "Americans")],
        *[pytest.param(t, "DOMINICAN REPUBLIC", id=t) for t in ("DR", "Dominican Rep.", "Dominican Rep")],
        pytest.param("Dominicans", "DOMINICAN REPUBLIC", id="dominicans"),
        pytest.param("PRC", CHINA, id="prc"),
        pytest.param("P.R.C.", CHINA, id="p.r.c."),
        *[pytest.param(t, "EL SALVADOR", id=t) for t in ("El Sal", "El Salvadoran", "Salvadorans")],
        pytest.param("Venezuelans", "VENEZUELA", id="venezuelans"),
        pytest.param("Hondurans", "HONDURAS", id="hondurans"),
        pytest.param("Germans", "GERMANY", id="germans"),
        pytest.param("South Korea", "KOREA, SOUTH", id="south-korea"),
        pytest.param("Holland", "NETHERLANDS", id="holland"),
        # the spellings interfaces.md promises still work
        pytest.param("russia", "RUSSIA", id="russia"),
        pytest.param("Russians", "RUSSIA", id="russians"),
        pytest.param("RU", "RUSSIA", id="ru"),
    ],
)
def test_short_forms_and_demonyms_resolve(text: str, value: str) -> None:
    assert build_question(citizenship=text).values("citizenship") == (value,)


def test_us_is_still_nationwide_as_a_region() -> None:
    # "US" names a country as a citizenship, and all regions as a region: each dimension has its own list
    q = build_question(citizenship="US", region="US")
    assert q.values("citizenship") == ("UNITED STATES",) and q.values("region") == ()


def test_rusia_suggests_russia_alone_as_the_spec_says() -> None:
    with pytest.raises(
        UnknownValueError, match=r"^unknown citizenship 'Rusia' \(did you mean RUSSIA\?\)"
    ) as e:
        build_question(citizenship="Rusia")
    assert e.value.suggestions == ["RUSSIA"]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        pytest.param("Britian", "UNITED KINGDOM", id="typo-of-an-alias"),
        pytest.param("Domin", "DOMINICAN REPUBLIC", id="prefix"),
        pytest.param("Hondura", "HONDURAS", id="prefix-of-a-name"),
        pytest.param("Gautemala", "GUATEMALA", id="transposed"),
        pytest.param("Columbia", "COLOMBIA", id="common-misspelling"),
        pytest.param("Phillipines", "PHILIPPINES", id="doubled-letter"),
    ],
)
def test_did_you_mean_prefers_aliases_and_prefixes(text: str, first: str) -> None:
    with pytest.raises(UnknownValueError) as e:
        build_question(citizenship=text)
    assert e.value.suggestions[0] == first


def test_a_prefix_lists_every_name_it_starts() -> None:
    # DOMINICA as the OHSS workbook names it: a database passes its own values as ``known``
    with pytest.raises(UnknownValueError) as e:
        build_question(citizenship="Domin", known={"citizenship": ["DOMINICA"]})
    assert e.value.suggestions == ["DOMINICA", "DOMINICAN REPUBLIC"]


def _citizenship_names() -> Names:
    return Names.of(metadata.aliases()["citizenship"])


@pytest.mark.parametrize(("text", "never"), [("UK", "UKRAINE"), ("US", "RUSSIA"), ("uk", "UKRAINE")])
def test_two_letters_never_guess_by_edit_distance(text: str, never: str) -> None:
    names = _citizenship_names()
    assert never not in names.suggest(text)
    assert names.exact(text) != never


@settings(deadline=None)  # no timings in tests: a loaded machine must not fail them
@given(st.text(alphabet=st.characters(categories=["L"]), min_size=1, max_size=2))
def test_no_guess_from_one_or_two_letters(text: str) -> None:
    assert _citizenship_names().suggest(text) == []


def _aliases() -> list[tuple[str, str, str]]:
    return [
        (dim, alias, value) for dim, table in metadata.aliases().items() for alias, value in table.items()
    ]


def _recase(text: str, data: st.DataObject) -> str:
    flips = data.draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    recased = "".join(c.upper() if flip else c.lower() for c, flip in zip(text, flips, strict=True))
    pad = data.draw(st.sampled_from(["", " ", "  ", "\u00a0", "\t"]))
    return pad + recased + pad


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_aliases()), st.data())
def test_every_alias_resolves_to_its_value_in_any_case(
    alias: tuple[str, str, str], data: st.DataObject
) -> None:
    dimension, spelling, value = alias
    assert resolve_value(dimension, _recase(spelling, data)) == value


def _canonical() -> list[tuple[str, str]]:
    seeded = [(dim, v) for dim, values in metadata.seed_values().items() for v in values]
    return seeded + [("citizenship", v) for v in set(metadata.aliases()["citizenship"].values())]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_canonical()), st.data())
def test_every_canonical_value_resolves_to_itself(canonical: tuple[str, str], data: st.DataObject) -> None:
    dimension, value = canonical
    assert resolve_value(dimension, value) == value
    assert resolve_value(dimension, _recase(value, data)) == value


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_aliases()))
def test_an_alias_without_its_full_stops_means_the_same(alias: tuple[str, str, str]) -> None:
    dimension, spelling, value = alias
    assert resolve_value(dimension, spelling.replace(".", "")) == value
