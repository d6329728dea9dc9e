"""The dashboard's filter forms: which fields a page has, their labels, hints and choices (from the one
parameter spec, the metadata and the database), and reading them back from a URL query — leniently,
since people share and edit URLs.

Unknown query parameters are ignored here (utm tags, old links); bad *values* are the core's to refuse,
and the page then shows its error next to the form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from borderdesk import metadata
from borderdesk import params as spec
from borderdesk.errors import PARAMETER, ParameterError
from borderdesk.http.problems import allowed_values
from borderdesk.params import MAX_TEXT, REGIONS
from borderdesk.values import Month

if TYPE_CHECKING:
    from starlette.datastructures import QueryParams

    from borderdesk.desk import Desk

REGION_LABELS = {
    "nationwide": "Nationwide",
    "southwest": "Southwest land border",
    "northern": "Northern land border",
    "other": "Other (air and sea)",
}
BY_LABELS = {
    "": "Nothing (one line)",
    "region": "Region",
    "component": "Component (USBP/OFO)",
    "demographic": "Demographic",
    "title": "Title 8 / 42",
    "encounter_type": "Encounter type",
    "citizenship": "Citizenship",
}
# "" is the default (month), so an untouched form leaves interval out of the URL
INTERVAL_LABELS = {"": "Month", "fiscal_year": "Fiscal year", "calendar_year": "Calendar year"}


@dataclass
class Field:
    name: str
    label: str
    value: str = ""
    kind: str = "text"  # text (with suggestions) or select
    options: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    hint: str = ""
    advanced: bool = False

    @property
    def id(self) -> str:
        return "f-" + self.name.replace("_", "-")


def choices(desk: Desk, dim: str) -> list[tuple[str, str]]:
    """(value, label) of a dimension: closed ones from the metadata, open ones as CBP's releases hold
    them (the API's ``allowed`` list: no country CBP pools into OTHER, no state without data)."""
    if dim == "region":
        return [(r, REGION_LABELS[r]) for r in REGIONS]
    labels = metadata.value_labels().get(dim, {})
    values = allowed_values(desk, dim) or []
    return [(v, labels.get(v, v)) for v in values]


def read(query: QueryParams | dict[str, str], names: tuple[str, ...]) -> dict[str, str]:
    """The named fields of a query, trimmed; repeated filters (``citizenship=a&citizenship=b``) joined
    (:func:`~borderdesk.params.join_values`) so they round-trip through one text box."""
    out: dict[str, str] = {}
    for name in names:
        values = query.getlist(name) if hasattr(query, "getlist") else [query.get(name, "")]
        text = spec.join_values(values)
        if len(text) > MAX_TEXT:
            message = f"{PARAMETER} is longer than {MAX_TEXT} characters"
            raise ParameterError(name, message, value=text[:MAX_TEXT] + "…")
        out[name] = text
    return out


def question_kwargs(form: dict[str, str]) -> dict[str, Any]:
    """Form values -> keyword arguments of the Desk's questions (empty fields dropped)."""
    return spec.collect(
        {p.name: spec.split_values(form.get(p.name, "")) for p in spec.QUESTION}, spec.QUESTION
    )


def query_string(form: dict[str, str], names: tuple[str, ...] | None = None, **extra: str) -> str:
    """A shareable query string of the non-empty fields (repeated filters repeated again)."""
    pairs: list[tuple[str, str]] = []
    for name, text in {**form, **extra}.items():
        if names is not None and name not in names and name not in extra:
            continue
        pairs.extend((name, part) for part in spec.split_values(text))
    return urlencode(pairs)


def filter_fields(desk: Desk, form: dict[str, str], names: tuple[str, ...]) -> list[Field]:
    """The form's fields, in order, with the user's values (escaped by the template, never here)."""
    fields = []
    for name in names:
        value = form.get(name, "")
        p = spec.BY_NAME.get(name)
        if p is not None and p.closed:
            opts = choices(desk, name)
            if name != "region":  # no region means nationwide, which the list has
                opts = [("", "All"), *opts]
            fields.append(Field(name, p.label, value, "select", opts, advanced=p.advanced))
        elif p is not None and p.dimension is not None:
            fields.append(Field(name, p.label, value, "text", choices(desk, name), p.hint, p.advanced))
        elif p is spec.PERIOD:
            fields.append(Field(name, p.label, value, "text", [], p.hint))
        elif p is spec.AS_OF:
            opts = [("", "Newest for each month"), *[(r.label, r.label) for r in desk.release_list()]]
            fields.append(Field(name, p.label, value, "select", opts, advanced=p.advanced))
        elif name == "by":
            fields.append(Field(name, "Split by", value, "select", list(BY_LABELS.items())))
        elif name == "interval":
            fields.append(
                Field(
                    name,
                    "Interval",
                    "" if value.replace("-", "_") == "month" else value.replace("-", "_"),
                    "select",
                    list(INTERVAL_LABELS.items()),
                    advanced=True,
                )
            )
        elif name == "top":
            fields.append(Field(name, "How many", value, "text", [], "1 to 100; default 20"))
    return fields


def last_months(desk: Desk, n: int) -> str | None:
    """The last ``n`` months of the newest release, as a period: '2024-12..2025-11'."""
    newest = desk.newest_release()
    if newest is None:
        return None
    end = newest.coverage_end
    start = (Month.from_date(end) - (n - 1)).first_day
    return f"{start:%Y-%m}..{end:%Y-%m}"
