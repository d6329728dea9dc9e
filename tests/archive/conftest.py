"""Fixtures of the archive tests: a database file made from the bundled snapshot, real articles (the
seed article and a handful of tests/golden/articles), and the settings every run checks with."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from borderdesk.archive.work import Settings
from repo_support import ROOT, SEED

GOLDEN = ROOT / "tests" / "golden" / "articles" / "articles.jsonl"


@pytest.fixture(scope="session")
def settings(snapshot_db_file: Path) -> Settings:
    """The snapshot database, 10 s a article, no --date."""
    return Settings(str(snapshot_db_file), None, 10.0)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def golden() -> list[dict[str, Any]]:
    """Five real articles of the golden set, as stored (id, text, published, url, outlet, ...)."""
    with GOLDEN.open(encoding="utf-8") as fh:
        return [json.loads(line) for _, line in zip(range(5), fh, strict=False)]


@pytest.fixture()
def archive(tmp_path: Path, seed_text: str, golden: list[dict[str, Any]]) -> Path:
    """A JSONL archive: the seed article (dated 2022-12-28) and five golden articles."""
    path = tmp_path / "articles.jsonl"
    records = [
        {
            "id": "seed",
            "text": seed_text,
            "date": "2022-12-28",
            "url": "https://example.org/seed",
            "outlet": "Seed",
        },
        *(
            {"id": a["id"], "text": a["text"], "date": a["published"], "url": a["url"], "outlet": a["outlet"]}
            for a in golden
        ),
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture()
def golden_40(tmp_path: Path) -> Path:
    """Forty real articles of the golden set as a check-archive JSONL input."""
    path = tmp_path / "golden-40.jsonl"
    with GOLDEN.open(encoding="utf-8") as fh:
        records = [json.loads(line) for _, line in zip(range(40), fh, strict=False)]
    path.write_text(
        "".join(
            json.dumps({"id": a["id"], "text": a["text"], "date": a["published"], "outlet": a["outlet"]})
            + "\n"
            for a in records
        ),
        encoding="utf-8",
    )
    return path
