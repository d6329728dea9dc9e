"""The ``borderdesk`` command, run as a user runs it: a subprocess with its own database and home."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import borderdesk

BORDERDESK = Path(sys.executable).parent / "borderdesk"
OCT = "nationwide-encounters-fy21-fy24-oct-state.csv"
SBO = "sbo-encounters-fy22-fy25-aug.csv"
NOV_2025 = "nationwide-encounters-fy23-fy26-nov-state.csv"
NOV_2025_SHA256 = "e060e1f3b7b3275520f03b7abad2b111a683d4d5aa2c00dd9d8010fcc8a5c6ee"
RUSSIA_SW_NOV_2022 = ("count", "--citizenship", "russia", "--region", "southwest", "--period", "2022-11")

pytestmark = pytest.mark.skipif(not BORDERDESK.is_file(), reason=f"no borderdesk command at {BORDERDESK}")


def run(home: Path, *args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BORDERDESK_HOME": str(home), "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("BORDERDESK_DEBUG", None)
    return subprocess.run(
        [str(BORDERDESK), *map(str, args)],
        env=env,
        cwd=cwd or home,
        capture_output=True,
        text=True,
        timeout=120,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, (
        f"exit {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    )
    assert "Traceback" not in result.stderr
    return result.stdout


def failed(result: subprocess.CompletedProcess[str]) -> str:
    """The one-line error of a failed command (no traceback)."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr + result.stdout
    return result.stderr


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def data_rows(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return sum(1 for row in csv.reader(fh) if row) - 1


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "home"
    h.mkdir()
    return h


@pytest.fixture
def db(snapshot_db_file: Path, tmp_path: Path) -> Path:
    """A copy of a database created with the bundled snapshot."""
    path = tmp_path / "snap.duckdb"
    shutil.copyfile(snapshot_db_file, path)
    return path


# ------------------------------------------------------------------------------ ingest, releases


def test_ingest_prints_one_line_per_file_then_unchanged(home: Path, cbp_data: Path, tmp_path: Path) -> None:
    db = tmp_path / "own.duckdb"
    files = [cbp_data / OCT, cbp_data / SBO]

    out = ok(run(home, "ingest", *files, "--db", db, "--no-snapshot"))

    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 2
    for line, path, label in zip(lines, files, ("state-2023-10", "southwest-2025-08"), strict=True):
        assert line.split()[0] == "ingested"
        assert label in line.split()
        assert f"{data_rows(path):,}" in line
        assert sha256(path) in line
        assert path.name in line

    again = ok(run(home, "ingest", cbp_data / OCT, "--db", db))
    [line] = again.strip().splitlines()
    assert line.split()[0] == "unchanged"
    assert "state-2023-10" in line and sha256(cbp_data / OCT) in line


def test_ingest_records_release_date_and_source_url(home: Path, cbp_data: Path, tmp_path: Path) -> None:
    db = tmp_path / "own.duckdb"
    ok(
        run(
            home,
            "ingest",
            cbp_data / SBO,
            "--release-date",
            "2025-09-16",
            "--source-url",
            "https://example.org/sbo.csv",
            "--db",
            db,
            "--no-snapshot",
        )
    )
    [release] = json.loads(ok(run(home, "releases", "--format", "json", "--db", db)))
    assert (release["published"], release["source"]) == ("2025-09-16", "https://example.org/sbo.csv")


def test_ingest_rejects_a_bad_release_date(home: Path, cbp_data: Path, tmp_path: Path) -> None:
    err = failed(
        run(home, "ingest", cbp_data / SBO, "--release-date", "16/09/2025", "--db", tmp_path / "x.db")
    )
    assert "2024-10-15" in err


def test_releases_json(home: Path, cbp_data: Path, csv_truth, tmp_path: Path) -> None:
    db = tmp_path / "own.duckdb"
    ok(run(home, "ingest", cbp_data / OCT, cbp_data / SBO, "--db", db, "--no-snapshot"))

    releases = json.loads(ok(run(home, "releases", "--format", "json", "--db", db)))

    assert isinstance(releases, list) and len(releases) == 2
    by_file = {r["file"]: r for r in releases}
    assert set(by_file) == {OCT, SBO}
    for name, r in by_file.items():
        assert {"label", "file", "sha256", "rows", "coverage", "ingested_at", "source"} <= set(r)
        start, end = csv_truth.coverage(cbp_data / name)
        assert r["coverage"] == {"start": start, "end": end}
        assert r["sha256"] == sha256(cbp_data / name)
        assert r["rows"] == data_rows(cbp_data / name)
        assert dt.datetime.fromisoformat(r["ingested_at"])
    assert by_file[OCT]["label"] == "state-2023-10"
    assert by_file[SBO]["label"] == "southwest-2025-08"
    assert by_file[SBO]["source"] == "https://www.cbp.gov/document/stats/southwest-land-border-encounters"


def test_releases_csv_and_table(home: Path, db: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(ok(run(home, "releases", "--format", "csv", "--db", db)))))
    assert len(rows) == 19  # 14 CBP releases + 5 Border Patrol history files
    newest = next(r for r in rows if r["label"] == "state-2025-11")
    assert (newest["file"], newest["sha256"], newest["coverage_end"]) == (
        NOV_2025,
        NOV_2025_SHA256,
        "2025-11",
    )
    table = ok(run(home, "releases", "--db", db))
    assert "state-2025-11" in table and "19 releases" in table


