"""The tools an AI assistant is offered: their names, what they are for, and their parameters, all read
from the one parameter spec (:mod:`borderdesk.params`) so that a tool takes exactly what the HTTP API's
endpoint of the same name takes, under the same names, and refuses what it refuses.

A model picks a tool and fills its arguments from these words alone, so they say what each filter
means, which period spellings work, and the aliases a reporter would use ("southern border").

Each :class:`ToolSpec` pairs the words with ``answer(desk, **arguments)``, which asks the core and
returns the JSON the HTTP API returns for the same question.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field

from borderdesk import metadata
from borderdesk import params as spec
from borderdesk.desk import Desk
from borderdesk.limits import MAX_SHARED_TEXT, check_length

Answer = Callable[..., Any]


@dataclass(frozen=True)
class ToolSpec:
    """One tool: its name (the HTTP endpoint's), a one-line title, what a model reads to choose it,
    its parameters (keyword-only, typed and described for the JSON schema) and how it is answered."""

    name: str
    title: str
    description: str
    parameters: tuple[inspect.Parameter, ...]
    answer: Answer

    def signature(self) -> inspect.Signature:
        return inspect.Signature(list(self.parameters))


# -- the words a model reads -----------------------------------------------------------------------

DATA = (
    "Data: U.S. Customs and Border Protection (CBP) monthly encounter statistics, every official "
    "release kept as a vintage; fiscal years run October to September (FY2023 = Oct 2022 - Sep 2023)."
)
FILTER_NOTES = (
    "All filters are optional and any case. Values accept aliases: demonyms and ISO codes for "
    "citizenship (Russians, RU), and 'southern border', 'U.S.-Mexico border' or 'SW' for region "
    "southwest. No region means nationwide (all borders together). "
    f"Period forms: {', '.join(repr(p) for p in spec.PERIOD_FORMS)}. Give a period: the answer's "
    "question.months says which months were counted. "
    "A value the data does not hold comes back as a tool error saying why, with did-you-mean "
    "suggestions and the allowed values."
)
PROVENANCE = (
    "The answer is the HTTP API's JSON: it names the release it came from (label, file, sha256, "
    "published date), the question as understood (with its exact months) and the SQL that ran."
)


#: One value of a filter, and several (a sum over them): bounded as the HTTP API bounds them.
OneValue = Annotated[str, Field(max_length=spec.MAX_TEXT)]
Values = Annotated[list[OneValue], Field(max_length=spec.MAX_VALUES)]


def _described(
    name: str, annotation: Any, description: str, default: Any = None, **limits: Any
) -> inspect.Parameter:
    return inspect.Parameter(
        name,
        inspect.Parameter.KEYWORD_ONLY,
        default=default,
        annotation=Annotated[annotation, Field(description=description, **limits)],
    )


def _filter(p: spec.Param) -> inspect.Parameter:
    """A filter as a tool argument. A repeatable one takes one value or a list (a sum over them):
    models send a plain string as often as a list."""
    dim = p.dimension
    what = f"{dim.label}: {dim.description} " if dim is not None and dim.description else ""
    help_ = f"{what}{p.help} Example: {p.example!r}."
    if p.many:
        help_ += f" A list sums over its values (at most {spec.MAX_VALUES})."
        return _described(p.name, Values | OneValue | None, help_)
    return _described(p.name, str | None, help_, max_length=spec.MAX_TEXT)


#: Filters, period and release: what every question takes (the HTTP API's shared query parameters).
QUESTION_PARAMETERS: tuple[inspect.Parameter, ...] = (
    *(_filter(p) for p in spec.FILTERS),
    _described(
        "period",
        str | None,
        f"{spec.PERIOD.help} Example: {spec.PERIOD.example!r}.",
        max_length=spec.MAX_TEXT,
    ),
    _described("as_of", str | None, spec.AS_OF.help, max_length=spec.MAX_TEXT),
)
_DIMENSIONS = ", ".join(metadata.FILTERS)


def _question(given: dict[str, Any]) -> dict[str, Any]:
    """The filters set, one-element lists made plain (as the API's), with period and release."""
    period = (given.get("period") or "").strip() or None
    as_of = (given.get("as_of") or "").strip() or None
    return {"period": period, "as_of": as_of, **spec.collect(given)}


# -- the answers, the same calls and JSON as borderdesk/api ----------------------------------------


def _count(desk: Desk, *, compare: bool = False, **given: Any) -> Any:
    question = _question(given)
    answer = desk.change(**question) if compare else desk.count(**question)
    return answer.to_dict()


def _table(desk: Desk, *, by: str, top: int | None = None, **given: Any) -> Any:
    return desk.table_result(by=spec.dimensions(by), top=top, **_question(given)).to_dict()


def _series(desk: Desk, *, by: str | None = None, interval: str = "month", **given: Any) -> Any:
    frame = desk.series_result(
        by=spec.dimensions(by, most=1), interval=spec.interval(interval), **_question(given)
    )
    return frame.to_dict()


def _releases(desk: Desk) -> Any:
    return [r.to_json() for r in desk.release_list()]


def _surges(
    desk: Desk, *, top: int = 10, min_value: int = 100, include_other: bool = False, **given: Any
) -> Any:
    table = desk.surges_result(top=top, min_value=min_value, include_pooled=include_other, **_question(given))
    return table.to_dict()


def checker(timeout: float | None) -> Answer:
    """The check tool's answer, stopping a check that runs longer than ``timeout`` seconds (as the
    server's ``--check-timeout`` does)."""

    def _check(desk: Desk, *, text: str, date: str | None = None) -> Any:
        check_length(text, MAX_SHARED_TEXT)  # the same limit as POST /api/check
        date = (date or "").strip() or None
        results = desk.check(text, date=date, timeout=timeout)
        return {"date": date, "claims": [r.to_dict() for r in results]}

    return _check


def tool_specs(*, check_timeout: float | None = 10.0) -> tuple[ToolSpec, ...]:
    """The six tools of interfaces.md, in the order a model is most likely to need them."""
    by_many = f"Dimension(s) to break down by, comma-separated: {_DIMENSIONS}. Example: 'citizenship'."
    return (
        ToolSpec(
            "count",
            "Count encounters",
            "How many CBP border encounters match the filters in a period: one number. Use it to answer "
            "'how many Russians crossed the southern border in November 2022' (citizenship='russia', "
            "region='southwest', period='2022-11' gives 5507). compare=true adds the previous period of "
            f"the same length and the same period a year earlier. {PROVENANCE} {FILTER_NOTES} {DATA}",
            (
                *QUESTION_PARAMETERS,
                _described(
                    "compare",
                    bool,
                    "Also the previous period and the same period a year earlier.",
                    default=False,
                ),
            ),
            _count,
        ),
        ToolSpec(
            "table",
            "Break encounters down",
            "A breakdown of encounters by one or more dimensions (e.g. by citizenship: which countries, "
            "largest first), each row with its share of the total; top=N keeps the N largest groups "
            f"(shares stay of the whole). {PROVENANCE} {FILTER_NOTES} {DATA}",
            (
                _described("by", str, by_many, default=inspect.Parameter.empty, max_length=spec.MAX_TEXT),
                _described("top", int | None, "Only the N largest groups.", ge=1, le=10_000),
                *QUESTION_PARAMETERS,
            ),
            _table,
        ),
        ToolSpec(
            "series",
            "Encounters month by month",
            "Encounters month by month (or by fiscal or calendar year) over the period, optionally split "
            "by one dimension: for trends, peaks and 'since' questions. "
            f"{PROVENANCE} {FILTER_NOTES} {DATA}",
            (
                _described(
                    "by",
                    str | None,
                    f"One dimension to split the series by: {_DIMENSIONS}.",
                    max_length=spec.MAX_TEXT,
                ),
                _described(
                    "interval",
                    str,
                    "month (default), fiscal_year or calendar_year.",
                    default="month",
                    max_length=spec.MAX_TEXT,
                ),
                *QUESTION_PARAMETERS,
            ),
            _series,
        ),
        ToolSpec(
            "releases",
            "List the data releases",
            "Every CBP release (vintage) in the database: label, file, sha256, the months it covers, "
            "rows, publication date and source URL. Use it to say which data an answer rests on, or to "
            "pick a release for as_of.",
            (),
            _releases,
        ),
        ToolSpec(
            "surges",
            "Find surging nationalities",
            "Nationalities whose encounters in the period are far above their own seasonal baseline (e.g. "
            "Russians at the southern border in late 2022), highest score first. Columns: value (the "
            "period's encounters), baseline (what the nationality's own history and season predict), "
            "ratio (value / baseline), score (a robust z-score of the log ratio: above about 2 is unusual "
            "for that nationality), previous (the period before), year_earlier, change_point (the month "
            "the rise began, when one is found). The answer names its release(s) and method. "
            f"{FILTER_NOTES} {DATA}",
            (
                *QUESTION_PARAMETERS,
                _described("top", int, "How many rows, highest score first.", default=10, ge=1, le=100),
                _described(
                    "min_value",
                    int,
                    "Leave out nationalities with fewer encounters in the period.",
                    default=100,
                    ge=0,
                    le=10_000_000,
                ),
                _described(
                    "include_other",
                    bool,
                    "Also rank CBP's pooled OTHER citizenship (all countries CBP does not name).",
                    default=False,
                ),
            ),
            _surges,
        ),
        ToolSpec(
            "check",
            "Fact-check a text",
            "Check the numeric claims about border encounters in a text (a news article, a post, a "
            "sentence): each claim found, with its verdict (supported, inaccurate or unverifiable, with "
            "the reason), the figure the data gives, the release it came from and the SQL. Give the "
            "publication date so that 'last month' and 'this year' are read as the writer meant them, "
            "and the figure as published by then is given too.",
            (
                _described(
                    "text",
                    str,
                    f"The text to check (at most {MAX_SHARED_TEXT:,} characters).",
                    default=inspect.Parameter.empty,
                    max_length=MAX_SHARED_TEXT,
                ),
                _described(
                    "date",
                    str | None,
                    "Publication date of the text, YYYY-MM-DD; it anchors 'last month', 'this year'. "
                    "Without it, the newest complete month in the data is 'now'.",
                    max_length=spec.MAX_TEXT,
                ),
            ),
            checker(check_timeout),
        ),
    )
