"""What CBP's encounter files have in common as source families: recognised by their header, read by
the checked Arrow reader into the ``facts`` table (created by the base schema), no caveats.

Each CBP format module (:mod:`~borderdesk.sources.nationwide_state`,
:mod:`~borderdesk.sources.nationwide_aor`, :mod:`~borderdesk.sources.southwest`) declares its
:class:`~borderdesk.sources.base.SourceFormat` and one :class:`CbpFamily` built from it.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from borderdesk.sources.base import DIMENSION_FIELDS, SourceFormat
from borderdesk.sources.family import Reader, TablePlan, Vintage, vintage_recency
from borderdesk.sources.sniff import Sniffed, exact

if TYPE_CHECKING:
    from borderdesk.sources.normalize import Normalized
    from borderdesk.sources.reader import RawFile

#: The dimension columns of ``facts``, in table order (NULL where a format lacks one): the fields the
#: formats may provide (:data:`~borderdesk.sources.base.DIMENSION_FIELDS`), one list for both.
FACT_COLUMNS = DIMENSION_FIELDS


@dataclass(frozen=True)
class LoadedRelease:
    """A CBP file read and checked completely: the raw bytes, the format its header matched, its rows."""

    raw: RawFile
    sniffed: Sniffed
    data: Normalized

    @property
    def format_name(self) -> str:
        fmt = self.sniffed.format.name
        return fmt if not self.sniffed.derived else f"{fmt} ({self.sniffed.variant})"

    @property
    def family(self) -> str:
        return self.data.format.family

    @property
    def official(self) -> bool:
        return not self.sniffed.derived

    @property
    def label_stem(self) -> str:
        return self.family

    @property
    def label_suffix(self) -> str:
        """Derivatives say so in their label (``state-2024-09-derived``)."""
        return "" if self.official else "-derived"

    @property
    def row_count(self) -> int:
        return self.data.rows

    @property
    def coverage(self) -> tuple[dt.date, dt.date]:
        return self.data.coverage


@dataclass(frozen=True)
class CbpFamily:
    """One CBP release family (see :class:`~borderdesk.sources.family.SourceFamily` for the members)."""

    format: SourceFormat
    title: str
    dimensions: frozenset[str]
    #: breakdowns the family has a column for but cannot answer (dimension -> why, after the title)
    cannot_break_down: Mapping[str, str] = field(default_factory=dict)
    #: filters a question must have (dimension -> why not without it, after the title)
    needs_filter: Mapping[str, str] = field(default_factory=dict)
    table: str = "facts"
    migrations: Mapping[int, str] = field(default_factory=dict)
    grains: tuple[str, ...] = ("month",)
    default: bool = True

    @property
    def name(self) -> str:
        return self.format.family

    def detect(self, raw: RawFile) -> Reader | None:
        """This family's reader if the file's header is exactly this format's (CBP or snake_case
        spelling). A file no family recognises is read by :func:`borderdesk.sources.registry.load`,
        which names the closest format."""
        from borderdesk.sources.reader import header_fields

        if raw.data[:4] == b"PK\x03\x04":
            return None
        try:
            header = header_fields(raw)
        except (UnicodeDecodeError, csv.Error):  # not CSV text: the reader says what it is instead
            return None
        sniffed = exact(self.format, header)
        if sniffed is None:
            return None
        return lambda r: read(r, (self.format,), sniffed)

    def plan(self, by: Sequence[str], filters: Sequence[str]) -> TablePlan:
        requires = tuple((dim, f"{self.title} {why}") for dim, why in self.needs_filter.items())
        return TablePlan(
            self.name, self.table, FACT_COLUMNS, self.grains, self._refusal(by, filters), requires
        )

    def _refusal(self, by: Sequence[str], filters: Sequence[str]) -> str | None:
        for dim in by:
            if dim not in self.dimensions:
                return f"{self.title} has no {dim} to break down by"
            if dim in self.cannot_break_down:
                return f"{self.title} {self.cannot_break_down[dim]}"
        for dim in filters:
            if dim not in self.dimensions:
                return f"{self.title} has no {dim}"
        return None

    def caveats(self, format_name: str, cells: int = 1) -> tuple[str, ...]:
        return ()

    def recency(self, release: Vintage) -> tuple[Any, ...]:
        return vintage_recency(release)


def read(raw: RawFile, formats: tuple[SourceFormat, ...], sniffed: Sniffed | None = None) -> LoadedRelease:
    """Parse and normalize a CBP file completely (``sniffed``: its format, when already recognised)."""
    from borderdesk.sources.normalize import normalize
    from borderdesk.sources.reader import parse

    sniffed, table = parse(raw, formats, sniffed)
    return LoadedRelease(raw=raw, sniffed=sniffed, data=normalize(raw.name, sniffed, table))
