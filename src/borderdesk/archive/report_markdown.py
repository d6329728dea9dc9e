"""The archive report as Markdown: the same figures and queries as the HTML page, each chart an SVG
file beside the report (``REPORT.outlets.svg``) linked by its relative name.

Article texts are untrusted and Markdown renderers pass HTML through, so every text cell is escaped:
``<``, ``>`` and ``&`` as entities, and the characters Markdown gives a meaning (``|`` above all, which
would split a table cell) with a backslash.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import borderdesk
from borderdesk.archive.report_figures import ArchiveReport, Figure
from borderdesk.archive.report_format import cell, heading

_MARKDOWN = re.compile(r"([\\`*_\[\]|~])")  # what could make markup, a link or a new cell


def escape(text: str) -> str:
    """Text safe inside a Markdown paragraph or table cell: no HTML, no markup, one line."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN.sub(r"\\\1", " ".join(text.split()))


def chart_file(report: Path, name: str) -> Path:
    """Where a chart of the report at ``report`` goes: beside it, named after it."""
    return report.with_name(f"{report.stem}.{name}.svg")


def _table(f: Figure) -> list[str]:
    head = "| " + " | ".join(heading(c) for c in f.columns) + " |"
    rule = "|" + "|".join(":---" if i == 0 else "---:" for i in range(len(f.columns))) + "|"
    body = ["| " + " | ".join(escape(cell(c, row[c])) for c in f.columns) + " |" for row in f.rows]
    return [head, rule, *body]


def _query(f: Figure) -> list[str]:
    summary = f"<details><summary>The query ({f.query.name})</summary>"
    return ["", summary, "", "```sql", f.query.sql, "```", "", "</details>"]


def _worst(rows: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    for i, w in enumerate(rows, start=1):
        url = w.get("url")
        where = f"<{url}>" if isinstance(url, str) and url.startswith(("http://", "https://")) else ""
        out += [
            f"{i}. “{escape(w['text'] or '')}”",
            f"   - Article: {escape(w['article_id'] or '')} · {escape(w['outlet'] or '(no outlet)')} · "
            f"{escape(w['date'] or '(undated)')} {where}".rstrip(),
            f"   - Stated {cell('number', w['number'])}; CBP's value {cell('value', w['value'])} "
            f"(relative error {cell('relative_error', w['relative_error'])})",
            f"   - Error type: {escape(w['error_type'])}",
            f"   - Release: {escape(w['release_label'] or '')} ({escape(w['release_file'] or '')})",
            f"   - Evidence: {escape(w['reason'] or '')}",
        ]
    return out or ["No inaccurate claims."]


def render_markdown(report: ArchiveReport, out: Path, charts: list[str]) -> str:
    """The report to be written at ``out``; ``charts`` names the figures whose SVG was written beside it."""
    figs = report.figures
    lines = [
        f"# Archive report: {escape(report.source.name)}",
        "",
        f"The claims `borderdesk check-archive` found in an archive of articles, read from "
        f"`{report.named}` (made {report.made} by borderdesk {borderdesk.__version__}). Every figure is "
        "one DuckDB query on that file, shown under it: run it from this report's folder to get the same "
        "numbers. The inaccurate share is inaccurate claims over the claims that could be checked "
        "(supported + inaccurate); articles are those with at least one claim (every article checked is "
        "counted under Articles checked, at the end, when check-archive's manifest is beside the output).",
        "",
        "## Totals",
        "",
        *_table(figs["totals"]),
        *_query(figs["totals"]),
    ]
    for name in ("outlets", "months", "errors"):
        f = figs[name]
        lines += ["", f"## {f.query.title}", ""]
        if name in charts:
            lines += [f"![{f.query.title}]({chart_file(out, name).name})", ""]
        lines += [*_table(f), *_query(f)]
    worst = figs["worst"]
    lines += [
        "",
        f"## {worst.query.title}",
        "",
        "Inaccurate claims ranked by relative error, |number − value| / |value|, each with its evidence.",
        "",
        *_worst(worst.rows),
        *_query(worst),
    ]
    run = [figs[name] for name in ("run", "failed") if name in figs]
    if run:
        lines += ["", "## Articles checked", ""]
        lines += [
            "From check-archive's manifest (every article done) and its errors file (the latest run's).",
            "",
        ]
        for f in run:
            lines += [*(_table(f) if f.rows else ["No article failed."]), *_query(f), ""]
    return "\n".join(lines) + "\n"
