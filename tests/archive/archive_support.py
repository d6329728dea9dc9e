"""Helpers of the archive tests: an engine that runs the workers' code in this process (the output's
tests are about files, not processes), one that dies after its first batch, and readers of outputs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from borderdesk.archive.inputs import Article
from borderdesk.archive.work import Outcome, Settings, check_batch

#: The seed article's three claims (claim-check.md): stated number, verdict, value found.
SEED_CLAIMS = [(31600.0, "inaccurate", 24724.0), (5500.0, "supported", 5507.0), (4100.0, "supported", 4103.0)]


class InProcessEngine:
    """:func:`check_batch` called here, batch after batch: the workers' code without the pool."""

    def describe(self) -> str:
        return "in-process"

    def map(self, batches: Iterator[list[Article]], settings: Settings) -> Iterator[list[Outcome]]:
        for batch in batches:
            yield check_batch(batch, settings)


class Killed(Exception):
    """The run was stopped part-way (as by a crash)."""


class DiesAfterFirstBatch(InProcessEngine):
    """Checks one batch, hands it back, then dies: what a kill part-way through leaves behind."""

    def map(self, batches: Iterator[list[Article]], settings: Settings) -> Iterator[list[Outcome]]:
        for batch in batches:
            yield check_batch(batch, settings)
            raise Killed("stopped after the first batch")


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The rows of a Parquet or JSONL output, as dicts."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return list(pq.read_table(path).to_pylist())
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_errors(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def seed_claims(rows: list[dict[str, Any]]) -> list[tuple[float, str, float]]:
    seed = sorted((r for r in rows if r["article_id"] == "seed"), key=lambda r: r["claim_index"])
    return [(r["number"], r["verdict"], r["value"]) for r in seed]


def sorted_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (r["article_id"], r["claim_index"]))
