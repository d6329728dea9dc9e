"""What every tabular answer shares: columns, rows, the releases they came from, and the ways out.

Breakdowns and series (:class:`~borderdesk.query.frames.Frame`) and analyses
(:class:`~borderdesk.analysis.result.Table`) carry different provenance, but a caller turns either into
records, a pandas DataFrame, an Arrow table or a Parquet file the same way, through this base.

A file that leaves the tool (CSV, Parquet) must still say where its numbers came from, so the exports
carry the release's label, file and sha256 as columns (:data:`PROVENANCE_COLUMNS`), row by row: a
series that spans two vintages names, on each month, the vintage that month came from. Parquet and
Arrow also carry them as key-value metadata (:meth:`Result.provenance_metadata`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

    from borderdesk.query.dataframe import ResultFrame
    from borderdesk.store.releases import Release

#: The columns every CSV and Parquet export adds to a result's own: where each row's numbers came from.
PROVENANCE_COLUMNS = ("release_label", "release_file", "release_sha256")

#: Between the releases of one row that sums several vintages (a fiscal year read from two files).
JOIN = ";"


def provenance_cells(releases: Sequence[Release]) -> list[str | None]:
    """The three provenance cells of one row: each release's label, file and sha256, joined by ``;``
    when the row's numbers come from more than one (None when they come from no release: events)."""
    if not releases:
        return [None, None, None]
    return [
        JOIN.join(r.label for r in releases),
        JOIN.join(r.file for r in releases),
        JOIN.join(r.sha256 for r in releases),
    ]


class Result:
    """Rows plus provenance. Subclasses are frozen dataclasses whose first fields are ``kind``,
    ``columns`` and ``rows`` and which have ``releases`` (oldest vintage first)."""

    if TYPE_CHECKING:
        kind: str
        columns: tuple[str, ...]
        rows: tuple[tuple[Any, ...], ...]
        releases: tuple[Release, ...]

    def records(self) -> list[dict[str, Any]]:
        """One dict per row, keyed by column."""
        return [dict(zip(self.columns, r, strict=True)) for r in self.rows]

    def row_releases(self) -> list[tuple[Release, ...]]:
        """The releases each row's numbers came from. Here every release of the answer for every row;
        results that know better (a monthly series over two vintages, one row per vintage) say so."""
        return [self.releases for _ in self.rows]

    def export_columns(self) -> tuple[str, ...]:
        """The columns of a CSV or Parquet export: the result's own, then :data:`PROVENANCE_COLUMNS`."""
        return (*self.columns, *PROVENANCE_COLUMNS)

    def export_rows(self) -> list[list[Any]]:
        """The rows of a CSV or Parquet export: each row, then where its numbers came from."""
        return [
            [*row, *provenance_cells(rels)] for row, rels in zip(self.rows, self.row_releases(), strict=True)
        ]

    def provenance_metadata(self) -> dict[str, str]:
        """Key-value metadata for Arrow and Parquet: the answer's (newest) release, every release used
        (JSON) and the question, so a file read years later still says what it is."""
        newest = self.releases[-1] if self.releases else None
        meta = {
            "borderdesk.kind": self.kind,
            "borderdesk.release_label": newest.label if newest else "",
            "borderdesk.release_file": newest.file if newest else "",
            "borderdesk.release_sha256": newest.sha256 if newest else "",
            "borderdesk.releases": json.dumps([r.brief() for r in self.releases], ensure_ascii=False),
        }
        question = getattr(self, "question", None)
        if question is not None:
            as_dict = question if isinstance(question, dict) else question.to_dict()
            meta["borderdesk.question"] = json.dumps(as_dict, ensure_ascii=False, default=str)
        return meta

    def to_arrow(self, *, provenance_columns: bool = False) -> pa.Table:
        """An Arrow table of the rows, with :meth:`provenance_metadata` as its schema metadata (kept by
        ``pyarrow.parquet.write_table``); ``provenance_columns=True`` adds the release columns too."""
        import pyarrow as pa

        columns = self.export_columns() if provenance_columns else self.columns
        rows = self.export_rows() if provenance_columns else self.rows
        table = pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)})
        return table.replace_schema_metadata(self.provenance_metadata())

    def to_parquet(self, path: Path | str) -> Path:
        """Write the rows, the release columns and the metadata to a Parquet file (zstd)."""
        import pyarrow.parquet as pq

        pq.write_table(self.to_arrow(provenance_columns=True), str(path), compression="zstd")
        return Path(path)

    def to_pandas(self) -> ResultFrame:
        """A pandas DataFrame that keeps this result as ``.answer`` (its releases, question, method) and
        the newest release's label in ``.attrs["release"]``."""
        from borderdesk.query.dataframe import ResultFrame

        df = ResultFrame([list(r) for r in self.rows], columns=list(self.columns))
        df.answer = self
        df.attrs["release"] = self.releases[-1].label if self.releases else None
        return df
