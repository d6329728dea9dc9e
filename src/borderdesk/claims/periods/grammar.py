"""The period grammar: phrases are composed from parts, not listed.

A sentence is cut into tokens (words, numbers, punctuation), and at each token the grammar tries the
productions below; the longest phrase wins and the scan goes on after it. A phrase is built from parts —
a count of months, an anchor (ending, through, to, before, since), a whole (fiscal year, calendar year,
quarter, half), an ordinal (first, last, final) — so every well-formed combination reads::

    period   := record | event | window | part | range | since | through | todate | relative | point
    window   := [the] [past|last|...] COUNT months (ending|through|to|until|before|...) [in] point
    part     := [the] ORDINAL [COUNT] (month|months|quarter|half) of whole
    range    := (between|from) point (and|to|through|until) point | point (-|to|through) point
    since    := since (point | the start of whole)
    through  := (through|until|thru|up to) [the end of] point
    whole    := fiscal year N | FY N | calendar year N | N-NN (a year span: the fiscal year ending in NN)
    point    := whole | quarter | MONTH [,] [YEAR] | YEAR

Month names, ordinals and counts come from claim_cues.csv; the grammar's own keywords (through, since,
between ...) are the grammar. 'May' and 'March' are months only when capitalised and in a period
position ('in May', 'since March 2020', 'May 2023'), so the verbs are left alone.

>>> [c.spec.kind for c in find_periods("in the 12 months through August 2023", 0, 36)]
['window']
"""

from __future__ import annotations

import re
from functools import cache

from borderdesk.claims import vocab
from borderdesk.claims.periods.phrases import (
    _PARTIAL,
    _bare,
    _date,
    _fy_through,
    _partial,
    _past,
    _range,
    _record,
    _since,
    _through,
    _todate,
    _window,
)
from borderdesk.claims.periods.relative import _relative
from borderdesk.claims.periods.spec import PeriodCue, PeriodSpec
from borderdesk.claims.periods.tokens import _ABBREVIATED, Rule, Token, _month_names, tokens
from borderdesk.query.periods import month_index

#: Tried in order at each token; the longest match wins (ties: the earlier rule).
RULES: tuple[Rule, ...] = (
    _record,
    _partial,
    _date,
    _since,
    _window,
    _past,
    _todate,
    _fy_through,
    _range,
    _through,
    _relative,
    _bare,
)


_LEADS = [
    "the",
    "in",
    "over",
    "during",
    "for",
    "a",
    "an",
    "one",
    "this",
    "last",
    "past",
    "previous",
    "preceding",
    "trailing",
    "prior",
    "so",
    "that",
    "at",
    "as",
]


#: The words each rule can start with ('#' a number, 'M' a month name, 'F' a fiscal/calendar year word):
#: at a token, only the rules that can start there are tried.
_FIRST: dict[Rule, frozenset[str]] = {
    _record: frozenset(["most", "highest", "lowest", "largest", "fewest", "smallest", "biggest", "first"]),
    _partial: frozenset({w.split()[0] for w in _PARTIAL} | {"in", "over", "the", "during"}),
    _date: frozenset({"M"}),
    _since: frozenset({"since"}),
    _window: frozenset({*_LEADS, "#", "N"}),
    _past: frozenset(_LEADS),
    _todate: frozenset({*_LEADS, "F", "year", "fytd"}),
    _fy_through: frozenset({"F", "#", "the"}),
    _range: frozenset({"between", "from", "M", "#", "F", "early", "late", "mid", "O", *_LEADS}),
    _through: frozenset(["through", "thru", "until", "up", "till", "as"]),
    _relative: frozenset({*_LEADS, "year", "month", "one", "F"}),
    _bare: frozenset({"M", "#", "F", "early", "late", "mid", "O", "q", *_LEADS}),
}


def _kinds(tok: Token) -> frozenset[str]:
    """What a token can start: its word, and its class ('#', 'M', 'F', 'O', 'N', 'q')."""
    low = tok[0]
    out = {low}
    if low[:1].isdigit() or low.startswith("'"):
        out.add("#")
    if low in _month_names():
        out.add("M")
    if low in ("fiscal", "fy", "budget", "calendar", "cy") or re.fullmatch(r"(?:fy|cy)-?\d+", low):
        out.add("F")
    if low in vocab.cue_table()["period_ordinal"]:
        out.add("O")
    if low in vocab.cue_table()["period_count"]:
        out.add("N")
    if re.fullmatch(r"q[1-4]", low):
        out.add("q")
    return frozenset(out)


#: The words a period phrase can start with (besides numbers and month names): a token that is none of
#: these is skipped at once, so a page of prose costs a set lookup per word.
_STARTERS = frozenset(
    [
        "a",
        "an",
        "as",
        "at",
        "between",
        "biggest",
        "budget",
        "calendar",
        "cy",
        "during",
        "early",
        "fewest",
        "first",
        "fiscal",
        "for",
        "from",
        "fy",
        "fytd",
        "highest",
        "in",
        "largest",
        "last",
        "late",
        "lowest",
        "mid",
        "most",
        "month",
        "on",
        "one",
        "over",
        "past",
        "preceding",
        "previous",
        "prior",
        "since",
        "smallest",
        "so",
        "that",
        "the",
        "this",
        "through",
        "thru",
        "till",
        "trailing",
        "until",
        "up",
        "within",
        "year",
    ]
)


def _starts(tok: Token) -> bool:
    low = tok[0]
    return (
        low in _STARTERS
        or low[:1].isdigit()
        or low.startswith("'")
        or low in _month_names()
        or re.fullmatch(r"(?:fy|cy)-?\d+|q[1-4]", low) is not None
    )


