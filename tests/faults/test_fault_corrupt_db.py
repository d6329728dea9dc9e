"""A database file that is damaged or not borderdesk's: every command refuses it with one line that says
what to do, exits non-zero, and leaves the file exactly as it was."""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from faults_support import NEW_FILES, leftovers, one_line_error, run_cli, sha256

from borderdesk.errors import DatabaseError
from borderdesk.params import cli_name
from borderdesk.store.schema import SCHEMA_VERSION

pytestmark = pytest.mark.faults


def truncated(template: Path, db: Path) -> None:
    data = template.read_bytes()
    db.write_bytes(data[: len(data) // 2])


def empty(template: Path, db: Path) -> None:
    db.write_bytes(b"")


def random_bytes(template: Path, db: Path) -> None:
    db.write_bytes(random.Random(20261125).randbytes(256 * 1024))


def foreign(template: Path, db: Path) -> None:
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE orders AS SELECT range AS id, range * 2 AS amount FROM range(1000)")
    con.close()


def directory(template: Path, db: Path) -> None:
    db.mkdir()
    (db / "notes.txt").write_text("not a database\n", encoding="utf-8")


def newer_schema(template: Path, db: Path) -> None:
    shutil.copyfile(template, db)
    con = duckdb.connect(str(db))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    con.execute("CHECKPOINT")
    con.close()


#: how to damage the file, and what the message must say (what is wrong, what to do)
CASES = [
    pytest.param(truncated, ("not a usable DuckDB database", "truncated", "restore it"), id="truncated"),
    pytest.param(empty, ("not a usable DuckDB database", "restore it", "move it away"), id="zero-length"),
    pytest.param(random_bytes, ("not a usable DuckDB database", "move it away"), id="random-bytes"),
    pytest.param(foreign, ("not a borderdesk database", "orders", "--db"), id="foreign-duckdb"),
    pytest.param(directory, ("is a directory", "--db"), id="directory"),
    pytest.param(
        newer_schema,
        ("newer borderdesk", f"schema {SCHEMA_VERSION + 1}", "upgrade borderdesk"),
        id="newer-schema",
    ),
]

COMMANDS = [
    pytest.param(("count", "--citizenship", "russia", "--region", "southwest"), id="count"),
    pytest.param(("ingest", *NEW_FILES), id="ingest"),
    pytest.param(("serve", "--port", "0"), id="serve"),
]

Damage = Callable[[Path, Path], None]


def fingerprint(db: Path) -> object:
    if db.is_dir():
        return sorted((p.name, p.read_bytes()) for p in db.iterdir())
    return sha256(db)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(("damage", "says"), CASES)
def test_command_refuses_a_damaged_database(
    damage: Damage, says: tuple[str, ...], command: tuple[str, ...], v2_template: Path, tmp_path: Path
) -> None:
    db = tmp_path / "borderdesk.duckdb"
    damage(v2_template, db)
    before = fingerprint(db)

    proc = run_cli(tmp_path / "home", command[0], "--db", db, *command[1:], timeout=60)

    line = one_line_error(proc)
    assert proc.returncode == 1
    assert db.name in line and ".next-" not in line, line  # the file the user named, not a scratch copy
    for fragment in says:
        assert fragment in line, line
    assert fingerprint(db) == before
    assert leftovers(db) == []
    assert not db.with_name(db.name + ".previous").exists()


@pytest.mark.parametrize(("damage", "says"), CASES)
def test_create_app_refuses_a_damaged_database(
    damage: Damage, says: tuple[str, ...], v2_template: Path, tmp_path: Path
) -> None:
    from borderdesk.serve import create_app

    db = tmp_path / "borderdesk.duckdb"
    damage(v2_template, db)
    before = fingerprint(db)

    with pytest.raises(DatabaseError) as refused:
        create_app(db)

    # the core names the parameter (db); `borderdesk serve`, which calls this, spells it --db
    for fragment in says:
        assert fragment in refused.value.worded(cli_name)
    assert fingerprint(db) == before
