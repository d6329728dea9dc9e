"""A checked article's report -> rows of the archive output (one per claim, :mod:`.schema`'s columns).

The claim's JSON (claim-check.md) is flattened by one rule, so that a key added to the check JSON
later lands somewhere without a change here: a nested object's keys become ``parent_child`` columns,
a two-number span becomes ``_start``/``_end``, any other list becomes JSON text. Each value is cast to
its column's type (numbers to float64, so counts and shares share a column); a flattened key the
schema does not list goes, with its value, into the ``extra`` column's JSON rather than being lost.
"""

from __future__ import annotations

import json
from typing import Any

from borderdesk.archive.schema import ARTICLE_COLUMNS, COLUMN_NAMES, COLUMN_TYPES

#: List-valued keys that are character spans ``[start, end]``.
SPANS = ("span", "figure_span")


def to_json(value: object) -> str:
    """JSON text for a list column: compact, keys in the order the check wrote them, non-ASCII kept."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def flatten(obj: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"question": {"period": {"start": ...}}}`` -> ``{"question_period_start": ...}``."""
    flat: dict[str, Any] = {}
    for key, value in obj.items():
        name = f"{prefix}_{key}" if prefix else key
        if isinstance(value, dict):
            flat.update(flatten(value, name))
        elif key in SPANS and isinstance(value, list | tuple) and len(value) == 2:
            flat[f"{name}_start"], flat[f"{name}_end"] = value
        elif isinstance(value, list | tuple):
            flat[name] = to_json(list(value))
        else:
            flat[name] = value
    return flat


def cast(name: str, value: object) -> object:
    """``value`` as column ``name``'s type (None stays None)."""
    if value is None:
        return None
    kind = COLUMN_TYPES[name]
    if kind == "string":
        return value if isinstance(value, str) else to_json(value)
    if kind == "float64":
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
    if kind in ("int64", "int32"):
        return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
    return bool(value)


def claim_row(article: dict[str, Any], index: int, claim: dict[str, Any]) -> dict[str, Any]:
    """One output row: the article's columns, the claim's index and its flattened JSON."""
    flat = flatten(claim)
    extra = {
        k: v for k, v in flat.items() if v is not None and (k not in COLUMN_TYPES or k in ARTICLE_COLUMNS)
    }
    row: dict[str, Any] = {}
    for name in COLUMN_NAMES:
        if name in ARTICLE_COLUMNS:
            row[name] = cast(name, article.get(name))
        elif name == "claim_index":
            row[name] = index
        elif name == "extra":
            row[name] = to_json(extra) if extra else None
        else:
            row[name] = cast(name, flat.get(name))
    return row


def report_rows(article: dict[str, Any], report: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows for every claim of a report (claim-check.md's JSON); ``article`` holds the article columns
    (its id, url, outlet, input, input_line, content_hash, date_from, page_title); the report gives the
    date the check used and its notes."""
    notes = report.get("notes")
    shared = {**article, "date": report.get("date"), "notes": to_json(notes) if notes else None}
    return [claim_row(shared, i, claim) for i, claim in enumerate(report.get("claims", []))]
