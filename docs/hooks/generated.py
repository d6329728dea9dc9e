"""MkDocs hook: pages and images that cannot drift from the code.

``<!-- generated: cli -->`` becomes Typer's own Markdown for every ``borderdesk`` command, and
``<!-- generated: http -->`` the list of endpoints from the app's OpenAPI schema.

Images: ``screenshots/NAME.png`` are the dashboard screenshots the browser tests take (``tests/browser``),
never drawn by hand. The ones the docs show are committed in ``docs/screenshots/`` so that the build
needs no browser, and every browser-test run refreshes them; a page that shows one not there fails the
strict build with the command to take it. ``generated/NAME.png``
are charts drawn at build time from the bundled snapshot by the same code as ``borderdesk series
--chart`` (see ``CHARTS``).
"""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
log = logging.getLogger("mkdocs.hooks.generated")

# generated/NAME.png -> the `borderdesk series` options that draw it (the tutorial shows the command).
CHARTS = {
    "russia-southwest.png": {"citizenship": "russia", "region": "southwest", "period": "FY2022..FY2023"},
}


def _cli() -> str:
    out = subprocess.run(
        [sys.executable, "-m", "typer", "borderdesk.cli", "utils", "docs", "--name", "borderdesk"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # Typer's page starts with "# `borderdesk`": the page has its own title, so shift headings down.
    return "\n".join("#" + line if line.startswith("#") else line for line in out.splitlines())


def _http() -> str:
    from borderdesk.desk import Desk
    from borderdesk.serve import create_app

    spec = create_app(":memory:", desk=Desk(":memory:", snapshot=False)).openapi()
    lines = ["| method | path | what it does |", "|---|---|---|"]
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            lines.append(f"| {method.upper()} | `{path}` | {op.get('summary', '')} |")
    return "\n".join(lines)


GENERATORS = {"<!-- generated: cli -->": _cli, "<!-- generated: http -->": _http}


def on_page_markdown(markdown: str, **_: Any) -> str:
    for marker, make in GENERATORS.items():
        if marker in markdown:
            markdown = markdown.replace(marker, make())
    return markdown


def _referenced(config: Any, folder: str) -> set[str]:
    """Names of the images under ``folder/`` that some docs page shows."""
    names: set[str] = set()
    for page in Path(config["docs_dir"]).rglob("*.md"):
        names.update(re.findall(rf"{folder}/([\w.-]+\.png)", page.read_text(encoding="utf-8")))
    return names


def _draw_charts(names: set[str]) -> dict[str, bytes]:
    from borderdesk.charts import save_chart
    from borderdesk.desk import Desk

    unknown = names - CHARTS.keys()
    if unknown:
        name = sorted(unknown)[0]
        raise ValueError(f"docs show generated/{name} but docs/hooks/generated.py CHARTS has no recipe")
    drawn: dict[str, bytes] = {}
    desk = Desk(":memory:")  # the bundled snapshot, as a new user has it
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(names):
            frame = desk.series_result(**CHARTS[name])
            path = Path(tmp) / name
            save_chart(frame, path)
            drawn[name] = path.read_bytes()
    return drawn


def on_files(files: Any, config: Any, **_: Any) -> Any:
    from mkdocs.structure.files import File

    for name in sorted(_referenced(config, "screenshots")):
        if not (SCREENSHOTS / name).exists():  # committed files of docs/ are in the site already
            log.warning(
                "docs show screenshots/%s, which is not in docs/screenshots/: take it with a browser test "
                "(`.venv/bin/pytest tests/browser` copies every screenshot the docs show there), commit it "
                "and build again",
                name,
            )
    for name, png in _draw_charts(_referenced(config, "generated")).items():
        files.append(File.generated(config, f"generated/{name}", content=png))
    return files
