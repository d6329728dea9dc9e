"""The library core every shell uses: one :class:`Desk` per database file.

The desk is the read side: questions, breakdowns, series, analyses and claim checks. Changes go through
its :class:`~borderdesk.writer.Writer` (``desk.writer``; ``desk.ingest``/``update`` hand over to it).

Every tabular answer comes one way, as a typed result (``table_result``, ``series_result``,
``surges_result``, ``revisions_result``, ``events_result``): rows plus provenance, with
``.to_pandas()``, ``.to_arrow()`` and ``.to_dict()`` (the JSON the shells print). ``table``, ``series``,
``surges``, ``revisions`` and ``events`` are the same answers as pandas DataFrames.

>>> import borderdesk
>>> desk = borderdesk.open()                                  # doctest: +SKIP
>>> desk.count(citizenship="russia", region="southwest", period="2022-11").value   # doctest: +SKIP
5507
"""

from __future__ import annotations

import contextlib
import datetime as dt
import warnings
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from borderdesk import config, query, writer
from borderdesk.history import route
from borderdesk.query import Answer, Change, arguments
from borderdesk.query.frames import Frame
from borderdesk.query.reader import DatabaseReader
from borderdesk.store.lock import DEFAULT_TIMEOUT as DEFAULT_LOCK_TIMEOUT
from borderdesk.writer import UpdateResult, Writer, ensure_database

if TYPE_CHECKING:
    import pandas as pd

    from borderdesk.analysis.brief import Brief
    from borderdesk.analysis.result import Table
    from borderdesk.claims import ClaimResult, Report
    from borderdesk.remote import DownloadedFile, FailedDownload
    from borderdesk.store.ingest import IngestResult
    from borderdesk.store.verify import VerifyReport

__all__ = ["Desk", "UpdateResult", "ensure_database", "open", "writing"]


def _renamed(old: str, new: str) -> Callable[..., Any]:
    """A method kept under its first name for one release: it warns, then answers as ``new`` does."""

    def alias(self: Desk, **kw: Any) -> Any:
        warnings.warn(f"Desk.{old}() is deprecated; use Desk.{new}()", DeprecationWarning, stacklevel=2)
        return getattr(self, new)(**kw)

    alias.__name__ = alias.__qualname__ = old
    alias.__doc__ = f"Deprecated: :meth:`{new}` (same arguments, same result)."
    return alias


