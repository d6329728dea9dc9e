"""check-archive's progress bar on stderr: articles done of the total, articles per second, the time
taken and the time left. The total is counted first (JSONL lines, Parquet row counts, folder files),
cheaply, without parsing an article."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from borderdesk.cli.output import err


class RateColumn(ProgressColumn):
    """Articles per second over the run so far."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        rate = task.completed / elapsed if elapsed > 0 else 0.0
        return Text(f"{rate:,.1f} articles/s", style="cyan")


@contextmanager
def progress(inputs: list[Path], *, enabled: bool) -> Iterator[Callable[[int], None]]:
    """``with progress(inputs, enabled=...) as advance:``; ``advance(n)`` moves the bar n articles."""
    if not enabled:
        yield lambda n: None
        return
    from borderdesk.archive.inputs import check_inputs, count_articles

    check_inputs(inputs)
    total = count_articles(inputs)
    bar = Progress(
        TextColumn("[bold]articles"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    )
    with bar:
        task = bar.add_task("check-archive", total=total)
        yield lambda n: bar.advance(task, n)
