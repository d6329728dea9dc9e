"""What a source family is: the one protocol every release format implements, and the one recency rule.

A *source family* is a series of releases that answer the same questions at the same level of detail
(CBP's by-state files, the DHS OHSS USBP workbook...). Each family is one object, declared in its own
module and listed in :mod:`borderdesk.sources.registry`; everything else (detection at ingest, the
schema's migrations, the query engine's choice of family, the caveats on an answer, which vintage is
newest) asks these objects rather than naming families itself. So adding a format is adding one file.

This module sits in the ``sources`` layer: it knows nothing of the store or the query layer. What a
family tells the query layer is plain data (:class:`TablePlan`: a table, its columns, refusals).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from borderdesk.sources.reader import RawFile


class Vintage(Protocol):
    """What the recency rule reads of a release (:class:`borderdesk.store.Release` is one)."""

    @property
    def official(self) -> bool: ...
    @property
    def unofficial(self) -> bool: ...
    @property
    def coverage_end(self) -> dt.date: ...
    @property
    def published(self) -> str | None: ...
    @property
    def sha256(self) -> str: ...


def vintage_recency(release: Vintage) -> tuple[Any, ...]:
    """How new a vintage is, as a sort key (larger is newer): trusted releases before files ingested
    by hand that are not known releases (a copy of an official file, re-saved or doctored, must not
    take over whatever publication date it is given), then CBP's own files before re-published
    derivatives (a derivative's coverage end says nothing about the vintage of its older rows), then
    coverage end, then publication date (an unknown date counts as oldest).

    This is the rule of the schema's ``latest_months`` view (``unofficial, official DESC,
    coverage_end DESC, published DESC NULLS LAST``), written once in Python; the one chooser,
    :func:`borderdesk.store.releases.newest`, gives an exact tie to the release stored first, as the
    view does (never to the hash: :mod:`borderdesk.store.precedence`).
    """
    return (not release.unofficial, release.official, release.coverage_end, release.published or "")


class Loaded(Protocol):
    """A file read and checked completely, ready for the one writer (:mod:`borderdesk.store.ingest`)."""

    @property
    def raw(self) -> RawFile: ...
    @property
    def family(self) -> str: ...
    @property
    def format_name(self) -> str: ...
    @property
    def official(self) -> bool: ...
    @property
    def label_stem(self) -> str:
        """Release labels are ``{stem}-{last month}{suffix}``."""
        ...

    @property
    def label_suffix(self) -> str: ...
    @property
    def row_count(self) -> int: ...
    @property
    def coverage(self) -> tuple[dt.date, dt.date]: ...


#: Reads a file the family recognised into checked rows (raising ReleaseFormatError on a bad value).
Reader = Callable[["RawFile"], Loaded]


@dataclass(frozen=True)
class TablePlan:
    """What the query layer needs to answer from a family: where its rows are and whether it can.

    ``refusal`` is None when the family can answer a question with these filters and breakdown, else
    the reason it cannot, worded for the user ("... has no state"). ``requires`` lists filters a
    question must have (dimension, why not without it), checked after the values asked for are known
    to be in the data (so "has no citizenship RUSSIA" is said before "covers the Southwest border only").
    """

    family: str
    table: str
    columns: tuple[str, ...]
    grains: tuple[str, ...]
    refusal: str | None = None
    requires: tuple[tuple[str, str], ...] = ()


class SourceFamily(Protocol):
    """One source family. Members:

    ``name``        the family as stored in ``releases.family`` (``state``, ``ohss-usbp``...).
    ``title``       how answers and errors name it.
    ``table``       the table its rows are written to and read from (``facts``, ``history_facts``).
    ``migrations``  schema version -> the SQL that creates its table (empty when the base schema has it).
    ``dimensions``  the dimensions its releases can filter or break down by.
    ``grains``      the periods its rows come at (``month``, ``fiscal_year``).
    ``default``     True if it answers questions that name no source (CBP's releases); False if it is
                    only asked by name (``source="ohss"``) or as the Border Patrol fallback.
    ``detect``      the reader for a file of this family, or None (by content, never by file name).
    ``plan``        which table and columns answer a question with these filters and breakdown.
    ``caveats``     what every answer from a release of one of its formats must say.
    ``recency``     the sort key saying which of its vintages is newest (:func:`vintage_recency`).
    """

    @property
    def name(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def table(self) -> str: ...
    @property
    def migrations(self) -> Mapping[int, str]: ...
    @property
    def dimensions(self) -> frozenset[str]: ...
    @property
    def grains(self) -> tuple[str, ...]: ...
    @property
    def default(self) -> bool: ...

    def detect(self, raw: RawFile) -> Reader | None: ...

    def plan(self, by: Sequence[str], filters: Sequence[str]) -> TablePlan: ...

    def caveats(self, format_name: str, cells: int = 1) -> tuple[str, ...]: ...

    def recency(self, release: Vintage) -> tuple[Any, ...]: ...