#: Every period phrase holds one of these (or a month name, or a year): a phrase can start at most
#: REACH tokens before one, so the rules are tried only there.
_CORE = frozenset(
    [
        "fiscal",
        "fy",
        "fytd",
        "calendar",
        "cy",
        "year",
        "years",
        "month",
        "months",
        "week",
        "weeks",
        "day",
        "days",
        "hours",
        "quarter",
        "half",
        "date",
        "since",
        "ago",
        "earlier",
        "before",
        "previous",
        "prior",
        "weekend",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "later",
        "following",
        "next",
        "ytd",
    ]
)


_REACH = 9
_RECORD_REACH = 16


def _core(tok: Token) -> bool:
    low = tok[0]
    if low in _CORE or low in _month_names() or low.startswith("'"):
        return True
    if low.isdigit():
        return len(low) == 4 and low[:2] in ("19", "20")
    return re.fullmatch(r"(?:fy|cy)-?\d+|q[1-4]", low) is not None


def find_periods(text: str, start: int, end: int) -> list[PeriodCue]:
    """Every period phrase in ``text[start:end]``, in text order, non-overlapping."""
    cues = _administration_parts(text, start, end)
    cues += [
        e for e in _events(text, start, end) if not any(c.start < e.end and e.start < c.end for c in cues)
    ]
    taken = [(c.start, c.end) for c in cues]
    toks = tokens(text, start, end)
    near = [False] * len(toks)
    for k, tok in enumerate(toks):
        if _core(tok):
            # a record's superlative may stand far before its 'since' ('the most of any month ... since 2000')
            reach = _RECORD_REACH if tok[0] == "since" else _REACH
            for j in range(max(0, k - reach), k + 1):
                near[j] = True
    i = 0
    while i < len(toks):
        if not near[i] or not _starts(toks[i]) or any(a <= toks[i][2] < b for a, b in taken):
            i += 1
            continue
        best: tuple[PeriodSpec, int] | None = None
        kinds = _kinds(toks[i])
        for rule in RULES:
            if kinds.isdisjoint(_FIRST[rule]):
                continue
            hit = rule(toks, i)
            if hit is not None and hit[1] > i and (best is None or hit[1] > best[1]):
                best = hit
        if best is None:
            i += 1
            continue
        spec, j = best
        s, e = toks[i][2], toks[j - 1][3]
        if toks[j - 1][1].endswith(".") and toks[j - 1][0] not in _ABBREVIATED:
            e -= 1  # 'in January.': the full stop ends the sentence, not the month
        inner = [c for c in cues if s < c.start and c.end <= e and c.spec.kind == "event"]
        if inner and spec.kind == "year_earlier":
            # 'the same period under the Biden administration last year': the term says whose year it was
            cues = [c for c in cues if c not in inner]
            taken = [(c.start, c.end) for c in cues]
        if any(a < e and s < b for a, b in taken):
            i += 1
            continue
        cues.append(PeriodCue(s, e, text[s:e], spec))
        i = j
    return sorted(cues, key=lambda c: c.start)


def _events(text: str, start: int, end: int) -> list[PeriodCue]:
    """'since the war began', 'under President Biden': phrase patterns from claim_events.csv."""
    out: list[PeriodCue] = []
    for event in vocab.events():
        for m in event.regex.finditer(text, start, end):
            if any(c.start < m.end() and m.start() < c.end for c in out):
                continue
            first = month_index(*map(int, event.start.split("-")))
            last = month_index(*map(int, event.end.split("-"))) if event.end else None
            spec = PeriodSpec("event", first_month=first, last_month=last, note=event.label)
            out.append(PeriodCue(m.start(), m.end(), m.group(0), spec))
    return out


_NUMBER = r"(?P<n>\d{1,3}|[a-z]+(?:-[a-z]+)?)"
_WHICH = r"(?P<which>first|last|final|opening)"


@cache
def _administration_regexes() -> tuple[re.Pattern[str], ...]:
    """'the first two months of the Trump administration', "Trump's first two months in office"."""
    names = vocab.alternation(sorted(vocab.cue_table().get("administration", {})))
    who = rf"(?:(?:president|pres\.)\s+)?(?:(?:donald|joe|barack)\s+)?(?:j\.\s+)?(?P<who>{names})"
    office = r"(?:(?:-harris)?\s+(?:second\s+)?(?:administration|presidency|term|white\s+house))"
    return (
        re.compile(
            rf"\b(?:the\s+)?{_WHICH}\s+{_NUMBER}\s+(?:full\s+)?months?\s+(?:of|under|in)\s+(?:the\s+)?"
            rf"{who}(?:'s)?{office}",
            re.IGNORECASE,
        ),
        re.compile(
            rf"\b{who}(?:'s|{office}'s)\s+{_WHICH}\s+{_NUMBER}\s+(?:full\s+)?months?(?:\s+in\s+office)?",
            re.IGNORECASE,
        ),
    )


def _administration_parts(text: str, start: int, end: int) -> list[PeriodCue]:
    out: list[PeriodCue] = []
    for regex in _administration_regexes():
        for m in regex.finditer(text, start, end):
            raw = m.group("n").casefold()
            n = int(raw) if raw.isdigit() else int(vocab.cue_table()["period_count"].get(raw, "0") or 0)
            if not 0 < n <= 120 or any(c.start < m.end() and m.start() < c.end for c in out):
                continue
            who = m.group("who").casefold()
            spec = PeriodSpec(
                "part",
                n=n,
                which=-1 if m.group("which").casefold() in ("last", "final") else 1,
                start=PeriodSpec("administration", note=who),
            )
            out.append(PeriodCue(m.start(), m.end(), m.group(0), spec))
    return out
