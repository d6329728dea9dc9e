"""The HTTP app in-process: one read-only app over a copy of the snapshot database for the session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import TestClient

from borderdesk.serve import create_app
from repo_support import SEED


@pytest.fixture(scope="session")
def api_db(snapshot_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("api") / "borderdesk.duckdb"
    shutil.copy(snapshot_db_file, path)
    return path


@pytest.fixture(scope="session")
def app(api_db: Path):  # type: ignore[no-untyped-def]
    application = create_app(api_db)
    yield application
    application.state.desk.close()


@pytest.fixture(scope="session")
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    # raise_server_exceptions=False: a bug must show up as the 500 a user would get, not a traceback.
    # Not used as a context manager: the lifespan would close the session's database on exit.
    yield TestClient(app, raise_server_exceptions=False)


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED}")
    return SEED.read_text(encoding="utf-8")
