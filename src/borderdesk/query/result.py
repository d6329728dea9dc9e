"""What every tabular answer shares: columns, rows, the releases they came from, and the ways out.

Breakdowns and series (:class:`~borderdesk.query.frames.Frame`) and analyses
(:class:`~borderdesk.analysis.result.Table`) carry different provenance, but a caller turns either into
records, a pandas DataFrame or an Arrow table the same way, through this base.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

    from borderdesk.query.dataframe import ResultFrame
    from borderdesk.store.releases import Release


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

    def to_arrow(self) -> pa.Table:
        import pyarrow as pa

        return pa.table({c: [r[i] for r in self.rows] for i, c in enumerate(self.columns)})

    def to_pandas(self) -> ResultFrame:
        """A pandas DataFrame that keeps this result as ``.answer`` (its releases, question, method) and
        the newest release's label in ``.attrs["release"]``."""
        from borderdesk.query.dataframe import ResultFrame

        df = ResultFrame([list(r) for r in self.rows], columns=list(self.columns))
        df.answer = self
        df.attrs["release"] = self.releases[-1].label if self.releases else None
        return df
