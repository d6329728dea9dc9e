"""verify: read the whole database and check every release against what was recorded at ingest.

Exit codes (docs/reliability.md): 0 every release checks out (some may say "not recorded": stored by a
borderdesk older than schema 4, which kept no totals); 6 the file is damaged (a block that cannot be
read, or a release whose rows or totals no longer add up); 1 any other error, as for every command.
"""

from __future__ import annotations

import typer

from borderdesk.cli.app import DbOption, FormatOption, NoSnapshotOption, OutputOption, app, open_desk
from borderdesk.cli.output import emit_rows, err, labelled
from borderdesk.errors import DatabaseError
from borderdesk.store.verify import EXIT_DAMAGED, VerifyReport


@app.command()
def verify(
    db: DbOption = None,
    no_snapshot: NoSnapshotOption = False,
    fmt: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """Read every block of the database and recompute each release's rows and totals.

    Exit status 0 if all is well, 6 if the file is damaged (restore it from DB.previous or a backup)."""
    try:
        desk = open_desk(db, no_snapshot)
    except DatabaseError as e:
        err.print(labelled("damaged", e, "red"))
        raise typer.Exit(EXIT_DAMAGED) from None
    try:
        report: VerifyReport = desk.verify()
    finally:
        desk.close()
    rows = [[c.label, c.status, c.detail] for c in report.releases]
    if rows or fmt == "json":
        emit_rows(fmt, ["release", "status", "detail"], rows, output=output, json_obj=report.to_json())
    if report.unreadable is not None:
        err.print(labelled("damaged", report.unreadable, "red"))
    elif report.damaged:
        bad = [c.label for c in report.releases if c.status == "damaged"]
        what = f"{len(bad)} release(s) no longer match what was stored: {', '.join(bad)}"
        err.print(labelled("damaged", what, "red"))
    if report.damaged:
        err.print("restore the database from its .previous copy or a backup, or re-ingest the files")
        raise typer.Exit(report.exit_code)
    unrecorded = sum(1 for c in report.releases if c.status == "not recorded")
    note = f" ({unrecorded} stored before totals were recorded: rows checked only)" if unrecorded else ""
    err.print(f"ok: {len(report.releases)} releases verified{note}")
