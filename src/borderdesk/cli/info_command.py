"""info: what the database is (file, schema, generation, releases) and the in-memory fact index's state.

The fact index (``borderdesk.query.index``) lives in the process that answers: a long-running one
(``serve``, ``mcp``, a Python session) loads releases as they are asked about. A one-shot command
answers too few questions to load any, so here the index section shows its settings (the byte cap from
``BORDERDESK_INDEX_MAX_BYTES``, the rent) with nothing loaded: the place to check a cap took effect.
"""

from __future__ import annotations

from borderdesk.cli.app import DEFAULT_DB, Database, FormatOption, OutputOption, app, with_database
from borderdesk.cli.output import emit_rows


@app.command()
@with_database
def info(
    db: Database = DEFAULT_DB,
    fmt: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """The database file, its schema and generation, its releases, and the in-memory fact index:
    tables loaded, bytes held against the cap (BORDERDESK_INDEX_MAX_BYTES), answers from it and by SQL."""
    from borderdesk.query.reader import status

    with db.reading() as desk:
        doc = status(desk, desk.path)
    # one text column of values (numbers, names, flags): a CSV or Parquet column has one type
    rows = [
        [section, key, None if value is None else str(value)]
        for section, values in doc.items()
        for key, value in values.items()
    ]
    emit_rows(fmt, ["section", "key", "value"], rows, output=output, json_obj=doc)
