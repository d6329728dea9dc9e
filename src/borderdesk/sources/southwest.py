"""CBP "Southwest Land Border Encounters" (sbo-encounters-*.csv).

Southwest border only, so there is no region column; citizenship comes as ``Citizenship Grouping`` with
five title-case values (El Salvador, Guatemala, Honduras, Mexico, Other): it cannot answer for Russia.
"""

from __future__ import annotations

from borderdesk.sources.base import SourceFormat
from borderdesk.sources.cbp import CbpFamily

OTHER_GROUP = "OTHER THAN EL SALVADOR, GUATEMALA, HONDURAS, MEXICO"

FORMAT = SourceFormat(
    name="southwest-land-border",
    family="southwest",
    title="CBP Southwest Land Border Encounters",
    columns={
        "fiscal_year": ("Fiscal Year",),
        "month_grouping": ("Month Grouping",),
        "month": ("Month (abbv)", "Month (abbv.)", "Month"),
        "component": ("Component",),
        "demographic": ("Demographic",),
        "citizenship": ("Citizenship Grouping",),
        "title": ("Title of Authority",),
        "encounter_type": ("Encounter Type",),
        "count": ("Encounter Count",),
    },
    ignored=frozenset({"month_grouping"}),
    fixed={"region": "southwest"},
    # This file's "Other" pools everyone but four countries; it is not the nationwide files' OTHER.
    overrides={"citizenship": {"Other": OTHER_GROUP}},
    key=("fiscal_year", "month", "component", "demographic", "citizenship", "title", "encounter_type"),
)

FAMILY = CbpFamily(
    FORMAT,
    title="Southwest Land Border Encounters",
    dimensions=frozenset({"region", "component", "demographic", "citizenship", "title", "encounter_type"}),
    cannot_break_down={
        "region": "covers the Southwest border only",
        "citizenship": "has only five citizenship groups",
    },
    # the file has no region column: its rows are the Southwest region, and only a question about it fits
    needs_filter={"region": "covers the Southwest border only"},
)
