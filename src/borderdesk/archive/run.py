"""One run of check-archive, whichever engine checks: read the inputs, skip what an earlier run did,
send the rest in batches to the engine, write what comes back, then combine the output.

Articles that cannot be read go straight to the errors file; the engine gets only articles to check.
The reading is lazy (the engine pulls a batch only when it has room for one), so memory is bounded by
the batches in flight, not by the archive.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from borderdesk.archive.inputs import Article, ArticleError, check_inputs, read_articles
from borderdesk.archive.output import ArchiveWriter
from borderdesk.archive.work import Outcome, Settings

#: Articles sent to a worker at a time: enough to make the round trip cheap, few enough to keep every
#: worker busy to the end of a small archive.
DEFAULT_BATCH = 32


class Engine(Protocol):
    def describe(self) -> str: ...

    def map(self, batches: Iterator[list[Article]], settings: Settings) -> Iterator[list[Outcome]]: ...


@dataclass(frozen=True)
class Summary:
    """What a run did: articles checked, skipped (done in an earlier run), failed; claims found (the
    rows this run added); rows the output holds now; seconds taken."""

    checked: int
    skipped: int
    failed: int
    claims: int
    rows: int
    seconds: float
    output: str
    errors: str

    @property
    def per_second(self) -> float:
        return self.checked / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "skipped": self.skipped,
            "failed": self.failed,
            "claims": self.claims,
            "rows": self.rows,
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.per_second, 2),
            "output": self.output,
            "errors": self.errors,
        }


def run_archive(
    inputs: Sequence[Path],
    out: Path,
    engine: Engine,
    settings: Settings,
    *,
    errors: Path | None = None,
    batch_size: int = DEFAULT_BATCH,
    advance: Callable[[int], None] | None = None,
) -> Summary:
    """Check every article of ``inputs`` into ``out`` (see :mod:`borderdesk.archive`); ``advance(n)``
    is told of every ``n`` articles dealt with (checked, skipped or failed), for a progress bar."""
    started = time.monotonic()
    check_inputs(inputs)
    writer = ArchiveWriter.open(out, errors)
    tell = advance or (lambda n: None)
    skipped = 0

    def batches() -> Iterator[list[Article]]:
        nonlocal skipped
        batch: list[Article] = []
        for item in read_articles(inputs):
            if isinstance(item, ArticleError):
                writer.error(item)
                tell(1)
            elif writer.is_done(item):
                skipped += 1
                tell(1)
            else:
                batch.append(item)
                if len(batch) >= batch_size:
                    yield batch
                    batch = []
        if batch:
            yield batch

    try:
        for outcomes in engine.map(batches(), settings):
            writer.write(outcomes)
            tell(len(outcomes))
    except BaseException:
        writer.abandon()  # the parts written so far stay: a rerun goes on from them
        raise
    rows = writer.finish()
    return Summary(
        checked=writer.checked,
        skipped=skipped,
        failed=writer.failed,
        claims=writer.rows,
        rows=rows,
        seconds=time.monotonic() - started,
        output=str(out),
        errors=str(writer.paths.errors),
    )
