"""Paths and settings. Only shells (CLI, ``borderdesk.open``) read the environment, through here."""

from __future__ import annotations

import os
from pathlib import Path

DB_FILE = "borderdesk.duckdb"
CBP_NATIONWIDE_PAGE = "https://www.cbp.gov/document/stats/nationwide-encounters"


def home() -> Path:
    """``$BORDERDESK_HOME``, else the platform's user data directory."""
    env = os.environ.get("BORDERDESK_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("borderdesk", appauthor=False))


def default_db_path() -> Path:
    return home() / DB_FILE


def downloads_dir() -> Path:
    return home() / "downloads"
