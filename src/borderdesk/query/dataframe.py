"""DataFrames that remember where their numbers came from (imported only when a DataFrame is asked for)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    import pyarrow as pa


class ResultFrame(pd.DataFrame):
    """A pandas DataFrame plus ``.answer`` (releases, SQL, question) and ``.to_arrow()``.

    Made by :meth:`borderdesk.query.result.Result.to_pandas`; ``answer`` is that result (typed loosely
    here, so that this module, which imports pandas, is not imported by the one that defines it)."""

    _metadata = ["answer"]  # noqa: RUF012  (pandas' subclassing protocol)
    answer: Any

    @property
    def _constructor(self) -> type[ResultFrame]:
        return ResultFrame

    def to_arrow(self) -> pa.Table:
        """An Arrow table of the frame, with its result's release metadata (``borderdesk.*``) beside
        pandas' own, so that a Parquet file written from it still names its release."""
        import pyarrow as pa

        table = pa.Table.from_pandas(pd.DataFrame(self), preserve_index=False)
        answer = getattr(self, "answer", None)
        if answer is None or not hasattr(answer, "provenance_metadata"):
            return table
        extra = {k.encode(): v.encode() for k, v in answer.provenance_metadata().items()}
        return table.replace_schema_metadata({**(table.schema.metadata or {}), **extra})
