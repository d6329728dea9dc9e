"""``borderdesk check-archive``: check every article of an archive into one table of claims.

The work is :mod:`borderdesk.archive`'s; this module reads the options, shows the progress bar and the
summary. pyarrow and dask are imported only when the command runs, so the CLI starts as quickly as
before.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from borderdesk.cli.app import DEFAULT_DB, Database, app, db_path, open_desk, with_database
from borderdesk.cli.output import dumps, err, out, write_text
from borderdesk.errors import BorderdeskError
from borderdesk.limits import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from borderdesk.archive.run import Engine, Summary

ENGINES = ("local", "dask")


@app.command("check-archive")
@with_database
def check_archive(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            metavar="INPUT...",
            help="JSONL or Parquet files (columns id, text or html, date, url, outlet; id and one of "
            "text/html required), or folders of .txt, .md and .html files.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="OUT.parquet|OUT.jsonl",
            help="One row per claim; the suffix chooses the format. Rerunning with the same output "
            "resumes: articles already in it (same id and content) are skipped.",
            show_default=False,
        ),
    ],
    engine: Annotated[
        str,
        typer.Option("--engine", metavar="local|dask", help="Worker processes here, or a Dask cluster."),
    ] = "local",
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            metavar="N",
            help="Worker processes (local engine, or the LocalCluster started by --engine dask "
            "without --scheduler); default one per core.",
            show_default=False,
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="ADDRESS",
            help="A dask scheduler, e.g. tcp://10.0.0.5:8786 (--engine dask); without it a "
            "LocalCluster is started for the run.",
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="D",
            help="Publication date YYYY-MM-DD for articles that have none (neither their own nor, "
            "for HTML, the page's).",
        ),
    ] = None,
    errors: Annotated[
        Path | None,
        typer.Option(
            "--errors",
            metavar="ERRORS.jsonl",
            help="Where the failed articles go, one JSON object a line (default: beside the output, "
            "OUT.errors.jsonl).",
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            min=0.0,
            metavar="SECONDS",
            help="Time limit per article: an article slower to check is a 'timeout' error; 0 for none.",
        ),
    ] = DEFAULT_TIMEOUT,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, metavar="N", help="Articles sent to a worker at a time.")
    ] = 32,
    no_progress: Annotated[
        bool, typer.Option("--no-progress", help="No progress bar (for scripts and logs).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    db: Database = DEFAULT_DB,
) -> None:
    """Check many articles: one output row per claim, failed articles in the errors file.

    Each article is checked as `borderdesk check` checks a text (HTML as `check URL` reads a page).
    An article that cannot be read or checked is a line of the errors file, naming its file and line;
    the run goes on. A file at --output that is not an earlier run's output is refused.

    Example: borderdesk check-archive articles.jsonl --output claims.parquet

    Example: borderdesk check-archive pages/ --date 2024-03-01 --output claims.jsonl --engine dask
    """
    from borderdesk.archive.inputs import check_inputs, parse_date
    from borderdesk.archive.output import output_format
    from borderdesk.archive.run import DEFAULT_BATCH, run_archive
    from borderdesk.archive.work import Settings
    from borderdesk.cli.archive_progress import progress

    if engine not in ENGINES:
        raise BorderdeskError(f"--engine {engine!r}: choose local or dask")
    if scheduler and engine != "dask":
        raise BorderdeskError("--scheduler names a Dask scheduler: add --engine dask")
    try:
        day = parse_date(date, "--date")
    except Exception as e:  # parse_date's own error: say it as a usage error
        raise BorderdeskError(str(e)) from None
    check_inputs(inputs)  # mistakes in the command first, before workers start
    output_format(output)
    open_desk(db.path, db.no_snapshot).close()  # made from the snapshot first if there is none yet
    settings = Settings(str(db_path(db.path).resolve()), day, timeout or None)
    runner = _engine(engine, workers, scheduler)
    if not no_progress:
        err.print(f"[dim]checking with {escape(runner.describe())}[/dim]")
    with progress(inputs, enabled=not no_progress) as advance:
        summary = run_archive(
            inputs,
            output,
            runner,
            settings,
            errors=errors,
            batch_size=batch_size or DEFAULT_BATCH,
            advance=advance,
        )
    if as_json:
        write_text(dumps(summary.to_dict()), None)
    else:
        _print_summary(summary)


def _engine(name: str, workers: int | None, scheduler: str | None) -> Engine:
    if name == "dask":
        from borderdesk.archive.dask_engine import DaskEngine

        return DaskEngine(scheduler=scheduler, workers=workers)
    from borderdesk.archive.local import LocalEngine

    return LocalEngine(workers)


def _print_summary(s: Summary) -> None:
    """The summary a line a fact, the timing last (so the other lines are the same from run to run)."""
    failed = f"[red]{s.failed:,} failed[/red]" if s.failed else "0 failed"
    out.print(f"{s.checked:,} article(s) checked, {s.skipped:,} skipped (done before), {failed}")
    out.print(f"{s.claims:,} claim(s) found; {escape(s.output)} holds {s.rows:,} row(s)")
    if s.failed:
        out.print(f"failed articles: {escape(s.errors)}")
    out.print(f"{s.seconds:.1f} s, {s.per_second:.1f} articles/s")
