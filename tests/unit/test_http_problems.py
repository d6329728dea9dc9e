"""Which HTTP status each limit gets: a text too long 413, a check out of time 422, any other input
over a limit 413 (an ingest limit is not a timed-out check)."""

from __future__ import annotations

from borderdesk.errors import CheckTimeoutError, IngestLimitError, TextTooLongError
from borderdesk.http.problems import problem


def test_each_limit_gets_its_own_status_and_name() -> None:
    too_long = problem(TextTooLongError(300_000, 200_000), None)
    assert (too_long.status, too_long.error) == (413, "text too long")
    timed_out = problem(CheckTimeoutError(10.0), None)
    assert (timed_out.status, timed_out.error) == (422, "check timed out")
    ingest = problem(
        IngestLimitError("x.csv", "a file of more than 10 bytes", limit=10, option="--max-bytes"), None
    )
    assert (ingest.status, ingest.error) == (413, "over a limit")
    assert ingest.to_dict()["limit"] == 10 and "--max-bytes" in ingest.message
