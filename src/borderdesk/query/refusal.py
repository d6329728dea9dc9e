"""Why the data cannot answer a question, in one sentence.

A question is tried against every source family, and each one that fails says why. Several families
failing for the same reason (the period is past the newest month) used to give the same sentence once
per family; here the causes are gathered so the reader gets each once: the period against the data's
first and last month, then only those other causes that matter for these months.
"""

from __future__ import annotations

from dataclasses import dataclass

from borderdesk.query.periods import Period, month_span, month_words


@dataclass(frozen=True)
class Outside:
    """A family that could answer the filters, but not for these months: the months it holds."""

    title: str
    first: int
    last: int


@dataclass(frozen=True)
class Blocked:
    """A family that cannot answer the filters at all (``why``), and the months it holds."""

    why: str
    first: int
    last: int


def period_words(asked: Period | None, resolved: Period) -> str:
    """'period FY2030 (Oct 2029 - Sep 2030)': the period as asked, with its months when the spelling
    does not already say them."""
    text = (asked or resolved).text
    end = resolved.end
    if resolved.kind not in ("month", "range") and end is not None and end >= resolved.start:
        text += f" ({month_span(resolved.start, end)})"
    return f"period {text}"


def _span(resolved: Period) -> tuple[int, int]:
    end = resolved.end if resolved.end is not None and resolved.end >= resolved.start else resolved.start
    return resolved.start, end


def _relation(resolved: Period, first: int, last: int) -> str:
    start, end = _span(resolved)
    if end < first or start > last:
        return "is outside"
    if start < first or end > last:
        return "is partly outside"
    return "is not wholly in"


def refusal(asked: Period | None, resolved: Period, outside: list[Outside], blocked: list[Blocked]) -> str:
    """One sentence. With families that could answer the filters but not the months: the period, and the
    first and last month they hold (each family's span only when the period falls between them); then the
    other families' causes, only for families that hold months the first lack. With none: every cause."""
    if not outside:
        return "no ingested release can answer this: " + "; ".join(dict.fromkeys(b.why for b in blocked))
    first, last = min(o.first for o in outside), max(o.last for o in outside)
    start, end = _span(resolved)
    # a family blocked by the filters matters only if it holds months of the period the others lack
    missing = [(start, min(end, first - 1)), (max(start, last + 1), end)]
    relevant = [
        b.why for b in blocked if any(b.first <= hi and b.last >= lo for lo, hi in missing if lo <= hi)
    ]
    where = "the data that can answer this" if relevant else "the data"
    if first <= start and end <= last and len(outside) > 1:  # between the families' spans: name each
        holds = "which runs " + " and ".join(
            f"from {month_words(o.first)} to {month_words(o.last)} ({o.title})" for o in outside
        )
    else:
        holds = f"which runs from {month_words(first)} to {month_words(last)}"
    sentence = f"{period_words(asked, resolved)} {_relation(resolved, first, last)} {where}, {holds}"
    return sentence + "".join(f"; {why}" for why in dict.fromkeys(relevant))
