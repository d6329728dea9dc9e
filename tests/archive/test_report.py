"""``archive-report``'s figures, checked against the output file itself: check-archive's real output for
the seed article and the first golden-corpus articles, read back with pyarrow and counted in Python, and
every query the report prints rerun verbatim from the report's folder."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest

from archive_rows_support import SEED_ARTICLE, check_archive, corpus
from borderdesk.archive.report import write_report
from borderdesk.archive.report_figures import compute
from borderdesk.archive.report_queries import ERROR_TYPES, NO_KNOWN_CONFUSION

ARTICLES = 12  # golden-corpus articles beside the seed


@pytest.fixture(scope="module")
def checked(snapshot_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """check-archive's Parquet output for the seed and the first golden articles."""
    folder = tmp_path_factory.mktemp("archive-report")
    return check_archive(corpus(ARTICLES), folder / "out.parquet", snapshot_db_file)


@pytest.fixture(scope="module")
def claims(checked: Path) -> list[dict[str, Any]]:
    """The output's rows, read with pyarrow: the independent truth the figures are compared with."""
    out: list[dict[str, Any]] = pq.read_table(checked).to_pylist()
    return out


@pytest.fixture(scope="module")
def report_html(checked: Path) -> str:
    return write_report(checked, worst=100).read_text(encoding="utf-8")


def _first_matching_confusion(row: dict[str, Any]) -> str | None:
    for alt in json.loads(row["alternatives"] or "[]"):
        if alt.get("matches") and alt.get("confusion"):
            return str(alt["confusion"])
    return None


def test_outlet_counts_equal_the_files_rows(checked: Path, claims: list[dict[str, Any]]) -> None:
    figures = compute(checked, checked.parent).figures
    by_outlet = {r["outlet"]: r for r in figures["outlets"].rows}
    per_outlet = Counter(r["outlet"] for r in claims)
    inaccurate = Counter(r["outlet"] for r in claims if r["verdict"] == "inaccurate")
    checkable = Counter(r["outlet"] for r in claims if r["verdict"] in ("supported", "inaccurate"))
    assert {o: r["claims"] for o, r in by_outlet.items()} == dict(per_outlet)
    assert {o: r["inaccurate"] for o, r in by_outlet.items()} == {o: inaccurate[o] for o in per_outlet}
    for outlet, n in checkable.items():
        assert by_outlet[outlet]["inaccurate_share"] == pytest.approx(inaccurate[outlet] / n, abs=5e-4)
    articles = {o: len({r["article_id"] for r in claims if r["outlet"] == o}) for o in per_outlet}
    assert {o: r["articles"] for o, r in by_outlet.items()} == articles
    (totals,) = figures["totals"].rows
    assert totals["claims"] == len(claims) and totals["articles"] == len({r["article_id"] for r in claims})
    assert totals["inaccurate"] == sum(inaccurate.values())


def test_month_counts_equal_the_files_rows(checked: Path, claims: list[dict[str, Any]]) -> None:
    months = {r["month"]: r["claims"] for r in compute(checked, checked.parent).figures["months"].rows}
    assert months == dict(Counter(r["date"][:7] for r in claims))
    assert list(months) == sorted(months)


def test_seed_31600_is_a_worst_example_of_the_nationwide_kind(checked: Path, report_html: str) -> None:
    worst = compute(checked, checked.parent, worst=100).figures["worst"].rows
    (seed,) = [w for w in worst if w["article_id"] == SEED_ARTICLE["id"]]
    assert seed["number"] == 31600 and seed["value"] == 24724
    assert seed["error_type"] == "nationwide figure called southern border"
    assert seed["relative_error"] == pytest.approx(abs(31600 - 24724) / 24724, abs=5e-4)
    assert "Nationwide: 36,593 matches" in seed["reason"]
    errors = [w["relative_error"] for w in worst]
    assert errors == sorted(errors, reverse=True)
    # the page shows it with its evidence: the figure, CBP's value, the release and the reason
    part = report_html[report_html.index('id="worst"') :]
    assert html.escape(seed["text"], quote=False) in part and "24,724" in part and "31,600" in part
    assert seed["release_label"] in part and "Nationwide: 36,593 matches" in part


