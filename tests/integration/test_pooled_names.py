"""Citizenships CBP pools into OTHER (issue 16, point 3): the error says so and points to the Border
Patrol history tables, and the lists offered to users hold only what CBP's releases answer.

The truths are read from the stored rows with SQL of their own (``facts`` for CBP's releases,
``history_facts`` for the OHSS workbook), not through borderdesk's query code.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from borderdesk import Desk, metadata
from borderdesk.errors import CoverageError, PooledValueError
from borderdesk.query import names

BORDERDESK = Path(sys.executable).parent / "borderdesk"


def _cbp_citizenships(desk: Desk) -> set[str]:
    rows = desk.con.execute(
        "SELECT DISTINCT d.value FROM facts f JOIN dimension_values d "
        "ON d.dimension = 'citizenship' AND d.code = f.citizenship"
    ).fetchall()
    return {r[0] for r in rows}


def _history_citizenships(desk: Desk) -> set[str]:
    rows = desk.con.execute(
        "SELECT DISTINCT d.value FROM history_facts h JOIN dimension_values d "
        "ON d.dimension = 'citizenship' AND d.code = h.citizenship"
    ).fetchall()
    return {r[0] for r in rows}


def _ohss_fiscal_year(desk: Desk, citizenship: str, fiscal_year: int) -> int:
    """The OHSS workbook's nationwide figure for one citizenship and fiscal year, as stored."""
    row = desk.con.execute(
        "SELECT sum(h.encounters) FROM history_facts h JOIN releases r USING (release_id) "
        "JOIN dimension_values d ON d.dimension = 'citizenship' AND d.code = h.citizenship "
        "WHERE r.family = 'ohss-usbp' AND h.cut = 'citizenship' AND h.grain = 'fiscal_year' "
        "AND d.value = ? AND h.fiscal_year = ?",
        [citizenship, fiscal_year],
    ).fetchone()
    assert row is not None and row[0] is not None
    return int(row[0])


def test_the_answerable_list_is_what_cbp_files_name(snapshot_desk: Desk) -> None:
    named = _cbp_citizenships(snapshot_desk)
    assert "RUSSIA" in named and "OTHER" in named and "GERMANY" not in named
    assert names.answerable(snapshot_desk.catalog, "citizenship") == sorted(named)
    countries = {v for v in named if not metadata.is_grouping(v)}
    assert names.named_count(snapshot_desk.catalog) == len(countries) == 21


def test_the_pooled_list_is_the_history_countries_cbp_does_not_name(snapshot_desk: Desk) -> None:
    history = _history_citizenships(snapshot_desk)
    pooled = names.pooled(snapshot_desk.catalog)
    expected = sorted(v for v in history - _cbp_citizenships(snapshot_desk) if not metadata.is_grouping(v))
    assert pooled == expected
    assert {"GERMANY", "DOMINICAN REPUBLIC", "UNITED KINGDOM", "UNITED STATES"} <= set(pooled)
    assert not {"OTHER", "UNKNOWN", "OTHER THAN MEXICO", "RUSSIA"} & set(pooled)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        pytest.param("Germany", "GERMANY", id="germany"),
        pytest.param("Dominican Republic", "DOMINICAN REPUBLIC", id="dominican-republic"),
        pytest.param("DR", "DOMINICAN REPUBLIC", id="dr"),
        pytest.param("UK", "UNITED KINGDOM", id="uk"),
        pytest.param("US", "UNITED STATES", id="us"),
    ],
)
def test_a_pooled_citizenship_says_so_and_points_to_history(
    snapshot_desk: Desk, typed: str, value: str
) -> None:
    with pytest.raises(PooledValueError) as e:
        snapshot_desk.count(citizenship=typed, period="FY2023")
    error = e.value
    assert isinstance(error, CoverageError)  # the Border Patrol fallback still catches it
    assert error.values == [value] and error.in_history == [value]
    assert str(error).startswith(f"citizenship {value} is pooled into OTHER in CBP's encounter files")
    assert "(they name 21 citizenships)" in str(error)
    command = f"borderdesk history --citizenship {shlex.quote(value)} --period FY2023 --total"
    assert error.history_command == command and f"`{command}`" in str(error)
    assert "has no citizenship" not in str(error)


