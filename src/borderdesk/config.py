"""Paths and settings. Only shells (CLI, ``borderdesk.open``) read the environment, through here."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

DB_FILE = "borderdesk.duckdb"
CBP_NATIONWIDE_PAGE = "https://www.cbp.gov/document/stats/nationwide-encounters"


def package_version() -> str:
    """The installed package's version ("0.0.0" when running from a source tree that is not installed).

    It lives here, at the bottom of the layers, so that the store (which stamps it on every database
    it creates) and the downloader (its User-Agent) need not import the ``borderdesk`` facade, which
    pulls in the whole core."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("borderdesk")
    except PackageNotFoundError:
        return "0.0.0"


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


@dataclass(frozen=True)
class ServeSettings:
    """What ``borderdesk serve`` tells the app it starts. uvicorn builds that app itself, from an import
    string, so that the CLI need not import the HTTP shells; the environment carries the settings."""

    db: Path
    snapshot: bool = True
    #: Seconds a POST /api/check may take: 0 for no limit, None for the server's default.
    check_timeout: float | None = None

    PREFIX: ClassVar[str] = "BORDERDESK_SERVE_"

    def to_environment(self) -> dict[str, str]:
        env = {f"{self.PREFIX}DB": str(self.db), f"{self.PREFIX}SNAPSHOT": "1" if self.snapshot else "0"}
        if self.check_timeout is not None:
            env[f"{self.PREFIX}CHECK_TIMEOUT"] = repr(float(self.check_timeout))
        return env

    @classmethod
    def from_environment(cls) -> ServeSettings:
        env = os.environ
        db = env.get(f"{cls.PREFIX}DB")
        seconds = env.get(f"{cls.PREFIX}CHECK_TIMEOUT")
        return cls(
            db=Path(db) if db else default_db_path(),
            snapshot=env.get(f"{cls.PREFIX}SNAPSHOT", "1") != "0",
            check_timeout=float(seconds) if seconds else None,
        )
