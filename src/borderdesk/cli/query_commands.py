"""count (and the other question commands as they land): parse filters, ask the core, print."""

from __future__ import annotations

from rich.markup import escape

from borderdesk.cli import filters as F
from borderdesk.cli.app import DbOption, FormatOption, NoSnapshotOption, OutputOption, app, open_desk
from borderdesk.cli.output import emit_rows, err, out


@app.command()
def count(
    citizenship: F.Citizenship = None,
    region: F.Region = None,
    state: F.State = None,
    aor: F.Aor = None,
    component: F.Component = None,
    demographic: F.Demographic = None,
    title: F.Title = None,
    encounter_type: F.EncounterType = None,
    period: F.PeriodOpt = None,
    as_of: F.AsOf = None,
    db: DbOption = None,
    no_snapshot: NoSnapshotOption = False,
    fmt: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """One number with its provenance, e.g. --citizenship russia --region southwest --period 2022-11."""
    filters = F.collect(
        citizenship=citizenship,
        region=region,
        state=state,
        aor=aor,
        component=component,
        demographic=demographic,
        title=title,
        encounter_type=encounter_type,
    )
    desk = open_desk(db, no_snapshot)
    try:
        answer = desk.count(period=period, as_of=as_of, **filters)
    finally:
        desk.close()
    doc = answer.to_dict()
    if fmt != "table":
        q = doc["question"]
        columns = ["value", "period", "region", "release", "file", "sha256"]
        row = [
            answer.value,
            q.get("period"),
            q.get("region"),
            answer.release.label,
            answer.release.file,
            answer.release.sha256,
        ]
        emit_rows(fmt, columns, [row], output=output, json_obj=doc)
        return
    lines = [f"[bold]{answer.value:,}[/bold]", f"[dim]question:[/dim] {escape(answer.question.describe())}"]
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
    text = "\n".join(lines)
    if output is not None:
        output.write_text(f"{answer.value}\n", encoding="utf-8")
        err.print(f"wrote {output}")
    out.print(text)
