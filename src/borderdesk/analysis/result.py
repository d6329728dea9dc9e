"""The tabular result every analysis returns: columns, rows, and where the numbers came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from borderdesk.store.releases import Release

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa


@dataclass(frozen=True)
class Table:
    """Rows plus provenance: the releases used, the question as understood, how it was computed."""

    kind: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    releases: tuple[Release, ...] = ()
    question: dict[str, Any] = field(default_factory=dict)
    method: str = ""
    notes: tuple[str, ...] = ()

    @property
    def release(self) -> Release | None:
        return self.releases[-1] if self.releases else None

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, r, strict=True)) for r in self.rows]

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
        }

    def to_pandas(self) -> pd.DataFrame:
        import pandas as pd

        df = pd.DataFrame([list(r) for r in self.rows], columns=list(self.columns))
        df.attrs["release"] = self.release.label if self.release else None
        df.attrs["method"] = self.method
        return df

    def to_arrow(self) -> pa.Table:
        import pyarrow as pa

        return pa.table({c: [r[i] for r in self.rows] for i, c in enumerate(self.columns)})


def merge_releases(*groups: tuple[Release, ...]) -> tuple[Release, ...]:
    """Releases of several answers, each once, oldest vintage first."""
    seen: dict[int, Release] = {}
    for group in groups:
        for r in group:
            seen.setdefault(r.release_id, r)
    return tuple(sorted(seen.values(), key=lambda r: (r.coverage_end, r.published or "", r.label)))
