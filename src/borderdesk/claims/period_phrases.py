"""Period expressions in news text: a registry of patterns, tried in order.

An earlier pattern's span is not matched again, so 'since the outbreak of the war in February' is one
period (an event from claim_events.csv), not an event plus a month. Each match becomes a
:class:`PeriodSpec` -- what the text said, before the publication date gives it months (see
:mod:`borderdesk.claims.periods`). Dates ('Sept. 30', 'Dec. 21') and record comparisons ('the most
since March 2019') are matched too, so that their numbers are not read as claims.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from borderdesk.claims import vocab
from borderdesk.query.periods import month_index

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4,
    "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24,
}  # fmt: skip

# Month names are proper nouns: matched as capitalised (or in capitals), so 'may' and 'march' are not.
_MON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER"
    r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.|Jan|Feb|Aug|Sept|Oct|Nov|Dec)"
)
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_FY_NUM = r"'?(\d{4}|\d{2})"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?\b(?!,\d{3})(?!\d)"


@dataclass(frozen=True)
class PeriodSpec:
    """What the text said, before the date gives it months. ``kind`` picks the resolver."""

    kind: str
    month: int | None = None
    year: int | None = None
    month2: int | None = None
    year2: int | None = None
    n: int | None = None
    start: int | None = None  # a month index (events)
    end: int | None = None
    note: str = ""


@dataclass(frozen=True)
class PeriodCue:
    start: int
    end: int
    text: str
    spec: PeriodSpec


def _month(text: str) -> int:
    return _MONTHS[text.rstrip(".").casefold()]


def _fy(text: str) -> int:
    y = int(text.lstrip("'"))
    return y + 2000 if y < 100 else y


def _i(m: re.Match[str], name: str) -> int | None:
    v = m.groupdict().get(name)
    return int(v) if v else None


Build = Callable[[re.Match[str]], PeriodSpec]
_PATTERNS: list[tuple[re.Pattern[str], Build]] = []


def _register(pattern: str, flags: int = 0) -> Callable[[Build], Build]:
    def deco(fn: Build) -> Build:
        _PATTERNS.append((re.compile(pattern, flags), fn))
        return fn

    return deco


# Order matters: the first pattern to claim a span keeps it.
@_register(
    r"(?i:\b(?:the\s+)?(?:most|highest|lowest|largest|fewest|smallest|biggest|first\s+time)\b[\w ,-]{0,30}?"
    r"\bsince)\s+(?:(?:" + _MON + r")\s*,?\s*)?(?:" + _YEAR + r")?"
)
def _superlative(m: re.Match[str]) -> PeriodSpec:
    return PeriodSpec("ignore", note="a record comparison, not the claim's period")


@_register(
    r"(?i:\b(?:since|between|from))\s+(?P<m1>" + _MON + r")\s+(?P<d1>" + _DAY + r")"
    r"(?:,?\s+(?P<y1>" + _YEAR + r"))?"
)
def _partial_start(m: re.Match[str]) -> PeriodSpec:
    if m.group("d1").startswith("1") and len(m.group("d1").rstrip("stndrh")) == 1:
        return PeriodSpec("since", _month(m.group("m1")), _i(m, "y1"))
    return PeriodSpec("partial", note=f"'{m.group(0)}' starts inside a month, and the data are monthly")


@_register(r"(?<!\w)(?P<m1>" + _MON + r")\s+(?P<d1>" + _DAY + r")(?:,?\s+(?P<y1>" + _YEAR + r"))?")
def _date(m: re.Match[str]) -> PeriodSpec:
    return PeriodSpec("date", note="a day, not a period")


@_register(
    r"(?i:\b(?:between|from|in|during))\s+(?P<m1>" + _MON + r")(?:\s*,?\s*(?P<y1>" + _YEAR + r"))?"
    r"(?:,[^,.;\n]{1,50},)?"  # 'From October 2020, the start of the fiscal year 2021, to August'
    r"\s+(?i:and|to|through|until|thru)\s+(?P<m2>" + _MON + r")(?:\s*,?\s*(?P<y2>" + _YEAR + r"))?"
)
def _range(m: re.Match[str]) -> PeriodSpec:
    return PeriodSpec("range", _month(m.group("m1")), _i(m, "y1"), _month(m.group("m2")), _i(m, "y2"))


@_register(
    r"(?i:\bsince)\s+(?:(?i:early|late|mid-?)\s*)?(?P<m1>"
    + _MON
    + r")(?:\s*,?\s*(?P<y1>"
    + _YEAR
    + r")(?!,\d|\d))?"
)
def _since_month(m: re.Match[str]) -> PeriodSpec:
    return PeriodSpec("since", _month(m.group("m1")), _i(m, "y1"))


@_register(r"(?i:\bsince\s+(?:fiscal(?:\s+year)?|fy)\s*" + _FY_NUM + r")\b")
def _since_fy(m: re.Match[str]) -> PeriodSpec:
    return PeriodSpec("since_fiscal_year", year=_fy(m.group(1)))


@_register(r"(?i:\bsince)\s+(?P<y1>" + _YEAR + r")(?!,\d|\d)")
def _since_year(m: re.Match[str]) -> PeriodSpec:
    return PeriodSpec("since", 1, _i(m, "y1"))


@_register(
    r"(?i:\bso\s+far\s+(?:this|in\s+the(?:\s+current)?)\s+fiscal\s+year|\bthis\s+fiscal\s+year\s+so\s+far"
    r"|\b(?:the\s+)?fiscal[- ]year[- ]to[- ]date|\b(?:the\s+)?year[- ]to[- ]date|\bfytd\b"
    r"|\bso\s+far\s+in\s+(?:fiscal(?:\s+year)?|fy)\s*" + _FY_NUM + r"\b"
    r"|\b(?:fiscal(?:\s+year)?|fy)\s*" + _FY_NUM + r"\s+(?:to\s+date|so\s+far))"
)
def _fytd(m: re.Match[str]) -> PeriodSpec:
    fy = next((g for g in m.groups() if g), None)
    return PeriodSpec("fytd", year=_fy(fy) if fy else None)


@_register(r"(?i:\bso\s+far\s+this\s+year|\bthis\s+year\s+so\s+far)")
def _ytd(m: re.Match[str]) -> PeriodSpec:
    return PeriodSpec("this_year")


@_register(
    r"(?i:\b(?:fiscal|budget)[- ]year\s*" + _FY_NUM + r"\b|\bfiscal\s+" + _FY_NUM + r"\b"
    r"|\bfy\s*" + _FY_NUM + r"\b|\b(\d{4})\s+fiscal\s+year|\bthe\s+fiscal\s+year\s+of\s+(\d{4}))"
)
def _fiscal_year(m: re.Match[str]) -> PeriodSpec:
    fy = next(g for g in m.groups() if g)
    return PeriodSpec("fiscal_year", year=_fy(fy))


@_register(r"(?i:\b(?:last|the\s+previous|the\s+prior|the\s+last)\s+fiscal\s+year)")
def _last_fy(m: re.Match[str]) -> PeriodSpec:
    return PeriodSpec("last_fiscal_year")


@_register(r"(?i:\b(?:this|the\s+current)\s+fiscal\s+year)")
def _this_fy(m: re.Match[str]) -> PeriodSpec:
    return PeriodSpec("fytd")


@_register(r"(?i:\bthe\s+(?:fiscal\s+year\s+as\s+a\s+whole|(?:full|whole|entire)\s+fiscal\s+year))")
def _context_fy(m: re.Match[str]) -> PeriodSpec:
    return PeriodSpec("context_fiscal_year")


@_register(r"(?i:\bcalendar(?:\s+year)?\s+(" + _YEAR + r")|\bcy\s*(" + _YEAR + r"))\b")
def _calendar(m: re.Match[str]) -> PeriodSpec:
    return PeriodSpec("calendar_year", year=int(next(g for g in m.groups() if g)))


@_register(
    r"(?i:\b(?:the\s+)?(?:past|last|previous|preceding|trailing)\s+(\d{1,2}|"
    + "|".join(_NUMBER_WORDS)
    + r")\s+months)"
)
def _past_months(m: re.Match[str]) -> PeriodSpec:
    word = m.group(1).lower()
    return PeriodSpec("past_months", n=int(word) if word.isdigit() else _NUMBER_WORDS[word])


@_register(r"(?i:\b(?:the\s+)?past\s+year\b)")
def _past_year(m: re.Match[str]) -> PeriodSpec:
    return PeriodSpec("past_months", n=12)


@_register(r"(?i:\blast\s+month\b)")
def _last_month(m: re.Match[str]) -> PeriodSpec:
    return PeriodSpec("last_month")


@_register(
    r"(?i:\b(?:the\s+(?:previous|prior|preceding)\s+month|the\s+month\s+before|a\s+month\s+(?:earlier|before))\b)"
)
def _previous_month(m: re.Match[str]) -> PeriodSpec:
    return PeriodSpec("previous_month")


@_register(
    r"(?i:\bthe\s+same\s+(?:month|period|time)\s+(?:a\s+year\s+(?:earlier|before|ago|prior)|last\s+year"
    r"|(?:of\s+)?the\s+(?:previous|prior)\s+year|of\s+last\s+year)"
    r"|\ba\s+year\s+(?:earlier|before|ago|prior)|\bthe\s+(?:previous|prior)\s+year|\bthe\s+year\s+before"
    r"|\byear[- ]over[- ]year)"
)
def _year_earlier(m: re.Match[str]) -> PeriodSpec:
    return PeriodSpec("year_earlier")


@_register(r"(?i:\bthe\s+same\s+(?:month|period|months)\s+(?:in|of)\s+)(?P<y1>" + _YEAR + r")\b")
def _same_in_year(m: re.Match[str]) -> PeriodSpec:
    return PeriodSpec("same_in_year", year=_i(m, "y1"))


@_register(r"(?i:\blast\s+year\b)")
def _last_year(m: re.Match[str]) -> PeriodSpec:
    return PeriodSpec("last_year")


@_register(r"(?i:\bthis\s+year\b)")
def _this_year(m: re.Match[str]) -> PeriodSpec:
    return PeriodSpec("this_year")


@_register(
    r"(?<!\w)(?:(?i:early|late|mid-?)\s*)?(?P<m1>"
    + _MON
    + r")(?!\w)(?:\s*,?\s*(?P<y1>"
    + _YEAR
    + r")(?!,\d|\d))?"
)
def _month_name(m: re.Match[str]) -> PeriodSpec:
    return PeriodSpec("month", _month(m.group("m1")), _i(m, "y1"))


@_register(r"(?<![\w$.,'])(?P<y1>" + _YEAR + r")(?:'s)?(?!\w|,\d|\.\d|-\d|%)")
def _bare_year(m: re.Match[str]) -> PeriodSpec:
    return PeriodSpec("year", year=int(m.group("y1")))


# Whether a month name really is one: 'May' and 'March' are also a verb, so they need a year or a
# period word in front ('in May', 'since March'); the others stand alone.
_AMBIGUOUS_MONTHS = frozenset({5, 3})
_BEFORE_MONTH = re.compile(
    r"(?i:\b(?:in|during|for|of|since|from|to|through|until|and|between|by|last|early|late|mid|alone|each|"
    r"every|this|that|its|the|with|was|is|were|as|over|than|versus|vs\.?|compared\s+(?:with|to))\s*-?\s*$)"
)


def find_periods(text: str, start: int, end: int) -> list[PeriodCue]:
    """Every period expression in ``text[start:end]``, in text order, non-overlapping."""
    cues: list[PeriodCue] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for event in vocab.events():
        for m in event.regex.finditer(text, start, end):
            if free(m.start(), m.end()):
                s = month_index(*map(int, event.start.split("-")))
                e = month_index(*map(int, event.end.split("-"))) if event.end else None
                cues.append(
                    PeriodCue(
                        m.start(), m.end(), m.group(0), PeriodSpec("event", start=s, end=e, note=event.label)
                    )
                )
                taken.append((m.start(), m.end()))
    for regex, build in _PATTERNS:
        for m in regex.finditer(text, start, end):
            if not free(m.start(), m.end()):
                continue
            spec = build(m)
            ambiguous = spec.kind == "month" and spec.year is None and spec.month in _AMBIGUOUS_MONTHS
            if ambiguous and not _BEFORE_MONTH.search(text[max(start, m.start() - 12) : m.start()]):
                continue
            cues.append(PeriodCue(m.start(), m.end(), m.group(0), spec))
            taken.append((m.start(), m.end()))
    return sorted(cues, key=lambda c: c.start)
