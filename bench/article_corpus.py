#!/usr/bin/env python3
"""Tools for the corpus of whole articles (``tests/golden/articles/``): list the numbers of an article so
that every one gets a key, fill in expected verdicts and values from the independent CSV truth, and check
that a corpus file is complete. No borderdesk code is used, so keys never copy the checker.

    .venv/bin/python bench/article_corpus.py numbers FILE.jsonl [ID]   # every number with its offset
    .venv/bin/python bench/article_corpus.py fill FILE.jsonl           # expected verdict/value of each claim
    .venv/bin/python bench/article_corpus.py check FILE.jsonl          # shape, offsets, completeness
    .venv/bin/python bench/article_corpus.py merge OUT.jsonl IN.jsonl... # add articles, split set by id

An article is one JSON line: ``id, outlet, outlet_kind, url, published, title, text, numbers``; each entry
of ``numbers`` is ``{"at", "text", "claim": false, "why"}`` for a number that is not a claim, or
``{"at", "text", "claim": true, "number", "qualifier", "kind", "reading", "expected_verdict",
"expected_value", "notes"}`` for a claim (readings in the notation of ``bench/claims_truth.py``). ``at`` is
the offset of the number's first character in ``text``; ``text`` is the figure as written ("2.7 million",
"31,600", "42%", "doubled").
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

# last on the path, so that bench/http.py never shadows the standard library's http
sys.path.append(str(Path(__file__).resolve().parent))
from claims_truth import QUALIFIERS, VERDICTS, evaluate, parse_reading

OUTLET_KINDS = (
    "wire", "newspaper", "tv", "partisan-right", "partisan-left", "government", "foreign", "think-tank",
    "local", "magazine",
)  # fmt: skip
#: Digits as written (with thousands commas and decimals), and the scale or percent that follows.
DIGITS = re.compile(
    r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.,])\d+(?:\.\d+)?",
)
SCALE = re.compile(r"(?:\s?(?:million|billion|thousand|percent|per cent)\b|%|\s?(?:m|k|bn)\b)", re.IGNORECASE)


#: The held-out third is chosen by a hash of the article's id, fixed before any tuning: no one picks it.
HELDOUT_SALT = "borderdesk-articles-heldout-v1"


def split_of(article_id: str) -> str:
    """'heldout' for about a third of the ids (by sha256), 'dev' for the rest."""
    digest = hashlib.sha256(f"{HELDOUT_SALT}:{article_id}".encode()).digest()
    return "heldout" if int.from_bytes(digest[:8], "big") % 3 == 0 else "dev"


def numbers_in(text: str) -> list[tuple[int, str]]:
    """(offset, figure) for every run of digits in the text, with its scale word or percent sign."""
    out = []
    for m in DIGITS.finditer(text):
        end = m.end()
        s = SCALE.match(text, end)
        if s:
            end = s.end()
        out.append((m.start(), text[m.start() : end]))
    return out


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def save(path: Path, articles: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")


def problems(article: dict[str, Any]) -> list[str]:
    """Everything wrong with one article's keys (empty when it is complete)."""
    out = []
    need = ("id", "outlet", "outlet_kind", "url", "published", "title", "text", "numbers")
    if "split" in article and article["split"] != split_of(article["id"]):
        out.append(f"split {article['split']!r} is not the one its id gives ({split_of(article['id'])!r})")
    missing = [k for k in need if k not in article]
    if missing:
        return [f"missing fields {missing}"]
    if article["outlet_kind"] not in OUTLET_KINDS:
        out.append(f"outlet_kind {article['outlet_kind']!r} not in {OUTLET_KINDS}")
    text = article["text"]
    keyed = {}
    for n in article["numbers"]:
        at, figure = n.get("at"), n.get("text", "")
        if not isinstance(at, int) or text[at : at + len(figure)] != figure:
            out.append(f"'{figure}' is not at offset {at}")
            continue
        keyed[at] = n
        if n.get("claim"):
            for k in (
                "number",
                "qualifier",
                "kind",
                "reading",
                "expected_verdict",
                "expected_value",
                "notes",
            ):
                if k not in n:
                    out.append(f"claim '{figure}' at {at} lacks {k}")
            if n.get("qualifier") not in QUALIFIERS:
                out.append(f"claim '{figure}' at {at}: qualifier {n.get('qualifier')!r}")
            if n.get("expected_verdict") not in VERDICTS:
                out.append(f"claim '{figure}' at {at}: verdict {n.get('expected_verdict')!r}")
            for r in str(n.get("reading", "")).split("|"):
                try:
                    parse_reading(r)
                except ValueError as e:
                    out.append(f"claim '{figure}' at {at}: {e}")
        elif not n.get("why"):
            out.append(f"non-claim '{figure}' at {at} lacks 'why'")
    for at, figure in numbers_in(text):
        if not any(a <= at < a + len(k["text"]) for a, k in keyed.items()):
            out.append(f"number '{figure}' at {at} has no key")
    return out


def fill(article: dict[str, Any]) -> list[str]:
    """Set expected_verdict/expected_value of every claim from the CSV truth; returns what changed."""
    changed = []
    for n in article["numbers"]:
        if not n.get("claim") or n.get("manual"):
            continue
        got = evaluate({**n, "published": article["published"], "id": article["id"]})
        if (n.get("expected_verdict"), n.get("expected_value")) != (got["verdict"], got["value"]):
            changed.append(f"{article['id']} '{n['text']}': {n.get('expected_verdict')} -> {got['verdict']}")
        n["expected_verdict"], n["expected_value"] = got["verdict"], got["value"]
    return changed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("command", choices=("numbers", "fill", "check", "merge"))
    ap.add_argument("file", type=Path)
    ap.add_argument("id", nargs="*")
    args = ap.parse_args()
    if args.command == "merge":
        have = load(args.file) if args.file.exists() else []
        ids = {a["id"] for a in have}
        urls = {a["url"] for a in have}
        for name in args.id:
            for a in load(Path(name)):
                if a["id"] in ids or a["url"] in urls:
                    print(f"skipped {a['id']}: already in {args.file}")
                    continue
                a = {
                    "id": a["id"],
                    "split": split_of(a["id"]),
                    **{k: v for k, v in a.items() if k not in ("id", "split")},
                }
                have.append(a)
                ids.add(a["id"])
                urls.add(a["url"])
        have.sort(key=lambda a: (a["published"], a["id"]))
        save(args.file, have)
        print(f"{len(have)} articles: {sum(a['split'] == 'heldout' for a in have)} held out")
        return 0
    articles = load(args.file)
    if args.command == "numbers":
        for a in articles:
            if args.id and a["id"] not in args.id:
                continue
            print(f"# {a['id']}")
            for at, figure in numbers_in(a["text"]):
                context = a["text"][max(0, at - 50) : at + len(figure) + 40].replace("\n", " ")
                print(f"{at:>6}  {figure!r:<16} …{context}…")
        return 0
    if args.command == "fill":
        for a in articles:
            for line in fill(a):
                print(line)
        save(args.file, articles)
        return 0
    bad = 0
    for a in articles:
        for p in problems(a):
            bad += 1
            print(f"{a.get('id')}: {p}")
    print(f"{len(articles)} articles, {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
