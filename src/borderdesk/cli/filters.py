"""The filter options shared by every question command (count, and later table, series...)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

Citizenship = Annotated[
    list[str] | None,
    typer.Option(
        "--citizenship",
        "-c",
        help="Country (any case; demonyms and ISO codes work: Russians, RU). Repeatable.",
    ),
]
Region = Annotated[
    str | None,
    typer.Option(
        "--region",
        "-r",
        help="southwest (alias: 'southern border', SW), northern, other, nationwide (default).",
    ),
]
State = Annotated[
    list[str] | None, typer.Option("--state", help="State code, e.g. TX (by-state releases). Repeatable.")
]
Aor = Annotated[
    list[str] | None, typer.Option("--aor", help="Sector or field office, e.g. 'Del Rio'. Repeatable.")
]
Component = Annotated[
    str | None, typer.Option("--component", help="usbp (Border Patrol) or ofo (ports of entry).")
]
Demographic = Annotated[
    list[str] | None,
    typer.Option("--demographic", help="single-adults, family-units, uac, accompanied-minors. Repeatable."),
]
Title = Annotated[str | None, typer.Option("--title", help="8 or 42 (title of authority).")]
EncounterType = Annotated[
    str | None, typer.Option("--encounter-type", help="apprehensions, inadmissibles or expulsions.")
]
PeriodOpt = Annotated[
    str | None,
    typer.Option(
        "--period",
        "-p",
        help="FY2022, FY22, 2022-11, 'Nov 2022', 2022 (calendar year), 2022-02..2022-11, 'since 2022-02', "
        "FY2023-to-date, 'last 12 months'.",
    ),
]
AsOf = Annotated[
    str | None, typer.Option("--as-of", help="Answer from this release (label, file name or sha256 prefix).")
]


NAMES = ("citizenship", "region", "state", "aor", "component", "demographic", "title", "encounter_type")


def collect(options: dict[str, Any]) -> dict[str, Any]:
    """The filter options a command was given (pass ``locals()``): unset ones dropped, one-element
    lists made plain values."""
    out: dict[str, Any] = {}
    for key in NAMES:
        value = options.get(key)
        if value is None or value == []:
            continue
        out[key] = value[0] if isinstance(value, list) and len(value) == 1 else value
    return out
