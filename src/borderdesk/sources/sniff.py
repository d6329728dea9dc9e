"""Recognise a CBP release format from its header row (never from the file name).

The formats are passed in (the registry's CBP families give theirs), so this module depends on no
format module: :func:`exact` is how one CBP family detects its own files, :func:`sniff` how the
reader names the closest format when no family recognised a file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from borderdesk.errors import ReleaseFormatError
from borderdesk.metadata import fold
from borderdesk.sources.base import SourceFormat

VARIANTS = ("cbp", "snake_case")


@dataclass(frozen=True)
class Sniffed:
    format: SourceFormat
    variant: str
    # field -> 0-based position of its column in the file
    positions: dict[str, int]
    header: tuple[str, ...]

    @property
    def derived(self) -> bool:
        """True for re-published derivatives (snake_case headers), not CBP's own file."""
        return self.variant != "cbp"


def _match(fmt: SourceFormat, variant: str, folded: list[str]) -> tuple[dict[str, int], list[str], list[int]]:
    """(positions of matched fields, missing fields' first spelling, positions of unexpected columns)."""
    positions: dict[str, int] = {}
    missing: list[str] = []
    for fld, spells in fmt.spellings(variant).items():
        wanted = {fold(s) for s in spells}
        hits = [i for i, h in enumerate(folded) if h in wanted]
        if hits:
            positions[fld] = hits[0]
        else:
            missing.append(spells[0])
    used = set(positions.values())
    extra = [i for i in range(len(folded)) if i not in used]
    return positions, missing, extra


def exact(fmt: SourceFormat, header: list[str]) -> Sniffed | None:
    """``fmt`` in the variant whose spellings match ``header`` exactly (any order, any case), or None."""
    folded = [fold(h) for h in header]
    if len(set(folded)) != len(folded):
        return None
    for variant in VARIANTS:
        positions, missing, extra = _match(fmt, variant, folded)
        if not missing and not extra:
            return Sniffed(fmt, variant, positions, tuple(header))
    return None


def sniff(header: list[str], file: str, formats: tuple[SourceFormat, ...]) -> Sniffed:
    """The format whose header spellings match ``header`` exactly (in any order, any case); else a
    :class:`~borderdesk.errors.ReleaseFormatError` naming the closest of ``formats``."""
    folded = [fold(h) for h in header]
    # Counted once (not list.count per column): a 100,000-column header must not take minutes.
    dupes = sorted(h for h, n in Counter(folded).items() if n > 1)
    if dupes:
        col = folded.index(dupes[0])
        raise ReleaseFormatError(
            file,
            "the header names a column twice",
            line=1,
            column=header[col],
            column_number=col + 1,
            value=header[col],
            expected="each column once",
        )
    best: tuple[int, SourceFormat, str, list[str], list[int]] | None = None
    for fmt in formats:
        for variant in VARIANTS:
            positions, missing, extra = _match(fmt, variant, folded)
            if not missing and not extra:
                return Sniffed(fmt, variant, positions, tuple(header))
            # closest = fewest columns to rename, add or drop
            score = -(len(missing) + len(extra))
            if best is None or score > best[0]:
                best = (score, fmt, variant, missing, extra)
    assert best is not None
    _, fmt, variant, missing, extra = best
    known = "; ".join(f"{f.title}: " + ", ".join(spells[0] for spells in f.columns.values()) for f in formats)
    if len(header) == 1 and any(sep in header[0] for sep in ("\t", ";", "|")):
        raise ReleaseFormatError(
            file, "the header is one field", line=1, value=header[0], expected=("comma-separated columns")
        )
    parts = []
    if missing:
        parts.append("missing column(s) " + ", ".join(repr(m) for m in missing))
    if extra:
        parts.append("unexpected column(s) " + ", ".join(repr(header[i]) for i in extra))
    closest = f"closest format: {fmt.title} ({'CBP' if variant == 'cbp' else 'snake_case'} spelling)"
    # Point at the first unexpected column when there is one; a missing column has no place to point at.
    at = extra[0] if extra else None
    raise ReleaseFormatError(
        file,
        "header does not match any known CBP release format (" + "; ".join(parts) + f"; {closest})",
        line=1,
        column=header[at] if at is not None else None,
        column_number=at + 1 if at is not None else None,
        value=header[at] if at is not None else ",".join(header),
        expected="one of the CBP headers, columns in any order: " + known,
    )