def test_the_history_command_it_names_answers(snapshot_desk: Desk) -> None:
    with pytest.raises(PooledValueError) as e:
        snapshot_desk.count(citizenship="Germany", period="FY2023")
    args = shlex.split(e.value.history_command or "")
    assert args[:2] == ["borderdesk", "history"]
    # the same question through the desk's history (what the command runs): OHSS's published figure
    frame = snapshot_desk.series_result(
        citizenship="GERMANY", period="FY2023", source="history", interval="fiscal_year"
    )
    assert frame.total == _ohss_fiscal_year(snapshot_desk, "GERMANY", 2023) == 20


def test_a_border_patrol_question_about_a_pooled_country_is_still_answered(snapshot_desk: Desk) -> None:
    answer = snapshot_desk.count(citizenship="Dominicans", component="usbp", period="FY2023")
    assert answer.value == _ohss_fiscal_year(snapshot_desk, "DOMINICAN REPUBLIC", 2023)
    assert answer.family == "ohss-usbp" and any("Border Patrol only" in c for c in answer.caveats)


def test_only_the_pooled_one_of_several_is_named(snapshot_desk: Desk) -> None:
    with pytest.raises(PooledValueError) as e:
        snapshot_desk.count(citizenship=["russia", "Germans"], period="FY2023")
    assert e.value.values == ["GERMANY"]


def test_a_country_the_history_tables_lack_is_pooled_without_a_pointer(snapshot_desk: Desk) -> None:
    assert "AUSTRIA" not in _history_citizenships(snapshot_desk)
    with pytest.raises(PooledValueError) as e:
        snapshot_desk.count(citizenship="Austrians", period="FY2023")
    assert e.value.history_command is None and e.value.in_history == []
    assert str(e.value) == (
        "citizenship AUSTRIA is pooled into OTHER in CBP's encounter files (they name 21 citizenships), "
        "and the Border Patrol history tables do not list it"
    )


def test_a_release_pinned_question_says_pooled_too(snapshot_desk: Desk) -> None:
    label = snapshot_desk.newest_release()
    assert label is not None
    with pytest.raises(PooledValueError):
        snapshot_desk.count(citizenship="UK", as_of=label.label, period="FY2023")


def test_a_claim_about_a_pooled_nationality_is_unverifiable(snapshot_desk: Desk) -> None:
    (c,) = snapshot_desk.check(
        "More than 5,000 Dominicans were encountered at the southern border in fiscal year 2023.",
        date="2023-11-20",
    )
    assert c.verdict == "unverifiable"
    assert "pooled into OTHER" in c.reason and "Dominican Republic" in c.reason


@pytest.mark.skipif(not BORDERDESK.is_file(), reason=f"no borderdesk command at {BORDERDESK}")
def test_the_cli_error_and_the_command_it_names(snapshot_db_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "snap.duckdb"
    db.write_bytes(snapshot_db_file.read_bytes())
    bad = subprocess.run(
        [BORDERDESK, "count", "--citizenship", "Germany", "--period", "FY2023", "--db", db],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 1
    line = bad.stderr.strip()
    assert line.startswith("error: citizenship GERMANY is pooled into OTHER")
    command = line.split("`")[1]
    good = subprocess.run(
        [BORDERDESK, *shlex.split(command)[1:], "--db", db], capture_output=True, text=True, timeout=120
    )
    assert good.returncode == 0, good.stderr
    assert good.stdout.splitlines()[0].strip() == "20"  # OHSS: 20 Germans in FY2023 (rounded to 10)
