"""``borderdesk check``: read a text, check its encounter claims, print verdicts (or claim-check JSON)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.text import Text

from borderdesk.cli.app import DEFAULT_DB, Database, app, with_database
from borderdesk.cli.output import dumps, out, write_text
from borderdesk.errors import BorderdeskError, TextTooLongError
from borderdesk.limits import DEFAULT_TIMEOUT, MAX_BYTES

COLOURS = {"supported": "green", "inaccurate": "red", "unverifiable": "yellow"}


class StrictFailure(BorderdeskError):
    """--strict and at least one claim is inaccurate."""

    exit_code = 3


def read_input(source: str | None, limit: int = MAX_BYTES) -> str:
    """The text of FILE, or of stdin for '-' (or no FILE); bytes that are not UTF-8 are replaced.

    At most ``limit`` bytes are read (one more, to know there is more): a longer input is refused
    with :class:`~borderdesk.errors.TextTooLongError`, without reading the rest of a huge pipe."""
    size: int | None = None  # a pipe's size is unknown: only that it is over the limit
    if source in (None, "-"):
        if source is None and sys.stdin.isatty():
            raise BorderdeskError("no text: give a FILE, or '-' and pipe the text in")
        data = sys.stdin.buffer.read(limit + 1)
        where = "stdin"
    else:
        path = Path(source)
        if not path.is_file():
            raise BorderdeskError(f"no such file: {source}")
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
            size = os.fstat(fh.fileno()).st_size
        where = source
    if len(data) > limit:
        raise TextTooLongError(size, limit, unit="bytes", where=where)
    return data.decode("utf-8-sig", errors="replace")


@app.command()
@with_database
def check(
    source: Annotated[
        str | None,
        typer.Argument(
            metavar="[FILE|URL|-]",
            help=f"Text or Markdown file (at most {MAX_BYTES:,} bytes); '-' reads stdin; an http:// or "
            "https:// URL fetches the page and checks its article.",
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="Publication date YYYY-MM-DD; anchors 'in March', 'last month' ... "
            "(for a URL, overrides the page's own date).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print claim-check.md's JSON.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 3 when any claim is inaccurate.")] = False,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            min=0.0,
            metavar="SECONDS",
            help="Stop (exit 4) if checking takes longer than this; 0 for no limit.",
        ),
    ] = DEFAULT_TIMEOUT,
    db: Database = DEFAULT_DB,
) -> None:
    """Check the numeric claims about border encounters in a text.

    A text over the size limit, or slower to check than --timeout, stops with exit status 4.

    A URL's page is fetched (at most 5 MB, within 20 s); its article and publication date are checked.

    Example: borderdesk check article.txt --date 2022-12-28

    Example: borderdesk check https://www.cbp.gov/newsroom/... --json
    """
    from borderdesk.values import is_url

    article = None
    if source is not None and is_url(source):
        from borderdesk.remote.article import fetch_article  # httpx and trafilatura: only for a URL

        article = fetch_article(source)
    text = article.text if article is not None else read_input(source)
    with db.reading() as desk:
        if article is not None:
            from borderdesk.claims.webpage import check_article

            report = check_article(desk, article, date=date, timeout=timeout or None)
        else:
            report = desk.check_report(text, date=date, timeout=timeout or None)
    if as_json:
        write_text(dumps(report.to_dict()), None)
    else:
        _print_source(report.source)
        _print_human(text, report)
    if strict and report.inaccurate:
        raise StrictFailure(f"{report.inaccurate} claim(s) inaccurate")


#: How the output says where the date of a checked page came from (``source["date_from"]``).
DATE_FROM = {
    "page": "the page's publication date",
    "--date": "given with --date",
    "data": "no date on the page: read as of the newest data",
}


def _print_source(source: dict[str, object] | None) -> None:
    """Which page was checked, and the date it was read at (a URL's checks only)."""
    if source is None:
        return
    out.print(f"[bold]Page:[/bold] {escape(str(source.get('title') or '(no title)'))}")
    out.print(f"[bold]URL:[/bold]  {escape(str(source['url']))}")
    out.print(f"[bold]Date:[/bold] {source['date']} ({DATE_FROM[str(source['date_from'])]})\n")


def _print_human(text: str, report: object) -> None:
    from borderdesk.claims import Report

    assert isinstance(report, Report)
    if not report.claims:
        out.print(f"No claims about border encounters found (read as of {report.date}).")
        return
    counts = {v: sum(c.verdict == v for c in report.claims) for v in COLOURS}
    summary = ", ".join(f"[{COLOURS[v]}]{n} {v}[/{COLOURS[v]}]" for v, n in counts.items() if n)
    out.print(f"[bold]{len(report.claims)} claim(s)[/bold] read as of {report.date}: {summary}\n")
    for i, c in enumerate(report.claims, 1):
        colour = COLOURS[c.verdict]
        s, e = c.sentence
        line = Text(" ".join(text[s : c.claim_span[0]].split()) + " " if c.claim_span[0] > s else "")
        line.append(
            " ".join(text[c.claim_span[0] : c.claim_span[1]].split()), style=f"bold {colour} underline"
        )
        line.append(
            ("" if text[c.claim_span[1] : c.claim_span[1] + 1] in ".,;:!?" else " ")
            + " ".join(text[c.claim_span[1] : e].split())
        )
        out.print(f"[bold]{i}.[/bold] [{colour} bold]{c.verdict.upper()}[/{colour} bold]  ", end="")
        out.print(line)
        value = "—" if c.value is None else f"{c.value:,}" if isinstance(c.value, int) else f"{c.value}"
        out.print(f"   [dim]value:[/dim] {value}   [dim]stated:[/dim] {escape(_stated(c))}")
        if c.release:
            out.print(f"   [dim]release:[/dim] {escape(c.release['label'])} ({escape(c.release['file'])})")
        out.print(f"   [dim]why:[/dim] {escape(c.reason)}")
        then = getattr(c, "as_published", None)
        if then:
            shown = then["value"] if not isinstance(then["value"], int) else f"{then['value']:,}"
            verdict = "[green]matches[/green]" if then["matches"] else "[red]does not match[/red]"
            published = then["release"].get("published") or "date unknown"
            out.print(
                f"   [dim]as published:[/dim] {shown} in {escape(then['release']['label'])}"
                f" (out {escape(str(published))}): {verdict}"
            )
        for a in c.alternatives:
            q = ", ".join(f"{k}={_alt_value(v)}" for k, v in a["question"].items())
            if a.get("confusion"):  # the reading in words: 'U.S. Border Patrol', 'the month before'
                q = f"{a['confusion']} ({q})"
            mark = " [green](matches)[/green]" if a.get("matches") else ""
            out.print(
                f"   [dim]alternative:[/dim] {escape(q)} → {a['value']:,}{mark}"
                if isinstance(a["value"], int)
                else f"   [dim]alternative:[/dim] {escape(q)} → {a['value']}{mark}"
            )
        out.print()


def _stated(c: object) -> str:
    qualifier = getattr(c, "qualifier", "exact").replace("_", " ")
    number = getattr(c, "number", "")
    shown = f"{number:,}" if isinstance(number, int) else str(number)
    return f"{qualifier} {shown} ({getattr(c, 'kind', '')})"


def _alt_value(v: object) -> str:
    if isinstance(v, dict):
        return str(v.get("label", v))
    return "all CBP" if v is None else str(v)
