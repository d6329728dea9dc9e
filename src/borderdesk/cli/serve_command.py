"""serve: the HTTP API and web dashboard (uvicorn), read-only over the database."""

from __future__ import annotations

import ipaddress
import os
from typing import Annotated

import typer
from rich.text import Text

from borderdesk.cli.app import DbOption, NoSnapshotOption, app, db_path
from borderdesk.cli.output import err, labelled, warning

#: The app ``serve`` runs, by name: uvicorn imports it, so the CLI does not import the HTTP shells.
APP_FACTORY = "borderdesk.serve:app_from_environment"
#: The HTTP/1.1 protocol each connection gets: uvicorn's h11 with a request deadline and idle caps.
PROTOCOL = "borderdesk.serve.connections:GuardedH11Protocol"


def default_check_workers() -> int:
    """One claim-check process per core, at most four (each holds its own view of the database)."""
    return max(1, min(4, os.cpu_count() or 1))


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to bind (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.", min=0, max=65535)] = 8000,
    db: DbOption = None,
    no_snapshot: NoSnapshotOption = False,
    access_log: Annotated[
        bool, typer.Option("--access-log/--no-access-log", help="Log every request to stderr.")
    ] = False,
    check_timeout: Annotated[
        float,
        typer.Option("--check-timeout", help="Seconds a POST /api/check may take (0: no limit).", min=0),
    ] = 10.0,
    check_workers: Annotated[
        int | None,
        typer.Option(
            "--check-workers",
            help="Processes that run claim checks, at a lower CPU priority, so long checks cannot slow "
            "the other answers (0: in the server's threads; default: one per core, at most 4).",
            min=0,
            max=64,
        ),
    ] = None,
    allow_private_urls: Annotated[
        bool,
        typer.Option(
            "--allow-private-urls",
            help="Let the check page and POST /api/check fetch pages on loopback, private and link-local "
            "addresses (refused by default: the server would fetch inside its own network for anyone).",
        ),
    ] = False,
    request_timeout: Annotated[
        float,
        typer.Option(
            "--request-timeout",
            help="Seconds a client has to send a whole request (head and body) once it connects or "
            "after its previous answer; then the connection is closed.",
            min=0.1,
        ),
    ] = 10.0,
    idle_per_client: Annotated[
        int,
        typer.Option(
            "--idle-per-client",
            help="Connections one address may keep open without a request; one more closes its oldest.",
            min=1,
        ),
    ] = 16,
    max_connections: Annotated[
        int,
        typer.Option(
            "--max-connections",
            help="Connections open at once; one more closes the oldest idle one.",
            min=1,
        ),
    ] = 1000,
) -> None:
    """HTTP API (/api, docs at /docs) and web dashboard (/), read-only over the database.

    Example: borderdesk serve --port 8000, then open http://127.0.0.1:8000/
    """
    import uvicorn

    from borderdesk.config import ServeSettings
    from borderdesk.desk import ensure_database
    from borderdesk.desk import open as open_desk

    path = db_path(db)
    created = not path.exists()
    ensure_database(path, snapshot=not no_snapshot)  # here, so the note comes before the server's lines
    if created:
        err.print(Text(f"created {path}{'' if no_snapshot else ' with the bundled snapshot'}", style="dim"))
    # a damaged or foreign file is refused here, with its one-line error, before the server says it is up
    # and a file whose releases no longer hold the rows stored is reported (the cheap half of `verify`)
    with open_desk(path, snapshot=not no_snapshot, read_only=True) as desk:
        report = desk.verify(full=False)
    if report.damaged:
        bad = report.unreadable or ", ".join(c.label for c in report.releases if c.status == "damaged")
        warning(f"{path} looks damaged ({bad}): run `borderdesk verify`")
    settings = ServeSettings(
        path,
        snapshot=not no_snapshot,
        check_timeout=check_timeout,
        check_workers=default_check_workers() if check_workers is None else check_workers,
        allow_private_urls=allow_private_urls,
        request_timeout=request_timeout,
        idle_per_client=idle_per_client,
        max_connections=max_connections,
    )
    os.environ.update(settings.to_environment())
    if not _loopback(host):
        err.print(labelled("note", f"serving on {host}: anyone who can reach it can read the data", "yellow"))
    err.print(Text(f"borderdesk: http://{host}:{port}/ (API docs /docs) over {path}, read-only"))
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        log_level="warning",
        access_log=access_log,
        server_header=False,
        http=PROTOCOL,  # idle and slow connections are capped there, not counted against requests
        timeout_graceful_shutdown=5,
    )
