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


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        pytest.param(
            "For the Yuma Sector, going from 20 to 30 apprehensions a day to now 900 to 1200 apprehensions a "
            "day in October.",
            {"20", "30", "900", "1200"},
            id="a-range-of-daily-rates",
        ),
        pytest.param(
            "Of the 9,300 apprehensions per month at the southern border, most were single adults.",
            {"9,300"},
            id="per-month-rate",
        ),
    ],
)
def test_rates_over_ranges_and_per_month_are_not_counts(text: str, gone: set[str]) -> None:
    assert not {c.figure.text for c in read(text)} & gone


def test_a_monthly_level_in_a_range_stays_a_count() -> None:
    found = {
        c.figure.text
        for c in read("From October to April, encounters jumped from 61,000 to 109,000 per month.")
    }
    assert {"61,000", "109,000"} <= found


def test_a_number_set_a_year_back_in_its_own_clause() -> None:
    """'the 7,630 encountered between border posts during the same time period the previous year': a year
    before the period in view, at the border in view -- not the southern border the sentence contrasts
    with."""
    *_, last = read(
        "CBP reported encountering 19,498 migrants between border posts on the northern border between "
        "October 2023 and July 2024. While the numbers still pale in comparison with the U.S southern "
        "border, that's more than twice as many as the 7,630 encountered between border posts during "
        "the same time period the previous year."
    )
    assert last.figure.text == "7,630"
    assert period(last) == "the same time period the previous year"
    assert last.reference is not None and last.reference.cue.text == "between October 2023 and July 2024"
    assert cues(last)["region"] == ("northern",)


def test_the_same_period_in_a_when_clause() -> None:
    _, c = read(
        "Agents apprehended 484,527 migrants during the first four months of Fiscal Year 23. This is up "
        "from the same period in FY22 when agents encountered 400,219 migrants."
    )
    assert c.figure.text == "400,219" and period(c) == "the same period in FY22"


def test_including_refers_to_the_group_its_own_sentence_names() -> None:
    """'more children traveling without their parents, including about 2,400': those children, not the
    nationalities the previous sentence counted."""
    *_, part, _comparator = read(
        "The bulk of the encounters in the Tucson Sector in August, about 14,900, involved adults from "
        "Mexico or Guatemala. But the Tucson Sector also is seeing more children traveling without their "
        "parents, including about 2,400 in August, up from about 2,000 in July."
    )
    assert part.figure.text == "2,400"
    assert "nationality" not in cues(part) and cues(part)["demographic"] == ("uac",)


def test_who_most_of_them_were_does_not_narrow_the_count() -> None:
    (c,) = read(
        "US Customs and Border Protection said it caught 180,034 migrants, mostly single adults, in May."
    )
    assert "demographic" not in cues(c)


def test_apprehensions_and_inadmissibles_together_are_all_of_cbp() -> None:
    (c, _) = read(
        "The number of apprehensions and inadmissible cases along the Southwest border fell again in October "
        "to a total of 45,250, down 14 percent from September."
    )
    assert cues(c)["agency"] == ("all",) and cues(c)["measure"] == ("encounters",)


def test_daily_apprehensions_are_a_rate() -> None:
    assert not read("CBP also notes that daily Border Patrol apprehensions totaled 204 in August.")


def test_a_change_in_parentheses_after_its_period() -> None:
    first, second = read(
        "The rate of increase from February to March 2023 (25%) for Border Patrol's southwest encounters was "
        "less than the rate of increase from February to March 2022 (33%)."
    )
    assert (first.figure.text, second.figure.text) == ("25%", "33%")
    assert second.base is not None and second.base.cue.spec.year == 2022  # February 2022, not 2023


