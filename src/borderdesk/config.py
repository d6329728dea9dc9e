"""Paths and settings. Only shells (CLI, ``borderdesk.open``) read the environment, through here."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import ClassVar

from borderdesk.errors import BorderdeskError

DB_FILE = "borderdesk.duckdb"
CBP_NATIONWIDE_PAGE = "https://www.cbp.gov/document/stats/nationwide-encounters"
#: Bytes the in-memory fact index may hold (``borderdesk.query.index``): the bundled snapshot's releases
#: take about 15 MiB as arrays, so the default leaves room for years of vintages.
DEFAULT_INDEX_MAX_BYTES = 256 * 1024 * 1024
INDEX_MAX_BYTES_VARIABLE = "BORDERDESK_INDEX_MAX_BYTES"


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


def index_max_bytes() -> int:
    """``$BORDERDESK_INDEX_MAX_BYTES``: the byte cap of the in-memory fact index (0 turns it off, every
    answer then comes from SQL), else :data:`DEFAULT_INDEX_MAX_BYTES`. A value that is not a whole
    number of bytes is refused, naming the variable, rather than silently ignored."""
    raw = os.environ.get(INDEX_MAX_BYTES_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_INDEX_MAX_BYTES
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        value = -1
    if value < 0:
        raise BorderdeskError(
            f"{INDEX_MAX_BYTES_VARIABLE}={raw!r} is not a number of bytes (0 turns the index off)"
        )
    return value


@dataclass(frozen=True)
class ServeSettings:
    """What ``borderdesk serve`` tells the app it starts. uvicorn builds that app (and each connection's
    protocol) itself, from import strings, so that the CLI need not import the HTTP shells; the
    environment carries the settings."""

    db: Path
    snapshot: bool = True
    #: Seconds a POST /api/check may take: 0 for no limit, None for the server's default.
    check_timeout: float | None = None
    #: Worker processes that run claim checks (0: in the server's own threads).
    check_workers: int = 0
    #: Whether pages to check may be fetched from loopback, private and link-local addresses.
    allow_private_urls: bool = False
    #: Seconds a client has, from connecting (or from its previous answer), to send a whole request.
    request_timeout: float = 10.0
    #: Connections one client address may hold open without a request in progress; one more closes
    #: its oldest such connection.
    idle_per_client: int = 16
    #: Connections open at once; one more closes the oldest idle one, or itself when none is idle.
    max_connections: int = 1000

    PREFIX: ClassVar[str] = "BORDERDESK_SERVE_"

    def to_environment(self) -> dict[str, str]:
        env = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            if isinstance(value, bool):
                value = "1" if value else "0"
            env[self.PREFIX + f.name.upper()] = str(value)
        return env

    @classmethod
    def from_environment(cls) -> ServeSettings:
        env = os.environ
        given: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(cls.PREFIX + f.name.upper())
            if raw is None or raw == "":
                continue
            if f.name == "db":
                given[f.name] = Path(raw)
            elif f.name in ("snapshot", "allow_private_urls"):
                given[f.name] = raw != "0"
            elif f.name in ("check_timeout", "request_timeout"):
                given[f.name] = float(raw)
            else:
                given[f.name] = int(raw)
        given.setdefault("db", default_db_path())
        return cls(**given)  # type: ignore[arg-type]
