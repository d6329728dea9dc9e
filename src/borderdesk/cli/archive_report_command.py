"""``borderdesk archive-report OUT.parquet``: the figures of a check-archive output as an HTML (or
Markdown) report. The report's modules (DuckDB, Altair, vl-convert, Jinja2) are imported when the
command runs, not when the CLI starts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from borderdesk.cli.app import app
from borderdesk.cli.output import err


@app.command("archive-report")
def archive_report(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="OUT.parquet",
            help="The output of check-archive: its Parquet file, or its JSONL twin.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="REPORT.html|.md",
            help="Where to write the report: .html (one self-contained file) or .md (charts as SVG files "
            "beside it). Default: OUT.report.html beside the input.",
            show_default=False,
        ),
    ] = None,
    worst: Annotated[
        int,
        typer.Option("--worst", min=1, max=1000, help="How many worst examples to show."),
    ] = 10,
) -> None:
    """Report on a checked archive: claims and inaccurate share by outlet and by month, the commonest
    error types and the worst examples with their evidence, each figure with the DuckDB query that
    computes it from the file."""
    from borderdesk.archive.report import write_report

    path = write_report(source, output, worst)
    err.print(f"report written to {path}")
