"""When the Border Patrol history tables answer a question CBP's releases cannot: the rule, once.

A Border Patrol question (``component="usbp"``) that CBP's releases cannot answer (a nationality they
pool into OTHER, months before their files begin) may be answered by the history families (the OHSS
workbook: USBP only, rounded to 10; the USBP historical tables), whose answers carry caveats saying so.
The desk (``source`` not given) and the claim checker both ask this module; they differ only in what
they do with the answer.
"""

from __future__ import annotations

from dataclasses import replace

from borderdesk.errors import BorderdeskError
from borderdesk.query.catalog import Catalog
from borderdesk.query.question import Question
from borderdesk.sources import registry
from borderdesk.store.releases import find_release


def history_question(catalog: Catalog, question: Question) -> Question | None:
    """The question to put to the history tables in place of CBP's releases, or None when the fallback
    does not apply: not a Border Patrol-only question, or one pinned (``as_of``) to a CBP release. A
    question pinned to a history release (both sides of a comparison, after a first history answer) is
    asked of the history tables, which answer from their newest vintage; comparing across vintages
    (``one_release``) is a CBP notion the history tables do not have."""
    if question.values("component") != ("usbp",):
        return None
    if question.as_of:
        try:
            pinned = find_release(catalog.releases, question.as_of)
        except BorderdeskError:
            return None
        family = registry.family(pinned.family)
        if family is None or family.default:
            return None
    if question.as_of is None and not question.one_release:
        return question
    return replace(question, as_of=None, one_release=False)
