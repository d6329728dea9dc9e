"""The question model: what users type (aliases, demonyms, any case, typos) -> canonical filters."""

from __future__ import annotations

import pytest

from borderdesk import Desk
from borderdesk.errors import UnknownValueError
from borderdesk.query.question import build_question

CHINA = "CHINA, PEOPLES REPUBLIC OF"
# AOR values as the AOR-level data names them (a database passes its own as ``known``).
KNOWN_AORS = {
    "aor": [
        "El Paso Sector",
        "El Paso Field Office",
        "Del Rio Sector",
        "Laredo Sector",
        "Laredo Field Office",
    ]
}


@pytest.mark.parametrize(
    ("dimension", "text", "value"),
    [
        pytest.param("citizenship", "Russians", "RUSSIA", id="russians"),
        pytest.param("citizenship", "RU", "RUSSIA", id="ru"),
        pytest.param("citizenship", "rus", "RUSSIA", id="rus"),
        pytest.param("citizenship", "russia", "RUSSIA", id="russia-lower"),
        pytest.param("citizenship", "Burmese", "MYANMAR (BURMA)", id="burmese"),
        pytest.param("citizenship", "Chinese", CHINA, id="chinese"),
        pytest.param("citizenship", "china, peoples republic of", CHINA, id="china-file-spelling"),
        pytest.param("citizenship", "Salvadorans", "EL SALVADOR", id="salvadorans"),
        pytest.param("citizenship", "Ukrainians", "UKRAINE", id="ukrainians"),
        pytest.param("region", "southern border", "southwest", id="southern-border"),
        pytest.param("region", "U.S.-Mexico border", "southwest", id="us-mexico-border"),
        pytest.param("region", "SW", "southwest", id="sw"),
        pytest.param("region", "Southwest Land Border", "southwest", id="southwest-file-spelling"),
        pytest.param("region", "northern border", "northern", id="northern-border"),
        pytest.param("component", "Border Patrol", "usbp", id="border-patrol"),
        pytest.param("component", "USBP", "usbp", id="usbp"),
        pytest.param("component", "ports of entry", "ofo", id="ports-of-entry"),
        pytest.param("component", "Office of Field Operations", "ofo", id="ofo-file-spelling"),
        pytest.param("demographic", "UAC", "uac", id="uac"),
        pytest.param("demographic", "UC / Single Minors", "uac", id="uac-old-file-spelling"),
        pytest.param("demographic", "family units", "family-units", id="family-units"),
        pytest.param("demographic", "single adults", "single-adults", id="single-adults"),
        pytest.param("title", "Title 42", "42", id="title-42"),
        pytest.param("title", "8", "8", id="title-8"),
        pytest.param("encounter_type", "Expulsions", "expulsions", id="expulsions"),
        pytest.param("aor", "Del Rio", "Del Rio Sector", id="aor-unique-prefix"),
        pytest.param("aor", "EPT", "El Paso Sector", id="aor-sector-code"),
        pytest.param("aor", "el paso field office", "El Paso Field Office", id="aor-full-name"),
    ],
)
def test_alias(dimension: str, text: str, value: str) -> None:
    q = build_question(known=KNOWN_AORS, **{dimension: text})
    assert q.values(dimension) == (value,)
    assert q.filters == ((dimension, (value,)),)


@pytest.mark.parametrize(
    "text", ["nationwide", "Nationwide", "all", "total", "U.S.", "southwest,northern,other"]
)
def test_nationwide_means_no_region_filter(text: str) -> None:
    q = build_question(region=text, citizenship="russia")
    assert q.values("region") == ()
    assert q.region_text == "nationwide"


@pytest.mark.parametrize(
    ("dimension", "text", "suggestion"),
    [
        pytest.param("citizenship", "Rusia", "RUSSIA", id="rusia"),
        pytest.param("citizenship", "Ukrane", "UKRAINE", id="ukrane"),
        pytest.param("citizenship", "Venezuala", "VENEZUELA", id="venezuala"),
        pytest.param("region", "soutwest", "southwest", id="soutwest"),
        pytest.param("demographic", "familly units", "family-units", id="familly-units"),
    ],
)
def test_did_you_mean(dimension: str, text: str, suggestion: str) -> None:
    with pytest.raises(UnknownValueError) as info:
        build_question(**{dimension: text})
    assert suggestion in info.value.suggestions
    assert info.value.dimension == dimension
    assert f"unknown {dimension} {text!r} (did you mean {suggestion}" in str(info.value)