def test_error_types_come_from_the_matching_alternative(checked: Path, claims: list[dict[str, Any]]) -> None:
    types = {r["error_type"]: r["claims"] for r in compute(checked, checked.parent).figures["errors"].rows}
    inaccurate = [r for r in claims if r["verdict"] == "inaccurate"]
    revised = [
        r
        for r in claims
        if r["verdict"] == "supported" and "matches the figure as first published" in r["reason"]
    ]
    assert sum(types.values()) == len(inaccurate) + len(revised)
    labels = [_first_matching_confusion(r) for r in inaccurate]
    assert types.get("nationwide figure called southern border", 0) == labels.count("nationwide")
    assert types.get(NO_KNOWN_CONFUSION, 0) == labels.count(None)
    assert set(types) <= {name for _, name in ERROR_TYPES} | {NO_KNOWN_CONFUSION}


def test_every_query_shown_reruns_to_the_same_figures(
    checked: Path, report_html: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pattern = r"<summary>The query \((\w+)\)</summary>\s*<pre><code>(.*?)</code></pre>"
    shown = [(name, html.unescape(sql)) for name, sql in re.findall(pattern, report_html, re.S)]
    figures = compute(checked, checked.parent, worst=100).figures
    assert [name for name, _ in shown] == list(figures)  # every figure, in the report's order
    assert list(figures) == ["totals", "outlets", "months", "errors", "worst", "run", "failed"]
    monkeypatch.chdir(checked.parent)  # the queries name the file relative to the report's folder
    with duckdb.connect() as con:  # a fresh connection, as a reader's would be
        for (_, sql), figure in zip(shown, figures.values(), strict=True):
            assert sql == figure.query.sql
            assert [dict(zip(figure.columns, r, strict=True)) for r in con.sql(sql).fetchall()] == figure.rows


def test_jsonl_twin_gives_the_same_figures(snapshot_db_file: Path, checked: Path, tmp_path: Path) -> None:
    twin = check_archive(corpus(ARTICLES), tmp_path / "out.jsonl", snapshot_db_file)
    a = compute(checked, checked.parent).figures
    b = compute(twin, tmp_path).figures
    assert "read_json('out.jsonl'" in b["totals"].query.sql
    for name in a:
        assert a[name].rows == b[name].rows, name


def test_article_text_is_escaped_everywhere(snapshot_db_file: Path, tmp_path: Path) -> None:
    hostile = {
        "id": "hostile-<b>1</b>",
        "outlet": "<script>alert('outlet')</script>",
        "url": "javascript:alert(1)",
        "published": "2022-12-28",
        "text": SEED_ARTICLE["text"].replace(
            "Data made", "<img src=x onerror=alert(document.domain)> | Data made", 1
        ),
    }
    out = check_archive([hostile], tmp_path / "hostile.parquet", snapshot_db_file)
    page = write_report(out).read_text(encoding="utf-8")
    assert "<script>" not in page and "<img" not in page and "javascript:" not in page.split("<main>")[1]
    assert "&lt;script&gt;alert(" in page and "&lt;img src=x onerror=alert(document.domain)&gt;" in page
    assert "default-src 'none'" in page  # and no script could run anyway
    md = write_report(out, tmp_path / "hostile.md").read_text(encoding="utf-8")
    assert "<script>" not in md and "<img" not in md
    assert (
        "&lt;img src=x onerror=alert(document.domain)&gt; \\| Data made" in md
    )  # the pipe cannot split a table cell


def test_markdown_has_the_tables_and_charts_beside_it(checked: Path, claims: list[dict[str, Any]]) -> None:
    out = checked.parent / "md" / "report.md"
    out.parent.mkdir()
    text = write_report(checked, out).read_text(encoding="utf-8")
    for name in ("outlets", "months", "errors"):
        chart = out.with_name(f"report.{name}.svg")
        assert f"]({chart.name})" in text
        assert chart.read_text(encoding="utf-8").startswith("<svg")
    assert "read_parquet('../out.parquet')" in text  # relative to the report's folder
    top, n = Counter(r["outlet"] for r in claims).most_common(1)[0]
    assert re.search(rf"^\| {re.escape(top)} \| \d+ \| {n} \|", text, re.M)
    assert "```sql" in text and "nationwide figure called southern border" in text


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl"])
def test_an_archive_without_claims_is_a_report_of_zeros(
    snapshot_db_file: Path, tmp_path: Path, suffix: str
) -> None:
    quiet = {**SEED_ARTICLE, "id": "quiet", "text": "The city council met on Tuesday and adjourned early."}
    out = check_archive([quiet], tmp_path / f"out{suffix}", snapshot_db_file)
    assert (out.read_bytes() == b"") if suffix == ".jsonl" else (out.stat().st_size > 0)
    figures = compute(out, tmp_path).figures
    assert figures["totals"].rows == [
        {
            "articles": 0, "claims": 0, "supported": 0, "inaccurate": 0, "unverifiable": 0,
            "inaccurate_share": None, "outlets": 0, "first_date": None, "last_date": None,
        }
    ]  # fmt: skip
    assert all(not figures[name].rows for name in ("outlets", "months", "errors", "worst"))
    page = write_report(out).read_text(encoding="utf-8")
    assert "<svg" not in page and "No inaccurate claims." in page


def test_articles_checked_and_failed_come_from_the_manifest_and_errors_file(
    snapshot_db_file: Path, tmp_path: Path
) -> None:
    quiet = {**SEED_ARTICLE, "id": "quiet", "text": "The city council met on Tuesday and adjourned early."}
    empty = {**SEED_ARTICLE, "id": "empty", "text": "   "}
    out = check_archive([SEED_ARTICLE, quiet, empty], tmp_path / "out.parquet", snapshot_db_file, failures=1)
    figures = compute(out, tmp_path).figures
    assert figures["run"].rows == [{"articles_checked": 2, "with_claims": 1, "without_claims": 1}]
    assert figures["failed"].rows == [{"error": "empty_article", "articles": 1}]
    assert figures["totals"].rows[0]["articles"] == 1  # the claims' table knows only the seed
    md = write_report(out, tmp_path / "report.md").read_text(encoding="utf-8")
    assert "| articles checked | with claims | without claims |" in md and "| 2 | 1 | 1 |" in md
    assert "| empty\\_article | 1 |" in md


def test_the_reports_time_follows_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    from borderdesk.archive.report_figures import made_at

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765152000")
    assert made_at().isoformat() == "2025-12-08T00:00:00+00:00"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert made_at().year >= 2026


def test_an_errors_file_put_elsewhere_with_errors_is_found_through_the_manifest(
    snapshot_db_file: Path, tmp_path: Path
) -> None:
    from archive_rows_support import write_archive
    from borderdesk.archive.local import LocalEngine
    from borderdesk.archive.output import errors_file
    from borderdesk.archive.run import run_archive
    from borderdesk.archive.work import Settings

    empty = {**SEED_ARTICLE, "id": "empty", "text": "   "}
    archive = write_archive([SEED_ARTICLE, empty], tmp_path / "in.jsonl")
    out, errors = tmp_path / "out" / "claims.parquet", tmp_path / "logs" / "failed.jsonl"
    out.parent.mkdir()
    summary = run_archive(
        [archive], out, LocalEngine(1), Settings(str(snapshot_db_file), None, 30.0), errors=errors
    )
    assert summary.failed == 1 and errors.is_file()
    assert not (out.parent / "claims.errors.jsonl").exists()
    assert errors_file(out).resolve() == errors.resolve()
    figures = compute(out, out.parent).figures
    assert figures["failed"].rows == [{"error": "empty_article", "articles": 1}]
    assert "../logs/failed.jsonl" in figures["failed"].query.sql  # the query a reader reruns names it
