"""The archive report as one self-contained HTML file (Jinja2, every text escaped).

The articles' texts, outlets and urls are untrusted: the template environment escapes everything it
prints (autoescape on for every template), links only http(s) urls, and the page's Content-Security-
Policy allows no script at all, so even a text that slipped through could not run. The charts are SVG
from :mod:`borderdesk.archive.report_charts`, the one markup the template prints unescaped.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import borderdesk
from borderdesk.archive.report_figures import ArchiveReport
from borderdesk.archive.report_format import cell, heading

TEMPLATES = Path(__file__).parent / "templates"


def safe_url(url: Any) -> str | None:
    """The url if it is http(s), so that a ``javascript:`` url from an article never becomes a link."""
    if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
        return url
    return None


@cache
def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its name: article text is never rendered raw
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = lambda value, column: cell(column, value)
    env.filters["heading"] = heading
    env.globals["safe_url"] = safe_url
    env.globals["version"] = borderdesk.__version__
    return env


def render_html(report: ArchiveReport, svgs: dict[str, str]) -> str:
    """The report page; ``svgs`` maps a figure's name to its chart."""
    from markupsafe import Markup

    template = _environment().get_template("archive_report.html")
    totals = report.rows("totals")[0] if report.rows("totals") else {}
    text: str = template.render(
        report=report,
        totals=totals,
        figures=report.figures,
        charts={name: Markup(svg) for name, svg in svgs.items()},  # vl-convert escapes its texts
    )
    return text
