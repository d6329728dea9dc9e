"""The Typer application, the options every command shares, and error handling at the edge."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.markup import escape
from rich.text import Text

from borderdesk.cli.on_demand import OnDemandTyper, command_named
from borderdesk.cli.option_groups import expand, option
from borderdesk.cli.output import check_format, err, out
from borderdesk.errors import BorderdeskError

if TYPE_CHECKING:
    from borderdesk.desk import Desk

C = TypeVar("C", bound=Callable[..., Any])

#: each command and the module that registers it, in the order --help lists them (imported on demand)
COMMAND_MODULES = {
    "check": "borderdesk.cli.check_command",
    **dict.fromkeys(
        ("surges", "revisions", "events", "brief", "history"), "borderdesk.cli.analysis_commands"
    ),
    "check-archive": "borderdesk.cli.archive_command",
    "archive-report": "borderdesk.cli.archive_report_command",
    **dict.fromkeys(("ingest", "releases", "update", "migrate"), "borderdesk.cli.data_commands"),
    "info": "borderdesk.cli.info_command",
    "mcp": "borderdesk.cli.mcp_command",
    **dict.fromkeys(("count", "table", "series"), "borderdesk.cli.query_commands"),
    "serve": "borderdesk.cli.serve_command",
    "verify": "borderdesk.cli.verify_command",
}

app = OnDemandTyper(
    modules=COMMAND_MODULES,
    name="borderdesk",
    help="U.S. CBP border-encounter statistics: every release a vintage, every number traceable.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

COMMANDS = app  # what main() loads, whatever a test puts in place of the app

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db", help="Database file (default: $BORDERDESK_HOME/borderdesk.duckdb).", show_default=False
    ),
]
NoSnapshotOption = Annotated[
    bool,
    typer.Option(
        "--no-snapshot",
        help="When this creates the database, start empty instead of loading the bundled snapshot.",
    ),
]
FormatOption = Annotated[
    str, typer.Option("--format", "-f", help="table, csv, json or parquet.", callback=check_format)
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
]


def db_path(db: Path | None) -> Path:
    from borderdesk import config

    return db if db is not None else config.default_db_path()


LockTimeoutOption = Annotated[
    float,
    typer.Option(
        "--lock-timeout",
        help="Seconds to wait while another ingest/update writes the database.",
        min=0,
        show_default=True,
    ),
]


def open_desk(db: Path | None, no_snapshot: bool = False) -> Desk:
    """The database to answer from, read-only (so a running ``serve`` or ``update`` is no obstacle);
    created first, whole, from the bundled snapshot if there is none yet."""
    import borderdesk
    from borderdesk.desk import ensure_database

    path = db_path(db)
    loaded = ensure_database(path, snapshot=not no_snapshot)
    if loaded:
        err.print(f"[dim]created {escape(str(path))} with the bundled snapshot ({loaded} releases)[/dim]")
    return borderdesk.open(path, read_only=True)


def writing_desk(
    db: Path | None, no_snapshot: bool, lock_timeout: float, command: str
) -> AbstractContextManager[Desk]:
    """``with writing_desk(...) as desk:`` — a writable copy of the database, swapped in at the end
    (see :func:`borderdesk.desk.writing`); says so when it has to wait for another writer."""
    from borderdesk.desk import writing

    path = db_path(db)
    if not path.exists() and not no_snapshot:
        err.print(f"[dim]creating {escape(str(path))} with the bundled snapshot[/dim]")
    return writing(
        path,
        snapshot=not no_snapshot,
        lock_timeout=lock_timeout,
        command=command,
        on_wait=lambda msg: err.print(Text(f"{msg}…", style="yellow")),
    )


@dataclass(frozen=True)
class Database:
    """The database a command works on, as the --db and --no-snapshot options name it: a command
    declares ``db: Database = DEFAULT_DB`` and :func:`with_database` gives it the two options."""

    path: Path | None = None
    no_snapshot: bool = False

    def reading(self) -> Desk:
        """``with db.reading() as desk:`` — :func:`open_desk`, closed at the end of the block."""
        return open_desk(self.path, self.no_snapshot)

    def writing(self, lock_timeout: float, command: str) -> AbstractContextManager[Desk]:
        """``with db.writing(lock_timeout, "ingest") as desk:`` — :func:`writing_desk`."""
        return writing_desk(self.path, self.no_snapshot, lock_timeout, command)


#: The database of ``$BORDERDESK_HOME``, created from the bundled snapshot: what no options name.
DEFAULT_DB = Database()

DATABASE_OPTIONS = (
    option("db", DbOption, None),
    option("no_snapshot", NoSnapshotOption, False),
)


def with_database(command: C) -> C:
    """Give ``command`` the --db and --no-snapshot options in place of its ``db: Database``
    parameter, and call it with the :class:`Database` they name."""
    return expand(
        command,
        marker=Database,
        options=DATABASE_OPTIONS,
        make=lambda db, no_snapshot: Database(db, no_snapshot),
    )


def _version(value: bool) -> None:
    if not value:
        return
    import borderdesk
    from borderdesk.store.snapshot import snapshot_newest

    out.print(f"borderdesk {borderdesk.__version__}")
    bundled = snapshot_newest()
    if bundled is not None:
        label, file, through = bundled
        out.print(Text(f"bundled snapshot: newest release {label} ({file}, data through {through})"))
    path = db_path(None)
    if path.exists():
        try:
            with borderdesk.open(path, read_only=True) as desk:
                newest = desk.newest_release()
                if newest is None:
                    out.print("newest release: none")
                else:
                    through = f"{newest.coverage_end:%Y-%m}"
                    out.print(Text(f"newest release: {newest.label} ({newest.file}, data through {through})"))
        except BorderdeskError as e:
            out.print(Text(f"database {path}: {e}"))
    else:
        out.print(Text(f"no database yet at {path} (the first command creates it from the bundled snapshot)"))
    raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the version and the newest release, then exit.",
            callback=_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """U.S. CBP border-encounter statistics: every release a vintage, every number traceable."""


def main() -> None:
    """Console entry point: BorderdeskError -> one line on stderr and a non-zero exit, never a traceback."""
    import duckdb

    try:
        COMMANDS.load(command_named(sys.argv[1:]))  # only the module of the command run
        app()  # standalone: Typer handles usage errors (exit 2) and --help itself
    except BorderdeskError as e:
        from borderdesk.params import cli_name  # the parameter spec, for the error's wording only

        print(f"error: {e.worded(cli_name)}", file=sys.stderr)  # names options as typed: --by, --as-of
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except (duckdb.IOException, duckdb.InternalException) as e:
        # a damaged block is found when a query reads it: say so in one line, not as an internal error
        # (other engine errors are bugs of ours, and stay internal errors)
        if os.environ.get("BORDERDESK_DEBUG"):
            raise
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        print(
            f"error: the database could not be read, it may be damaged ({first}); "
            "restore its .previous copy or rebuild it",
            file=sys.stderr,
        )
        sys.exit(1)
    except OSError as e:
        # a file the system refused (permissions, an immutable file...): say which, in one line
        where = f": {e.filename}" if e.filename else ""
        print(f"error: {e.strerror or e}{where}", file=sys.stderr)
        sys.exit(1)
    except Exception as e:
        if os.environ.get("BORDERDESK_DEBUG"):
            raise
        print(
            f"internal error: {type(e).__name__}: {e} (set BORDERDESK_DEBUG=1 for a traceback)",
            file=sys.stderr,
        )
        sys.exit(70)
    finally:
        # The process ends with the command: skip the interpreter's last garbage collection, a walk over
        # every object still alive (tens of milliseconds after a check), which the exit frees anyway.
        gc.freeze()