class Desk(DatabaseReader):
    """A borderdesk database: ask questions, break them down, analyse, check claims, list vintages."""

    def __init__(
        self,
        path: Path | str,
        *,
        snapshot: bool = True,
        read_only: bool = False,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        lock: bool = True,
        index_max_bytes: int | None = None,
    ) -> None:
        """Open ``path`` (``":memory:"`` for a private in-memory database); read-write, the desk holds
        the file's write lock until :meth:`close`. ``index_max_bytes``: see :class:`DatabaseReader`."""
        opened = writer.open_database(
            path, snapshot=snapshot, read_only=read_only, lock_timeout=lock_timeout, lock=lock
        )
        super().__init__(opened.cursors, index_max_bytes=index_max_bytes)
        self.path = Path(path)
        self.read_only = read_only
        self.loaded_snapshot = opened.loaded_snapshot
        self.migrated_from = opened.migrated_from
        self.writer = Writer(self.path, opened.cursors, read_only=read_only, changed=self._changed)

    def releases(self) -> pd.DataFrame:
        """Every ingested release (vintage) with its provenance, as a DataFrame."""
        import pandas as pd

        rows = [r.as_dict() for r in self.release_list()]
        for r in rows:
            r.pop("coverage")
        return pd.DataFrame(rows)

    def verify(self, *, full: bool = True) -> VerifyReport:
        """Read every block and recompute each release's rows and totals against what was recorded at
        ingest (``full=False``: row counts only, the cheap check ``serve`` runs at start)."""
        from borderdesk.store.verify import verify

        return verify(self.con, full=full)

    # -- changes, handed to the writer (see borderdesk.writer.Writer for the arguments) ------------
    def ingest(self, path: Path | str, **kw: Any) -> IngestResult:
        """Check one release file fully and add it as a new vintage (a no-op if already ingested)."""
        return self.writer.ingest(path, **kw)

    def ingest_each(self, paths: Iterable[Path | str], **kw: Any) -> Iterator[tuple[Path, Any]]:
        """Ingest several files, each atomically; yields (path, result or the error that rejected it)."""
        return self.writer.ingest_each(paths, **kw)

    def ingest_many(self, paths: Iterable[Path | str], **kw: Any) -> list[IngestResult]:
        """Ingest several files; raises the first rejection after the others are in."""
        return self.writer.ingest_many(paths, **kw)

    def update(self, url: str | None = None, **kw: Any) -> list[UpdateResult]:
        """Download the releases linked from ``url`` (CBP's page by default) and ingest the new ones,
        each file on its own (:meth:`borderdesk.writer.Writer.update`)."""
        return self.writer.update(url, **kw)

    def ingest_downloads(self, files: Iterable[DownloadedFile | FailedDownload]) -> list[UpdateResult]:
        """Ingest downloaded release files, recording where each came from; failures are skipped."""
        return self.writer.ingest_downloads(files)

    # -- questions -----------------------------------------------------------------------------
    def count(self, *, source: str | None = None, **question: Any) -> Answer:
        """One number with its provenance, e.g. ``count(citizenship="russia", region="southwest",
        period="2022-11").value == 5507``. ``source`` picks the data (CBP's releases, ``"ohss"``,
        ``"usbp-historical"``, ``"history"``: see :mod:`borderdesk.history.route`); history answers
        carry ``caveats`` ("Border Patrol only", "rounded")."""
        return route.count(self, self.question(**question), source=source)

    def change(self, **question: Any) -> Change:
        """The count with the previous period of the same length and the same period a year earlier."""
        return query.change(self.con, self.catalog, self.question(**question))

    def table_result(
        self, *, by: str | Iterable[str], top: int | None = None, source: str | None = None, **question: Any
    ) -> Frame:
        """Encounters by one or more dimensions with shares, largest first, as a typed result."""
        q = self.question(by=arguments.dimensions(by), **question)
        return route.table(self, q, top=top, source=source)

    def table(self, *, by: str | Iterable[str], top: int | None = None, **question: Any) -> pd.DataFrame:
        """:meth:`table_result` as a DataFrame, e.g. ``table(by="citizenship", region="southwest",
        period="FY2023")`` (MEXICO first)."""
        return self.table_result(by=by, top=top, **question).to_pandas()

    def series_result(
        self,
        *,
        by: str | Iterable[str] | None = None,
        interval: str = "month",
        source: str | None = None,
        **question: Any,
    ) -> Frame:
        """Monthly (or ``interval="fiscal_year"``/``"calendar_year"``) encounters, as a typed result."""
        q = self.question(by=arguments.dimensions(by), **question)
        return route.series(self, q, interval=interval, source=source)

    def series(
        self, *, by: str | Iterable[str] | None = None, interval: str = "month", **question: Any
    ) -> pd.DataFrame:
        """:meth:`series_result` as a DataFrame, one row per month (or year)."""
        return self.series_result(by=by, interval=interval, **question).to_pandas()

    def history(
        self, *, interval: str = "fiscal_year", source: str = "history", **question: Any
    ) -> pd.DataFrame:
        """Border Patrol history as a series (by fiscal year unless ``interval="month"``), e.g.
        ``history(region="southwest", period="FY2000..FY2019")`` or
        ``history(citizenship="russia", region="southwest", source="ohss")``; the frame's
        ``.answer.caveats`` say "Border Patrol only" (and "rounded" for OHSS)."""
        frame = self.series_result(interval=interval, source=source, **question)
        df = frame.to_pandas()
        df.attrs["caveats"] = list(frame.caveats)
        return df

    # -- analysis (borderdesk.analysis does the work) -----------------------------------------------
    def surges_result(
        self,
        *,
        top: int | None = 10,
        min_value: int = 100,
        min_score: float | None = 0.0,
        include_pooled: bool = False,
        **question: Any,
    ) -> Table:
        """Nationality × region rows far above their own seasonal baseline in ``period``, highest score
        first: nationality, region, value, baseline, ratio, score, previous, year_earlier, change_point
        (see :mod:`borderdesk.analysis.surges`), e.g. ``surges_result(period="2022-11", region="sw")``."""
        from borderdesk.analysis.surges import surges

        kw: dict[str, Any] = {"top": top, "min_value": min_value, "min_score": min_score}
        kw["include_pooled"] = include_pooled
        return surges(self.con, self.catalog, self.question(**question), **kw)

    def surges(self, **kw: Any) -> pd.DataFrame:
        """:meth:`surges_result` as a DataFrame."""
        return self.surges_result(**kw).to_pandas()

    def revisions_result(
        self,
        *,
        from_release: str | None = None,
        to_release: str | None = None,
        month: str | None = None,
        changed_only: bool = False,
        today: dt.date | None = None,
        **question: Any,
    ) -> Table:
        """Month-by-month differences between two vintages (``from_release``, ``to_release``: labels,
        file names or sha256 prefixes), or with ``month="2023-10"`` that month in every vintage."""
        from borderdesk.analysis.revisions import revisions

        q = self.question(today=today, **question)
        kw = {"from_release": from_release, "to_release": to_release, "month": month}
        return revisions(self.con, self.catalog, q, changed_only=changed_only, today=today, **kw)

    def revisions(self, **kw: Any) -> pd.DataFrame:
        """:meth:`revisions_result` as a DataFrame."""
        return self.revisions_result(**kw).to_pandas()

    def events_result(self, *, period: str | None = None, today: dt.date | None = None) -> Table:
        """The curated, sourced policy and world events (overlapping ``period``, if given)."""
        from borderdesk.analysis.events import events_table

        return events_table(arguments.period_in(self.catalog, period, today=today))

    def events(self, *, period: str | None = None) -> pd.DataFrame:
        """:meth:`events_result` as a DataFrame."""
        return self.events_result(period=period).to_pandas()

    def brief(
        self, *, period: str, today: dt.date | None = None, charts: bool = True, **filters: Any
    ) -> Brief:
        """A one-page monthly brief (totals, changes, top nationalities, surges, revisions, events,
        chart); ``.markdown()`` / ``.html()`` render it, ``.write(path)`` saves it."""
        from borderdesk.analysis.brief import build_brief
        from borderdesk.charts import add_brief_charts  # drawn above analysis, which only assembles

        brief = build_brief(self, period=period, today=today, **filters)
        return add_brief_charts(brief, self, today=today, **filters) if charts else brief

    def check(
        self, text: str | bytes, *, date: str | dt.date | None = None, timeout: float | None = None
    ) -> list[ClaimResult]:
        """The encounter claims in ``text`` with their verdicts (see claim-check.md); ``date`` is the
        publication date, e.g. ``check(article, date="2022-12-21")``. With ``timeout`` (seconds),
        a check that runs longer stops with :class:`~borderdesk.errors.CheckTimeoutError`."""
        return list(self.check_report(text, date=date, timeout=timeout).claims)

    def check_report(
        self, text: str | bytes, *, date: str | dt.date | None = None, timeout: float | None = None
    ) -> Report:
        """Like :meth:`check`, with the date used: ``report.to_dict()`` is claim-check.md's JSON."""
        from borderdesk import claims

        return claims.check(self, text, date, timeout=timeout)

    # -- the first names of the typed results, kept for one release ------------------------------
    table_frame = _renamed("table_frame", "table_result")
    series_frame = _renamed("series_frame", "series_result")
    surges_table = _renamed("surges_table", "surges_result")
    revisions_table = _renamed("revisions_table", "revisions_result")
    events_table = _renamed("events_table", "events_result")


