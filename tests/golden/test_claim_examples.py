"""Golden verdicts: the 35 worked examples of claim-check-examples.md and the seed article.

Each case gives the text, the publication date, every claim as (number, qualifier, kind, value,
verdict), and the numbers that must not be reported. Values were computed by the spec's authors with
DuckDB and the csv module over the raw files; the checker must reproduce them exactly.
"""

from __future__ import annotations

import pytest

from borderdesk import Desk
from borderdesk.claims import ClaimResult
from repo_support import SEED

# (number, qualifier, kind, value, verdict)
Claim = tuple[float, str, str, float | None, str]

EXAMPLES = [
    pytest.param(
        "Border officials encountered Venezuelan migrants 33,804 times at the southern border in September, "
        "CBP figures released on Friday show. Many said they had spent 7 days crossing the Darién Gap.",
        "2022-10-24",
        [(33804, "exact", "count", 33804, "supported")],
        [7],
        id="ex01-venezuelans-sept",
    ),
    pytest.param(
        "Ecuadorian family members were encountered 5,370 times nationwide in March, according to the "
        "agency's monthly update.",
        "2024-04-22",
        [(5370, "exact", "count", 5413, "supported")],
        [],
        id="ex02-ecuador-fmua-revision",
    ),
    pytest.param(
        "Authorities stopped roughly 210,000 migrants along the U.S.-Mexico border in July.",
        "2021-08-23",
        [(210000, "about", "count", 213593, "supported")],
        [],
        id="ex03-roughly-july-2021",
    ),
    pytest.param(
        "Migrants were encountered 2.4 million times at the southern border in fiscal year 2022, which ended "
        "Sept. 30.",
        "2022-11-02",
        [(2400000, "about", "count", 2378944, "supported")],
        [30],
        id="ex04-bare-rounded-fy2022",
    ),
    pytest.param(
        "More than 25,000 Cubans crossed the southern border last month, many of them after flying to "
        "Nicaragua.",
        "2022-06-22",
        [(25000, "more_than", "count", 25643, "supported")],
        [],
        id="ex05-cubans-last-month",
    ),
    pytest.param(
        "Encounters of Venezuelans at the southern border topped 40,000 in December, straining shelters in "
        "El Paso.",
        "2024-01-29",
        [(40000, "more_than", "count", 57847, "inaccurate")],
        [],
        id="ex06-topped-beyond-ceiling",
    ),
    pytest.param(
        "At least 25,000 Ukrainians have been encountered by U.S. border authorities since the war began.",
        "2022-09-21",
        [(25000, "at_least", "count", 76608, "supported")],
        [],
        id="ex07-at-least-since-war",
    ),
    pytest.param(
        "Nearly 2.9 million migrants were encountered nationwide in fiscal year 2024, the agency reported.",
        "2024-10-24",
        [(2900000, "nearly", "count", 2901142, "supported")],
        [],
        id="ex08-nearly-fy2024",
    ),
    pytest.param(
        "Encounters at the southern border fell to fewer than 12,000 in February, down from 61,445 in "
        "January.",
        "2025-03-24",
        [(12000, "less_than", "count", 11710, "supported"), (61445, "exact", "count", 61445, "supported")],
        [],
        id="ex09-fewer-than-own-months",
    ),
    pytest.param(
        "Encounters with Indian nationals totaled 90,415 in fiscal 2024.",
        "2024-11-22",
        [(90415, "exact", "count", 90415, "supported")],
        [],
        id="ex10-india-nationwide-reading",
    ),
    pytest.param(
        "More than 3.2 million migrants were stopped at the southern border in fiscal 2023.",
        "2023-10-30",
        [(3200000, "more_than", "count", 2475669, "inaccurate")],
        [],
        id="ex11-nationwide-called-southern",
    ),
    pytest.param(
        "Border Patrol agents apprehended migrants more than 1.7 million times at the southwest border in "
        "fiscal 2021.",
        "2021-10-25",
        [(1700000, "more_than", "count", 1659206, "inaccurate")],
        [],
        id="ex12-border-patrol-strict",
    ),
    pytest.param(
        "Apprehensions at the southern border dropped to about 124,000 in January, CBP data show.",
        "2024-02-21",
        [(124000, "about", "count", 124215, "supported")],
        [],
        id="ex13-apprehensions-two-readings",
    ),
    pytest.param(
        "CBP encountered 189,034 migrants at the southern border in June, including 10,385 who presented "
        "themselves at ports of entry.",
        "2021-07-22",
        [(189034, "exact", "count", 189034, "supported"), (10385, "exact", "count", 10385, "supported")],
        [],
        id="ex14-ports-of-entry-clause",
    ),
    pytest.param(
        "U.S. authorities carried out more than 110,000 expulsions under Title 42 in April.",
        "2021-05-25",
        [(110000, "more_than", "count", 112898, "supported")],
        [42],
        id="ex15-title-42-expulsions",
    ),
    pytest.param(
        "Agents encountered 18,870 unaccompanied children at the southern border in March. The Department of "
        "Health and Human Services was caring for about 20,000 children in its shelters at the end of the "
        "month.",
        "2021-04-21",
        [(18870, "exact", "count", 18870, "supported")],
        [20000],
        id="ex16-uac-not-shelters",
    ),
    pytest.param(
        "Chinese migrants were stopped at the southern border about 37,000 times in 2023, up from a few "
        "thousand the year before.",
        "2024-01-26",
        [(37000, "about", "count", 37439, "supported")],
        [2023],
        id="ex17-chinese-calendar-2023",
    ),
    pytest.param(
        "Agents encountered nearly 58,000 migrants from Guatemala, Honduras and El Salvador at the southern "
        "border in June. Guatemalans and Hondurans each topped 24,000, while Salvadorans numbered about "
        "9,100.",
        "2022-07-22",
        [
            (58000, "nearly", "count", 57948, "supported"),
            (24000, "more_than", "count", 24177, "supported"),
            (9100, "about", "count", 9123, "supported"),
        ],
        [],
        id="ex18-northern-triangle-each",
    ),
    pytest.param(
        "More than 15,000 Mauritanians were encountered at the southern border in fiscal year 2023, many "
        "after flying to Nicaragua.",
        "2023-10-27",
        [(15000, "more_than", "count", None, "unverifiable")],
        [],
        id="ex19-mauritanians-pooled",
    ),
    pytest.param(
        "Border authorities have encountered more than 1.1 million migrants at the southern border so far "
        "this fiscal year.",
        "2021-07-23",
        [(1100000, "more_than", "count", 1119252, "supported")],
        [],
        id="ex20-fiscal-year-to-date",
    ),
    pytest.param(
        "Over the past 12 months, Haitians have been encountered about 58,000 times at the southern border.",
        "2022-03-23",
        [(58000, "about", "count", 58106, "supported")],
        [12],
        id="ex21-past-12-months",
    ),
    pytest.param(
        "CBP encountered 189,913 migrants at the southwest border, officials said.",
        "2024-03-12",
        [(189913, "exact", "count", 189913, "supported")],
        [],
        id="ex22-no-period-mid-month",
    ),
    pytest.param(
        "Cubans are arriving at the southern border in growing numbers. Border agents encountered 34,839 of "
        "them. That was up from 32,153 in March.",
        "2022-05-23",
        [(34839, "exact", "count", 34839, "supported"), (32153, "exact", "count", 32153, "supported")],
        [],
        id="ex23-cues-from-earlier-sentence",
    ),
    pytest.param(
        "Border Patrol apprehensions at the southwest border dropped to 117,905 in May, the agency said. "
        "Texas has spent more than $11 billion on its border operation and has bused migrants to 6 cities "
        "in 4 states. A 27-year-old father from Honduras said he waited 40 days in Reynosa before crossing. "
        "Some 2,000 Border Patrol agents have been moved from the field to processing duty.",
        "2024-06-24",
        [(117905, "exact", "count", 117905, "supported")],
        [11, 11_000_000_000, 6, 4, 27, 40, 2000],
        id="ex24-non-claims-around-usbp",
    ),
    pytest.param(
        "Encounters at the southern border fell 42% in January from December.",
        "2024-02-23",
        [(42, "exact", "comparison", -41.65, "supported")],
        [],
        id="ex25-percent-change",
    ),
    pytest.param(
        "More than 20,000 Guatemalans were encountered at the southern border in November.",
        "2023-12-21",
        [(20000, "more_than", "count", 26294, "inaccurate")],
        [],
        id="ex26-one-digit-ceiling",
    ),
    pytest.param(
        "Guatemalans and Hondurans were each encountered more than 30,000 times at the southern border in "
        "August, while Salvadorans and Peruvians each numbered fewer than 10,000.",
        "2023-09-22",
        [(30000, "more_than", "count", 35168, "supported"), (10000, "less_than", "count", 6080, "supported")],
        [],
        id="ex27-each-floor-and-ceiling",
    ),
    pytest.param(
        "Agents apprehended 7,639 Hondurans at the southwest border in October, according to CBP.",
        "2024-11-22",
        [(7639, "exact", "count", 7639, "supported")],
        [],
        id="ex28-agents-generic-two-readings",
    ),
    pytest.param(
        "Encounters of Salvadorans at the southern border doubled from July to September.",
        "2023-10-25",
        [(2, "exact", "comparison", 1.91, "supported")],
        [],
        id="ex29-doubled",
    ),
    # amendment 5: how cues travel, comparators, states, composed periods, as published
    pytest.param(
        "CBP encountered 57,847 Venezuelans at the southern border in December. In fiscal year 2023, "
        "CBP recorded about 2.5 million encounters at the southern border.",
        "2024-01-20",
        [(57847, "exact", "count", 57847, "supported"), (2500000, "about", "count", 2475669, "supported")],
        [],
        id="ex30-own-counted-thing-no-carry",
    ),
    pytest.param(
        "Cubans were encountered 1,316 times at the southern border in March 2023. In March 2024, "
        "that had climbed to 13,409.",
        "2024-04-20",
        [(1316, "exact", "count", 1316, "supported"), (13409, "exact", "count", 13409, "supported")],
        [2023, 2024],
        id="ex31-anaphor-carries-subject",
    ),
    pytest.param(
        "Encounters at the southern border reached 301,981 in December, up from 242,399 in November.",
        "2024-01-20",
        [(301981, "exact", "count", 301981, "supported"), (242399, "exact", "count", 242399, "supported")],
        [],
        id="ex32-comparator-keeps-its-period",
    ),
    pytest.param(
        "Texas accounted for about 1.3 million of the encounters at the southern border in fiscal year 2023.",
        "2023-11-20",
        [(1300000, "about", "count", 1315332, "supported")],
        [2023],
        id="ex33-state-as-place",
    ),
    pytest.param(
        "In the 12 months through August 2023, CBP recorded more than 2.2 million encounters at the "
        "southern border.",
        "2023-09-25",
        [(2200000, "more_than", "count", 2433481, "supported")],
        [12],
        id="ex34-composed-period",
    ),
    pytest.param(
        "CBP recorded 240,988 encounters at the southern border in October.",
        "2023-11-20",
        [(240988, "exact", "count", 240927, "supported")],
        [],
        id="ex35-as-published",
    ),
]


