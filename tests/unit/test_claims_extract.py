"""Which numbers are claims, their qualifiers, and where each cue comes from (no database needed)."""

from __future__ import annotations

import pytest

from borderdesk.claims.extract import extract
from borderdesk.claims.model import Candidate
from borderdesk.claims.segment import blocks
from borderdesk.claims.text import normalize


def claims(text: str) -> list[Candidate]:
    return extract(text).candidates


def only(text: str) -> Candidate:
    found = claims(text)
    assert len(found) == 1, [c.figure.text for c in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        pytest.param("CBP encountered 5,507 Russians in November.", "exact", id="to-the-unit"),
        pytest.param("CBP encountered 5,370 Ecuadorians in March.", "exact", id="to-the-ten"),
        pytest.param("CBP encountered 6,400 Russians in November.", "about", id="bare-rounded"),
        pytest.param("Migrants were encountered 2.7 million times.", "about", id="bare-million"),
        pytest.param("CBP logged only about 4,100 encounters.", "about", id="about"),
        pytest.param("Agents stopped roughly 210,000 migrants.", "about", id="roughly"),
        pytest.param("Agents stopped some 21,000 migrants.", "about", id="some"),
        pytest.param("Agents encountered more than 5,500 migrants.", "more_than", id="more-than"),
        pytest.param("Encounters topped 40,000 in December.", "more_than", id="topped"),
        pytest.param("Encounters were just over 40,000 in December.", "more_than", id="just-over"),
        pytest.param("Agents encountered 180,000+ migrants.", "more_than", id="plus-sign"),
        pytest.param("At least 25,000 Ukrainians have been encountered.", "at_least", id="at-least"),
        pytest.param("No fewer than 25,000 Ukrainians were encountered.", "at_least", id="no-fewer-than"),
        pytest.param("Agents encountered 5,000 or more migrants.", "at_least", id="or-more"),
        pytest.param("Nearly 2.9 million migrants were encountered.", "nearly", id="nearly"),
        pytest.param("Almost 2.9 million migrants were encountered.", "nearly", id="almost"),
        pytest.param("Encounters fell to fewer than 12,000 in February.", "less_than", id="fewer-than"),
        pytest.param("Encounters fell under 12,000 in February.", "less_than", id="under"),
    ],
)
def test_qualifier(text: str, qualifier: str) -> None:
    assert only(text).qualifier == qualifier


SEED_NON_CLAIMS = [
    pytest.param(
        "seeking to call up 300,000 reservists to fight in Ukraine, agents encountered", id="reservists"
    ),
    pytest.param("A 24-year-old Russian migrant was encountered at a border crossing.", id="age"),
    pytest.param(
        "More than 1,200 migrants, including some 200 recently arrived Russians, wait there for a chance "
        "to be admitted.",
        id="shelter",
    ),
    pytest.param("a legal challenge brought by 19 Republican-led states over border crossings", id="states"),
    pytest.param("Texas has spent more than $11 billion on border crossings.", id="dollars"),
    pytest.param("Some 2,000 Border Patrol agents have been moved to processing encounters.", id="agents"),
    pytest.param("He waited 40 days in Reynosa before crossing.", id="days"),
    pytest.param("Encounters rose in 2023, under Title 42 and Title 8.", id="year-and-titles"),
    pytest.param("Hundreds of thousands of men were encountered.", id="no-digits"),
    pytest.param("Encounters made up 40% of the total.", id="share-not-change"),
]


@pytest.mark.parametrize("text", SEED_NON_CLAIMS)
def test_not_claims(text: str) -> None:
    assert claims(text) == []


def test_the_ports_of_entry_cue_stays_in_its_clause() -> None:
    text = (
        "Agents encountered 181,160 migrants at the southern border in July. Another 22,437 presented "
        "themselves at ports of entry, for a total of 203,597 encounters."
    )
    by_number = {c.figure.number: c for c in claims(text)}
    assert by_number[22437].values("agency") == ("ofo",)
    assert by_number[203597].values("agency") == ()


def test_cues_from_an_earlier_sentence_and_never_a_later_period() -> None:
    text = (
        "Cubans are arriving at the southern border in growing numbers. Border agents encountered 34,839 of "
        "them. That was up from 32,153 in March."
    )
    first, second = claims(text)
    assert first.values("nationality") == ("CUBA",)
    assert first.cues["nationality"].source == "what the previous sentence counted"
    assert first.period is None  # 'March' belongs to 32,153
    assert second.period is not None and second.period.cue.text == "March"
    assert second.cues["measure"].source == "what the previous sentence counted"


def test_each_clause_keeps_its_own_month() -> None:
    text = (
        "Encounters at the southern border fell to fewer than 12,000 in February, down from 61,445 in "
        "January."
    )
    a, b = claims(text)
    assert (a.period and a.period.cue.text, b.period and b.period.cue.text) == ("February", "January")


