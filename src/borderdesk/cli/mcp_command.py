"""mcp: the tools for AI assistants (Model Context Protocol over stdio), read-only over the database."""

from __future__ import annotations

import importlib
from typing import Annotated

import typer
from rich.text import Text

from borderdesk.cli.app import DbOption, NoSnapshotOption, app, db_path
from borderdesk.cli.output import err

#: The shell ``mcp`` runs, by name: the CLI and the assistant shell are independent (pyproject's
#: import contracts), and the SDK is imported only by the command that needs it.
SERVER = "borderdesk.assistant"


@app.command("mcp")
def mcp_command(
    db: DbOption = None,
    no_snapshot: NoSnapshotOption = False,
    check_timeout: Annotated[
        float,
        typer.Option(
            "--check-timeout", help="Seconds the check tool may take on one text (0: no limit).", min=0
        ),
    ] = 10.0,
) -> None:
    """Tools for AI assistants: count, table, series, releases, surges and check as Model Context Protocol tools over stdio, with the parameters and JSON of the HTTP API. Read-only.

    An MCP client (Claude Desktop, an IDE, an agent) starts it itself: give it the absolute path of this borderdesk command and the arguments ["mcp", "--db", "/path/to/borderdesk.duckdb"]. stdout carries the protocol; notes go to stderr.
    """  # noqa: E501  (one line per paragraph: the help keeps a docstring's line breaks)

    from borderdesk.desk import ensure_database

    path = db_path(db)
    created = not path.exists()
    ensure_database(path, snapshot=not no_snapshot)  # here, so the note is said once, on stderr
    if created:
        err.print(Text(f"created {path}{'' if no_snapshot else ' with the bundled snapshot'}", style="dim"))
    server = importlib.import_module(SERVER)
    server.run(
        path,
        snapshot=not no_snapshot,
        check_timeout=check_timeout or None,
        ready=lambda: err.print(
            Text(f"borderdesk mcp: tools over stdio, read-only over {path}", style="dim")
        ),
    )
