"""Templates (Jinja2, autoescaped everywhere), static-file URLs with content hashes, number formats."""

from __future__ import annotations

import contextlib
import hashlib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from starlette.templating import Jinja2Templates

import borderdesk

if TYPE_CHECKING:
    from borderdesk.desk import Desk

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"


@cache
def _digest(relative: str) -> str:
    return hashlib.sha256((STATIC / relative).read_bytes()).hexdigest()[:12]


def static_url(relative: str) -> str:
    """``/static/<path>?v=<content hash>``: cached for a year, never stale."""
    return f"/static/{relative}?v={_digest(relative)}"


@cache
def code_digest() -> str:
    """A hash of the templates and our own static files (not the vendored ones): part of every ETag."""
    h = hashlib.sha256()
    for folder in (TEMPLATES, STATIC / "css", STATIC / "js"):
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def number(value: Any) -> str:
    """5507 -> '5,507' (non-numbers as they are)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def percent(value: Any) -> str:
    """0.289753 -> '29.0%'."""
    if not isinstance(value, int | float):
        return ""
    return f"{value * 100:.1f}%"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its name: no user text is ever rendered raw
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["number"] = number
    env.filters["percent"] = percent
    env.globals["static_url"] = static_url
    env.globals["version"] = borderdesk.__version__
    return env


templates = Jinja2Templates(env=_environment())


def warm_up(desk: Desk) -> None:
    """Import Altair and build one chart now, so the first page a user opens does not pay for it."""
    from borderdesk.charts import series_spec
    from borderdesk.errors import BorderdeskError

    with contextlib.suppress(BorderdeskError):  # an empty database: nothing to draw yet
        series_spec(desk.series_result(region="southwest", period=None))
