"""The values passed between extract, resolve and verdict, and the public :class:`ClaimResult`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from borderdesk.claims.choose import Sourced
from borderdesk.claims.numbers import Figure
from borderdesk.claims.pieces import PeriodPick

QUALIFIERS = ("exact", "about", "more_than", "at_least", "nearly", "less_than")
VERDICTS = ("supported", "inaccurate", "unverifiable")

__all__ = [
    "QUALIFIERS",
    "VERDICTS",
    "Candidate",
    "ClaimResult",
    "PeriodPick",
    "Rejected",
    "Report",
    "Sourced",
]


@dataclass(frozen=True)
class Candidate:
    """A number the reader decided is an encounter claim, with every cue it needs and where each came
    from (for the reason)."""

    figure: Figure
    span: tuple[int, int]  # its segment's start .. end of the figure: the JSON's span and text
    claim_span: tuple[int, int]  # qualifier + figure, what a reader highlights
    sentence: tuple[int, int]
    qualifier: str
    kind: str  # count | comparison
    cues: Mapping[str, Sourced]
    period: PeriodPick | None = None  # a count's period (None: the latest published month)
    reference: PeriodPick | None = None  # what 'a year earlier' / 'the previous month' count from
    current: PeriodPick | None = None  # a comparison's later side
    base: PeriodPick | None = None  # a comparison's earlier side (None: the default comparator)
    direction: str | None = None  # up | down (comparisons)
    each: bool = False
    role: str = "main"  # main | sibling | comparator | subset | container | total | change
    default_period: str | None = None  # 'comparator': the month (or year) before its main number's
    difference: bool = False  # a stated difference ('up 2,300', '120,000 fewer'), judged on the counts
    ongoing: bool = False  # 'have apprehended ... in December' (written in December): the month is not over

    def values(self, category: str) -> tuple[str, ...]:
        s = self.cues.get(category)
        return s.values if s else ()


@dataclass(frozen=True)
class Rejected:
    """A number that is not a claim, and why (kept for tests and debugging)."""

    figure: Figure
    reason: str


@dataclass(frozen=True)
class ClaimResult:
    """One checked claim: the fields of claim-check.md's JSON (``to_dict``), plus where it sits."""

    span: tuple[int, int]
    text: str
    number: int | float
    qualifier: str
    kind: str
    question: dict[str, Any] | None
    value: int | float | None
    verdict: str
    reason: str
    alternatives: list[dict[str, Any]] = field(default_factory=list)
    release: dict[str, Any] | None = None
    sql: str | None = None
    as_published: dict[str, Any] | None = None
    cues: list[dict[str, Any]] = field(default_factory=list)
    figure_span: tuple[int, int] = (0, 0)
    sentence: tuple[int, int] = field(default=(0, 0), compare=False)
    claim_span: tuple[int, int] = field(default=(0, 0), compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "span": list(self.span),
            "text": self.text,
            "number": self.number,
            "qualifier": self.qualifier,
            "kind": self.kind,
            "question": self.question,
            "value": self.value,
            "verdict": self.verdict,
            "reason": self.reason,
            "alternatives": self.alternatives,
            "release": self.release,
            "sql": self.sql,
            "as_published": self.as_published,
            "figure_span": list(self.figure_span),
            "cues": self.cues,
        }


@dataclass(frozen=True)
class Report:
    """Everything ``borderdesk check`` prints: the date the text was read at and its claims."""

    date: str
    claims: tuple[ClaimResult, ...]
    notes: tuple[str, ...] = ()
    #: For a checked web page: ``{"url", "title", "date", "date_from"}`` (see ``Article.source``).
    source: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"date": self.date, "claims": [c.to_dict() for c in self.claims]}
        if self.notes:
            d["notes"] = list(self.notes)
        if self.source is not None:
            d["source"] = dict(self.source)
        return d

    @property
    def inaccurate(self) -> int:
        return sum(c.verdict == "inaccurate" for c in self.claims)
