"""Analyses built on the query engine: surges, revisions between vintages, the events timeline, briefs.

Each returns a :class:`~borderdesk.analysis.result.Table` (columns, rows, releases, method) or, for
briefs, a :class:`~borderdesk.analysis.brief.Brief`; :class:`borderdesk.Desk` exposes them as methods
and the CLI as ``surges``, ``revisions``, ``events`` and ``brief``.
"""

from borderdesk.analysis.result import Table

__all__ = ["Table"]
