"""What analyses and the claim checker need from an open database, and nothing more.

:class:`~borderdesk.desk.Desk` satisfies :class:`Reader` (through :class:`DatabaseReader`, its base);
so can a test double or a future remote reader. Analyses (:mod:`borderdesk.analysis`) and claims take
a ``Reader`` rather than a desk, so they depend on this layer, not on the layer above them.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any, Protocol, Self

import duckdb

from borderdesk import config
from borderdesk.errors import BorderdeskError
from borderdesk.query.catalog import Answer, Catalog
from borderdesk.query.engine import count, count_many
from borderdesk.query.question import Question, build_question
from borderdesk.query.zeros import OutsideRegimeError
from borderdesk.store import updates
from borderdesk.store.cursors import Cursors
from borderdesk.store.database import schema_version
from borderdesk.store.releases import Release


class Reader(Protocol):
    """A read-only view of one database: what it holds, how to phrase a question, how to answer it."""

    @property
    def catalog(self) -> Catalog:
        """The releases, dimension codes and coverage of the database (cached until it changes)."""
        ...

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """This thread's connection (its own cursor on the database, safe to use from any thread)."""
        ...

    def question(
        self, *, period: Any = None, as_of: str | None = None, today: dt.date | None = None, **filters: Any
    ) -> Question:
        """Filters in the user's words (aliases, any case) as a normalized :class:`Question`."""
        ...

    def ask(self, question: Question) -> Answer:
        """The count that answers ``question``, with its provenance."""
        ...

    def ask_many(self, questions: list[Question]) -> list[Answer | BorderdeskError]:
        """Several questions in one round trip: each answer, or the error its question raises."""
        ...


class DatabaseReader:
    """The :class:`Reader` of one open database (the base of :class:`~borderdesk.desk.Desk`): this
    thread's cursor, the catalog (cached until :meth:`_changed` says a write changed it), questions
    and counts from CBP's releases."""

    def __init__(self, cursors: Cursors, *, index_max_bytes: int | None = None) -> None:
        """``index_max_bytes``: the byte cap of each catalog's in-memory fact index (None: as
        ``$BORDERDESK_INDEX_MAX_BYTES`` says, :func:`borderdesk.config.index_max_bytes`; 0: every answer
        from SQL)."""
        self._cursors = cursors
        self._index_max_bytes = config.index_max_bytes() if index_max_bytes is None else index_max_bytes
        self._catalog_lock = threading.Lock()
        self._catalog: Catalog | None = None

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        return self._cursors.current()

    def close(self) -> None:
        """Close every connection (and give up the write lock, if this open held it)."""
        self._cursors.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def catalog(self) -> Catalog:
        catalog = self._catalog
        if catalog is None:
            with self._catalog_lock:
                if self._catalog is None:
                    self._catalog = Catalog.load(self.con, index_max_bytes=self._index_max_bytes)
                catalog = self._catalog
        return catalog

    def _changed(self) -> None:
        self._catalog = None

    def index_report(self) -> dict[str, Any]:
        """The in-memory fact index of the current database state: tables and rows loaded, bytes held
        against the cap, questions answered from it (hits) and by SQL (misses)."""
        return self.catalog.index.report()

    @property
    def generation(self) -> int | None:
        """How many changes have been published to this database file (None before schema 2)."""
        return updates.generation(self.con)

    def release_list(self) -> list[Release]:
        return list(self.catalog.releases)

    def newest_release(self) -> Release | None:
        return self.catalog.newest

    def question(
        self, *, period: Any = None, as_of: str | None = None, today: dt.date | None = None, **filters: Any
    ) -> Question:
        known = {dim: list(codes) for dim, codes in self.catalog.codes.items()}
        return build_question(period=period, as_of=as_of, today=today, known=known, **filters)

    def ask(self, question: Question) -> Answer:
        """The count a claim is measured against: like :func:`count`, but a slice outside its legal
        authority's months (Title 42 after May 2023) is the zero it is, not an error."""
        try:
            return count(self.con, self.catalog, question)
        except OutsideRegimeError as e:
            return e.answer

    def ask_many(self, questions: list[Question]) -> list[Answer | BorderdeskError]:
        """:meth:`ask` for several questions in one round trip."""
        answers = count_many(self.con, self.catalog, questions)
        return [a.answer if isinstance(a, OutsideRegimeError) else a for a in answers]


def status(reader: DatabaseReader, path: Path) -> dict[str, Any]:
    """What ``borderdesk info`` and ``GET /api/status`` report: the database file at ``path`` (size,
    schema, generation, releases) and the in-memory fact index of the state ``reader`` answers from."""
    newest = reader.newest_release()
    return {
        "database": {
            "path": str(path),
            "bytes": path.stat().st_size if path.exists() else None,
            "schema_version": schema_version(reader.con),
            "generation": reader.generation,
            "releases": len(reader.release_list()),
            "newest_release": newest.label if newest else None,
        },
        "index": reader.index_report(),
    }