def test_a_number_with_its_own_change_heads_its_own_comparison() -> None:
    found = read(
        "Border Patrol encounters at the southwest border in March 2023 totaled 162,317. "
        "This compares to 211,181 in March 2022, up 33% from 159,064 in February 2022, and 169,216 in March "
        "2021, up 73% from 97,643 in February 2021."
    )
    roles = {c.figure.text: c.role for c in found}
    assert roles["169,216"] != "comparator" and roles["97,643"] == "comparator"


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        # houses are not people: 'stash houses' counts places
        ("Agents apprehended 3,100 migrants in June. They also raided 41 stash houses.", {"41"}),
        # a stash-house find borrows no encounter word from the sentence before
        (
            "Agents apprehended 3,100 migrants in June. Local officers found 87 people inside a stash house.",
            {"87"},
        ),
        # others' tallies: the health department, removals, rescues, legal status, a nonprofit
        (
            "CBP encountered 9,000 children in May. Another 12,500 children are held by the health "
            "department.",
            {"12,500"},
        ),
        (
            "Encounters fell to 80,000 in July. DHS has removed or returned more than 40,000 people "
            "since then.",
            {"40,000"},
        ),
        ("Encounters fell to 80,000 in July. Agents also conducted 300 search and rescue missions.", {"300"}),
        (
            "Encounters fell to 80,000 in July. Temporary legal status was offered to 250,000 Haitians.",
            {"250,000"},
        ),
        (
            "Border Patrol apprehensions rose to 9,000 in March. This was down from 2023, when the group "
            "served 9,800 asylum seekers in Texas.",
            {"9,800"},
        ),
        # a definition's threshold is the size of a group
        ("Agents apprehended 12 large groups, defined as more than 100 people, in June.", {"100"}),
    ],
)
def test_other_peoples_tallies_are_not_encounters(text: str, gone: set[str]) -> None:
    assert not gone & {c.figure.text for c in read(text)}


@pytest.mark.parametrize(
    "text",
    [
        "The weekly average of crossings fell 40 percent to about 2,000 apprehensions a day after the rule.",
        "Border Patrol apprehensions reached 21,000 in May, 60% lower than the monthly average of 52,000 "
        "in 2023.",
    ],
)
def test_a_change_between_rates_or_against_an_average_is_not_a_claim(text: str) -> None:
    assert not [c for c in read(text) if c.kind == "comparison"]


def test_a_negation_denies_only_the_next_number_and_when_follows_an_aside() -> None:
    (c,) = read(
        "Apprehensions at the southern border have not dropped below 60,000 since April 2020 — the spring of "
        "the pandemic — when agents made about 16,000 arrests."
    )
    assert c.figure.text == "16,000"
    assert c.period is not None and c.period.cue.spec.kind == "month"  # that April, not since it


def test_an_intensifier_between_the_direction_and_the_percent() -> None:
    (change,) = read("Encounters at the southern border in May were up by a massive 150 percent from April.")
    assert change.figure.text == "150 percent" and change.direction == "up"


def test_a_change_told_against_the_same_period_last_year_is_of_what_this_refers_to() -> None:
    found = read(
        "Tucson Sector agents apprehended 50,000 migrants in the first quarter of fiscal 2023. This is up "
        "by a massive 150 percent from the same period last year when agents apprehended only 20,000."
    )
    (change,) = [c for c in found if c.kind == "comparison"]
    assert change.current is not None and change.current.cue.text == "the first quarter of fiscal 2023"
    assert change.base is not None and change.base.cue.text == "the same period last year"


def test_the_number_a_change_is_measured_against_is_its_earlier_side() -> None:
    """'a 20 percent rise over May (when agents caught 80,000)': May is the change's earlier side, the later
    one is the month in view; a second change's current is not the first one's 'from' month."""
    *_, change, _ = read(
        "In June, agents at the southern border caught 96,000 migrants. That was a 20 percent rise over May "
        "(when agents caught 80,000 migrants)."
    )
    assert change.figure.text == "20 percent"
    assert change.current is not None and change.current.cue.text == "June"
    assert change.base is not None and change.base.cue.text == "May"
    *_, second, _ = read(
        "Encounters at the southern border in May 2024 were up 10% from May 2023 (150,000) and down 6% "
        "from May 2022 (176,000)."
    )
    assert second.figure.text == "6%" and second.current is not None
    assert second.current.cue.text == "May 2024"


def test_a_multiple_of_a_later_number_is_measured_against_it() -> None:
    *_, change, _ = read(
        "In the first six months of fiscal 2024, the sector logged 90,000 encounters. That number is three "
        "times the 30,000 encounters recorded during the same six-month period in fiscal 2023."
    )
    assert change.figure.text == "three times"
    assert change.current is not None and change.current.cue.text.startswith("the first six months")
    assert change.base is not None and "fiscal 2023" in change.base.cue.text


