"""Score ``desk.check`` on the corpus of whole articles (``tests/golden/articles/articles.jsonl``).

For each article the checker reads the whole text at its publication date. A result *finds* a keyed claim
when its figure overlaps the keyed figure; the claim is *right* when the result has the expected verdict
and an acceptable value (the value of any reading that gives that verdict, from the independent CSV
truth in ``claims_truth``); a result that overlaps no keyed claim is a *flagged* non-claim.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

# last on the path, so that bench/http.py never shadows the standard library's http
sys.path.append(str(Path(__file__).resolve().parent))
from claims_truth import evaluate

ARTICLES = Path(__file__).resolve().parents[1] / "tests" / "golden" / "articles" / "articles.jsonl"


def load_articles(path: Path = ARTICLES) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def _value_ok(key: dict[str, Any], published: str, got: Any) -> bool:
    if key["expected_verdict"] == "unverifiable":
        return got is None
    if got is None:
        return False
    if key.get("manual"):
        want = key["expected_value"]
        return want is not None and abs(float(got) - float(want)) <= max(0.051, 0.0051 * abs(float(want)))
    expected = evaluate({**key, "published": published})
    pool = [d for d in expected["readings"] if d["value"] is not None]
    if key["expected_verdict"] == "supported":
        pool = [d for d in pool if d["ok"]]
    for d in pool:
        want = float(d["value"])
        if d["kind"] in ("count", "difference") and abs(float(got) - want) < 1e-9:
            return True
        if d["kind"] == "percent" and abs(abs(float(got)) - abs(want)) <= 0.051:
            return True
        if d["kind"] == "ratio" and abs(float(got) - want) <= 0.0051:
            return True
    return False


def score_article(desk: Any, article: dict[str, Any]) -> dict[str, Any]:
    """found / right / flagged for one article, with every miss described."""
    try:
        results = list(desk.check(article["text"], date=article["published"]))
    except Exception as exc:  # a crash is a miss of every claim, not the end of the run
        results = []
        error = f"{type(exc).__name__}: {exc}"
    else:
        error = None
    keys = [k for k in article["numbers"] if k.get("claim")]
    spans = [(k["at"], k["at"] + len(k["text"])) for k in article["numbers"]]
    claimed = {(k["at"], k["at"] + len(k["text"])): k for k in keys}
    out: dict[str, Any] = {
        "claims": len(keys),
        "found": 0,
        "right": 0,
        "flagged": 0,
        "misses": [],
        "flags": [],
    }
    used = set()
    for span, key in claimed.items():
        hit = next(
            (
                r
                for r in results
                if _overlap(tuple(_get(r, "figure_span") or (0, 0)), span) and id(r) not in used
            ),
            None,
        )
        if hit is None:
            out["misses"].append({"key": key, "got": "missing", "why": error or "no result for this figure"})
            continue
        used.add(id(hit))
        out["found"] += 1
        verdict, value = _get(hit, "verdict"), _get(hit, "value")
        if verdict == key["expected_verdict"] and _value_ok(key, article["published"], value):
            out["right"] += 1
        else:
            out["misses"].append({"key": key, "got": f"{verdict} {value}", "why": _get(hit, "reason")})
    for r in results:
        if id(r) in used:
            continue
        span = tuple(_get(r, "figure_span") or (0, 0))
        if any(_overlap(span, s) for s in claimed):
            continue  # a second result on a keyed claim: not a flag
        out["flagged"] += 1
        keyed = next((k for k, s in zip(article["numbers"], spans, strict=True) if _overlap(span, s)), None)
        out["flags"].append(
            {
                "number": _get(r, "number"),
                "text": _get(r, "text"),
                "keyed_as": keyed and keyed.get("why"),
                "verdict": _get(r, "verdict"),
            }
        )
    return out


def _overlap(a: tuple[int, ...], b: tuple[int, int]) -> bool:
    return len(a) == 2 and a[0] < b[1] and b[0] < a[1]


def score(desk: Any, articles: list[dict[str, Any]]) -> dict[str, Any]:
    totals = {"articles": len(articles), "claims": 0, "found": 0, "right": 0, "flagged": 0, "per_article": []}
    for a in articles:
        s = score_article(desk, a)
        for k in ("claims", "found", "right", "flagged"):
            totals[k] += s[k]
        totals["per_article"].append((a, s))
    return totals


def line(name: str, t: dict[str, Any]) -> str:
    n = t["claims"] or 1
    per10 = t["flagged"] / max(1, t["articles"]) * 10
    return (
        f"{name}: {t['articles']} articles, {t['claims']} claims — found {t['found']}/{t['claims']} "
        f"({100 * t['found'] / n:.1f}%), verdicts right {t['right']}/{t['claims']} "
        f"({100 * t['right'] / n:.1f}%), "
        f"non-claims flagged {t['flagged']} ({per10:.1f} per 10 articles)"
    )


def details(t: dict[str, Any]) -> list[str]:
    out = []
    for a, s in t["per_article"]:
        for m in s["misses"]:
            k = m["key"]
            out.append(
                f"- {a['id']} '{k['text']}' (at {k['at']}): expected {k['expected_verdict']} "
                f"{k['expected_value']} [{k['reading']}], got {m['got']} — {str(m['why'])[:400]}"
            )
        for f in s["flags"]:
            out.append(
                f"- {a['id']} flagged '{f['number']}' ({f['verdict']}; "
                f"keyed as: {f['keyed_as']}): {f['text']}"
            )
    return out