def _summary(c: ClaimResult) -> Claim:
    return (c.number, c.qualifier, c.kind, c.value, c.verdict)


@pytest.mark.parametrize(("text", "date", "claims", "non_claims"), EXAMPLES)
def test_example(
    snapshot_desk: Desk, text: str, date: str, claims: list[Claim], non_claims: list[int]
) -> None:
    results = snapshot_desk.check(text, date=date)
    assert [_summary(c) for c in results] == claims
    reported = {c.number for c in results}
    assert not reported & set(non_claims)
    for c in results:
        assert text[c.span[0] : c.span[1]] == c.text
        assert c.reason


ALTERNATIVES = [
    pytest.param(EXAMPLES[10], 3201144, id="ex11-alternative-nationwide"),
    pytest.param(EXAMPLES[11], 1734686, id="ex12-alternative-all-cbp"),
]


@pytest.mark.parametrize(("example", "value"), ALTERNATIVES)
def test_matching_alternative(snapshot_desk: Desk, example: object, value: int) -> None:
    text, date, _, _ = example.values  # type: ignore[attr-defined]
    (claim,) = snapshot_desk.check(text, date=date)
    assert {"value": value, "matches": True}.items() <= next(
        a for a in claim.alternatives if a["value"] == value
    ).items()


def test_seed_article(snapshot_desk: Desk) -> None:
    if not SEED.is_file():
        pytest.skip(f"no seed article at {SEED}")
    results = snapshot_desk.check(SEED.read_text(encoding="utf-8"), date="2022-12-28")
    assert [(c.number, c.verdict, c.value) for c in results] == [
        (31600, "inaccurate", 24724),
        (5500, "supported", 5507),
        (4100, "supported", 4103),
    ]
    alternatives = {a["value"] for a in results[0].alternatives}
    assert {36593, 31146} <= alternatives
    assert results[0].question is not None and results[0].question["region"] == "southwest"