def test_the_period_that_names_a_level_is_the_numbers_own() -> None:
    """'down from the FY2021 arrest total of 1.6 million': the year names the total, inside the comparator;
    'twice the year-ago level of 4,000': a year before the month in view."""
    _, level = read(
        "Agents arrested 2.2 million migrants in FY2022. That is up from the FY2021 arrest total of "
        "1.6 million, the agency said."
    )
    assert level.figure.text == "1.6 million" and period(level) == "FY2021"
    *_, ago = read("March encounters in the sector reached 8,100, about twice the year-ago level of 4,000.")
    assert ago.figure.text == "4,000" and period(ago) == "the year-ago"
    assert ago.reference is not None and ago.reference.cue.text == "March"


def test_a_year_back_beside_the_number_beats_a_presidents_term_after_it() -> None:
    """'the 1.9 million recorded the year before under President Biden': 'the year before' is the count's
    period; 'under President Biden' only says whose border agency recorded it."""
    _, c = read(
        "Agents caught 2.4 million migrants at the southern border in fiscal 2022. That beat the "
        "1.9 million recorded the year before under President Biden."
    )
    assert c.figure.text == "1.9 million" and period(c) == "the year before"


def test_a_rise_since_a_month_starts_from_that_months_level() -> None:
    first, second = read(
        "Encounters in the Tucson Sector have grown every month since February, from 3,200 to 7,900 in June."
    )
    assert first.figure.text == "3,200" and first.period is not None
    assert first.period.cue.spec.kind == "month" and first.period.cue.spec.month == 2
    assert second.period is not None and second.period.cue.text == "June"


def test_last_year_and_this_year_against_a_stretch_in_view() -> None:
    """In a text about the first three months of fiscal 2024, 'agents caught 50,000 last year but only
    40,000 this year -- a 20 percent drop' compares that stretch with the same months a year before."""
    _, last, this, drop = read(
        "Agents caught 300,000 migrants during the first three months of fiscal 2024. In the Yuma Sector, "
        "the number fell: agents caught 50,000 last year but only 40,000 this year -- a 20 percent drop."
    )
    assert last.figure.text == "50,000" and last.period is not None
    assert last.period.cue.spec.kind == "year_earlier"
    assert last.reference is not None and last.reference.cue.text.startswith("the first three months")
    assert this.period is not None and this.period.cue.text.startswith("the first three months")
    assert drop.current is not None and drop.current.cue.text.startswith("the first three months")


def test_last_year_stays_last_year_beside_a_whole_year() -> None:
    *_, c = read(
        "Agents caught 1.8 million migrants in the first 11 months of fiscal 2023. That brings the total to "
        "about 2 million for this fiscal year, just short of last year's 2.2 million."
    )
    assert c.figure.text == "2.2 million" and c.period is not None
    assert c.period.cue.spec.kind == "last_year"


def test_the_fiscal_year_of_a_year_named_before_in_the_sentence() -> None:
    *_, c = read(
        "In 2021, some 40,000 of the 1.7 million migrants stopped during the whole fiscal year at the "
        "southern border were Cubans."
    )
    assert c.figure.text == "1.7 million" and period(c) == "the whole fiscal year"
    assert c.reference is not None and c.reference.cue.text == "2021"


def test_detained_is_an_apprehension_word() -> None:
    (c,) = read("Agents detained about 40,000 migrants at the southern border in March.")
    assert cues(c)["measure"] == ("apprehensions",)


def test_the_remaining_ones_are_the_whole_minus_its_parts() -> None:
    _, part, rest = read(
        "In May, Border Patrol agents apprehended 90,000 migrants at the southern border. "
        "Of those, 30,000 were Guatemalans. The remaining 60,000 came from other countries."
    )
    assert cues(rest)["agency"] == ("usbp",) and rest.cues["agency"].source.startswith("what")
    assert cues(part)["nationality"] == ("GUATEMALA",) and "nationality" not in cues(rest)


