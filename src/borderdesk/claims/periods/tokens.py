"""The tokens period phrases are read from, and the small parts every production uses: a month name, a
year, a count of months, an ordinal, a keyword sequence."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache

from borderdesk.claims import vocab
from borderdesk.claims.periods.spec import PeriodSpec
from borderdesk.values import MONTH_NAMES, MONTH_WORDS

_TOKEN = re.compile(r"[Qq][1-4]\b|[A-Za-z]+(?:'[A-Za-z]+)?\.?|'\d\d\b|\d+(?:st|nd|rd|th)?|[,\-/()$%&]")


# A token: (lower-cased text without a final dot, raw text, start, end)
Token = tuple[str, str, int, int]


Parse = tuple[PeriodSpec, int] | None


Rule = Callable[[list[Token], int], Parse]


@cache
def _short_forms() -> dict[str, str]:
    return vocab.cue_table().get("period_short_form", {})


def tokens(text: str, start: int, end: int) -> list[Token]:
    out = []
    for m in _TOKEN.finditer(text, start, end):
        raw = m.group(0)
        low = raw.rstrip(".").casefold()
        if low.endswith("'s"):  # "last year's 2.2 million"
            low = low[:-2]
        low = _short_forms().get(low) or low  # headline English: 'last yr'
        out.append((low, raw, m.start(), m.end()))
    return out


def _low(toks: list[Token], i: int) -> str:
    return toks[i][0] if 0 <= i < len(toks) else ""


@cache
def _option_tokens(option: str) -> tuple[str, ...]:
    """A keyword phrase split the way the text is ('year-to-date' -> year - to - date)."""
    return tuple(t[0] for t in tokens(option, 0, len(option)))


@cache
def _options_index(options: tuple[str, ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The options by their first word, in the order given (the first that matches wins)."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for option in options:
        parts = _option_tokens(option)
        index.setdefault(parts[0], []).append(parts)
    return {k: tuple(v) for k, v in index.items()}


def _words(toks: list[Token], i: int, *options: str) -> int | None:
    """Index after one of the word sequences ``options`` ('the end of') starting at ``i``, else None."""
    if i >= len(toks):
        return None
    candidates = _options_index(options).get(toks[i][0])
    if candidates is None:
        return None
    n = len(toks)
    for parts in candidates:
        end = i + len(parts)
        if end <= n and all(toks[i + k][0] == parts[k] for k in range(1, len(parts))):
            return end
    return None


def _opt(toks: list[Token], i: int, *options: str) -> int:
    j = _words(toks, i, *options)
    return i if j is None else j


def _month_names() -> Mapping[str, int]:
    return MONTH_WORDS


@cache
def _verb_like_months() -> frozenset[str]:
    return vocab.words("month_verb_like")


_RANGE_WORDS = frozenset({"through", "thru", "to", "-", "until", "and"})


def _month(toks: list[Token], i: int, *, guarded: bool = True) -> tuple[int, int] | None:
    """(month, next index): a capitalised month name ('Sept.', 'Sept', 'Sep.', 'September', 'SEPT')."""
    if i >= len(toks):
        return None
    low, raw, _, _ = toks[i]
    number = _month_names().get(low)
    if number is None or not raw[:1].isupper():
        return None
    if guarded and low in _verb_like_months() and not raw.rstrip(".").isupper():
        # 'May' and 'March' are also verbs: months with a year after them or a period word before them
        has_year = _year(toks, i + 1) or (_low(toks, i + 1) == "," and _year(toks, i + 2))
        # 'March through May 2024': a month at one end of a range of months
        in_range = _low(toks, i + 1) in _RANGE_WORDS and _low(toks, i + 2) in _month_names()
        # 'March apprehensions set another record low': a month naming what was counted in it
        of_counts = _low(toks, i + 1) in vocab.words("month_counted")
        if not has_year and not in_range and not of_counts and _low(toks, i - 1) not in _MONTH_LEADS:
            return None
    return number, i + 1


def _day_after(toks: list[Token], i: int) -> bool:
    """Is token ``i`` a day of the month ('30' in 'Sept. 30'), not the start of a count ('30,000')?"""
    low = _low(toks, i)
    if not re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?", low):
        return False
    if _low(toks, i + 1) == "," and _digits(toks, i + 2) and len(_low(toks, i + 2)) == 3:
        return toks[i + 1][3] != toks[i + 2][2]  # '30, 2023' is a day; '30,000' is a count
    return 1 <= int(re.sub(r"\D", "", low)) <= 31


_MONTH_LEADS = frozenset(
    [
        "in",
        "during",
        "for",
        "of",
        "since",
        "from",
        "to",
        "through",
        "until",
        "and",
        "between",
        "by",
        "last",
        "early",
        "late",
        "mid",
        "this",
        "that",
        "its",
        "the",
        "with",
        "was",
        "is",
        "were",
        "as",
        "over",
        "than",
        "versus",
        "vs",
        "alone",
        "each",
        "every",
        "in-between",
        "end",
    ]
)


def _year(toks: list[Token], i: int) -> tuple[int, int] | None:
    """(year, next index): 1950-2099 written in full."""
    if i >= len(toks):
        return None
    low = toks[i][0]
    if low.isdigit() and len(low) == 4 and 1950 <= int(low) <= 2099:
        if (
            i + 1 < len(toks)
            and toks[i + 1][0] == ","
            and _digits(toks, i + 2)
            and toks[i + 1][3] == toks[i + 2][2]
        ):
            return None  # '2,000' is not a year
        return int(low), i + 1
    return None


def _digits(toks: list[Token], i: int) -> bool:
    return i < len(toks) and toks[i][0].isdigit()


def _short_year(toks: list[Token], i: int) -> tuple[int, int] | None:
    """'23 or '23 as a year (after a month or a fiscal-year word)."""
    if i >= len(toks):
        return None
    low = toks[i][0]
    if low.startswith("'") and low[1:].isdigit():
        return 2000 + int(low[1:]), i + 1
    if low.isdigit() and len(low) == 2:
        return 2000 + int(low), i + 1
    return _year(toks, i)


def _count(toks: list[Token], i: int) -> tuple[int, int] | None:
    """A number of months: '12', 'twelve', 'two'."""
    if i >= len(toks):
        return None
    low = toks[i][0]
    if low.isdigit() and 0 < int(low) <= 120:
        return int(low), i + 1
    table = vocab.cue_table()["period_count"]
    if _low(toks, i + 1) == "-" and _adjacent(toks, i) and _adjacent(toks, i + 1):
        joined = table.get(f"{low}-{_low(toks, i + 2)}")
        if joined:
            return int(joined), i + 3
    n = table.get(low)
    return (int(n), i + 1) if n else None


def _ordinal(toks: list[Token], i: int) -> tuple[int, int] | None:
    n = vocab.cue_table()["period_ordinal"].get(_low(toks, i))
    return (int(n), i + 1) if n else None


def _adjacent(toks: list[Token], i: int) -> bool:
    """Tokens i and i+1 touch (no space): '2022-23', 'FY23'."""
    return i + 1 < len(toks) and toks[i][3] == toks[i + 1][2]


def _full(y: int) -> int:
    return y + 2000 if y < 100 else y


def _text(toks: list[Token], i: int, j: int) -> str:
    j = min(j, len(toks))
    return " ".join(t[1] for t in toks[max(0, i) : j])


# month words a final dot abbreviates ('Sept.'), so the dot does not end a sentence ('May.' may)
_ABBREVIATED = frozenset(MONTH_WORDS) - {name.lower() for name in MONTH_NAMES}
