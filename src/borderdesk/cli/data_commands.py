"""ingest, releases, update: getting releases into the database and seeing what is there."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn, TransferSpeedColumn
from rich.table import Table
from rich.text import Text

from borderdesk.cli.app import (
    DEFAULT_DB,
    Database,
    DbOption,
    FormatOption,
    LockTimeoutOption,
    OutputOption,
    app,
    db_path,
    with_database,
    writing_desk,
)
from borderdesk.cli.output import emit_rows, err, error, out, warning
from borderdesk.errors import BorderdeskError, UpdateIncompleteError
from borderdesk.limits import MAX_DOWNLOAD_BYTES, UPDATE_DEADLINE, UPDATE_RETRIES
from borderdesk.store.lock import DEFAULT_TIMEOUT
from borderdesk.writer import DEFAULT_LIMITS, ReadLimits, UpdateResult


def _summary(status: str, label: str, rows: int, sha256: str, name: str) -> str:
    return f"{status:<9} {label:<16} {rows:>9,} rows  sha256 {sha256}  {name}"


@app.command()
@with_database
def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Release files: CSV or CSV.gz, any supported CBP format.")
    ],
    release_date: Annotated[
        str | None, typer.Option("--release-date", help="Publication date YYYY-MM-DD (or YYYY-MM) to record.")
    ] = None,
    source_url: Annotated[
        str | None, typer.Option("--source-url", help="Where the file was published.")
    ] = None,
    db: Database = DEFAULT_DB,
    lock_timeout: LockTimeoutOption = DEFAULT_TIMEOUT,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, help="Largest file, and largest decompressed text, in bytes.")
    ] = DEFAULT_LIMITS.max_bytes,
    max_ratio: Annotated[
        int, typer.Option("--max-ratio", min=1, help="Largest decompressed/compressed size ratio of a .gz.")
    ] = DEFAULT_LIMITS.max_ratio,
    max_line_bytes: Annotated[
        int, typer.Option("--max-line-bytes", min=1, help="Longest line in bytes.")
    ] = DEFAULT_LIMITS.max_line_bytes,
    max_columns: Annotated[
        int, typer.Option("--max-columns", min=1, help="Most columns in the header.")
    ] = DEFAULT_LIMITS.max_columns,
    max_rows: Annotated[
        int, typer.Option("--max-rows", min=1, help="Most data rows.")
    ] = DEFAULT_LIMITS.max_rows,
) -> None:
    """Load release files; each is checked fully and added atomically. Re-ingesting a file is a no-op.

    The new releases reach the database in one atomic swap, so a running `serve` keeps answering and
    switches to them; a second ingest or update waits for this one (--lock-timeout). A file beyond a
    --max-* limit is refused while it is read (a compression bomb never fills the memory), with exit
    status 4 if every rejected file was over a limit."""
    published = _check_date(release_date)
    limits = ReadLimits(
        max_bytes=max_bytes,
        max_ratio=max_ratio,
        max_line_bytes=max_line_bytes,
        max_columns=max_columns,
        max_rows=max_rows,
    )
    rejected: list[BorderdeskError] = []
    done: list[str] = []  # said once the new database is in place, not before
    with (
        db.writing(lock_timeout, "ingest") as desk,
        Progress(
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            TextColumn("{task.completed}/{task.total} files"),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        ) as progress,
    ):
        task = progress.add_task("ingesting", total=len(paths))
        for path, res in desk.ingest_each(paths, published=published, source_url=source_url, limits=limits):
            if isinstance(res, BorderdeskError):
                rejected.append(res)
                error(res)
            else:
                r = res.release
                done.append(_summary(res.status, r.label, r.rows, r.sha256, path.name))
                if res.outranked_by:
                    warning(_outranked(r.label, res.outranked_by))
            progress.advance(task)
    for line in done:
        out.print(escape(line))
    if rejected:
        raise FilesRejected(rejected, len(paths))


class FilesRejected(BorderdeskError):
    """Some of the files given to ``ingest`` were rejected (each said why above). The exit code is the
    one they share, so that a script can tell "over a --max-* limit" (4, a LimitError) from "not a
    valid release" (1); 1 when they differ."""

    def __init__(self, rejected: list[BorderdeskError], given: int) -> None:
        super().__init__(f"{len(rejected)} of {given} file(s) rejected; the database is unchanged for them")
        codes = {e.exit_code for e in rejected}
        self.exit_code = codes.pop() if len(codes) == 1 else BorderdeskError.exit_code


