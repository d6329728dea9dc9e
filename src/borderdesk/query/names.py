"""Which values a question can name and be answered: the lists offered to users, and the pooled ones.

The database knows more names than CBP's encounter files answer for. Those files name about twenty
citizenships and pool every other country into OTHER, while the Border Patrol history tables (the OHSS
workbook) list some 160; a state or sector may appear only in the seed list or in the history tables.
So what a form, an API "allowed" list or ``/api/dimensions`` offers comes from here, from what CBP's
releases actually hold, and a citizenship they pool gets an error that says so
(:class:`~borderdesk.errors.PooledValueError`) instead of "has no citizenship".
"""

from __future__ import annotations

from borderdesk import metadata
from borderdesk.errors import PooledValueError
from borderdesk.query.catalog import Catalog
from borderdesk.query.question import Question
from borderdesk.sources import registry

#: The dimension CBP pools into OTHER (the only one it pools).
POOLED_DIMENSION = "citizenship"
#: CBP's pooled bucket.
POOL = "OTHER"

_CBP_FAMILIES = tuple(f.name for f in registry.default_families())


def _values_in(catalog: Catalog, families: tuple[str, ...], dimension: str) -> frozenset[str]:
    codes: set[int] = set()
    for family in families:
        codes |= catalog.present.get(family, {}).get(dimension, frozenset())
    return frozenset(value for value, code in catalog.codes.get(dimension, {}).items() if code in codes)


def cbp_values(catalog: Catalog, dimension: str) -> frozenset[str]:
    """The values of ``dimension`` CBP's releases in this database hold (what a count can answer)."""
    return catalog.recall(("cbp-values", dimension), lambda: _values_in(catalog, _CBP_FAMILIES, dimension))


def history_values(catalog: Catalog, dimension: str = POOLED_DIMENSION) -> frozenset[str]:
    """The values the Border Patrol history tables list (citizenship only is recorded per family)."""
    families = tuple(f for f in catalog.present if f not in _CBP_FAMILIES)
    return catalog.recall(("history-values", dimension), lambda: _values_in(catalog, families, dimension))


def answerable(catalog: Catalog, dimension: str) -> list[str]:
    """The values to offer users for ``dimension``, sorted: those CBP's releases hold. An empty list
    when no CBP release holds the dimension (a database with no releases)."""
    return sorted(cbp_values(catalog, dimension))


def pools(catalog: Catalog) -> bool:
    """True when CBP's releases in this database pool citizenships into OTHER."""
    return POOL in cbp_values(catalog, POOLED_DIMENSION)


def pooled(catalog: Catalog) -> list[str]:
    """The countries the database knows (from the history tables) that CBP's releases pool into OTHER,
    sorted; empty when no CBP release pools anything."""
    if not pools(catalog):
        return []
    named = cbp_values(catalog, POOLED_DIMENSION)
    known = catalog.codes.get(POOLED_DIMENSION, {})
    return sorted(v for v in known if v not in named and not metadata.is_grouping(v))


def named_count(catalog: Catalog) -> int:
    """How many citizenships CBP's releases name on their own (OTHER and its kin not counted)."""
    return sum(1 for v in cbp_values(catalog, POOLED_DIMENSION) if not metadata.is_grouping(v))


def pooled_error(catalog: Catalog, question: Question) -> PooledValueError | None:
    """The error for a question naming a citizenship CBP's releases pool into OTHER, or None if it
    names none. A country is pooled when no CBP release names it though they pool into OTHER: one the
    history tables list, or any other country name the aliases resolve (AUSTRIA)."""
    asked = question.values(POOLED_DIMENSION)
    if not asked or not pools(catalog):
        return None
    named = cbp_values(catalog, POOLED_DIMENSION)
    values = [v for v in asked if v not in named and not metadata.is_grouping(v)]
    if not values:
        return None
    return PooledValueError(
        POOLED_DIMENSION,
        values,
        in_history=sorted(history_values(catalog) & set(values)),
        named=named_count(catalog),
        period=question.period.text if question.period else None,
    )
