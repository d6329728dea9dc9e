"""One parameter spec for every shell: the question's parameters, said once, and read by the CLI's
options, the HTTP API's query parameters and the dashboard's form fields.

Each :class:`Param` is named by its Python keyword (``Desk.count(as_of=...)``), which is also the name a
:class:`~borderdesk.errors.ParameterError` carries; the shells spell it their own way with
:func:`cli_name` (``--as-of``) and :func:`http_name` (``as_of``). What a filter is (its label, whether
its values are a closed list) comes from :mod:`borderdesk.metadata`, which also fixes their order.

The checks a shell makes before asking the core (``by``, ``interval``) are here too, so the API and the
pages refuse the same input with the same error.

>>> [p.name for p in QUESTION][:3], cli_name("from_release"), http_name("from_release")
(['citizenship', 'region', 'state'], '--from', 'from')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from borderdesk import metadata
from borderdesk.errors import ParameterError
from borderdesk.query.frames import INTERVALS

#: No filter value or period is longer; longer input is an error, not a query.
MAX_TEXT = 200
#: Values of one repeatable filter at most: a sum over more is a table, not a count.
MAX_VALUES = 50


@dataclass(frozen=True)
class Param:
    """One parameter of a question, as every shell offers it."""

    name: str  # the Python keyword, and the name errors carry
    help: str  # the CLI's --help line and the API's description
    flags: tuple[str, ...] = ()  # CLI spellings, the long one first (default: --name-with-hyphens)
    http: str = ""  # query parameter name (default: the keyword)
    many: bool = False  # repeatable: a sum over several values
    example: str = ""  # for OpenAPI
    hint: str = ""  # what the dashboard's text box suggests typing
    advanced: bool = False  # folded away on the dashboard's forms
    title: str = ""  # label where the parameter is not a dimension (a dimension's label is metadata's)

    @property
    def cli(self) -> str:
        return self.flags[0] if self.flags else "--" + self.name.replace("_", "-")

    @property
    def query(self) -> str:
        return self.http or self.name

    @property
    def dimension(self) -> metadata.Dimension | None:
        return metadata.DIMENSIONS.get(self.name)

    @property
    def label(self) -> str:
        dim = self.dimension
        return dim.label if dim is not None else self.title or self.name.replace("_", " ").capitalize()

    @property
    def closed(self) -> bool:
        """Its values are a short fixed list (a select on the dashboard), not an open one."""
        dim = self.dimension
        return dim is not None and dim.closed


# The words of each filter; which filters there are, and in what order, is metadata's.
_FILTER_WORDS: dict[str, dict[str, Any]] = {
    "citizenship": {
        "help": "Country (any case; demonyms and ISO codes work: Russians, RU). Repeatable.",
        "flags": ("--citizenship", "-c"),
        "many": True,
        "example": "russia",
        "hint": "Country or demonym, e.g. Russia, Russians, RU",
    },
    "region": {
        "help": "southwest (alias: 'southern border', SW), northern, other, nationwide (default).",
        "flags": ("--region", "-r"),
        "example": "southwest",
    },
    "state": {
        "help": "State code, e.g. TX (by-state releases). Repeatable.",
        "many": True,
        "example": "TX",
        "hint": "e.g. TX or Texas",
        "advanced": True,
    },
    "aor": {
        "help": "Sector or field office, e.g. 'Del Rio'. Repeatable.",
        "many": True,
        "example": "Del Rio Sector",
        "hint": "e.g. Del Rio Sector",
        "advanced": True,
    },
    "component": {"help": "usbp (Border Patrol) or ofo (ports of entry).", "example": "usbp"},
    "demographic": {
        "help": "single-adults, family-units, uac, accompanied-minors. Repeatable.",
        "many": True,
        "example": "uac",
        "advanced": True,
    },
    "title": {"help": "8 or 42 (title of authority).", "example": "42", "advanced": True},
    "encounter_type": {
        "help": "apprehensions, inadmissibles or expulsions.",
        "example": "expulsions",
        "advanced": True,
    },
}

#: The filters, in metadata's order.
FILTERS: tuple[Param, ...] = tuple(Param(name, **_FILTER_WORDS[name]) for name in metadata.FILTERS)

PERIOD = Param(
    "period",
    "FY2022, FY22, 2022-11, 'Nov 2022', 'Sept. 2022', 2022 (calendar year), 'Q1 FY2024' (fiscal: "
    "Oct-Dec 2023), 'Q1 2024' (calendar), 'first half of 2023', 2022-02..2022-11, 'Nov 2022 - Jan 2023', "
    "'since 2022-02', FY2023-to-date, 'last 12 months' (the newest 12 months of data).",
    flags=("--period", "-p"),
    example="2022-11",
    hint="e.g. FY2023, 2022-11, Nov 2022, 2022-02..2022-11, since 2022-02",
    title="Period",
)
AS_OF = Param(
    "as_of",
    "Answer from this release (label, file name or sha256 prefix).",
    example="state-2023-10",
    advanced=True,
    title="As of release",
)

#: Every question's parameters: what to count, where, when, and from which release.
QUESTION: tuple[Param, ...] = (*FILTERS, PERIOD, AS_OF)
BY_NAME: dict[str, Param] = {p.name: p for p in QUESTION}

#: Parameters whose CLI option or query parameter is not spelt from the keyword (``from`` is a Python
#: keyword, so the core says ``from_release``): keyword -> (CLI option, query parameter).
RENAMED: dict[str, tuple[str, str]] = {
    "from_release": ("--from", "from"),
    "to_release": ("--to", "to"),
    "include_pooled": ("--include-other", "include_other"),
}

#: The values ``region`` takes: the three land border regions of the data and their sum.
REGIONS = ("nationwide", "southwest", "northern", "other")

#: Periods look like these (the --period help); sent back with every period error.
PERIOD_FORMS = (
    "FY2022",
    "FY22",
    "2022-11",
    "Nov 2022",
    "2022",
    "2022-02..2022-11",
    "since 2022-02",
    "FY2023-to-date",
    "last 12 months",
    "Sept. 2022",
    "Q1 FY2024",
    "Q1 2024",
    "first half of 2023",
    "Nov 2022 - Jan 2023",
)


def cli_name(parameter: str) -> str:
    """How the CLI spells a parameter: ``as_of`` -> ``--as-of``, ``from_release`` -> ``--from``."""
    if parameter in BY_NAME:
        return BY_NAME[parameter].cli
    if parameter in RENAMED:
        return RENAMED[parameter][0]
    return Param(parameter, "").cli


def http_name(parameter: str) -> str:
    """How a URL spells a parameter: ``as_of`` -> ``as_of``, ``from_release`` -> ``from``."""
    if parameter in BY_NAME:
        return BY_NAME[parameter].query
    if parameter in RENAMED:
        return RENAMED[parameter][1]
    return parameter


def collect(given: Mapping[str, Any], among: Iterable[Param] = FILTERS) -> dict[str, Any]:
    """The parameters ``among`` (the filters unless told) that ``given`` sets, one-element lists made
    plain values: what ``Desk.count(**filters)`` takes."""
    out: dict[str, Any] = {}
    for p in among:
        value = given.get(p.name)
        if value is None or value == [] or value == ():
            continue
        if isinstance(value, list | tuple):
            value = value[0] if len(value) == 1 else list(value)
        out[p.name] = value
    return out


def dimensions(value: str | None, *, parameter: str = "by", most: int | None = None) -> tuple[str, ...]:
    """``"citizenship,region"`` checked against the dimensions (hyphens and any case accepted)."""
    if value is None or not value.strip():
        return ()
    names = metadata.FILTERS
    dims = tuple(d.strip().lower().replace("-", "_") for d in value.split(",") if d.strip())
    bad = [d for d in dims if d not in names]
    if bad:
        message = f"cannot break down by {bad[0]!r}; choose from {', '.join(names)}"
        raise ParameterError(parameter, message, value=value, allowed=names)
    if most is not None and len(dims) > most:
        message = f"a series can be broken down by {most} dimension at a time"
        raise ParameterError(parameter, message, value=value, allowed=names)
    return dims


def interval(value: str) -> str:
    """month, fiscal_year or calendar_year (hyphens and any case accepted)."""
    key = value.strip().lower().replace("-", "_")
    if key not in INTERVALS:
        message = f"unknown interval {value!r}; choose from {', '.join(INTERVALS)}"
        raise ParameterError("interval", message, value=value, allowed=INTERVALS)
    return key


#: How the dashboard shows several values of one filter in one text box, and reads them back. Not a
#: comma: some names have commas of their own ("CHINA, PEOPLES REPUBLIC OF").
JOIN = " | "


def join_values(values: Iterable[str]) -> str:
    return JOIN.join(v.strip() for v in values if v and v.strip())


def split_values(text: str) -> list[str]:
    return [part.strip() for part in text.split(JOIN) if part.strip()]