def test_did_you_mean_matches_the_spec_wording() -> None:
    with pytest.raises(UnknownValueError, match=r"unknown citizenship 'Rusia' \(did you mean RUSSIA\?\)"):
        build_question(citizenship="Rusia")


@pytest.mark.parametrize(
    "city", [pytest.param(c, id=c.lower().replace(" ", "-")) for c in ("El Paso", "Laredo")]
)
def test_ambiguous_aor_lists_the_candidates(city: str) -> None:
    # The city names both a Border Patrol sector and an OFO field office.
    candidates = [f"{city} Field Office", f"{city} Sector"]
    with pytest.raises(UnknownValueError) as info:
        build_question(aor=city, known=KNOWN_AORS)
    assert sorted(info.value.suggestions) == candidates
    assert all(c in str(info.value) for c in candidates)


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        pytest.param("citizenshp", "citizenship", id="typo"),
        pytest.param("nationality", None, id="unknown"),
    ],
)
def test_unknown_filter_name(name: str, suggestion: str | None) -> None:
    with pytest.raises(UnknownValueError) as info:
        build_question(**{name: "russia"})
    assert info.value.dimension == "filter"
    assert f"unknown filter {name!r}" in str(info.value)
    assert "citizenship" in info.value.allowed
    if suggestion:
        assert suggestion in info.value.suggestions


@pytest.mark.parametrize(
    ("raw", "values"),
    [
        pytest.param("russia,ukraine", ("RUSSIA", "UKRAINE"), id="comma-list"),
        pytest.param("Russians, Ukrainians", ("RUSSIA", "UKRAINE"), id="comma-list-aliases"),
        pytest.param(["ukraine", "russia"], ("RUSSIA", "UKRAINE"), id="list"),
        pytest.param("russia,russia", ("RUSSIA",), id="repeated"),
        pytest.param(CHINA, (CHINA,), id="comma-inside-a-name"),
        pytest.param("China, Peoples Republic of", (CHINA,), id="comma-inside-a-name-any-case"),
        pytest.param(["russia", CHINA], (CHINA, "RUSSIA"), id="list-with-comma-name"),
    ],
)
def test_comma_lists(raw: str | list[str], values: tuple[str, ...]) -> None:
    assert build_question(citizenship=raw).values("citizenship") == values


def test_comma_list_with_a_typo_names_the_bad_item() -> None:
    with pytest.raises(UnknownValueError, match=r"'rusia' \(did you mean RUSSIA\?\)"):
        build_question(citizenship="ukraine,rusia")


def test_question_is_normalized_and_frozen() -> None:
    a = build_question(citizenship="Russians", region="southern border", period="Nov 2022")
    b = build_question(citizenship="RUSSIA", region="southwest", period="2022-11")
    assert a == b
    assert hash(a) == hash(b)
    assert a.to_dict()["citizenship"] == "RUSSIA"
    assert a.to_dict()["period"] == "2022-11"
    assert a.describe() == "RUSSIA, Southwest Land Border, November 2022"
    with pytest.raises(AttributeError):
        a.as_of = "x"  # type: ignore[misc]


def test_comma_list_count_adds_up(ingested_desk: Desk) -> None:
    ask = {"region": "southwest", "period": "2022-11"}
    both = ingested_desk.count(citizenship="russia,ukraine", **ask).value
    assert both == (
        ingested_desk.count(citizenship="russia", **ask).value
        + ingested_desk.count(citizenship="ukraine", **ask).value
    )
    assert (
        ingested_desk.count(citizenship="Chinese", **ask).value
        == ingested_desk.count(citizenship=CHINA, **ask).value
    )


def test_aor_from_the_database_resolves(ingested_desk: Desk) -> None:
    # The database's own AOR values feed resolution; a sector's total is part of its component's.
    answer = ingested_desk.count(aor="Del Rio", period="FY2023")
    assert answer.question.values("aor") == ("Del Rio Sector",)
    assert (
        0 < answer.value <= ingested_desk.count(component="usbp", region="southwest", period="FY2023").value
    )
