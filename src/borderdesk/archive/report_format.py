"""How the archive report writes its numbers, the same in HTML and Markdown."""

from __future__ import annotations

from typing import Any

#: Columns shown as a percentage (a 0-1 share in the query's result).
SHARES = frozenset({"inaccurate_share"})
#: Columns shown as a ratio to 3 decimals (the query rounds them).
RATIOS = frozenset({"relative_error"})


def cell(column: str, value: Any) -> str:
    """A figure's value as the report prints it: 12,345; 29.2%; 24,724; '' for NULL."""
    if value is None:
        return ""
    if column in SHARES and isinstance(value, int | float):
        return f"{value * 100:.1f}%"
    if column in RATIOS and isinstance(value, int | float):
        return f"{value:.3f}"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return f"{int(value):,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def heading(column: str) -> str:
    """'inaccurate_share' -> 'inaccurate share'."""
    return column.replace("_", " ")
