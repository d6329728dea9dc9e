"""The events timeline: a sourced, well-formed table; filtered by period; drawn on series charts."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from borderdesk import Desk
from borderdesk.analysis.events import CATEGORIES, COLUMNS, all_events, events_in
from borderdesk.charts import series_spec
from borderdesk.query.periods import parse_period


def test_every_event_is_dated_categorised_and_sourced() -> None:
    events = all_events()
    assert len(events) >= 10
    for e in events:
        assert e.title and e.description and e.category in CATEGORIES
        assert e.source_url.startswith("https://"), e
        assert e.end_date is None or e.end_date > e.date
        assert dt.date(2019, 1, 1) <= e.date <= dt.date(2026, 12, 31)


@pytest.mark.parametrize(
    ("date", "end", "word"),
    [
        pytest.param("2020-03-20", "2023-05-11", "title 42", id="title-42"),
        pytest.param("2022-02-24", None, "invasion", id="invasion-of-ukraine"),
        pytest.param("2022-04-25", None, "uniting for ukraine", id="u4u"),
        pytest.param("2022-09-21", None, "mobilization", id="russian-mobilization"),
        pytest.param("2022-10-12", None, "venezuela", id="venezuela-parole"),
        pytest.param("2023-01-05", None, "cubans", id="chnv"),
        pytest.param("2023-01-12", None, "cbp one", id="cbp-one"),
        pytest.param("2024-06-05", None, "securing the border", id="june-2024-proclamation"),
    ],
)
def test_required_events(date: str, end: str | None, word: str) -> None:
    hits = [e for e in all_events() if e.date.isoformat() == date and word in e.title.lower()]
    assert len(hits) == 1
    assert (hits[0].end_date.isoformat() if hits[0].end_date else None) == end


def test_period_filter_keeps_overlapping_spans() -> None:
    nov = events_in(parse_period("2022-11"))
    assert [e.title for e in nov] == ["Title 42 public-health expulsions in force"]
    fy23 = {e.date.isoformat() for e in events_in(parse_period("FY2023"))}
    assert {"2020-03-20", "2022-10-12", "2023-01-05", "2023-01-12", "2023-05-11"} <= fy23
    assert "2022-09-21" not in fy23


def test_desk_events_frame(ingested_desk: Desk) -> None:
    df = ingested_desk.events(period="2022")
    assert list(df.columns) == list(COLUMNS)
    assert "2022-02-24" in set(df["date"])


def test_series_chart_draws_the_events_of_its_period(ingested_desk: Desk) -> None:
    frame = ingested_desk.series_result(citizenship="russia", region="southwest", period="2022-01..2022-12")
    spec = json.dumps(series_spec(frame))
    assert "mobilization" in spec and "Russia's full-scale invasion" in spec
    assert "CBP One appointments ended" not in spec  # 2025: outside the period
    quiet = ingested_desk.series_result(region="southwest", period="2025-03..2025-06")
    assert "layer" not in series_spec(quiet)  # no event in the period: the plain chart


def test_cli_events_json(cli_db, borderdesk_cli) -> None:  # type: ignore[no-untyped-def]
    proc = borderdesk_cli(cli_db, "events", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["columns"] == list(COLUMNS)
    rows = [dict(zip(doc["columns"], r, strict=True)) for r in doc["rows"]]
    t42 = next(r for r in rows if "Title 42" in r["title"] and r["end_date"])
    assert (t42["date"], t42["end_date"]) == ("2020-03-20", "2023-05-11")
