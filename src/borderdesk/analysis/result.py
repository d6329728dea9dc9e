"""The tabular result every analysis returns: columns, rows, and where the numbers came from.

Records, pandas and Arrow come from :class:`~borderdesk.query.result.Result`, the base it shares with
the breakdowns and series of :mod:`borderdesk.query.frames`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from borderdesk.query.result import Result
from borderdesk.store.releases import Release

if TYPE_CHECKING:
    from borderdesk.query.dataframe import ResultFrame


@dataclass(frozen=True)
class Table(Result):
    """Rows plus provenance: the releases used, the question as understood, how it was computed."""

    kind: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    releases: tuple[Release, ...] = ()
    question: dict[str, Any] = field(default_factory=dict)
    method: str = ""
    notes: tuple[str, ...] = ()
    #: column -> what it means, for columns a reader cannot guess (surges' score and change_point)
    definitions: dict[str, str] = field(default_factory=dict)

    @property
    def release(self) -> Release | None:
        return self.releases[-1] if self.releases else None

    def row_releases(self) -> list[tuple[Release, ...]]:
        """Rows that are releases (one month in every vintage: a ``release`` column) name their own;
        other analyses (surges, revisions between two vintages) name every release they read."""
        if "release" not in self.columns:
            return super().row_releases()
        at = self.columns.index("release")
        by_label = {r.label: r for r in self.releases}
        return [(by_label[row[at]],) if row[at] in by_label else self.releases for row in self.rows]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``table``/``series``: {"columns", "rows", "release", ...}."""
        rel = self.release
        return {
            "columns": list(self.columns),
            "rows": [list(r) for r in self.rows],
            "release": rel.brief() if rel is not None else None,
            "releases": [r.brief() for r in self.releases],
            "question": self.question,
            "method": self.method,
            "notes": list(self.notes),
            **({"definitions": dict(self.definitions)} if self.definitions else {}),
        }

    def to_pandas(self) -> ResultFrame:
        """A DataFrame (see :meth:`Result.to_pandas`) that also names the method in ``.attrs``."""
        df = super().to_pandas()
        df.attrs["method"] = self.method
        return df


def merge_releases(*groups: tuple[Release, ...]) -> tuple[Release, ...]:
    """Releases of several answers, each once, oldest vintage first."""
    seen: dict[int, Release] = {}
    for group in groups:
        for r in group:
            seen.setdefault(r.release_id, r)
    return tuple(sorted(seen.values(), key=lambda r: (r.coverage_end, r.published or "", r.label)))