def test_the_last_country_of_a_list_stays_in_its_list() -> None:
    _, group = read(
        "Agents apprehended 9,100 Mexicans (a record) and people from Ecuador, Peru, and Colombia (7,250) "
        "at the southern border in June."
    )
    assert cues(group)["nationality"] == ("ECUADOR", "PERU", "COLOMBIA")


def test_a_subject_that_refers_back_is_every_number_of_its_clause() -> None:
    _, first, second = read(
        "Border Patrol agents apprehended 70,000 migrants at the southern border in April. "
        "Most of those apprehensions involved people from Mexico (30,100) and from Ecuador (8,900)."
    )
    assert first.cues["agency"].values == second.cues["agency"].values == ("usbp",)


def test_the_country_a_crossing_comes_from_is_its_border() -> None:
    north, south = read(
        "Agents at the northern border caught 3,100 Indians in fiscal 2024. "
        "The number of Indians who tried to cross from Mexico was 25,000 that year."
    )
    assert cues(north)["region"] == ("northern",)
    assert cues(south)["region"] == ("southwest",) and cues(south)["nationality"] == ("INDIA",)


def test_a_country_that_accounts_for_a_count_is_its_people() -> None:
    _, cubans = read(
        "Border agents arrested 80,000 Haitians last fiscal year, and Cuba accounted for 150,000 arrests."
    )
    assert cues(cubans)["nationality"] == ("CUBA",)


def test_the_part_named_before_a_share_is_not_the_whole() -> None:
    (whole,) = read(
        "Venezuelans made up nearly half of the 250,000 migrant encounters at the southern border in May."
    )
    assert whole.role == "container" and "nationality" not in cues(whole)


def test_a_total_that_names_its_count_does_not_refer_back() -> None:
    _, total = read(
        "Border Patrol caught 4,000 Venezuelan families in April. "
        "In May alone, CBP recorded a total of 170,000 encounters at the southwest border."
    )
    assert total.role == "total" and "nationality" not in cues(total) and "demographic" not in cues(total)


def test_a_between_range_before_a_change_gives_its_two_sides() -> None:
    """'Between March 2021 and June 2021, the two sectors together saw a 75 percent rise in encounters':
    with no other earlier side, the range's first month is the base and its last the current."""
    (change,) = read(
        "Between March 2021 and June 2021, the Yuma and El Centro sectors together saw a 75 percent rise in "
        "migrant encounters."
    )
    assert change.current is not None and change.current.cue.spec.kind == "month"
    assert change.current.cue.spec.month == 6
    assert change.base is not None and change.base.cue.spec.month == 3
    (change,) = read("Between March and June, encounters rose 20 percent from a year earlier.")
    assert change.base is not None and change.base.cue.spec.kind != "month"


def test_a_number_in_parentheses_after_a_period_is_that_periods() -> None:
    """'in fiscal 2023 (41,200) was more than the 2019 total': the number glosses the period before it."""
    first, *_ = read(
        "Guatemalans stopped at the southern border in fiscal 2023 (41,200) outnumbered the 2019 total."
    )
    assert first.figure.text == "41,200" and period(first) == "fiscal 2023"


def test_a_when_clause_after_a_period_in_parentheses() -> None:
    """'(that is, from October 2019 to September 2020), when agents caught 9,100': set in that range."""
    *_, last = read(
        "Arrests in fiscal 2021 (52,600) were far above the year before (that is, from October 2019 to "
        "September 2020), when agents caught 9,100 migrants."
    )
    assert last.figure.text == "9,100" and period(last) == "from October 2019 to September 2020"


def test_a_precise_figure_told_again_keeps_its_period() -> None:
    """'Of the 23,417 Hondurans caught ...' after '23,417 ... in fiscal 2022': the same count, the same
    year, for it and the parts its sentence names, whatever period the sentences between were about."""
    found = read(
        "Agents caught 23,417 Hondurans in fiscal 2022. The fall from 2019 to 2020 came with the pandemic. "
        "Of the 23,417 Hondurans caught at the border, most came as families (15,020)."
    )
    again, part = found[-2:]
    assert again.figure.text == "23,417" and period(again) == "fiscal 2022"
    assert part.figure.text == "15,020" and period(part) == "fiscal 2022"


