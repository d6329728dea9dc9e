"""Claim checking: find the numeric claims about border encounters in a text, turn each into
questions for the query engine, and give a verdict with its evidence (see claim-check.md).

extract (text -> candidate claims with their cues) · resolve (cues + date -> readings) ·
verdict (readings -> supported / inaccurate / unverifiable, with the reason).

>>> import borderdesk
>>> desk = borderdesk.open()                                              # doctest: +SKIP
>>> [c.verdict for c in desk.check(open("article.txt").read(), date="2022-12-28")]  # doctest: +SKIP
['inaccurate', 'supported', 'supported']
"""

from borderdesk.claims.check import check
from borderdesk.claims.model import ClaimResult, Report

__all__ = ["ClaimResult", "Report", "check"]
