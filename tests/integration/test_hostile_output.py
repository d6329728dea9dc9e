"""Text from files comes back out as the text it is (issue 15, finding 12), through the ``borderdesk``
command as a user runs it: a release file named like a spreadsheet formula, with formulas as
citizenship values, is exported as CSV a spreadsheet will not run (the OWASP rule, numbers untouched);
file names and values with Rich markup or emoji codes are printed literally, in errors and in tables.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from test_cli import BORDERDESK, ok, run

import hostile_support as hostile

pytestmark = pytest.mark.skipif(not BORDERDESK.is_file(), reason=f"no borderdesk command at {BORDERDESK}")

SOURCE_URL = "@evil"  # --source-url is free text: it reaches the `source` column


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """(home, database, label by file name): the hostile release (counts doubled), then a later vintage
    of the same month with the counts as written, so that revisions have negative changes."""
    tmp = tmp_path_factory.mktemp("hostile")
    home = tmp / "home"
    home.mkdir()
    db = tmp / "hostile.duckdb"
    first = hostile.write_release(tmp, scale=2)
    second = hostile.write_release(tmp, "second-state.csv")
    ok(run(home, "ingest", first, "--source-url", SOURCE_URL, "--db", db, "--no-snapshot"))
    ok(run(home, "ingest", second, "--db", db))
    labels = {r["file"]: r["label"] for r in json.loads(ok(run(home, "releases", "-f", "json", "--db", db)))}
    return home, db, labels


def test_releases_csv_neutralises_the_file_name_and_source(hostile_db) -> None:  # type: ignore[no-untyped-def]
    home, db, _ = hostile_db
    rows = _csv(ok(run(home, "releases", "--format", "csv", "--db", db)))
    row = next(r for r in rows if r["file"].endswith(hostile.FILE_NAME))
    assert row["file"] == "'" + hostile.FILE_NAME
    assert row["source"] == "'" + SOURCE_URL
    assert row["rows"] == str(len(hostile.CITIZENSHIPS))  # a number, written as one


def test_breakdown_csv_neutralises_text_and_keeps_numbers(hostile_db) -> None:  # type: ignore[no-untyped-def]
    home, db, labels = hostile_db
    newest = labels["second-state.csv"]
    out = ok(
        run(
            home,
            "table",
            "--by",
            "citizenship",
            "-p",
            hostile.PERIOD,
            "--as-of",
            newest,
            "-f",
            "csv",
            "--db",
            db,
        )
    )
    got = {r["citizenship"]: r for r in _csv(out)}
    for raw, n in hostile.CITIZENSHIPS.items():
        stored = raw.upper()
        shown = "'" + stored if stored[0] in "=+-@" else stored
        assert got[shown]["encounters"] == str(n)
    assert all(not r["share"].startswith("'") for r in got.values())


def test_negative_numbers_stay_numbers(hostile_db) -> None:  # type: ignore[no-untyped-def]
    home, db, labels = hostile_db
    older, newer = labels[hostile.FILE_NAME], labels["second-state.csv"]
    out = ok(
        run(home, "revisions", "--from", older, "--to", newer, "-p", hostile.PERIOD, "-f", "csv", "--db", db)
    )
    [row] = _csv(out)
    total = sum(hostile.CITIZENSHIPS.values())
    assert (row["from_value"], row["to_value"], row["change"]) == (str(2 * total), str(total), str(-total))
    assert row["percent"] == "-50.0"


def test_count_csv_neutralises_the_file_column(hostile_db) -> None:  # type: ignore[no-untyped-def]
    home, db, labels = hostile_db
    out = ok(
        run(
            home, "count", "-p", hostile.PERIOD, "--as-of", labels[hostile.FILE_NAME], "-f", "csv", "--db", db
        )
    )
    [row] = _csv(out)
    assert row["file"] == "'" + hostile.FILE_NAME
    assert row["value"] == str(2 * sum(hostile.CITIZENSHIPS.values()))


# ------------------------------------------------------------------------- markup and emoji codes

EMOJI = ("\u274c", "\U0001f604")  # what Rich makes of :x: and :smile:


def _literal(text: str) -> None:
    assert not any(e in text for e in EMOJI), text


def test_a_rejected_file_is_named_literally(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    bad = tmp_path / ":x:[red]boom[bold].csv"  # a file name cannot hold "/": [bold] opens a style
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    missing = ":x:[red]boom[/red].csv"
    result = run(home, "ingest", bad, missing, "--db", tmp_path / "db.duckdb", "--no-snapshot", cwd=tmp_path)
    assert result.returncode == 1
    errors = result.stderr.splitlines()
    assert errors[0].startswith("error: :x:[red]boom[bold].csv, line 1"), result.stderr
    assert errors[1] == f"error: {missing}: no such file; expected an existing release file"
    _literal(result.stderr)


def test_an_ingested_file_is_named_literally(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    path = hostile.write_release(tmp_path, ":x: [bold]nov-state.csv")
    out = ok(run(home, "ingest", path, "--db", tmp_path / "db.duckdb", "--no-snapshot"))
    assert out.rstrip().endswith(" :x: [bold]nov-state.csv"), out
    table = ok(run(home, "releases", "--db", tmp_path / "db.duckdb"))
    assert ":x: [bold]nov-state.csv" in table
    _literal(out + table)


def test_a_citizenship_with_markup_and_emoji_codes_prints_literally(hostile_db) -> None:  # type: ignore[no-untyped-def]
    home, db, labels = hostile_db
    value = ":SMILE: [RED]BOOM[/RED]"  # as stored: upper-case (Rich's emoji codes ignore case)
    as_of = ("--as-of", labels["second-state.csv"])
    answer = ok(run(home, "count", "-c", value, "-p", hostile.PERIOD, *as_of, "--db", db))
    assert f"question: {value}," in answer
    table = ok(run(home, "table", "--by", "citizenship", "-p", hostile.PERIOD, *as_of, "--db", db))
    assert value in table
    unknown = run(home, "count", "-c", ":smile: [red]x", "-p", hostile.PERIOD, "--db", db)
    assert unknown.returncode != 0
    assert "unknown citizenship ':smile: [red]x'" in unknown.stderr
    assert f"did you mean {value}" in unknown.stderr
    _literal(answer + table + unknown.stderr)
