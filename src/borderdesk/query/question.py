"""The question model: what to count, where, when, and as of which release.

A :class:`Question` holds canonical values only; :func:`build_question` turns what a user typed
(aliases, demonyms, any case) into one, or raises an error with did-you-mean suggestions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from borderdesk import metadata
from borderdesk.errors import UnknownValueError
from borderdesk.query import matching
from borderdesk.query.periods import Period, parse_period

# The filters a question takes, named as the dimensions they filter (metadata's one list).
FILTERS = metadata.FILTERS
NATIONWIDE = ("nationwide", "national", "all", "total", "us", "u.s.", "united states", "all regions")


@dataclass(frozen=True)
class Question:
    """Canonical filters (dimension -> sorted values), a period, and an optional pinned release."""

    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    period: Period | None = None
    as_of: str | None = None
    measure: str = "encounters"
    by: tuple[str, ...] = field(default=())
    # answer the whole period from one release (both sides of a comparison must share a vintage)
    one_release: bool = False

    def values(self, dimension: str) -> tuple[str, ...]:
        return dict(self.filters).get(dimension, ())

    @property
    def region_text(self) -> str:
        regions = self.values("region")
        return ",".join(regions) if regions else "nationwide"

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"measure": self.measure}
        filters = dict(self.filters)
        d["region"] = self.region_text
        for dim in FILTERS:
            if dim == "region":
                continue
            vals = filters.get(dim)
            if vals:
                d[dim] = vals[0] if len(vals) == 1 else list(vals)
        d["period"] = self.period.text if self.period else None
        if self.as_of:
            d["as_of"] = self.as_of
        if self.by:
            d["by"] = list(self.by)
        return d

    def describe(self) -> str:
        """One line a reporter can read: 'RUSSIA, Southwest Land Border, November 2022'."""
        labels = metadata.value_labels()
        parts = []
        for dim, vals in self.filters:
            shown = [labels.get(dim, {}).get(v, v) if dim != "citizenship" else v for v in vals]
            name = metadata.DIMENSIONS[dim].label.lower()
            text = " or ".join(shown)
            parts.append(text if dim in ("citizenship", "region") else f"{name} {text}")
        if not self.values("region"):
            parts.append("nationwide")
        if self.period:
            parts.append(self.period.describe())
        if self.as_of:
            parts.append(f"as of release {self.as_of}")
        return ", ".join(parts)


@lru_cache(maxsize=64)
def _choices(dimension: str, known: tuple[str, ...]) -> matching.Names:
    """The spellings of a dimension's values: the aliases, then the database's own values (built once
    per set of known values; a claim check resolves thousands of values)."""
    choices = dict(metadata.aliases().get(dimension, {}))
    for value in known:
        choices.setdefault(metadata.fold(value), value)
    return matching.Names.of(choices)


def resolve_value(dimension: str, text: str, known: Iterable[str] = ()) -> str:
    """Canonical value of ``text`` for ``dimension`` (aliases, demonyms, codes, any case)."""
    names = _choices(dimension, tuple(known))
    hit = names.exact(text)
    if hit is not None:
        return hit
    key = metadata.fold(text)
    # "Del Rio" -> "Del Rio Sector"; "El Paso" is ambiguous between a sector and a field office.
    prefixed = (
        sorted({v for k, v in names.spellings.items() if k.startswith(key + " ")}) if len(key) >= 3 else []
    )
    if len(prefixed) == 1:
        return prefixed[0]
    if len(prefixed) > 1:
        raise UnknownValueError(dimension, text, prefixed, problem="ambiguous")
    # " | " because some names have commas of their own ("CHINA, PEOPLES REPUBLIC OF")
    allowed = " | ".join(sorted(set(names.spellings.values()))) if dimension != "state" else ""
    if dimension == "region":
        allowed = "southwest, northern, other, nationwide"
    raise UnknownValueError(dimension, text, names.suggest(text), allowed if len(allowed) < 600 else "")


def _split(dimension: str, raw: Any, known: Iterable[str]) -> tuple[str, ...]:
    items: list[str] = []
    for item in [raw] if isinstance(raw, str) else list(raw):
        text = str(item).strip()
        if not text:
            continue
        try:
            items.append(resolve_value(dimension, text, known))
        except UnknownValueError:
            # "russia,ukraine" -- but "CHINA, PEOPLES REPUBLIC OF" has a comma of its own.
            if "," not in text:
                raise
            items.extend(
                resolve_value(dimension, part.strip(), known) for part in text.split(",") if part.strip()
            )
    return tuple(sorted(dict.fromkeys(items)))


def build_question(
    *,
    period: str | Period | None = None,
    as_of: str | None = None,
    today: dt.date | None = None,
    known: Mapping[str, Iterable[str]] | None = None,
    by: Iterable[str] = (),
    **filters: Any,
) -> Question:
    """Build a Question from user input. ``known`` adds the database's values (new AORs, states)."""
    unknown = set(filters) - set(FILTERS)
    if unknown:
        name = sorted(unknown)[0]
        suggestions = matching.Names.of({f: f for f in FILTERS}).suggest(name)
        raise UnknownValueError("filter", name, suggestions, ", ".join(FILTERS))
    resolved: dict[str, tuple[str, ...]] = {}
    for dim in FILTERS:
        raw = filters.get(dim)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        if dim == "region":
            values = [raw] if isinstance(raw, str) else list(raw)
            parts = [p for v in values for p in str(v).split(",")]
            if any(metadata.fold(p) in NATIONWIDE for p in parts):  # nationwide includes every region
                continue
        vals = _split(dim, raw, (known or {}).get(dim, ()))
        if vals:
            resolved[dim] = vals
    if "region" in resolved and set(resolved["region"]) == {"southwest", "northern", "other"}:
        del resolved["region"]
    p = parse_period(period, today=today) if isinstance(period, str) else period
    return Question(
        filters=tuple(sorted(resolved.items())),
        period=p,
        as_of=as_of.strip() if as_of else None,
        by=tuple(by),
    )
