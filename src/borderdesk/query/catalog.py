"""What one database state holds, read once, and the answers given on it.

:class:`Catalog` is the releases, value codes and per-month vintages of a database, loaded once per state
(it is read again whenever the releases change), with the answers and other results computed on that
state. :class:`Answer` is a number with its provenance: the release(s) it came from, the SQL that computes
it, the question as understood.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, TypeVar

import duckdb

from borderdesk.errors import BorderdeskError
from borderdesk.query.index import FactIndex
from borderdesk.query.periods import Period, date_index, month_text
from borderdesk.query.question import Question
from borderdesk.store.database import dimension_codes
from borderdesk.store.history import has_history
from borderdesk.store.releases import Release, list_releases, newest, recency

MAX_REMEMBERED = 20_000
#: the first item of a :attr:`Catalog.memo` key that holds an answer (not something learnt of the tables)
REMEMBERED_ANSWER = "answer"
_MISSING = object()
T = TypeVar("T")


@dataclass
class Catalog:
    """What the database holds, read once: releases, value codes, and which release answers per month."""

    releases: list[Release]
    codes: dict[str, dict[str, int]]
    latest: dict[str, dict[int, int]]  # family -> {month index -> release_id}
    months: dict[int, list[int]]  # release_id -> sorted month indexes it covers
    #: family -> dim -> codes in its releases (for the history families, citizenship only)
    present: dict[str, dict[str, frozenset[int]]] = field(default_factory=dict)
    #: Answers already given on this database state. A catalog is read again whenever the releases change
    #: and an ingested release's rows never change, so a question asked twice costs one query.
    answers: dict[Question, Answer] = field(default_factory=dict, repr=False, compare=False)
    #: Other results computed from this state only (the history tables' answers and errors, ...).
    memo: dict[Hashable, Any] = field(default_factory=dict, repr=False, compare=False)
    #: The releases' facts as in-memory arrays, loaded as they earn it (see borderdesk.query.index).
    index: FactIndex = field(default_factory=FactIndex, repr=False, compare=False)
    #: release_id -> (the release, its recency key), filled as asked: the engine looks both up per count.
    by_id: dict[int, tuple[Release, tuple[Any, ...]]] = field(default_factory=dict, repr=False, compare=False)

    def remember(self, answer: Answer) -> Answer:
        if len(self.answers) >= MAX_REMEMBERED:
            self.answers.clear()
        self.answers[answer.question] = answer
        return answer

    def recall(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` once per database state: its result, or the error it raised, is remembered."""
        hit = self.memo.get(key, _MISSING)
        if hit is _MISSING:
            try:
                hit = compute()
            except BorderdeskError as e:
                hit = e
            if len(self.memo) >= MAX_REMEMBERED:
                self.memo.clear()
            self.memo[key] = hit
        if isinstance(hit, BorderdeskError):
            raise hit.with_traceback(None)
        return hit  # type: ignore[no-any-return]

    def forget(self, *, answers_only: bool = False) -> None:
        """Drop every remembered answer (benchmarks measuring the queries themselves). With
        ``answers_only``, keep what was learnt of the tables (which history tables exist, the loaded
        arrays): the state of a warm process that has not seen these questions."""
        self.answers.clear()
        if answers_only:
            for key in [k for k in self.memo if isinstance(k, tuple) and k[:1] == (REMEMBERED_ANSWER,)]:
                del self.memo[key]
        else:
            self.memo.clear()

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection, *, index_max_bytes: int | None = None) -> Catalog:
        """The catalog of ``con``'s database; its fact index holds at most ``index_max_bytes`` (None:
        the default cap, 0: no index)."""
        releases = list_releases(con)
        latest: dict[str, dict[int, int]] = {}
        for family, month, rid in con.execute(
            "SELECT family, month, release_id FROM latest_months"
        ).fetchall():
            latest.setdefault(family, {})[date_index(month)] = rid
        months: dict[int, list[int]] = {}
        for rid, month in con.execute("SELECT release_id, month FROM release_months ORDER BY ALL").fetchall():
            months.setdefault(rid, []).append(date_index(month))
        present: dict[str, dict[str, frozenset[int]]] = {}
        for family, dim, codes in con.execute(
            "SELECT r.family, v.dimension, list(DISTINCT v.code) "
            "FROM release_values v JOIN releases r USING (release_id) GROUP BY ALL"
        ).fetchall():
            present.setdefault(family, {})[dim] = frozenset(codes)
        if has_history(con):  # the history tables' values, so errors can say where a name is found
            for family, codes in con.execute(
                "SELECT r.family, list(DISTINCT h.citizenship) FROM history_facts h JOIN releases r "
                "USING (release_id) WHERE h.citizenship IS NOT NULL GROUP BY ALL"
            ).fetchall():
                present.setdefault(family, {})["citizenship"] = frozenset(codes)
        catalog = cls(releases, dimension_codes(con), latest, months, present)
        if index_max_bytes is not None:
            catalog.index.max_bytes = index_max_bytes
        return catalog

    def release(self, release_id: int) -> Release:
        return self._entry(release_id)[0]

    def recency_of(self, release_id: int) -> tuple[Any, ...]:
        """The release's :func:`~borderdesk.store.releases.recency` key (larger is newer)."""
        return self._entry(release_id)[1]

    def _entry(self, release_id: int) -> tuple[Release, tuple[Any, ...]]:
        entry = self.by_id.get(release_id)
        if entry is None:
            release = next(r for r in self.releases if r.release_id == release_id)
            entry = self.by_id[release_id] = (release, recency(release))
        return entry

    def names(self, dimension: str) -> dict[int, str]:
        return {code: value for value, code in self.codes.get(dimension, {}).items()}

    @property
    def newest(self) -> Release | None:
        """The newest release by the one recency rule (:func:`borderdesk.store.releases.recency`)."""
        return newest(self.releases)


