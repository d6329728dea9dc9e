"""The frame of each number (amendment 5): its role in the sentence, the cues it shares with the numbers
beside it, and what carries from one sentence to the next. No database needed."""

from __future__ import annotations

import pytest

from borderdesk.claims.extract import extract
from borderdesk.claims.model import Candidate


def read(text: str) -> list[Candidate]:
    return extract(text).candidates


def cues(c: Candidate) -> dict[str, tuple[str, ...]]:
    return {k: s.values for k, s in c.cues.items() if k != "named"}


def period(c: Candidate) -> str | None:
    return c.period.cue.text if c.period else None


def test_an_anaphor_carries_what_the_previous_sentence_counted() -> None:
    first, second = read(
        "Cubans were encountered 1,316 times at the southern border in March 2023. "
        "In March 2024, that had climbed to 13,409."
    )
    assert cues(second)["nationality"] == ("CUBA",) and cues(second)["region"] == ("southwest",)
    assert second.cues["nationality"].source == "what the previous sentence counted"
    assert (period(first), period(second)) == ("March 2023", "March 2024")


def test_a_sentence_with_its_own_counted_thing_takes_no_subject() -> None:
    _, total = read(
        "CBP encountered 57,847 Venezuelans at the southern border in December. In fiscal year 2023, "
        "CBP recorded about 2.5 million encounters at the southern border."
    )
    assert "nationality" not in cues(total)
    assert period(total) == "fiscal year 2023"


def test_a_comparator_keeps_its_period_and_shares_the_frame() -> None:
    main, comparator = read(
        "Encounters at the southern border reached 301,981 in December, up from 242,399 in November."
    )
    assert (main.role, comparator.role) == ("main", "comparator")
    assert (period(main), period(comparator)) == ("December", "November")
    assert cues(comparator)["region"] == ("southwest",)


def test_a_state_is_the_place() -> None:
    (c,) = read(
        "Texas accounted for about 1.3 million of the encounters at the southern border in fiscal year 2023."
    )
    assert cues(c)["state"] == ("TX",) and cues(c)["region"] == ("southwest",)


def test_a_container_and_its_part() -> None:
    whole, part = read(
        "Of the 250,000 migrants encountered at the southern border in December, 60,000 were families."
    )
    assert whole.role == "container"
    assert cues(part)["demographic"] == ("family-units",) and "demographic" not in cues(whole)
    assert period(part) == "December" and cues(part)["region"] == ("southwest",)


def test_a_stated_difference_is_judged_on_the_counts() -> None:
    main, change = read(
        "Border Patrol apprehended 190,000 migrants at the southern border in May, "
        "20,000 fewer than in April."
    )
    assert (change.role, change.kind, change.difference) == ("change", "comparison", True)
    assert change.base is not None and change.base.cue.text == "April"
    assert cues(change)["agency"] == ("usbp",) == cues(main)["agency"]


def test_respectively_pairs_numbers_with_nationalities_in_order() -> None:
    found = read(
        "Encounters of Venezuelans, Cubans and Haitians totaled 80,000, 40,000 and 20,000 respectively "
        "in January 2023."
    )
    assert [(c.figure.text, cues(c)["nationality"]) for c in found] == [
        ("80,000", ("VENEZUELA",)),
        ("40,000", ("CUBA",)),
        ("20,000", ("HAITI",)),
    ]


def test_a_new_place_replaces_the_carried_one() -> None:
    tucson, el_paso = read(
        "In the Tucson sector, agents apprehended 50,000 migrants in March. The El Paso sector saw 30,000."
    )
    assert cues(tucson)["aor"] == ("Tucson Sector",) and cues(el_paso)["aor"] == ("El Paso Sector",)
    assert period(el_paso) == "March"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Agents stopped 5,000 migrants in a day, a pace of 150,000 a month.", id="per-day-pace"),
        pytest.param("The agency projects 12,000 crossings a day once Title 42 ends.", id="projection"),
    ],
)
def test_rates_and_projections_are_not_counts(text: str) -> None:
    assert all(c.figure.text not in ("5,000", "150,000", "12,000") for c in read(text))


def test_over_a_stretch_of_time_is_not_a_comparison() -> None:
    (c,) = read("Border officials cite 1,530,523 migrant encounters over last 12 months.")
    assert period(c) == "last 12 months"


def test_a_sector_by_its_bare_name_when_the_text_speaks_of_sectors() -> None:
    (c,) = read(
        "Tucson was the busiest sector at the U.S.-Mexico border. "
        "The sector experienced 463,567 migrant encounters from Oct. 2023-Sept. 2024."
    )
    assert cues(c)["aor"] == ("Tucson Sector",)
    assert period(c) == "from Oct. 2023-Sept. 2024"  # 'Sept.' in '2023-Sept.' ends no sentence
    (city,) = read("In El Paso, shelters are full. Agents apprehended 50,000 migrants in March.")
    assert "aor" not in cues(city)
    (excluded,) = read("Apprehensions rose in every sector except San Diego: agents made 132,887 in May.")
    assert "aor" not in cues(excluded)


def test_a_relative_clause_stretch_of_days_is_not_the_period() -> None:
    (c,) = read(
        "The Yuma sector, which was closed for a month from Dec. 4 through Jan. 4, saw a 69.1% drop in "
        "encounters in fiscal 2024."
    )
    assert c.current is not None and c.current.cue.text == "fiscal 2024"


def test_counts_followed_by_from_a_country_are_that_nationality() -> None:
    found = read(
        "CBP encountered 1,530,523 migrants in fiscal 2024. The data show 502,279 coming from Mexico, "
        "195,294 from Guatemala and 111,155 from Honduras."
    )
    assert [cues(c).get("nationality") for c in found[1:]] == [("MEXICO",), ("GUATEMALA",), ("HONDURAS",)]
    assert [c.role for c in found[1:]] == ["main", "sibling", "sibling"]


def test_a_main_count_takes_the_month_after_its_comparators() -> None:
    _, main, comparator = read(
        "Under President Biden, agents recorded 10 million encounters. "
        "Nationwide encounters: 26,000, down from 26,191 in August 2025."
    )
    assert main.period is not None and main.period.cue.spec.month == 9 and main.period.cue.spec.year == 2025
    assert period(comparator) == "August 2025"


def test_a_month_and_its_year_around_the_count() -> None:
    (c,) = read("October saw about 231,000 encounters in 2022.")
    assert c.period is not None and (c.period.cue.spec.month, c.period.cue.spec.year) == (10, 2022)
