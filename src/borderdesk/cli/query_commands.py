"""count (and the other question commands as they land): parse filters, ask the core, print."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from borderdesk.cli import filters as F
from borderdesk.cli.app import DEFAULT_DB, Database, FormatOption, OutputOption, app, with_database
from borderdesk.cli.output import answer_metadata, emit_result, emit_rows, out, wrote
from borderdesk.errors import BorderdeskError


@app.command()
@F.with_filters
@with_database
def count(
    filters: F.Filters = F.NO_FILTERS,
    period: F.PeriodOpt = None,
    as_of: F.AsOf = None,
    compare: Annotated[
        bool, typer.Option("--compare", help="Also the previous period and the same period a year earlier.")
    ] = False,
    db: Database = DEFAULT_DB,
    fmt: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """One number with its provenance, e.g. --citizenship russia --region southwest --period 2022-11."""
    with db.reading() as desk:
        if compare:
            change = desk.change(period=period, as_of=as_of, **filters)
            answer = change.current
        else:
            answer = desk.count(period=period, as_of=as_of, **filters)
    doc = change.to_dict() if compare else answer.to_dict()
    if fmt != "table":
        from borderdesk.query.result import PROVENANCE_COLUMNS, provenance_cells

        q = doc["question"]
        # release/file/sha256: the newest release, as before; release_*: every release the value read
        columns = ["value", "period", "region", "release", "file", "sha256", *PROVENANCE_COLUMNS]
        row = [
            answer.value,
            q.get("period"),
            q.get("region"),
            answer.release.label,
            answer.release.file,
            answer.release.sha256,
            *provenance_cells(answer.releases),
        ]
        emit_rows(fmt, columns, [row], output=output, json_obj=doc, metadata=answer_metadata(answer))
        return
    value = f"[bold]{answer.value:,}[/bold]" + (f" — {escape(answer.note)}" if answer.note else "")
    lines = [value, f"[dim]question:[/dim] {escape(answer.describe())}"]
    for r in answer.releases:
        lines.append(
            f"[dim]release:[/dim]  {escape(r.label)} · {escape(r.file)} · sha256 {r.sha256}"
            + (f" · published {r.published}" if r.published else "")
        )
    lines.append(
        f"[dim]source:[/dim]   {escape(doc['question']['source'])}-level releases, newest vintage per month"
        if not answer.question.as_of
        else f"[dim]source:[/dim]   pinned to release {escape(answer.release.label)}"
    )
    if compare:
        same = change.year_earlier_is_previous
        for name in ("previous",) if same else ("previous", "year_earlier"):
            other = doc[name]
            label = "previous (= a year earlier)" if same else name.replace("_", " ")
            if other is None:
                lines.append(f"[dim]{label}:[/dim] not in the data")
                continue
            pct = f"{other['percent']:+.1f}%" if other["percent"] is not None else "n/a"
            lines.append(
                f"[dim]{label}:[/dim] {other['value']:,} in {other['period']} "
                f"({other['change']:+,}, {pct}) · release {escape(other['release']['label'])}"
            )
    text = "\n".join(lines)
    if output is not None:
        output.write_text(f"{answer.value}\n", encoding="utf-8")
        wrote(output)
    out.print(text)


def emit_frame(frame, fmt: str, output, chart=None) -> None:  # type: ignore[no-untyped-def]
    """Print a breakdown or series in any output format (and draw it, if ``chart`` names a file)."""
    emit_result(frame, fmt, output, title=frame.describe(), caption=_caption(frame))
    if chart is not None:
        from borderdesk.charts import save_chart

        save_chart(frame, chart)
        wrote(chart, "chart")


def _caption(frame) -> str:  # type: ignore[no-untyped-def]
    rels = ", ".join(f"{r.label} ({r.file}, sha256 {r.sha256[:12]}…)" for r in frame.releases)
    return f"total {frame.total:,} · release {rels}"


@app.command()
@F.with_filters
@with_database
def table(
    by: Annotated[
        str,
        typer.Option("--by", help="Dimension(s) to break down by, e.g. citizenship or citizenship,region."),
    ],
    top: Annotated[
        int | None, typer.Option("--top", help="Only the N largest groups (shares stay of the whole).")
    ] = None,
    filters: F.Filters = F.NO_FILTERS,
    period: F.PeriodOpt = None,
    as_of: F.AsOf = None,
    db: Database = DEFAULT_DB,
    fmt: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """A breakdown with shares, largest first.

    Example: --by citizenship --region southwest --period FY2023 --top 10
    """
    with db.reading() as desk:
        frame = desk.table_result(by=by, top=top, period=period, as_of=as_of, **filters)
    emit_frame(frame, fmt, output)


@app.command()
@F.with_filters
@with_database
def series(
    by: Annotated[
        str | None, typer.Option("--by", help="One dimension to split the series by, e.g. region.")
    ] = None,
    interval: Annotated[
        str, typer.Option("--interval", help="month (default), fiscal_year or calendar_year.")
    ] = "month",
    chart: Annotated[
        Path | None,
        typer.Option("--chart", help="Also draw it: FILE.png, .svg, .html (self-contained) or .json."),
    ] = None,
    filters: F.Filters = F.NO_FILTERS,
    period: F.PeriodOpt = None,
    as_of: F.AsOf = None,
    db: Database = DEFAULT_DB,
    fmt: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """Monthly (or yearly) encounters, optionally as a chart.

    Example: --citizenship ukraine --region southwest --period 2021-10..2023-09 --chart ukraine.png
    """
    if chart is not None and chart.suffix.lower() not in (".png", ".svg", ".html", ".json"):
        raise BorderdeskError(f"--chart {chart.name!r}: the file must end in .png, .svg, .html or .json")
    with db.reading() as desk:
        frame = desk.series_result(
            by=by, interval=interval.replace("-", "_"), period=period, as_of=as_of, **filters
        )
    emit_frame(frame, fmt, output, chart)