def test_each_and_several_nationalities() -> None:
    text = (
        "Guatemalans and Hondurans were each encountered more than 30,000 times at the southern border in "
        "August, while Salvadorans and Peruvians each numbered fewer than 10,000."
    )
    a, b = claims(text)
    assert a.each and a.values("nationality") == ("GUATEMALA", "HONDURAS")
    assert b.each and b.values("nationality") == ("EL SALVADOR", "PERU")
    assert b.values("region") == ("southwest",) and b.cues["region"].source == "this sentence"


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        pytest.param("CBP encountered 189,034 migrants.", ("all",), id="cbp-as-actor"),
        pytest.param("Agents encountered 189,034 migrants, according to CBP.", (), id="cbp-as-source"),
        pytest.param("CBP data show agents encountered 189,034 migrants.", (), id="cbp-data-show"),
        pytest.param("Border Patrol agents apprehended 117,905 migrants.", ("usbp",), id="border-patrol"),
        pytest.param(
            "Agents apprehended 7,639 Hondurans between ports of entry.", ("usbp",), id="between-ports"
        ),
        pytest.param(
            "Officers encountered 27,000 migrants at ports of entry.", ("ofo",), id="ports-of-entry"
        ),
        pytest.param("CBP encountered 250,000 at and between ports of entry.", ("all",), id="at-and-between"),
    ],
)
def test_agency(text: str, agency: tuple[str, ...]) -> None:
    assert only(text).values("agency") == agency


@pytest.mark.parametrize(
    ("text", "nationalities"),
    [
        pytest.param(
            "More than 25,000 Cubans crossed after flying to Nicaragua.", ("CUBA",), id="destination"
        ),
        pytest.param(
            "Chinese migrants were stopped about 37,000 times.", ("CHINA, PEOPLES REPUBLIC OF",), id="demonym"
        ),
        pytest.param(
            "Agents encountered 58,000 migrants from Guatemala, Honduras and El Salvador.",
            ("GUATEMALA", "HONDURAS", "EL SALVADOR"),
            id="country-list",
        ),
        pytest.param(
            "Agents encountered 5,000 migrants at the Mexican border.", (), id="mexican-border-is-a-region"
        ),
        pytest.param("Agents encountered 5,000 migrants in New Mexico.", (), id="new-mexico-is-a-place"),
        pytest.param(
            "More than 15,000 Mauritanians were encountered.", ("MAURITANIA",), id="pooled-into-other"
        ),
    ],
)
def test_nationality(text: str, nationalities: tuple[str, ...]) -> None:
    assert only(text).values("nationality") == nationalities


def test_heading_gives_region_and_period() -> None:
    text = "## Southern border, November 2022\n\nCBP encountered 5,507 Russians."
    c = only(text)
    assert c.values("region") == ("southwest",) and c.cues["region"].source == "the heading"
    assert c.period is not None and c.period.source == "the heading"


def test_markdown_table() -> None:
    text = (
        "| Nationality | Southwest border encounters, Nov 2022 |\n|---|---|\n| Russians | 5,507 |\n"
        "| Ukrainians | about 225 |\n"
    )
    a, b = claims(text)
    assert a.values("nationality") == ("RUSSIA",) and a.cues["nationality"].source == "the table row"
    assert a.values("region") == ("southwest",) and a.period is not None
    assert b.qualifier == "about"


def test_percent_and_multiple_are_comparisons() -> None:
    a = only("Encounters at the southern border fell 42% in January from December.")
    assert (a.kind, a.direction, a.figure.number) == ("comparison", "down", 42)
    assert a.current is not None and a.current.cue.text == "January"
    assert a.base is not None and a.base.cue.text == "December"
    b = only("Encounters of Salvadorans at the southern border doubled from July to September.")
    assert (b.kind, b.direction, b.figure.number) == ("comparison", "up", 2)


def test_sentences_do_not_split_at_abbreviations() -> None:
    text = normalize(
        "U.S. authorities on Dec. 21 said the U.S. Border Patrol encountered 5,000. Then it fell."
    ).text
    (block,) = blocks(text)
    assert len(block.sentences) == 2


@pytest.mark.parametrize(
    ("text", "aor", "state"),
    [
        pytest.param(
            "Agents apprehended 30,000 migrants in the Rio Grande Valley sector.",
            ("Rio Grande Valley Sector",),
            (),
            id="sector",
        ),
        pytest.param(
            "Agents apprehended 30,000 migrants in the RGV sector.",
            ("Rio Grande Valley Sector",),
            (),
            id="sector-code",
        ),
        pytest.param("Agents encountered 50,000 migrants in Texas in May.", (), ("TX",), id="in-a-state"),
        pytest.param(
            "Texas has spent billions; agents encountered 50,000 migrants in May.",
            (),
            (),
            id="state-mentioned",
        ),
        pytest.param(
            "Officials in Washington said agents encountered 50,000 migrants.", (), (), id="the-capital"
        ),
    ],
)
def test_places(text: str, aor: tuple[str, ...], state: tuple[str, ...]) -> None:
    c = only(text)
    assert (c.values("aor"), c.values("state")) == (aor, state)
