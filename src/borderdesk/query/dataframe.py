"""DataFrames that remember where their numbers came from (imported only when a DataFrame is asked for)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import pyarrow as pa

    from borderdesk.query.frames import Frame


class ResultFrame(pd.DataFrame):
    """A pandas DataFrame plus ``.answer`` (releases, SQL, question) and ``.to_arrow()``."""

    _metadata = ["answer"]  # noqa: RUF012  (pandas' subclassing protocol)
    answer: Frame

    @property
    def _constructor(self) -> type[ResultFrame]:
        return ResultFrame

    def to_arrow(self) -> pa.Table:
        import pyarrow as pa

        return pa.Table.from_pandas(pd.DataFrame(self), preserve_index=False)


def to_dataframe(frame: Frame) -> ResultFrame:
    df = ResultFrame([list(r) for r in frame.rows], columns=list(frame.columns))
    df.answer = frame
    df.attrs["release"] = frame.release.label
    return df