def writing(
    path: Path | str,
    *,
    snapshot: bool = True,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    command: str = "python",
    on_wait: Callable[[str], None] | None = None,
) -> contextlib.AbstractContextManager[Desk]:
    """Change the database at ``path`` without disturbing its readers: a read-write :class:`Desk` on a
    copy, swapped in by one atomic rename when the block ends normally (:func:`borderdesk.writer.writing`).

    >>> with borderdesk.writing("borderdesk.duckdb") as desk:      # doctest: +SKIP
    ...     desk.ingest("nationwide-encounters-fy23-fy26-nov-state.csv")
    """
    return writer.writing(
        path,
        lambda draft: Desk(draft, snapshot=snapshot, lock=False),
        lock_timeout=lock_timeout,
        command=command,
        on_wait=on_wait,
    )


def open(path: Path | str | None = None, *, snapshot: bool = True, read_only: bool | None = None) -> Desk:
    """The database at ``path`` (default ``$BORDERDESK_HOME/borderdesk.duckdb``; made from the bundled
    snapshot if missing), read-only so it works beside ``borderdesk serve``; change it with :func:`writing`
    (``read_only=False`` writes in place, alone). Until 0.2 a plain ``open()``'s writes warn, then copy."""
    target = path if path is not None else config.default_db_path()
    if str(target) == ":memory:" or read_only is False:  # ":memory:" is private: always read-write
        return Desk(target, snapshot=snapshot)
    loaded = ensure_database(target, snapshot=snapshot)
    desk = Desk(target, snapshot=snapshot, read_only=True)
    desk.loaded_snapshot, desk.writer.by_copy = loaded, read_only is None  # by_copy: deprecation path
    return desk
