"""CBP releases' rows in the store: the ``facts`` table, the months each release covers, and which
dimension values it has (so the engine can route a question without scanning facts)."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import numpy as np
import pyarrow as pa

from borderdesk.sources.cbp import LoadedRelease
from borderdesk.store.schema import FACT_DIMENSIONS
from borderdesk.values import month_index


def months_to_dates(months: np.ndarray) -> pa.Array:
    """Month indexes (year * 12 + month - 1) as the first days of those months."""
    # datetime64[M] counts months from 1970-01; our month indexes count from 0000-01
    days = (months.astype(np.int64) - month_index(1970, 1)).astype("datetime64[M]").astype("datetime64[D]")
    return pa.array(days, type=pa.date32())


def write_rows(
    con: duckdb.DuckDBPyConnection,
    release_id: int,
    loaded: LoadedRelease,
    code: Callable[[str, str], int],
) -> None:
    """Inside the writer's transaction: one CBP file's rows, its months and the values it has."""
    data = loaded.data
    columns: dict[str, pa.Array] = {}
    present: list[tuple[str, int]] = []
    for dim in FACT_DIMENSIONS:
        col = data.dimensions.get(dim)
        if col is None:
            columns[dim] = pa.nulls(data.rows, pa.int16())
            continue
        mapping = []
        for value in col.values:
            mapping.append(code(dim, value))
            present.append((dim, mapping[-1]))
        columns[dim] = pa.array(np.asarray(mapping, dtype=np.int16)[col.indices], type=pa.int16())
    incoming = pa.table(
        {
            "release_id": pa.array(np.full(data.rows, release_id, dtype=np.int16)),
            "line": pa.array(data.lines),
            "fiscal_year": pa.array(data.fiscal_year),
            "month": months_to_dates(data.month),
            **columns,
            "encounters": pa.array(data.count),
        }
    )
    con.register("incoming_facts", incoming)
    try:
        con.execute("INSERT INTO facts SELECT * FROM incoming_facts")
    finally:
        con.unregister("incoming_facts")
    distinct_months = np.unique(data.month)
    con.register(
        "incoming_months",
        pa.table(
            {
                "release_id": pa.array(np.full(len(distinct_months), release_id, dtype=np.int16)),
                "month": months_to_dates(distinct_months),
            }
        ),
    )
    try:
        con.execute("INSERT INTO release_months SELECT * FROM incoming_months")
    finally:
        con.unregister("incoming_months")
    con.execute(
        "INSERT INTO release_values SELECT ?, unnest(?), unnest(?)",
        [release_id, [d for d, _ in present], [c for _, c in present]],
    )
