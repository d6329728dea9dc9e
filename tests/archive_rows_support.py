"""A real check-archive output for the report tests: a few real articles (the seed and the first articles of
the golden corpus, tests/golden/articles) checked by ``Desk.check`` and written one row per claim in the
archive schema (:mod:`borderdesk.archive.schema`: article columns, then the claim's JSON flattened, lists as
JSON text), so that the report is tested on verdicts the checker really gives."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from borderdesk import Desk
from borderdesk.archive.schema import COLUMN_NAMES, arrow_schema
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


def flatten(obj: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested objects become ``parent_child`` keys; lists become JSON text (the archive schema's rule)."""
    out: dict[str, Any] = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "_"))
        elif isinstance(value, list):
            out[name] = json.dumps(value, ensure_ascii=False)
        elif key in ("number", "value") and value is not None:
            out[name] = float(value)
        else:
            out[name] = value
    return out


def rows(desk: Desk, articles: list[dict[str, Any]], source: str) -> list[dict[str, Any]]:
    """One row per claim of each article, checked at the article's own date."""
    out = []
    for line, art in enumerate(articles, start=1):
        text = art["text"]
        for i, claim in enumerate(desk.check(text, date=art["published"])):
            out.append(
                {
                    "article_id": art["id"],
                    "url": art["url"],
                    "outlet": art["outlet"],
                    "date": art["published"],
                    "date_from": "article",
                    "input": source,
                    "input_line": line,
                    "content_hash": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                    "claim_index": i,
                    **flatten(claim.to_dict()),
                }
            )
    return out


def in_schema(row: dict[str, Any]) -> dict[str, Any]:
    """Every schema column (null when the claim has none); any other key into ``extra``."""
    extra = {k: v for k, v in row.items() if k not in COLUMN_NAMES}
    out = {n: row.get(n) for n in COLUMN_NAMES}
    out["extra"] = json.dumps(extra) if extra else None
    return out


def write_parquet(rows_: list[dict[str, Any]], path: Path) -> Path:
    """The rows as a Parquet file with the archive schema."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist([in_schema(r) for r in rows_], schema=arrow_schema()), path)
    return path


def write_jsonl(rows_: list[dict[str, Any]], path: Path) -> Path:
    text = "".join(json.dumps(in_schema(r), ensure_ascii=False) + "\n" for r in rows_)
    path.write_text(text, encoding="utf-8")
    return path
