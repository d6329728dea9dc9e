"""A checked text cut into plain and claim segments, so the template can mark each claim (escaped).

>>> [(s["text"], s["claim"]) for s in highlight("In May, 5,507 Russians.", [{"span": [8, 13]}])]
[('In May, ', None), ('5,507', 1), (' Russians.', None)]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def highlight(text: str, claims: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Segments of ``text``: claims (numbered from 1 in the order given) at their ``span``; a span that
    overlaps an earlier one or falls outside the text is left unmarked (the claim is still listed)."""
    marks = []
    for number, claim in enumerate(claims, start=1):
        span: Sequence[Any] = claim.get("span") or []
        if len(span) != 2:
            continue
        start, end = int(span[0]), int(span[1])
        if 0 <= start < end <= len(text):
            marks.append((start, end, number, claim.get("verdict")))
    segments: list[dict[str, Any]] = []
    at = 0
    for start, end, number, verdict in sorted(marks):
        if start < at:
            continue
        if start > at:
            segments.append({"text": text[at:start], "claim": None, "verdict": None})
        segments.append({"text": text[start:end], "claim": number, "verdict": verdict})
        at = end
    if at < len(text):
        segments.append({"text": text[at:], "claim": None, "verdict": None})
    return segments
