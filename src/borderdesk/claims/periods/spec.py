"""What a period phrase says, before the publication date gives it months.

A :class:`PeriodSpec` is a small tree: a *point* (a month, a fiscal or calendar year, a quarter, a part of
a year) or a *composition* of points (a range, a window of N months ending at a point, 'through' a point,
'since' a point), or a *relative* form ('last month', 'a year earlier', 'last March'). The grammar
(:mod:`.grammar`) builds them; :mod:`.resolve` turns them into months.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

#: kinds that only reserve their span: a day ('Sept. 30'), a record comparison ('the most since 2000')
MARKERS = frozenset({"date", "ignore"})
#: kinds relative to another claim's period ('a year earlier' is a year before *that*)
RELATIVE = frozenset(
    {"previous_month", "year_earlier", "year_later", "context_fiscal_year", "same_in_year", "context_month"}
)
#: points: kinds that can stand at either end of a range
POINTS = frozenset({"month", "fiscal_year", "calendar_year", "year", "quarter", "half", "part"})


@dataclass(frozen=True)
class PeriodSpec:
    """One period phrase as parsed. Which fields matter depends on ``kind``:

    ========================  ===========================================================================
    month                     ``month`` 1-12, ``year`` (None: the most recent such month before the date)
    fiscal_year, calendar_year, year (either: two readings)   ``year``
    quarter, half             ``n`` (1-4, 1-2) of the whole year in ``start``
    part                      the first (``which`` 1) or last (-1) ``n`` months of the whole in ``start``
    window                    ``n`` months ending with ``end`` (``which`` 1: through it; 0: before it)
    range                     from the first month of ``start`` to the last month of ``end``
    through                   from the start of the fiscal year to the point ``end``
    since                     from the point ``start`` to the latest published month
    event                     months ``first_month`` .. ``last_month`` (None: up to the latest published)
    fytd                      October to the latest published month (``year``: that fiscal year)
    past_months               the ``n`` months ending with the latest published month
    last_named_month          'last March': the most recent ``month`` before the date, or the one before
    same_in_year              the reference period's months in ``year``
    date, ignore, partial     not a period ('Sept. 30'; 'the most since 2000'; 'since May 11': ``note``)
    ========================  ===========================================================================
    """

    kind: str
    month: int | None = None
    year: int | None = None
    n: int | None = None
    which: int | None = None
    start: PeriodSpec | None = None
    end: PeriodSpec | None = None
    first_month: int | None = None
    last_month: int | None = None
    note: str = ""


@dataclass(frozen=True)
class PeriodCue:
    """A period phrase found in the text: its span, its words and what it says."""

    start: int
    end: int
    text: str
    spec: PeriodSpec

    @property
    def meaningful(self) -> bool:
        """Does it say something about a claim's period (not a day or a record comparison)?"""
        return self.spec.kind not in MARKERS


def range_start(spec: PeriodSpec) -> PeriodSpec:
    """The first side of a range as a period of its own: 'from February to March 2022' starts in
    February 2022, not in the last February before the date."""
    a, b = spec.start, spec.end
    assert a is not None
    if (
        b is not None
        and a.kind == "month"
        and a.year is None
        and b.kind == "month"
        and b.year is not None
        and a.month is not None
        and b.month is not None
    ):
        return replace(a, year=b.year if a.month <= b.month else b.year - 1)
    return a
