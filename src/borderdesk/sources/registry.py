"""The source families borderdesk knows, in the order a file is offered to them, and what asks them.

Adding a release format is adding one module that declares a ``FAMILY`` (a
:class:`~borderdesk.sources.family.SourceFamily`) and listing it in :data:`SOURCE_FAMILIES` below:
detection at ingest, the schema's migrations, the query engine's choice of family and the recency rule
all read this list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from borderdesk.sources import cbp
from borderdesk.sources.base import SourceFormat
from borderdesk.sources.cbp import CbpFamily
from borderdesk.sources.family import SourceFamily, Vintage, vintage_recency
from borderdesk.sources.nationwide_aor import FAMILY as AOR
from borderdesk.sources.nationwide_state import FAMILY as STATE
from borderdesk.sources.ohss_usbp import FAMILY as OHSS_USBP
from borderdesk.sources.sniff import VARIANTS, Sniffed
from borderdesk.sources.sniff import sniff as _sniff
from borderdesk.sources.southwest import FAMILY as SOUTHWEST
from borderdesk.sources.usbp_historical import FAMILY as USBP_HISTORICAL

if TYPE_CHECKING:
    from borderdesk.sources.cbp import LoadedRelease
    from borderdesk.sources.history import LoadedHistory
    from borderdesk.sources.reader import RawFile

#: Every family, in the order a file is offered to them. The Border Patrol history formats come first:
#: they are recognised by their content (an .xlsx's sheets, a CSV's exact header), while CBP's files
#: are recognised by a header that also names the closest format when nothing matched. CBP's families
#: are listed most detailed first: on a tie the engine prefers the earlier one.
SOURCE_FAMILIES: tuple[SourceFamily, ...] = (OHSS_USBP, USBP_HISTORICAL, STATE, AOR, SOUTHWEST)

#: The CBP formats, whose headers a file that no family recognised is compared with.
FORMATS: tuple[SourceFormat, ...] = tuple(f.format for f in SOURCE_FAMILIES if isinstance(f, CbpFamily))

__all__ = ["FORMATS", "SOURCE_FAMILIES", "VARIANTS", "Sniffed", "family", "load", "recency", "sniff"]


def family(name: str) -> SourceFamily | None:
    """The registered family called ``name`` (as ``releases.family`` stores it), or None."""
    return _BY_NAME.get(name)


_BY_NAME: dict[str, SourceFamily] = {f.name: f for f in SOURCE_FAMILIES}


def default_families() -> tuple[SourceFamily, ...]:
    """The families a question that names no source is answered from, in preference order."""
    return tuple(f for f in SOURCE_FAMILIES if f.default)


def named_families() -> tuple[SourceFamily, ...]:
    """The families answered only when asked by name (or as the Border Patrol fallback)."""
    return tuple(f for f in SOURCE_FAMILIES if not f.default)


def recency(release: Vintage, family_name: str | None = None) -> tuple[Any, ...]:
    """How new ``release`` is, by its family's recency key (the one rule, for a family not registered)."""
    fam = _BY_NAME.get(family_name or str(getattr(release, "family", "")))
    return fam.recency(release) if fam is not None else vintage_recency(release)


def migrations() -> dict[int, str]:
    """Schema version -> the SQL the families add at that step (a table two families share, once)."""
    out: dict[int, list[str]] = {}
    for fam in SOURCE_FAMILIES:
        for version, sql in fam.migrations.items():
            steps = out.setdefault(version, [])
            if sql not in steps:
                steps.append(sql)
    return {v: "\n".join(steps) for v, steps in out.items()}


def load(raw: RawFile) -> LoadedRelease | LoadedHistory:
    """Read ``raw`` with the first family that recognises it; a file none recognises is read as a CBP
    file, so that the error names its closest CBP format (or what the file is instead of a CSV)."""
    for fam in SOURCE_FAMILIES:
        reader = fam.detect(raw)
        if reader is not None:
            return reader(raw)  # type: ignore[return-value]
    return cbp.read(raw, FORMATS)


def sniff(header: list[str], file: str) -> Sniffed:
    """The CBP format whose header spellings match ``header`` (see :func:`borderdesk.sources.sniff.sniff`)."""
    return _sniff(header, file, FORMATS)
