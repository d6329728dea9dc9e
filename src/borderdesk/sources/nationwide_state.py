"""CBP "Nationwide Encounters" by state (cbp.gov/newsroom/stats/nationwide-encounters, *-state.csv).

Nine columns; no Component, Area of Responsibility or Encounter Type. The running fiscal year is
labelled like ``2024 (FYTD)``; ``Month Grouping`` (FYTD/Remaining) is ignored.
"""

from __future__ import annotations

from borderdesk.sources.base import SourceFormat
from borderdesk.sources.cbp import CbpFamily

FORMAT = SourceFormat(
    name="nationwide-state",
    family="state",
    title="CBP Nationwide Encounters by state",
    columns={
        "fiscal_year": ("Fiscal Year",),
        "month_grouping": ("Month Grouping",),
        "month": ("Month (abbv)", "Month (abbv.)", "Month"),
        "region": ("Land Border Region",),
        "state": ("State",),
        "demographic": ("Demographic",),
        "citizenship": ("Citizenship",),
        "title": ("Title of Authority",),
        "count": ("Encounter Count",),
    },
    ignored=frozenset({"month_grouping"}),
    key=("fiscal_year", "month", "region", "state", "demographic", "citizenship", "title"),
)

FAMILY = CbpFamily(
    FORMAT,
    title="Nationwide Encounters by state",
    dimensions=frozenset({"region", "state", "demographic", "citizenship", "title"}),
)
