"""surges, revisions, events, brief: the analysis commands (the work is in borderdesk.analysis)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from borderdesk.analysis.result import Table
from borderdesk.cli import filters as F
from borderdesk.cli.app import DEFAULT_DB, Database, FormatOption, OutputOption, app, with_database
from borderdesk.cli.output import answer_metadata, emit_result, emit_rows, err, out, wrote


def emit_table(
    result: Table, fmt: str, output: Path | None, *, title: str = "", skip: tuple[str, ...] = ()
) -> None:
    """Print an analysis table in any output format (JSON: {"columns", "rows", "release", ...})."""
    caption = ""
    if result.releases:
        rels = ", ".join(f"{r.label} ({r.file}, sha256 {r.sha256[:12]}…)" for r in result.releases[-3:])
        more = f" and {len(result.releases) - 3} more" if len(result.releases) > 3 else ""
        caption = f"release {rels}{more}"
    if result.notes:
        caption += ("\n" if caption else "") + "\n".join(result.notes)
    if result.definitions:  # a legend for the columns a reader cannot guess
        caption += ("\n" if caption else "") + "\n".join(f"{k}: {v}" for k, v in result.definitions.items())
    emit_result(result, fmt, output, title=title, caption=caption, skip=skip, fold=True)


@app.command()
@F.with_filters
@with_database
def surges(
    period: F.PeriodOpt = None,
    top: Annotated[int, typer.Option("--top", help="How many rows (highest score first).")] = 10,
    min_value: Annotated[
        int, typer.Option("--min-value", help="Leave out nationalities with fewer encounters in the period.")
    ] = 100,
    include_other: Annotated[
        bool, typer.Option("--include-other", help="Also rank CBP's pooled OTHER citizenship.")
    ] = False,
    filters: F.Filters = F.NO_FILTERS,
    as_of: F.AsOf = None,
    db: Database = DEFAULT_DB,
    fmt: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """Nationalities far above their own seasonal baseline in a period, with the baseline, ratio and score.

    Example: --period 2022-11 --region southwest (RUSSIA is among the top 5)
    """
    with db.reading() as desk:
        result = desk.surges_result(
            period=period, top=top, min_value=min_value, include_pooled=include_other, as_of=as_of, **filters
        )
    emit_table(result, fmt, output, title=f"Surges: {result.question.get('text', '')}")


@app.command()
@F.with_filters
@with_database
def revisions(
    from_release: Annotated[
        str | None, typer.Option("--from", help="Older release: label, file name or sha256 prefix.")
    ] = None,
    to_release: Annotated[
        str | None, typer.Option("--to", help="Newer release (default: the newest vintage).")
    ] = None,
    month: Annotated[
        str | None, typer.Option("--month", help="One month's value in every release that holds it.")
    ] = None,
    changed_only: Annotated[
        bool, typer.Option("--changed-only", help="Only months whose value changed.")
    ] = False,
    period: F.PeriodOpt = None,
    filters: F.Filters = F.NO_FILTERS,
    db: Database = DEFAULT_DB,
    fmt: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """What changed between two vintages, month by month; or --month M across every vintage.

    Example: --from state-2023-10 --to state-2024-09 --region southwest --period 2023-10
    """
    with db.reading() as desk:
        result = desk.revisions_result(
            from_release=from_release,
            to_release=to_release,
            month=month,
            period=period,
            changed_only=changed_only,
            **filters,
        )
    text = result.question.get("text", "")
    heading = (
        f"{text}: every vintage"
        if month
        else f"Revisions, {text}: {' → '.join(r.label for r in result.releases)}"
    )
    emit_table(result, fmt, output, title=heading, skip=("file",) if month else ())


@app.command()
@with_database
def events(
    period: F.PeriodOpt = None,
    db: Database = DEFAULT_DB,
    fmt: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """The dated policy and world events charts are annotated with, each with its source page."""
    with db.reading() as desk:
        result = desk.events_result(period=period)
    emit_table(result, fmt, output, title="Events" + (f", {period}" if period else ""), skip=("description",))


@app.command()
@F.with_filters
@with_database
def brief(
    period: Annotated[str, typer.Option("--period", "-p", help="Usually one month, e.g. 2022-11.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="FILE.md (charts as PNG beside it) or FILE.html.")
    ] = None,
    filters: F.Filters = F.NO_FILTERS,
    db: Database = DEFAULT_DB,
) -> None:
    """A one-page brief: totals and changes, top nationalities, surges, revisions, events, charts, sources.

    Example: --period 2022-11 --region southwest --output brief.html
    """
    from borderdesk.errors import BorderdeskError

    if output is not None and output.suffix.lower() not in (".md", ".html"):
        raise BorderdeskError(f"--output must end in .md or .html, not {output.name!r}")
    with db.reading() as desk:
        result = desk.brief(period=period, **filters)
    if output is None:
        out.print(result.markdown(), markup=False, highlight=False)
        return
    for path in result.write(output):
        wrote(path)


@app.command()
@F.with_filters(only=("citizenship", "region", "aor", "component", "demographic"))
@with_database
def history(
    source: Annotated[
        str,
        typer.Option("--source", help="history (exact tables first, then OHSS), usbp-historical or ohss."),
    ] = "history",
    interval: Annotated[
        str, typer.Option("--interval", help="fiscal_year (default) or month.")
    ] = "fiscal_year",
    by: Annotated[str | None, typer.Option("--by", help="One dimension: region, aor, citizenship.")] = None,
    total: Annotated[
        bool, typer.Option("--total", help="One number for the period instead of a series.")
    ] = False,
    period: F.PeriodOpt = None,
    filters: F.Filters = F.NO_FILTERS,
    db: Database = DEFAULT_DB,
    fmt: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """Border Patrol history beyond CBP's files: USBP tables FY1925-FY2019 and the OHSS workbook FY2000 on.

    Example: --region southwest --period FY2000..FY2019 (every answer says "Border Patrol only"; OHSS
    figures are rounded to 10)
    """
    with db.reading() as desk:
        if total:
            answer = desk.count(period=period, source=source, **filters)
        else:
            frame = desk.series_result(by=by, interval=interval, period=period, source=source, **filters)
    if total:
        doc = answer.to_dict()
        if fmt != "table":
            from borderdesk.query.result import PROVENANCE_COLUMNS, provenance_cells

            emit_rows(
                fmt,
                ["value", "release", "file", "sha256", *PROVENANCE_COLUMNS],
                [
                    [
                        answer.value,
                        answer.release.label,
                        answer.release.file,
                        answer.release.sha256,
                        *provenance_cells(answer.releases),
                    ]
                ],
                output=output,
                json_obj=doc,
                metadata=answer_metadata(answer),
            )
            return
        out.print(f"[bold]{answer.value:,}[/bold]\n[dim]question:[/dim] {escape(answer.describe())}")
        out.print(
            f"[dim]release:[/dim]  {escape(answer.release.label)} · {escape(answer.release.file)} · "
            f"sha256 {answer.release.sha256}"
        )
        for c in answer.caveats:
            out.print(f"[yellow]caveat:[/yellow]   {escape(c)}")
        return
    from borderdesk.cli.query_commands import emit_frame

    emit_frame(frame, fmt, output)
    if fmt == "table":
        for c in frame.caveats:
            err.print(f"[yellow]caveat:[/yellow] {escape(c)}")