def test_as_published_names_the_release_out_on_the_date(snapshot_desk: Desk) -> None:
    """Example 35: exact when written (the -oct release), revised by 61 since; the -nov release came out
    after the text's date, so it is not "as published"."""
    (claim,) = snapshot_desk.check(
        "CBP recorded 240,988 encounters at the southern border in October.", date="2023-11-20"
    )
    assert claim.release is not None and claim.release["file"].endswith("fy23-fy26-nov-state.csv")
    then = claim.as_published
    assert then is not None
    assert (then["value"], then["matches"]) == (240988, True)
    assert then["release"]["file"] == "nationwide-encounters-fy21-fy24-oct-state.csv"
    assert then["release"]["published"] <= "2023-11-20"


def test_as_published_absent_when_no_release_was_out(snapshot_desk: Desk) -> None:
    """A text dated before any release covering its month was out has nothing "as published"."""
    (claim,) = snapshot_desk.check(
        "CBP recorded 240,988 encounters at the southern border in October 2023.", date="2023-11-01"
    )
    assert claim.as_published is None


def test_soft_hyphen_and_thin_space_inside_the_number(snapshot_desk: Desk) -> None:
    """Text pasted from the web: a soft hyphen in a word, a thin space as the thousands separator.
    The claim's span still points into the original text."""
    text = "CBP encountered 57\u2009847 Vene\u00adzuelans at the southern border in December."
    (claim,) = snapshot_desk.check(text, date="2024-01-20")
    assert (claim.number, claim.value, claim.verdict) == (57847, 57847, "supported")
    assert text[claim.span[0] : claim.span[1]] == claim.text