def test_a_list_of_changes_shares_its_direction_and_periods() -> None:
    adults, children = read(
        "Border Patrol arrests of single adults and unaccompanied children rose from April to May "
        "by 12% and 30%, respectively."
    )
    assert (adults.kind, children.kind) == ("comparison", "comparison")
    assert adults.direction == children.direction == "up"
    assert cues(children)["demographic"] == ("uac",)
    assert children.current and children.base
    assert (children.current.cue.spec, children.base.cue.spec) == (
        adults.current.cue.spec,
        adults.base.cue.spec,
    )


@pytest.mark.parametrize(
    ("text", "multiple"),
    [
        ("Agents caught 4,200 Ecuadorians at the southern border in May, twice last May's number.", "twice"),
        (
            "Border Patrol arrested 9,000 family members in fiscal 2021, four times last year's total.",
            "four times",
        ),
    ],
)
def test_a_multiple_of_what_a_possessive_names(text: str, multiple: str) -> None:
    count, ratio = read(text)
    assert (count.kind, ratio.kind, ratio.figure.text) == ("count", "comparison", multiple)


def test_by_n_times_is_a_multiple_and_the_exceeded_period_is_its_earlier_side() -> None:
    _, ratio = read(
        "Haitians crossing the southern border in fiscal 2022 (48,000) exceeded the 2021 total "
        "by nearly three times."
    )
    assert (ratio.kind, ratio.figure.text, ratio.qualifier) == ("comparison", "three times", "nearly")
    assert ratio.current is not None and ratio.current.cue.text == "fiscal 2022"


def test_a_range_bounded_by_days_is_one_stretch_not_two_sides() -> None:
    _, ratio = read(
        "Agents caught 30,000 Peruvians at the southern border in fiscal 2023, up by four times "
        "over the year from October 1, 2021 to September 30, 2022."
    )
    assert ratio.current is not None and ratio.current.cue.text == "fiscal 2023"
    assert ratio.base is not None and ratio.base.cue.spec.kind == "range"


def test_a_change_with_its_own_region_leaves_the_earlier_place_behind() -> None:
    _, total, ratio = read(
        "Most of them crossed into Texas (20,500). Nationwide, agents caught 61,000 Colombians "
        "in fiscal 2022, up 40%."
    )
    assert "state" not in cues(total) and "state" not in cues(ratio)


def test_each_change_of_a_list_may_have_its_own_other_side() -> None:
    _, month, year = read(
        "Agents made 120,000 arrests at the southern border in May, up 4% over April and 35% over May of "
        "last year."
    )
    assert (month.kind, year.kind) == ("comparison", "comparison")
    assert month.direction == year.direction == "up"


def test_a_range_with_its_change_in_parentheses_gives_both_sides() -> None:
    *_, last = read(
        "The rate of increase from June to July 2022 (18%) for Border Patrol encounters was above the rate "
        "of increase from June to July 2021 (12%) and June to July 2020 (40%)."
    )
    assert (last.kind, last.direction, last.figure.text) == ("comparison", "up", "40%")
    assert last.current is not None and last.base is not None
    assert (last.current.cue.spec.month, last.base.cue.spec.month) == (7, 6)


def test_of_them_after_a_number_stays_with_it() -> None:
    first, _, later = read(
        "During the wave of unaccompanied children in 2016, when agents caught 12,345 of them arriving at "
        "the southern border, the previous high had come at 9,876 kids. Fewer children reached the border "
        "in 2017, when 8,000 were caught."
    )
    assert first.role == "main" and cues(first)["region"] == ("southwest",)
    assert cues(later)["region"] == ("southwest",)


def test_a_share_in_parentheses_leaves_the_words_after_it_to_the_count() -> None:
    count, change = read(
        "In May agents recorded 50,123 encounters (70%) that involved single adults, a 9% rise over April."
    )
    assert cues(count)["demographic"] == ("single-adults",)
    assert change.role == "change"


def test_underage_migrants_traveling_alone_are_unaccompanied_children() -> None:
    (count,) = read("Arrests of underage migrants traveling alone reached 9,876 in May.")
    assert cues(count)["demographic"] == ("uac",)


