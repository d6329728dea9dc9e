"""A real check-archive output for the report tests: real articles (the seed and the first articles of the
golden corpus, tests/golden/articles) written as a JSONL archive and checked by check-archive's own run
(:func:`borderdesk.archive.run.run_archive`, one local worker process), so that the report is tested on
the rows the command really writes, with the verdicts the checker really gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from repo_support import ROOT, SEED

ARTICLES = ROOT / "tests" / "golden" / "articles" / "articles.jsonl"
SEED_ARTICLE = {
    "id": "seed-russians-2022-12-28",
    "outlet": "Seed outlet",
    "url": "https://example.org/russians-southern-border",
    "published": "2022-12-28",
    "text": SEED.read_text(encoding="utf-8"),
}


def corpus(first: int) -> list[dict[str, Any]]:
    """The seed article and the first ``first`` articles of the golden corpus."""
    lines = ARTICLES.read_text(encoding="utf-8").splitlines()[:first]
    return [SEED_ARTICLE, *(json.loads(line) for line in lines)]


def write_archive(articles: list[dict[str, Any]], path: Path) -> Path:
    """The articles as check-archive's JSONL input (id, text, date, url, outlet)."""
    lines = [
        json.dumps(
            {
                "id": a["id"],
                "text": a["text"],
                "date": a["published"],
                "url": a["url"],
                "outlet": a["outlet"],
            },
            ensure_ascii=False,
        )
        for a in articles
    ]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def check_archive(articles: list[dict[str, Any]], out: Path, db_file: Path, failures: int = 0) -> Path:
    """Check the articles as ``borderdesk check-archive ARCHIVE --output OUT --workers 1`` does (the
    output's suffix, .parquet or .jsonl, chooses its format), ``failures`` of them failing."""
    from borderdesk.archive.local import LocalEngine
    from borderdesk.archive.run import run_archive
    from borderdesk.archive.work import Settings

    archive = write_archive(articles, out.with_name(out.stem + ".articles-in.jsonl"))
    summary = run_archive([archive], out, LocalEngine(1), Settings(str(db_file), None, 30.0))
    assert summary.failed == failures, out.with_name(out.stem + ".errors.jsonl").read_text(encoding="utf-8")
    return out
