"""Frames as HTML-ready tables: headers, rows of cells (text, number, share), a caption and totals.

Cells carry values, not markup; the template escapes and formats them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from borderdesk import metadata
from borderdesk.query.frames import Frame

#: Dimensions whose codes read badly as column headings ("southwest", "42"): shown by their label.
LABELLED = ("region", "component", "demographic", "title", "encounter_type")


@dataclass(frozen=True)
class Cell:
    value: Any
    kind: str = "text"  # text, number, share
    href: str | None = None


@dataclass
class Table:
    columns: list[tuple[str, str]]  # (label, kind) — kind decides alignment
    rows: list[list[Cell]] = field(default_factory=list)
    foot: list[Cell] | None = None


def _heading(column: str) -> str:
    return {"encounters": "Encounters", "share": "Share of total", "months": "Months"}.get(
        column, column.replace("_", " ").capitalize()
    )


def series_table(frame: Frame) -> Table:
    """One row per month (or year): the period and its encounters."""
    kinds = ["text" if c not in ("encounters", "months") else "number" for c in frame.columns]
    t = Table([(_heading(c), k) for c, k in zip(frame.columns, kinds, strict=True)])
    for row in frame.rows:
        t.rows.append([Cell(v, k) for v, k in zip(row, kinds, strict=True)])
    t.foot = [Cell("Total"), Cell(frame.total, "number"), *[Cell("") for _ in frame.columns[2:]]]
    return t


def pivot(frame: Frame) -> Table:
    """A series split by one dimension, as months down and groups across (largest group first)."""
    time_col = frame.columns[0]
    times: list[str] = []
    values: dict[tuple[str, str], int] = {}
    totals: dict[str, int] = {}
    for row in frame.rows:
        when, group, n = row[0], str(row[1]), int(row[2])
        if when not in times:
            times.append(when)
        values[(when, group)] = n
        totals[group] = totals.get(group, 0) + n
    groups = sorted(totals, key=lambda g: (-totals[g], g))
    dim = frame.columns[1]
    labels = metadata.value_labels().get(dim, {}) if dim in LABELLED else {}
    t = Table(
        [(_heading(time_col), "text"), *[(labels.get(g, g), "number") for g in groups], ("Total", "number")]
    )
    for when in times:
        cells = [Cell(values.get((when, g), 0), "number") for g in groups]
        t.rows.append([Cell(when), *cells, Cell(sum(c.value for c in cells), "number")])
    t.foot = [Cell("Total"), *[Cell(totals[g], "number") for g in groups], Cell(frame.total, "number")]
    return t


def share_table(frame: Frame, link: Callable[[str], str] | None = None) -> Table:
    """A breakdown with shares: group, encounters, share (drawn as a bar by the template)."""
    t = Table(
        [
            (_heading(c), "share" if c == "share" else "number" if c == "encounters" else "text")
            for c in frame.columns
        ]
    )
    for row in frame.rows:
        *labels, n, share = row
        first = str(labels[0])
        href = (
            link(first)
            if link is not None and first not in ("(none)",) and not first.startswith("OTHER")
            else None
        )
        t.rows.append(
            [
                Cell(first, "text", href),
                *[Cell(v) for v in labels[1:]],
                Cell(n, "number"),
                Cell(share, "share"),
            ]
        )
    shown = sum(int(r[-2]) for r in frame.rows)
    t.foot = [
        Cell(f"All ({len(frame.rows)} shown)" if shown == frame.total else "All citizenships"),
        *[Cell("") for _ in frame.columns[1:-2]],
        Cell(frame.total, "number"),
        Cell(1.0 if frame.total else 0.0, "share"),
    ]
    return t
