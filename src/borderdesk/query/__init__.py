"""The question model, period parsing, and the engine that answers from the store."""

from borderdesk.query.catalog import Answer, Catalog
from borderdesk.query.change import Change, change
from borderdesk.query.engine import count, count_many
from borderdesk.query.periods import Period, parse_period
from borderdesk.query.question import FILTERS, Question, build_question

__all__ = [
    "FILTERS",
    "Answer",
    "Catalog",
    "Change",
    "Period",
    "Question",
    "build_question",
    "change",
    "count",
    "count_many",
    "parse_period",
]
