"""A database written by borderdesk 0.1.0 (schema 1, no ``updates`` table): read-only commands answer
from it untouched; ``migrate`` (or any write) brings it to the current schema in a copy, keeping the old
file as ``.previous``; a second ``migrate`` has nothing to do."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import duckdb
import pytest
from faults_support import (
    RUSSIA_SW_2022_11,
    SBO,
    Truth,
    copy_db,
    leftovers,
    read_state,
    run_cli,
    sha256,
)

from borderdesk.desk import Desk
from borderdesk.store.schema import SCHEMA_VERSION
from borderdesk.store.writer import previous_path

pytestmark = pytest.mark.faults

QUESTION = ("--citizenship", "russia", "--region", "southwest", "--period", "2022-11")
V1_LABELS = ["state-2023-09", "state-2025-11"]


def cli_count(home: Path, db: Path) -> int:
    proc = run_cli(home, "count", "--db", db, *QUESTION, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["release"]["label"] == "state-2025-11"
    return int(doc["value"])


def updates_log(db: Path) -> list[tuple[int, str, int, str | None]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [
            (int(g), str(c), int(n), a)
            for g, c, n, a in con.execute(
                "SELECT generation, command, releases, added FROM updates ORDER BY generation"
            ).fetchall()
        ]
    finally:
        con.close()


@pytest.fixture
def v1_db(v1_template: Path, tmp_path: Path) -> Path:
    return copy_db(v1_template, tmp_path / "borderdesk.duckdb")


def test_the_template_is_a_genuine_schema_1_database(v1_db: Path, truths: dict[str, Truth]) -> None:
    state = read_state(v1_db, truths)  # read_state checks: schema 1 has no updates table
    assert (state.schema, state.generation, state.labels) == (1, None, V1_LABELS)


def test_read_only_commands_answer_from_schema_1_and_change_nothing(
    v1_db: Path, truths: dict[str, Truth], tmp_path: Path
) -> None:
    digest = sha256(v1_db)

    assert cli_count(tmp_path / "home", v1_db) == RUSSIA_SW_2022_11
    listed = run_cli(tmp_path / "home", "releases", "--db", v1_db, "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert sorted(r["label"] for r in json.loads(listed.stdout)) == V1_LABELS
    with Desk(v1_db, read_only=True) as desk:
        assert desk.generation is None and desk.migrated_from is None
        assert desk.count(citizenship="russia", region="southwest", period="2022-11").value == 5507

    assert sha256(v1_db) == digest
    assert read_state(v1_db, truths).schema == 1
    assert not previous_path(v1_db).exists()
    assert leftovers(v1_db) == []


def test_migrate_brings_it_to_the_current_schema_and_keeps_the_old_file(
    v1_db: Path, truths: dict[str, Truth], tmp_path: Path
) -> None:
    home, digest, before = tmp_path / "home", sha256(v1_db), read_state(v1_db, truths)

    proc = run_cli(home, "migrate", "--db", v1_db)

    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"migrated {v1_db} from schema 1 to {SCHEMA_VERSION}"
    after = read_state(v1_db, truths)
    assert after.schema == SCHEMA_VERSION
    assert (after.releases, after.facts, after.latest) == (before.releases, before.facts, before.latest)
    assert [(g, c, n) for g, c, n, _ in updates_log(v1_db)] == [
        (1, "migrate to schema 2", 2),
        (2, "migrate (migrated from schema 1)", 2),
    ]
    assert cli_count(home, v1_db) == RUSSIA_SW_2022_11
    assert sha256(previous_path(v1_db)) == digest  # the schema-1 file, whole
    assert read_state(previous_path(v1_db), truths) == before
    assert leftovers(v1_db) == []

    migrated = sha256(v1_db)
    again = run_cli(home, "migrate", "--db", v1_db)

    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == f"{v1_db} is already at schema {SCHEMA_VERSION}; nothing to do"
    assert sha256(v1_db) == migrated  # not rewritten
    assert sha256(previous_path(v1_db)) == digest


def test_ingest_migrates_on_the_way(v1_db: Path, truths: dict[str, Truth], tmp_path: Path) -> None:
    digest = sha256(v1_db)

    proc = run_cli(tmp_path / "home", "ingest", "--db", v1_db, SBO)

    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split()[:2] == ["ingested", "southwest-2025-08"]
    state = read_state(v1_db, truths)
    assert (state.schema, state.labels) == (SCHEMA_VERSION, sorted([*V1_LABELS, "southwest-2025-08"]))
    assert updates_log(v1_db)[-1] == (2, "ingest (migrated from schema 1)", 3, "southwest-2025-08")
    assert sha256(previous_path(v1_db)) == digest
    assert cli_count(tmp_path / "home", v1_db) == RUSSIA_SW_2022_11


def test_the_server_answers_from_schema_1_without_changing_it(v1_db: Path) -> None:
    with warnings.catch_warnings():  # starlette nags about httpx vs httpx2; the client works the same
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from borderdesk.serve import create_app

    digest = sha256(v1_db)
    app = create_app(v1_db)
    try:
        got = TestClient(app).get("/api/count?citizenship=russia&region=southwest&period=2022-11")
        assert got.status_code == 200, got.text
        assert got.json()["value"] == RUSSIA_SW_2022_11
    finally:
        app.state.desk.close()
    assert sha256(v1_db) == digest