class Provenanced(Protocol):
    @property
    def question(self) -> Question: ...
    @property
    def period(self) -> Period | None: ...
    @property
    def family(self) -> str: ...
    @property
    def releases(self) -> tuple[Release, ...]: ...
    @property
    def sql(self) -> str: ...
    @property
    def params(self) -> tuple[Any, ...]: ...


def described(result: Provenanced) -> str:
    """The question in words with the months the answer actually covers: a question with no period or
    an open one ("since Feb 2022") is described with the months it was answered for."""
    question = result.question
    if result.period is not None:
        question = replace(question, period=result.period)
    return question.describe()


def provenance(result: Provenanced) -> dict[str, Any]:
    """The JSON every answer carries: the release(s) used, the question as understood, the SQL."""
    q = result.question.to_dict()
    if result.period is not None:
        q["period"] = result.period.text
        q["months"] = {
            "start": month_text(result.period.start),
            "end": month_text(result.period.end or result.period.start),
        }
    q["source"] = result.family
    q["text"] = described(result)
    return {
        "release": result.releases[-1].brief(),
        "releases": [r.brief() for r in result.releases],
        "question": q,
        "sql": result.sql,
        "params": [str(p) for p in result.params],
    }


@dataclass(frozen=True)
class Answer:
    """A number with its provenance: the releases used, the SQL that ran, the question as understood."""

    value: int
    question: Question
    period: Period | None
    family: str
    releases: tuple[Release, ...]
    sql: str
    params: tuple[Any, ...]
    # what a reader must know to use the number ("Border Patrol only", "rounded"): history answers
    caveats: tuple[str, ...] = ()
    # said beside a zero the data holds: "the data has this slice, and it is zero"
    note: str = ""

    @property
    def release(self) -> Release:
        """The newest release the answer used (``releases`` lists all when a period spans vintages)."""
        return self.releases[-1]

    def describe(self) -> str:
        """The question in words, naming the months the answer covers."""
        return described(self)

    def to_dict(self) -> dict[str, Any]:
        d = {"value": self.value, **provenance(self)}
        if self.caveats:
            d["caveats"] = list(self.caveats)
        if self.note:
            d["note"] = self.note
        return d
