"""The single source of truth for dimensions, their canonical values, spellings and aliases.

Everything here is data (CSV files in ``metadata/data/``) read once; code elsewhere asks this module
instead of carrying its own if-chains. Identifiers that reach SQL come from :data:`DIMENSIONS` only.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from borderdesk.values import Month as _CalendarMonth

__all__ = [
    "DIMENSIONS",
    "FILTERS",
    "Dimension",
    "KnownRelease",
    "Month",
    "aliases",
    "aor_details",
    "dimension",
    "is_grouping",
    "known_release",
    "known_release_hashes",
    "month_by_abbv",
    "months",
    "seed_values",
    "source_spellings",
    "value_labels",
]


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def fold(text: str) -> str:
    """The key used for every case- and space-insensitive lookup."""
    return " ".join(text.replace("\u00a0", " ").split()).casefold()


@dataclass(frozen=True)
class Dimension:
    name: str
    column: str
    label: str
    closed: bool
    description: str
    filter_order: int = 0  # where it comes among the filters users see (1 = first)


@cache
def _dimensions() -> dict[str, Dimension]:
    return {
        r["dimension"]: Dimension(
            name=r["dimension"],
            column=r["column"],
            label=r["label"],
            closed=r["closed"] == "true",
            description=r["description"],
            filter_order=int(r["filter_order"]),
        )
        for r in _rows("dimensions.csv")
    }


DIMENSIONS: dict[str, Dimension] = _dimensions()

#: The dimensions as filters, in the order users meet them (CLI options, form fields, the API's
#: ``/api/dimensions``, "choose from" lists): who, where, then how. The one list every layer reads.
FILTERS: tuple[str, ...] = tuple(sorted(DIMENSIONS, key=lambda name: DIMENSIONS[name].filter_order))


def dimension(name: str) -> Dimension:
    return DIMENSIONS[name]


@cache
def seed_values() -> dict[str, dict[str, int]]:
    """dimension -> {canonical value -> code}: the codes every new database starts with."""
    out: dict[str, dict[str, int]] = {name: {} for name in DIMENSIONS}
    for r in _rows("values.csv"):
        out[r["dimension"]][r["value"]] = int(r["code"])
    return out


@cache
def value_labels() -> dict[str, dict[str, str]]:
    """dimension -> {canonical value -> human label}."""
    out: dict[str, dict[str, str]] = {name: {} for name in DIMENSIONS}
    for r in _rows("values.csv"):
        out[r["dimension"]][r["value"]] = r["label"]
    return out


@cache
def source_spellings() -> dict[str, dict[str, str]]:
    """dimension -> {folded spelling found in release files -> canonical value}."""
    out: dict[str, dict[str, str]] = {name: {} for name in DIMENSIONS}
    for r in _rows("spellings.csv"):
        out[r["dimension"]][fold(r["spelling"])] = r["value"]
    return out


@cache
def aliases() -> dict[str, dict[str, str]]:
    """dimension -> {folded user spelling -> canonical value} (demonyms, 'southern border', USBP, UK...).

    Citizenship aliases may name a country CBP pools into OTHER (UK -> UNITED KINGDOM): the name resolves,
    and the query layer then says it is pooled. The claim checker's country names and demonyms
    (claim_nationalities.csv: Germans, Dominicans, Britain) are aliases too, so a name the checker
    reads in an article is one a user can type."""
    out: dict[str, dict[str, str]] = {name: {} for name in DIMENSIONS}
    for r in _rows("aliases.csv"):
        out[r["dimension"]][fold(r["alias"])] = r["value"]
    for r in _rows("claim_nationalities.csv"):
        out["citizenship"].setdefault(fold(r["phrase"]), r["value"])
        out["citizenship"].setdefault(fold(r["value"]), r["value"])
    for dim, values in seed_values().items():
        for value in values:
            out[dim].setdefault(fold(value), value)
    for dim, labels in value_labels().items():  # "Texas" -> TX, "Office of Field Operations" -> ofo
        for value, label in labels.items():
            out[dim].setdefault(fold(label), value)
    for dim, spellings in source_spellings().items():
        for spelling, value in spellings.items():
            out[dim].setdefault(spelling, value)
    for r in _rows("aors.csv"):  # OFO's abbv is the bare city ("El Paso"): left to the prefix rule
        if r["component"] == "usbp":
            out["aor"].setdefault(fold(r["abbv"]), r["aor"])
    return out


#: Citizenship values that are not one country: CBP's pooled bucket (OTHER), a table's remainder ("OTHER
#: THAN MEXICO"), a citizenship not recorded (UNKNOWN). Never "pooled into OTHER" themselves.
_NOT_A_COUNTRY = ("OTHER", "UNKNOWN")


def is_grouping(value: str) -> bool:
    """True for a citizenship value that groups countries or records none (OTHER, OTHER THAN MEXICO,
    UNKNOWN) rather than naming one country."""
    return value.split(" ", 1)[0] in _NOT_A_COUNTRY


@dataclass(frozen=True)
class AorDetail:
    aor: str
    abbv: str
    component: str


@cache
def aor_details() -> dict[str, AorDetail]:
    return {r["aor"]: AorDetail(r["aor"], r["abbv"], r["component"]) for r in _rows("aors.csv")}


@cache
def state_regions() -> dict[str, str]:
    """State code -> the land border region it lies on (southwest or northern), from state_borders.csv;
    states with no land border are absent."""
    return {r["state"]: r["region"] for r in _rows("state_borders.csv")}


@dataclass(frozen=True)
class Month:
    """A month of the year as CBP release files name it; names and arithmetic come from borderdesk.values."""

    abbv: str
    name: str
    calendar_month: int
    fiscal_month: int


@cache
def months() -> tuple[Month, ...]:
    """The months of a fiscal year, October first, as CBP files name them ("OCT")."""
    year = [_CalendarMonth.from_fiscal(1, fiscal_month) for fiscal_month in range(1, 13)]
    return tuple(Month(m.abbreviation.upper(), m.name, m.month, m.fiscal_month) for m in year)


@cache
def month_by_abbv() -> dict[str, Month]:
    """Folded 3-letter abbreviation or full name -> Month."""
    out: dict[str, Month] = {}
    for m in months():
        out[fold(m.abbv)] = m
        out[fold(m.name)] = m
    return out


@dataclass(frozen=True)
class KnownRelease:
    sha256: str
    cbp_file: str
    published: str | None
    source_url: str | None
    note: str
    published_source: str = ""  # the evidence for the publication date


@cache
def _known_releases() -> dict[str, KnownRelease]:
    return {
        r["sha256"]: KnownRelease(
            sha256=r["sha256"],
            cbp_file=r["cbp_file"],
            published=r["published"] or None,
            source_url=r["source_url"] or None,
            note=r["note"],
            published_source=r.get("published_source", ""),
        )
        for r in _rows("known_releases.csv")
    }


def known_release_hashes() -> tuple[str, ...]:
    """The sha256 of every known release (what makes a stored file trusted: docs/reliability.md)."""
    return tuple(sorted(_known_releases()))


def known_release(sha256: str) -> KnownRelease | None:
    """Provenance recorded for a file we have seen before (see PROVENANCE.md), by its sha256."""
    return _known_releases().get(sha256)
