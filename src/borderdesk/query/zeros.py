"""A count of zero, explained: a slice the data cannot hold is an error naming why; a true zero says so.

CBP's files list only rows with encounters, so a zero is either a slice that exists in the data and
had none in these months (a true zero), or a combination of filters the data never holds: a Border
Patrol sector with the Office of Field Operations (sectors have no ports of entry), Title 42 after May
2023. Answering 0 to the second kind is a quiet wrong answer. Both are decided from the rows
themselves, not from lists kept by hand: which values ever appear together, and in which months.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import permutations
from typing import Any

import duckdb

from borderdesk import metadata
from borderdesk.errors import CoverageError
from borderdesk.query.catalog import Answer, Catalog
from borderdesk.query.periods import month_words
from borderdesk.query.refusal import period_words
from borderdesk.values import date_index

#: Dimensions whose values are legal authorities in force for a time (Title 42 from March 2020 to May
#: 2023, and its expulsions): outside the months the data holds them, a zero is not an answer.
REGIMES = ("title", "encounter_type")
#: What a true zero says beside the number.
TRUE_ZERO = "the data has this slice, and it is zero"

Filters = list[tuple[str, list[int]]]


class OutsideRegimeError(CoverageError):
    """A slice asked for months when its legal authority was not in force (Title 42 in FY2024). A
    reader asking for a number gets this error; a claim checker, which needs the value a claim is
    measured against, takes :attr:`answer`: the zero it is (Title 42 had ended, so there were none)."""

    def __init__(self, message: str, answer: Answer) -> None:
        super().__init__(message)
        self.answer = answer


def _where(release_ids: list[int], filters: Filters) -> tuple[str, list[Any]]:
    """Rows of these releases matching every filter; column names come from the engine's whitelist."""
    clauses = [f"release_id IN ({', '.join('?' for _ in release_ids)})"]
    params: list[Any] = list(release_ids)
    for dim, codes in filters:
        clauses.append(f"{dim} IN ({', '.join('?' for _ in codes)})")
        params += codes
    return " AND ".join(clauses), params


def _span(
    con: duckdb.DuckDBPyConnection, catalog: Catalog, release_ids: list[int], filters: Filters
) -> tuple[int, int] | None:
    """First and last month the data holds rows matching ``filters`` (None: never): from the releases'
    arrays when the fact index holds them all (a zero's check then costs microseconds, not a scan of
    every release), else by SQL."""
    tables = catalog.index.held(release_ids)
    if tables is not None:
        spans = [s for s in (t.span(filters) for t in tables) if s is not None]
        return (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None
    where, params = _where(release_ids, filters)
    row = con.execute(f"SELECT min(month), max(month) FROM facts WHERE {where}", params).fetchone()
    if row is None or row[0] is None:
        return None
    return date_index(row[0]), date_index(row[1])


def _holds(
    con: duckdb.DuckDBPyConnection, catalog: Catalog, release_ids: list[int], filters: Filters
) -> bool:
    """Whether any row of these releases matches every filter: the releases the fact index holds are
    asked first, from their arrays (a zero's check then costs microseconds, not a scan of every release);
    SQL asks the others only when none of those does."""
    loaded = catalog.index.held_among(release_ids)
    if any(t.span(filters) is not None for t in loaded.values()):
        return True
    rest = [rid for rid in release_ids if rid not in loaded]
    if not rest:
        return False
    where, params = _where(rest, filters)
    return con.execute(f"SELECT 1 FROM facts WHERE {where} LIMIT 1", params).fetchone() is not None


def _words(catalog: Catalog, dim: str, codes: list[int]) -> str:
    names = catalog.names(dim)
    labels = metadata.value_labels().get(dim, {})
    return " or ".join(labels.get(names[c], names[c]) if dim != "citizenship" else names[c] for c in codes)


def _sector_or_office(aor: str, component: str) -> str:
    """The AOR/component case in a reader's words; which component an AOR has comes from the data."""
    if component == "usbp":
        return f"{aor} is a Border Patrol sector: it has no ports of entry (OFO)"
    return f"{aor} is an OFO field office: it has no Border Patrol sector (USBP)"


def _never_together(
    con: duckdb.DuckDBPyConnection, catalog: Catalog, release_ids: list[int], filters: Filters
) -> str:
    """Why no row of the data matches these filters together: the first pair that never meets."""
    for (a, codes_a), (b, codes_b) in permutations(filters, 2):
        where, params = _where(release_ids, [(a, codes_a)])
        with_a = [
            r[0] for r in con.execute(f"SELECT DISTINCT {b} FROM facts WHERE {where}", params).fetchall()
        ]
        if set(with_a) & set(codes_b):
            continue
        present = sorted(c for c in with_a if c is not None)
        if (a, b) == ("aor", "component") and len(codes_a) == 1 and len(present) == 1:
            return _sector_or_office(catalog.names(a)[codes_a[0]], catalog.names(b)[present[0]])
        label_b = metadata.DIMENSIONS[b].label.lower()
        subject = f"{metadata.DIMENSIONS[a].label.lower()} {_words(catalog, a, codes_a)}"
        found = f"; it appears only with {_words(catalog, b, present[:6])}" if present else ""
        return f"{subject} never appears with {label_b} {_words(catalog, b, codes_b)} in the data{found}"
    asked = ", ".join(f"{metadata.DIMENSIONS[d].label.lower()} {_words(catalog, d, c)}" for d, c in filters)
    return f"the data holds no rows with {asked} together in any month"


def checked_zero(
    con: duckdb.DuckDBPyConnection, catalog: Catalog, answer: Answer, filters: Filters
) -> Answer:
    """``answer`` if it is not a zero; a zero the data holds, with :data:`TRUE_ZERO` as its note; else
    CoverageError naming why the data cannot hold the slice."""
    if answer.value != 0 or not filters or answer.period is None or answer.period.end is None:
        return answer
    if answer.question.as_of:
        release_ids = [r.release_id for r in answer.releases]
    else:
        release_ids = sorted(set(catalog.latest.get(answer.family, {}).values()))
    if not _holds(con, catalog, release_ids, filters):
        raise CoverageError(_never_together(con, catalog, release_ids, filters))
    period = answer.period
    for dim, codes in filters:
        if dim not in REGIMES:
            continue
        span = _span(con, catalog, release_ids, [(dim, codes)])
        if span is not None and (period.end < span[0] or period.start > span[1]):  # type: ignore[operator]
            raise OutsideRegimeError(
                f"{_words(catalog, dim, codes)} is in the data only from {month_words(span[0])} to "
                f"{month_words(span[1])}, not in {period_words(answer.question.period, period)}",
                replace(answer, note=f"{TRUE_ZERO}: {_words(catalog, dim, codes)} was not in force"),
            )
    return replace(answer, note=TRUE_ZERO)