def test_border_patrol_and_ports_of_entry_named_apart_is_border_patrol() -> None:
    (apart,) = read("Near the ports of entry, Border Patrol caught 4,321 people in June.")
    (joined,) = read("Border Patrol agents and officers at ports of entry stopped 9,999 people in June.")
    assert cues(apart)["agency"] == ("usbp",)
    assert cues(joined)["agency"] == ("all",)


def test_the_agency_acting_is_the_agency_the_text_named_last() -> None:
    (bp,) = read("U.S. Border Patrol keeps monthly records. In May 2017 the agency caught 9,000 there.")
    (both,) = read("CBP officers and Border Patrol agents work the line. In May the agency caught 20,123.")
    assert cues(bp)["agency"] == ("usbp",)
    assert cues(both)["agency"] == ("all",)


def test_a_sentence_whose_only_numbers_are_dates_names_what_follows_counts() -> None:
    (c,) = read(
        "Hondurans crossed the southern border in record numbers in fiscal year 2022 (October 1, 2021 to "
        "September 30, 2022). In all, 12,345 were caught."
    )
    assert cues(c)["nationality"] == ("HONDURAS",)


def test_releases_are_not_encounters() -> None:
    found = read("Border Patrol caught 50,000 migrants in May, compared to 4,321 releases the year prior.")
    assert [c.figure.text for c in found] == ["50,000"]


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("Agents apprehended migrants near a 2,000 foot opening in the fence.", {"2,000"}),
        ("Agents apprehended 9,000 migrants, as many as 9 Army battalions.", {"9"}),
        (
            "Border Patrol agents caught 40,000 migrants in May as officers processed 1.5 million shipments.",
            {"1.5 million"},
        ),
        (
            "Migrants stopped at the border may book one of the daily 1,200 slots at ports of entry.",
            {"1,200"},
        ),
    ],
)
def test_lengths_troops_cargo_and_slots_are_not_encounters(text: str, gone: set[str]) -> None:
    assert not gone & {c.figure.text for c in read(text)}


@pytest.mark.parametrize(
    "text",
    [
        "CBP said Haitian arrivals dropped to about 150 a day after the rule took effect, from about 900.",
        "Figures from the Darien Gap show just 300 crossings in April, compared to more than 25,000 the same "
        "month a year earlier.",
    ],
)
def test_the_other_side_of_a_rate_or_of_others_count_is_not_a_claim(text: str) -> None:
    assert read(text) == []


def test_a_threshold_the_given_figure_passes_is_a_record_statement() -> None:
    found = read(
        "Agents made 1.3 million arrests in fiscal 2019, the first year since 2007 that the figure "
        "had surpassed one million."
    )
    assert [c.figure.text for c in found] == ["1.3 million"]
    # with no figure given before it, the threshold is the sentence's own count
    found = read("Border Patrol apprehensions rose in March, and that number exceeded 150,000.")
    assert [c.figure.text for c in found] == ["150,000"]


def test_a_rounded_figure_restated_in_parentheses_is_one_claim() -> None:
    found = read("This fiscal year, CBP has recorded nearly a quarter of a million encounters (248,000).")
    assert [c.figure.text for c in found] == ["248,000"]
    # a figure in parentheses that is not the same count leaves both
    found = read("Encounters fell to 150,000 in May from 180,000 in April (down 17%).")
    assert [c.figure.text for c in found][:2] == ["150,000", "180,000"]


def test_those_and_a_repeated_number_count_what_it_counted_before() -> None:
    found = read(
        "Agents caught 52,000 migrants in May. The agency also sent 400 officers to Arizona, "
        "and half of those 400 will stay through the summer."
    )
    assert [c.figure.text for c in found] == ["52,000"]


def test_a_change_from_a_month_runs_into_the_month_after_it() -> None:
    """A change whose sentence names only its earlier month ('down 4 percent from August') is the change
    into the month after it when the period carried from before does not come after that month; a later
    month carried from before stays its later side."""
    import datetime as dt

    from borderdesk.claims.resolve import _periods

    def sides(text: str) -> set[tuple[str, str]]:
        change = next(c for c in read(text) if c.kind == "comparison")
        return {
            (cur.label, base.label if base else "") for cur, base in _periods(change, dt.date(2023, 11, 25))
        }

    assert sides(
        "Crossings at the Arizona line were few in July. "
        "The lull held on, with arrests dropping 4 percent from August."
    ) == {("Sep 2023", "Aug 2023")}
    assert sides("In October, agents stopped 9,000 people. That is down 5 percent from August.") == {
        ("Oct 2023", "Aug 2023")
    }


