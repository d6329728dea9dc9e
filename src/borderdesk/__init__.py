"""borderdesk: U.S. CBP border-encounter statistics, every release a vintage, every number traceable.

>>> import borderdesk
>>> desk = borderdesk.open()                       # doctest: +SKIP
>>> desk.count(citizenship="russia", region="southwest", period="2022-11").value   # doctest: +SKIP
5507
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from borderdesk.desk import Desk, open
from borderdesk.errors import BorderdeskError
from borderdesk.query import Answer, Period, Question
from borderdesk.store import Release

try:
    __version__ = version("borderdesk")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0"

__all__ = ["Answer", "BorderdeskError", "Desk", "Period", "Question", "Release", "__version__", "open"]
