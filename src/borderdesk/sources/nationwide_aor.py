"""CBP "Nationwide Encounters" by area of responsibility (*-aor.csv), and its snake_case derivatives.

Twelve columns: Component (USBP/OFO), the sector or field office and its abbreviation, and the
Encounter Type (apprehensions, inadmissibles, expulsions). TidyTuesday 2024-11-26 ``cbp_resp`` is the
same table with janitor::clean_names() headers; the registry accepts both spellings.
"""

from __future__ import annotations

from borderdesk.sources.base import SourceFormat
from borderdesk.sources.cbp import CbpFamily

FORMAT = SourceFormat(
    name="nationwide-aor",
    family="aor",
    title="CBP Nationwide Encounters by area of responsibility",
    columns={
        "fiscal_year": ("Fiscal Year",),
        "month_grouping": ("Month Grouping",),
        "month": ("Month (abbv)", "Month (abbv.)", "Month"),
        "component": ("Component",),
        "region": ("Land Border Region",),
        "aor": ("Area of Responsibility",),
        "aor_abbv": ("AOR (Abbv)", "AOR (abbv)", "AOR Abbv"),
        "demographic": ("Demographic",),
        "citizenship": ("Citizenship",),
        "title": ("Title of Authority",),
        "encounter_type": ("Encounter Type",),
        "count": ("Encounter Count",),
    },
    ignored=frozenset({"month_grouping", "aor_abbv"}),
    key=(
        "fiscal_year",
        "month",
        "component",
        "region",
        "aor",
        "demographic",
        "citizenship",
        "title",
        "encounter_type",
    ),
)

FAMILY = CbpFamily(
    FORMAT,
    title="Nationwide Encounters by area of responsibility",
    dimensions=frozenset(
        {"region", "aor", "component", "demographic", "citizenship", "title", "encounter_type"}
    ),
)