def test_a_change_after_a_count_and_its_comparator_runs_between_them_in_time() -> None:
    """'X in one year, compared to Y in the next -- a Z% drop': a change with no period of its own, told
    after a count and its comparator, is the change between their two periods, from the earlier to the
    later, whichever the text told first."""
    import datetime as dt

    from borderdesk.claims.resolve import _periods

    (change,) = [
        c
        for c in read(
            "The Yuma Sector logged 91,500 encounters in fiscal year 2023, compared to 40,200 in fiscal "
            "year 2024 -- a 56% decline from one year to the next."
        )
        if c.kind == "comparison"
    ]
    got = {(cur.label, base.label if base else "") for cur, base in _periods(change, dt.date(2024, 12, 1))}
    assert got == {("FY2024 (Oct 2023–Sep 2024)", "FY2023 (Oct 2022–Sep 2023)")}


def test_the_year_when_is_the_year_named_just_before() -> None:
    """'... the first half of FY2021 (61,000), the year when family arrests peaked (451,000)': 'the year
    when' names the whole fiscal year told just before it, not the main count's stretch."""
    import datetime as dt

    from borderdesk.claims.resolve import _periods

    *_, peak = read(
        "In the first half of FY2023, agents counted 70,400 family members, close to the first half of "
        "FY2021 (61,000), the year when family arrests peaked (451,000)."
    )
    assert peak.period is not None and peak.period.cue.text == "the year when"
    assert [cur.label for cur, _ in _periods(peak, dt.date(2023, 11, 25))] == ["FY2021 (Oct 2020–Sep 2021)"]


def test_what_follows_a_container_is_a_part_of_its_group() -> None:
    whole, part = read(
        "Of the 40,123 Haitians stopped at the southern border, most came as families (31,456)."
    )
    assert whole.role == "container" and part.role == "subset"
    assert cues(part)["nationality"] == ("HAITI",) and cues(part)["demographic"] == ("family-units",)


def test_of_after_the_counted_noun_belongs_to_the_count_before_a_change() -> None:
    count, change = read("There were 7,654 apprehensions of unaccompanied children in June, up 12 percent.")
    assert cues(count)["demographic"] == ("uac",)
    assert period(count) == "June"
    assert change.kind == "comparison"


def test_parents_and_children_are_family_units() -> None:
    (c,) = read("Agents apprehended 23,456 parents and children at the southern border in May.")
    assert cues(c)["demographic"] == ("family-units",)


def test_who_is_named_amid_the_count_is_not_who_it_counts() -> None:
    (c,) = read("Agents stopped migrants 123,456 times in June amid a rising flow of Haitians and Cubans.")
    assert "nationality" not in cues(c)


def test_a_sentence_without_a_number_is_about_its_first_nationalities() -> None:
    (c,) = read(
        "Cubans were the second-largest group, just behind Mexicans. They were caught 34,567 times in May."
    )
    assert cues(c)["nationality"] == ("CUBA",)


def test_family_apprehensions_are_family_units() -> None:
    (c,) = read("Family apprehensions reached 45,678 at the southern border in April.")
    assert cues(c)["demographic"] == ("family-units",)


def test_a_part_of_the_total_and_the_total() -> None:
    part, whole = read(
        "Earlier this year, family arrests made up 210,987 of the total 401,234 at the southern border."
    )
    assert (part.role, whole.role) == ("subset", "container")
    assert cues(part)["demographic"] == ("family-units",)
    assert "demographic" not in cues(whole)


def test_a_bare_number_as_subject_of_were_refers_back() -> None:
    _, adults, rest = read(
        "CBP caught 9,876 Peruvians at the southern border in March. 6,543 were single adults. "
        "The remainder, 3,210, were family members."
    )
    assert cues(adults)["nationality"] == ("PERU",) and cues(adults)["demographic"] == ("single-adults",)
    assert cues(rest)["nationality"] == ("PERU",) and cues(rest)["demographic"] == ("family-units",)