def _outranked(label: str, trusted: tuple[str, ...]) -> str:
    """The warning for a hand-ingested file that overlaps official releases (docs/reliability.md)."""
    which = f"release {trusted[0]} answers" if len(trusted) == 1 else f"releases {', '.join(trusted)} answer"
    return (
        f"{label} is not a known CBP release and was ingested by hand, so it is stored as unofficial: "
        f"for the months it shares, the official {which} as before (ask for it with --as-of {label})"
    )


def _check_date(text: str | None) -> str | None:
    if text is None:
        return None
    import datetime as dt

    t = text.strip()
    try:
        if len(t) == 7:
            dt.date.fromisoformat(t + "-01")
        else:
            dt.date.fromisoformat(t)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a date like 2024-10-15 or 2024-10", param_hint="'--release-date'"
        ) from None
    return t


@app.command()
@with_database
def releases(
    db: Database = DEFAULT_DB,
    fmt: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """List the ingested releases (vintages): label, coverage, rows, CBP's publication date, sha256,
    when this database stored the file, source."""
    with db.reading() as desk:
        rels = desk.release_list()
    columns = [
        "label",
        "family",
        "coverage_start",
        "coverage_end",
        "rows",
        "published",
        "file",
        "sha256",
        "ingested_at",
        "origin",
        "source",
        "official",
        "unofficial",
    ]
    rows = [
        [
            r.label,
            r.family,
            f"{r.coverage_start:%Y-%m}",
            f"{r.coverage_end:%Y-%m}",
            r.rows,
            r.published,
            r.file,
            r.sha256,
            r.ingested_at.isoformat(sep=" "),
            r.origin,
            r.source_url,
            r.trusted_official,
            r.unofficial,
        ]
        for r in rels
    ]
    json_obj = [r.to_json() for r in rels]

    def table() -> Table:
        t = Table(
            title=f"{len(rels)} releases",
            caption="published: when CBP published the release (unknown when no source says); "
            "stored: when this database stored the file (not a CBP date)",
            caption_justify="left",
        )
        for c in ("label", "coverage", "rows", "published", "file", "sha256", "stored"):
            t.add_column(c, no_wrap=c in ("label", "coverage", "sha256", "published"))
        for r in rels:
            kind = "official" if r.trusted_official else "unofficial" if r.unofficial else "derived"
            t.add_row(  # label, file and published come from the user: shown as they are
                escape(r.label),
                f"{r.coverage_start:%Y-%m}..{r.coverage_end:%Y-%m}",
                f"{r.rows:,}",
                escape(r.published_text),
                escape(r.file),
                r.sha256[:12] + "…",
                f"{r.ingested_at:%Y-%m-%d} ({r.origin}, {kind})",
            )
        return t

    emit_rows(fmt, columns, rows, output=output, json_obj=json_obj, table=table)


@app.command()
@with_database
def update(
    url: Annotated[
        str | None,
        typer.Option(
            "--url",
            help="A page linking release files (CBP's Nationwide Encounters page by default), "
            "a directory listing, or one file's URL.",
        ),
    ] = None,
    dest: Annotated[
        Path | None, typer.Option("--dest", help="Download folder (default: $BORDERDESK_HOME/downloads).")
    ] = None,
    db: Database = DEFAULT_DB,
    lock_timeout: LockTimeoutOption = DEFAULT_TIMEOUT,
    max_download_bytes: Annotated[
        int,
        typer.Option(
            "--max-download-bytes", min=1, help="Largest file to download, in bytes (checked as it arrives)."
        ),
    ] = MAX_DOWNLOAD_BYTES,
    deadline: Annotated[
        float,
        typer.Option(
            "--deadline", min=0.001, help="Seconds all the downloads may take together; then they stop."
        ),
    ] = UPDATE_DEADLINE,
    retries: Annotated[
        int,
        typer.Option(
            "--retries",
            min=0,
            help="Times to try a download again after a 5xx answer or a dropped connection.",
        ),
    ] = UPDATE_RETRIES,
) -> None:
    """Download the releases CBP publishes (resumable, checksummed) and ingest the new ones.

    Downloads first, then takes the write lock and swaps the new releases in at once: a running
    `serve` keeps answering and switches to them. Each file is downloaded and ingested on its own: a
    download that fails in a way that may pass (a 5xx answer, a dropped connection) is tried again
    (--retries, waiting 1 s, then 2 s...); a missing (404), cut-off or rejected file is reported on one
    line (`skipped  FILE: why`), changes nothing, and the others still land. A file over
    --max-download-bytes is refused (before a byte of it when the server announces its size), and when
    --deadline passes the current download stops (its partial file is kept, the next update resumes
    it) while the files already complete still land. Exit status 0 when every file landed; otherwise
    that of the first failure: 4 for a limit, 1 for anything else."""
    from borderdesk import config, remote

    with Progress(
        TextColumn("{task.description}", markup=False),  # a file name from the web, shown as it is
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as progress:
        tasks: dict[str, TaskID] = {}

        def on_progress(ev) -> None:  # type: ignore[no-untyped-def]
            if ev.url not in tasks:
                tasks[ev.url] = progress.add_task(ev.file_name, total=ev.total)
            progress.update(tasks[ev.url], completed=ev.received, total=ev.total)

        found = remote.download_each(
            url or config.CBP_NATIONWIDE_PAGE,
            dest or config.downloads_dir(),
            progress=on_progress,
            max_bytes=max_download_bytes,
            deadline=deadline,
            retries=retries,
        )
    failures = [f for f in found if isinstance(f, remote.FailedDownload)]
    if len(failures) < len(found):
        with db.writing(lock_timeout, "update") as desk:
            results = desk.ingest_downloads(found)
    else:  # nothing arrived: nothing to ingest, and no reason to copy the database
        results = [UpdateResult(f, None, skipped=f.reason, error=f.error) for f in failures]
    new = 0
    for r in results:
        if r.ingest is None:
            out.print(escape(f"skipped   {r.download.path.name}: {r.skipped}"))
            continue
        rel = r.ingest.release
        new += r.ingest.changed
        out.print(escape(_summary(r.ingest.status, rel.label, rel.rows, rel.sha256, r.download.path.name)))
    failed = [r for r in results if not r.landed]
    err.print(
        f"{len(results)} file(s) found, {new} new release(s) ingested; "
        f"{len(results) - len(failed)} landed, {len(failed)} failed"
    )
    if failed:
        raise UpdateIncompleteError(len(failed), len(results), failed[0].error)


@app.command()
def migrate(
    db: DbOption = None,
    lock_timeout: LockTimeoutOption = DEFAULT_TIMEOUT,
) -> None:
    """Bring a database written by an older borderdesk to this version's schema (in a copy, swapped in
    atomically; ingest and update do it too). Says what it did, or that nothing was needed."""
    from borderdesk.store.schema import SCHEMA_VERSION

    path = db_path(db)
    if not path.exists():
        raise BorderdeskError(f"no database at {path}: nothing to migrate")
    with writing_desk(db, True, lock_timeout, "migrate") as desk:
        before = desk.migrated_from
    if before is None:
        out.print(Text(f"{path} is already at schema {SCHEMA_VERSION}; nothing to do"))
    else:
        out.print(Text(f"migrated {path} from schema {before} to {SCHEMA_VERSION}"))
