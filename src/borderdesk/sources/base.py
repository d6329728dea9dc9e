"""What a release format is: its header spellings, the source family it feeds, and fixed values.

Each format module declares one :class:`SourceFormat` as data; :mod:`borderdesk.sources.registry`
recognises a file by its header, never by its name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

# Fields every format must provide; dimensions a format lacks stay NULL in the store.
REQUIRED_FIELDS = ("fiscal_year", "month", "citizenship", "demographic", "title", "count")

#: The dimension fields a CBP format may provide, in the order of the ``facts`` columns they fill (the
#: normalizer reads them in this order; the schema's ``FACT_DIMENSIONS`` is this list).
DIMENSION_FIELDS = (
    "region",
    "state",
    "aor",
    "component",
    "demographic",
    "citizenship",
    "title",
    "encounter_type",
)

# Source families: releases of one family answer the same questions at the same level of detail.
FAMILIES = ("state", "aor", "southwest")


def snake_case(header: str) -> str:
    """The spelling janitor::clean_names() gives a CBP header ("Month (abbv)" -> "month_abbv")."""
    return re.sub(r"[^0-9a-z]+", "_", header.lower()).strip("_")


@dataclass(frozen=True)
class SourceFormat:
    """One release format. ``columns`` maps each field to CBP's header spellings for it."""

    name: str
    family: str
    title: str
    columns: Mapping[str, tuple[str, ...]]
    # Fields present in the file but not stored (e.g. Month Grouping, which must never be filtered on).
    ignored: frozenset[str] = frozenset()
    # Dimension values implied by the format (the southwest-only file has no region column).
    fixed: Mapping[str, str] = field(default_factory=dict)
    # Values that mean something else in this format (field -> {file spelling -> canonical value})
    overrides: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # The dimensions that identify one row; two rows with the same key are a duplicate.
    key: tuple[str, ...] = ()

    def spellings(self, variant: str) -> dict[str, tuple[str, ...]]:
        """field -> accepted spellings in the given header variant ('cbp' or 'snake_case')."""
        if variant == "cbp":
            return dict(self.columns)
        return {f: tuple(dict.fromkeys(snake_case(s) for s in spells)) for f, spells in self.columns.items()}

    @property
    def stored_fields(self) -> tuple[str, ...]:
        return tuple(f for f in self.columns if f not in self.ignored)
