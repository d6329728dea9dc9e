"""``borderdesk archive-report``: the figures of a check-archive output, as an HTML or Markdown report.

Every figure is one DuckDB query (:mod:`borderdesk.archive.report_queries`) run on the output file
itself, and the report prints that query beside the figure. The queries name the file relative to the
report's folder (DuckDB's ``file_search_path`` points there while they run), so that a reader who
keeps the two files together can rerun any query from that folder and see the same numbers.
"""

from __future__ import annotations

from pathlib import Path

from borderdesk.archive.report_figures import compute
from borderdesk.archive.report_queries import WORST_LIMIT
from borderdesk.errors import ParameterError

HTML_SUFFIXES = (".html", ".htm")
MARKDOWN_SUFFIXES = (".md", ".markdown")


def default_output(source: Path) -> Path:
    """``OUT.report.html`` beside ``OUT.parquet`` (or ``OUT.jsonl``)."""
    return source.with_name(source.stem + ".report.html")


def report_format(output: Path) -> str:
    """``html`` or ``markdown``, by the output's suffix."""
    suffix = output.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    raise ParameterError(
        "output",
        f"{{parameter}} {output}: the report is written as .html or .md (got {suffix or 'no suffix'})",
        value=str(output),
    )


def write_report(source: Path, output: Path | None = None, worst: int = WORST_LIMIT) -> Path:
    """Compute the figures of ``source`` and write the report (HTML, or Markdown with the charts as SVG
    files beside it); returns the report's path."""
    from borderdesk.archive.report_charts import chart_svgs

    out = output or default_output(source)
    kind = report_format(out)
    report = compute(source, out.parent, worst)
    svgs = chart_svgs({name: f.rows for name, f in report.figures.items()})
    out.parent.mkdir(parents=True, exist_ok=True)
    if kind == "html":
        from borderdesk.archive.report_html import render_html

        out.write_text(render_html(report, svgs), encoding="utf-8")
        return out
    from borderdesk.archive.report_markdown import chart_file, render_markdown

    for name, text in svgs.items():
        chart_file(out, name).write_text(text, encoding="utf-8")
    out.write_text(render_markdown(report, out, sorted(svgs)), encoding="utf-8")
    return out