# ----------------------------------------------------------------------------------------- count


def test_count_table(home: Path, db: Path) -> None:
    out = ok(run(home, *RUSSIA_SW_NOV_2022, "--db", db))
    assert out.splitlines()[0].strip() == "5,507"
    assert "state-2025-11" in out
    assert NOV_2025 in out
    assert NOV_2025_SHA256 in out
    assert "RUSSIA" in out and "Southwest" in out and "November 2022" in out


def test_count_json(home: Path, db: Path) -> None:
    doc = json.loads(ok(run(home, *RUSSIA_SW_NOV_2022, "--db", db, "--format", "json")))
    assert doc["value"] == 5507
    assert {"label", "file", "sha256", "published"} <= set(doc["release"])
    assert (doc["release"]["label"], doc["release"]["file"], doc["release"]["sha256"]) == (
        "state-2025-11",
        NOV_2025,
        NOV_2025_SHA256,
    )
    q = doc["question"]
    assert (q["citizenship"], q["region"], q["period"]) == ("RUSSIA", "southwest", "2022-11")


def test_count_csv(home: Path, db: Path) -> None:
    [row] = list(
        csv.DictReader(io.StringIO(ok(run(home, *RUSSIA_SW_NOV_2022, "--db", db, "--format", "csv"))))
    )
    assert row["value"] == "5507"
    assert (row["release"], row["file"], row["sha256"]) == ("state-2025-11", NOV_2025, NOV_2025_SHA256)


def test_count_parquet(home: Path, db: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "x.parquet"
    ok(run(home, *RUSSIA_SW_NOV_2022, "--db", db, "--format", "parquet", "--output", target))
    table = pq.read_table(target)
    assert table.column("value").to_pylist() == [5507]
    assert table.column("release").to_pylist() == ["state-2025-11"]


def test_count_as_of(home: Path, db: Path) -> None:
    out = ok(run(home, "count", "--region", "SW", "--period", "2023-10", "--as-of", OCT, "--db", db))
    assert out.splitlines()[0].strip() == "240,988"
    assert "state-2023-10" in out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        pytest.param(("--citizenship", "rusia"), ["did you mean RUSSIA"], id="citizenship-typo"),
        pytest.param(
            ("--period", "FY20X4"),
            [
                "FY20X4",
                "FY2022",
                "2022-11",
                "Nov 2022",
                "2022-02..2022-11",
                "since 2022-02",
                "FY2023-to-date",
            ],
            id="bad-period",
        ),
        pytest.param(("--region", "mars"), ["unknown region", "southwest"], id="bad-region"),
        pytest.param(("--as-of", "nope"), ["no release 'nope'", "state-2025-11"], id="unknown-release"),
        pytest.param(("--format", "xml"), ["table, csv, json, parquet"], id="bad-format"),
        pytest.param(("--format", "parquet"), ["--output"], id="parquet-needs-output"),
    ],
)
def test_count_bad_input_is_one_line_without_traceback(
    home: Path, db: Path, args: tuple[str, ...], says: list[str]
) -> None:
    err = failed(run(home, "count", *args, "--db", db))
    for text in says:
        assert text in err, err


# --------------------------------------------------------------------------- --version, --help, --db


def test_version_names_the_newest_release(home: Path) -> None:
    before = ok(run(home, "--version"))
    assert borderdesk.__version__ in before
    assert "no database yet" in before
    # the bundled snapshot's newest release is named even before there is a database
    assert (
        "bundled snapshot: newest release state-2025-11 (nationwide-encounters-fy23-fy26-nov-state.csv"
        in before
    )
    assert "data through 2025-11" in before
    # Without --db, a command creates $BORDERDESK_HOME/borderdesk.duckdb from the bundled snapshot.
    assert ok(run(home, *RUSSIA_SW_NOV_2022)).splitlines()[0].strip() == "5,507"
    assert (home / "borderdesk.duckdb").is_file()
    after = ok(run(home, "--version"))
    assert after.splitlines()[0] == f"borderdesk {borderdesk.__version__}"
    assert "state-2025-11" in after and NOV_2025 in after


@pytest.mark.parametrize("command", ["ingest", "releases", "update", "count"])
def test_help(home: Path, command: str) -> None:
    out = ok(run(home, command, "--help"))
    assert f"borderdesk {command}" in out
    assert "--db" in out
    assert "--no-snapshot" in out


def test_root_help_lists_commands(home: Path) -> None:
    out = ok(run(home, "--help"))
    for command in ("ingest", "releases", "update", "count"):
        assert command in out


def test_no_snapshot_database_is_empty(home: Path, tmp_path: Path) -> None:
    db = tmp_path / "empty.duckdb"
    assert json.loads(ok(run(home, "releases", "--format", "json", "--db", db, "--no-snapshot"))) == []
    err = failed(run(home, *RUSSIA_SW_NOV_2022, "--db", db))
    assert "ingest" in err
    assert not (home / "borderdesk.duckdb").exists()  # --db was honoured


def test_errors_name_the_option_as_typed(home: Path, db: Path) -> None:
    """The core says which parameter is wrong; the CLI words it as its own option (``--by``), where
    HTTP says ``by`` (tests/api/test_api_errors.py)."""
    err = failed(run(home, "table", "--by", "", "--period", "2022-11", "--db", db))
    assert "a table needs --by" in err
