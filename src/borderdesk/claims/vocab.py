"""Cue vocabularies for the claim checker, read once from ``metadata/data/claim_*.csv``.

Every word list the checker uses lives in those CSV files (a registry per category), so adding a word
("nabbed" as an apprehension verb, a new demonym) is a data change, not a code change. This module
only loads them; :mod:`borderdesk.claims.matcher` finds a category's phrases in a text. (Month names
are not here: every layer reads them from the one table in :mod:`borderdesk.values`.)
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from importlib import resources

from borderdesk import metadata
from borderdesk.claims.matcher import ASCII_FOLDS as ASCII_FOLDS
from borderdesk.claims.matcher import Hit as Hit
from borderdesk.claims.matcher import Matcher as Matcher
from borderdesk.claims.matcher import alternation as alternation
from borderdesk.claims.matcher import phrase_pattern as phrase_pattern


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("borderdesk.metadata").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def cue_table() -> dict[str, dict[str, str]]:
    """category -> {phrase -> value} from claim_cues.csv."""
    out: dict[str, dict[str, str]] = {}
    for r in _rows("claim_cues.csv"):
        out.setdefault(r["category"], {})[r["phrase"]] = r["value"]
    return out


@cache
def matcher(category: str) -> Matcher:
    """The compiled matcher of one category of claim_cues.csv (e.g. 'region', 'measure')."""
    return Matcher(cue_table().get(category, {}))


@cache
def words(category: str) -> frozenset[str]:
    return frozenset(p.casefold() for p in cue_table().get(category, {}))


def scale(word: str) -> Fraction | None:
    """'million' -> 1,000,000; 'lakh' -> 100,000 (also the attached suffixes k, m, mn, bn)."""
    key = word.casefold()
    for category in ("scale", "scale_suffix"):
        value = cue_table().get(category, {}).get(key)
        if value:
            return Fraction(value)
    return None


@dataclass(frozen=True)
class Nationality:
    phrase: str
    value: str  # CBP's canonical citizenship, or the country's name for those pooled into OTHER
    form: str  # country | adjective | plural | both


@cache
def nationalities() -> dict[str, Nationality]:
    """phrase (as capitalised in running text) -> Nationality, from claim_nationalities.csv."""
    return {
        r["phrase"]: Nationality(r["phrase"], r["value"], r["form"]) for r in _rows("claim_nationalities.csv")
    }


@cache
def nationality_matcher() -> Matcher:
    """Proper nouns only: capitalised as written ('Chinese') or in capitals ('CHINESE'), never 'turkey'."""
    phrases = list(nationalities())
    return Matcher({p: p for p in phrases + [p.upper() for p in phrases]}, case_sensitive=True)


@cache
def _upper_nationalities() -> dict[str, Nationality]:
    return {phrase.upper(): nat for phrase, nat in nationalities().items()}


def nationality(found: str) -> Nationality | None:
    key = " ".join(found.split())
    return nationalities().get(key) or _upper_nationalities().get(key)


@cache
def listed_citizenships() -> frozenset[str]:
    """The countries CBP's releases name (values.csv); every other one is pooled into OTHER."""
    values = metadata.seed_values().get("citizenship", {})
    return frozenset(v for v in values if not v.startswith("OTHER"))


@dataclass(frozen=True)
class Event:
    regex: re.Pattern[str]
    start: str  # YYYY-MM, the first whole month
    end: str  # YYYY-MM or '' (open: up to the latest published month)
    label: str


@cache
def events() -> tuple[Event, ...]:
    """'since the war began' and friends: phrase patterns with the month they start from."""
    return tuple(
        Event(re.compile(r["pattern"], re.IGNORECASE), r["start"], r["end"], r["label"])
        for r in _rows("claim_events.csv")
    )
