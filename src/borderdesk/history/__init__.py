"""Answers from the Border Patrol history tables: the DHS OHSS USBP workbook (FY2000 on, 135
citizenships, rounded to 10) and the USBP historical statistics (FY1925-FY2019, exact).

Use it through :class:`borderdesk.Desk` (``desk.count(..., source="ohss")``, ``desk.history(...)``)
or directly: :func:`count`, :func:`series`, :func:`table` take the same :class:`~borderdesk.query.Question`
as the CBP engine and return the same :class:`~borderdesk.query.Answer` / ``Frame`` types, with
``caveats`` ("Border Patrol only", "rounded") that every shell must show.
"""

from borderdesk.history.query import FAMILIES, SOURCES, count, family_for, series, table

__all__ = ["FAMILIES", "SOURCES", "count", "family_for", "series", "table"]
