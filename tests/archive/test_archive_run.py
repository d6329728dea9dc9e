"""check-archive's runs: rows with the real values, errors that do not stop the run, resuming after a
stop, articles checked again when they change, and files that are not ours left alone."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from archive_support import (
    SEED_CLAIMS,
    DiesAfterFirstBatch,
    InProcessEngine,
    Killed,
    read_errors,
    read_rows,
    seed_claims,
    sorted_rows,
)

from borderdesk.archive.local import LocalEngine
from borderdesk.archive.output import ForeignFileError
from borderdesk.archive.run import run_archive
from borderdesk.archive.schema import COLUMN_NAMES, MANIFEST_FIELDS
from borderdesk.archive.work import Settings

#: A page built by scripts: no article for the extractor to find.
APP_PAGE = (
    '<html><head><title>App</title></head><body><div id="root"></div><script>render()</script></body></html>'
)


def _keys(rows: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return sorted((r["article_id"], r["claim_index"]) for r in rows)


def test_the_local_engine_checks_each_article_as_check_does(
    archive: Path, tmp_path: Path, settings: Settings, seed_text: str
) -> None:
    out = tmp_path / "claims.parquet"
    summary = run_archive([archive], out, LocalEngine(2), settings, batch_size=2)
    rows = read_rows(out)
    assert (summary.checked, summary.skipped, summary.failed) == (6, 0, 0)
    assert summary.rows == summary.claims == len(rows)
    assert pq.read_schema(out).names == list(COLUMN_NAMES)
    assert seed_claims(rows) == SEED_CLAIMS
    seed = [r for r in rows if r["article_id"] == "seed"]
    assert {
        (r["date"], r["date_from"], r["url"], r["outlet"], r["input"], r["input_line"]) for r in seed
    } == {("2022-12-28", "article", "https://example.org/seed", "Seed", str(archive), 1)}
    assert {r["content_hash"] for r in seed} == {hashlib.sha256(seed_text.encode()).hexdigest()}
    first = min(seed, key=lambda r: r["claim_index"])
    assert (first["question_region"], first["question_citizenship"]) == ("southwest", '["RUSSIA"]')
    assert (first["question_period_start"], first["question_period_end"]) == ("2022-02", "2022-11")
    nationwide = [a for a in json.loads(first["alternatives"]) if a["question"] == {"region": "nationwide"}]
    assert [a["value"] for a in nationwide] == [36593]
    assert seed_text[first["figure_span_start"] : first["figure_span_end"]] == "31,600"
    # the same rows as the workers' code run here, batch after batch
    again = tmp_path / "again.parquet"
    run_archive([archive], again, InProcessEngine(), settings)
    assert sorted_rows(read_rows(again)) == sorted_rows(rows)


def test_a_rerun_skips_what_is_done_and_checks_a_changed_article_again(
    archive: Path, tmp_path: Path, settings: Settings, seed_text: str
) -> None:
    with archive.open("a", encoding="utf-8") as fh:  # an article without claims is done too
        fh.write(
            json.dumps({"id": "calm", "text": "The weather at the border was calm.", "date": "2023-01-01"})
            + "\n"
        )
    out = tmp_path / "claims.jsonl"
    first = run_archive([archive], out, InProcessEngine(), settings)
    rows = read_rows(out)
    assert (first.checked, first.skipped) == (7, 0)
    assert "calm" not in {r["article_id"] for r in rows}
    header, *done = (json.loads(line) for line in (tmp_path / "claims.jsonl.articles.jsonl").open())
    assert header == {"borderdesk-archive": 1, "output": "claims.jsonl", "errors": "claims.errors.jsonl"}
    assert all(tuple(entry) == MANIFEST_FIELDS and entry["part"] is None for entry in done)
    assert {e["article_id"]: e["claims"] for e in done}["calm"] == 0  # done, though it has no claim
    assert sum(e["claims"] for e in done) == len(rows)

    second = run_archive([archive], out, InProcessEngine(), settings)
    assert (second.checked, second.skipped, second.claims, second.rows) == (0, 7, 0, len(rows))
    assert read_rows(out) == rows

    lines = archive.read_text(encoding="utf-8").splitlines()
    changed = json.loads(lines[0])
    changed["text"] = seed_text.replace("more than 5,500", "more than 9,000")
    archive.write_text("\n".join([json.dumps(changed), *lines[1:]]) + "\n", encoding="utf-8")
    third = run_archive([archive], out, InProcessEngine(), settings)
    assert (third.checked, third.skipped) == (1, 6)
    now = read_rows(out)
    assert _keys(now) == _keys(rows)  # the seed's old rows replaced, not added to
    assert seed_claims(now) == [SEED_CLAIMS[0], (9000.0, "inaccurate", 5507.0), SEED_CLAIMS[2]]


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl"])
def test_a_run_stopped_part_way_resumes_without_duplicates(
    archive: Path, tmp_path: Path, settings: Settings, suffix: str
) -> None:
    out = tmp_path / f"claims{suffix}"
    with pytest.raises(Killed):
        run_archive([archive], out, DiesAfterFirstBatch(), settings, batch_size=2)
    assert not out.exists()  # nothing combined yet: the first batch is a part, and in the manifest
    parts = list((tmp_path / f"claims{suffix}.parts").glob("part-*.parquet"))
    assert len(parts) == 1
    manifest = (tmp_path / f"claims{suffix}.articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["article_id"] for line in manifest[1:]] == [
        "seed",
        json.loads(archive.read_text().splitlines()[1])["id"],
    ]
    with (tmp_path / f"claims{suffix}.articles.jsonl").open("a", encoding="utf-8") as fh:
        fh.write('{"article_id": "torn by the crash", "conte')  # a line cut short is not an article done

    resumed = run_archive([archive], out, InProcessEngine(), settings, batch_size=2)
    assert (resumed.checked, resumed.skipped) == (4, 2)
    clean = tmp_path / "clean" / f"claims{suffix}"
    run_archive([archive], clean, InProcessEngine(), settings)
    assert sorted_rows(read_rows(out)) == sorted_rows(read_rows(clean))
    assert not (tmp_path / f"claims{suffix}.parts").exists()

    # appending to a finished output: new articles stopped part-way, then finished
    more = tmp_path / "more.jsonl"
    more.write_text(
        "".join(
            json.dumps({"id": f"copy-{i}", "text": line["text"], "date": line["date"]}) + "\n"
            for i, line in enumerate(
                json.loads(x) for x in archive.read_text(encoding="utf-8").splitlines()[:3]
            )
        ),
        encoding="utf-8",
    )
    with pytest.raises(Killed):
        run_archive([archive, more], out, DiesAfterFirstBatch(), settings, batch_size=2)
    assert sorted_rows(read_rows(out)) == sorted_rows(read_rows(clean))  # OUT untouched by the stopped run
    final = run_archive([archive, more], out, InProcessEngine(), settings, batch_size=2)
    assert (final.checked, final.skipped) == (1, 8)
    rows = read_rows(out)
    assert len(_keys(rows)) == len(set(_keys(rows)))
    assert (
        seed_claims([{**r, "article_id": "seed"} for r in rows if r["article_id"] == "copy-0"]) == SEED_CLAIMS
    )


def test_bad_articles_are_error_rows_and_the_run_goes_on(
    tmp_path: Path, settings: Settings, seed_text: str
) -> None:
    source = tmp_path / "mixed.jsonl"
    source.write_bytes(
        b'{"id": "broken", "text": \n'
        + json.dumps({"id": "seed", "text": seed_text, "date": "2022-12-28"}).encode()
        + b"\n"
        + json.dumps({"id": "page", "html": APP_PAGE}).encode()
        + b"\n"
        + b'{"id": "seed", "text": "a duplicate"}\n'
    )
    out = tmp_path / "claims.parquet"
    summary = run_archive([source], out, InProcessEngine(), settings)
    assert (summary.checked, summary.failed) == (1, 3)
    assert seed_claims(read_rows(out)) == SEED_CLAIMS
    errors = read_errors(tmp_path / "claims.errors.jsonl")
    assert sorted((e["input_line"], e["error"], e["article_id"]) for e in errors) == [
        (1, "malformed_json", None),
        (3, "no_article_in_html", "page"),
        (4, "duplicate_id", "seed"),
    ]
    assert all(e["input"] == str(source) and str(source) in e["message"] for e in errors)
    assert all(
        list(e) == ["input", "input_line", "article_id", "url", "outlet", "error", "message"] for e in errors
    )


def test_an_article_over_its_time_limit_is_a_timeout_error(
    archive: Path, tmp_path: Path, settings: Settings
) -> None:
    hurried = Settings(settings.db, None, 1e-9)
    summary = run_archive(
        [archive], tmp_path / "claims.jsonl", InProcessEngine(), hurried, errors=tmp_path / "e.jsonl"
    )
    assert (summary.checked, summary.failed, summary.rows) == (0, 6, 0)
    errors = read_errors(tmp_path / "e.jsonl")
    assert {e["error"] for e in errors} == {"timeout"}
    assert [e["input_line"] for e in errors] == [1, 2, 3, 4, 5, 6]


def test_a_folder_of_text_markdown_and_html(tmp_path: Path, settings: Settings, seed_text: str) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "seed.txt").write_text(seed_text, encoding="utf-8")
    paragraphs = "".join(f"<p>{p}</p>\n" for p in seed_text.splitlines() if p.strip())
    (folder / "seed.html").write_text(
        "<!doctype html><html><head><title>Russians at the southern border</title>"
        '<meta property="article:published_time" content="2022-12-28T09:00:00Z"></head>'
        f'<body><nav><a href="/">Home</a></nav><article><h1>Russians at the southern border</h1>{paragraphs}'
        "</article><footer>(c) 2022</footer></body></html>",
        encoding="utf-8",
    )
    (folder / "app.html").write_text(APP_PAGE, encoding="utf-8")
    (folder / "notes.md").write_text("# Notes\n\nNothing to check here.", encoding="utf-8")
    out = tmp_path / "claims.parquet"
    dated = Settings(settings.db, "2022-12-28", settings.timeout)
    summary = run_archive([folder], out, InProcessEngine(), dated)
    assert (summary.checked, summary.failed) == (3, 1)
    rows = read_rows(out)
    for name, date_from, title in (
        ("seed.txt", "--date", None),
        ("seed.html", "page", "Russians at the southern border"),
    ):
        mine = [{**r, "article_id": "seed"} for r in rows if r["article_id"] == name]
        assert seed_claims(mine) == SEED_CLAIMS
        assert {(r["date"], r["date_from"], r["page_title"], r["input_line"]) for r in mine} == {
            ("2022-12-28", date_from, title, None)
        }
    (error,) = read_errors(tmp_path / "claims.errors.jsonl")
    assert (error["input"], error["error"], error["input_line"]) == (
        str(folder / "app.html"),
        "no_article_in_html",
        None,
    )


def test_a_file_that_is_not_ours_is_refused_and_left_alone(
    archive: Path, tmp_path: Path, settings: Settings
) -> None:
    notes = tmp_path / "notes.jsonl"
    notes.write_text('{"my": "notes"}\n', encoding="utf-8")
    table = tmp_path / "sales.parquet"
    pq.write_table(pa.table({"month": ["2024-01"], "sales": [3]}), table)
    text = tmp_path / "claims.jsonl"
    text.write_text("not json at all\n", encoding="utf-8")
    for path in (notes, table, text):
        before = path.read_bytes()
        with pytest.raises(ForeignFileError, match="refusing to overwrite"):
            run_archive([archive], path, InProcessEngine(), settings)
        assert path.read_bytes() == before
    errors = tmp_path / "other.jsonl"
    errors.write_text('{"my": "log"}\n', encoding="utf-8")
    with pytest.raises(ForeignFileError, match=r"other\.jsonl"):
        run_archive([archive], tmp_path / "fresh.parquet", InProcessEngine(), settings, errors=errors)
    assert errors.read_text(encoding="utf-8") == '{"my": "log"}\n'
    assert not (tmp_path / "fresh.parquet").exists()


def test_a_parquet_and_a_jsonl_output_side_by_side_keep_apart(
    archive: Path, tmp_path: Path, settings: Settings
) -> None:
    as_parquet = run_archive([archive], tmp_path / "claims.parquet", InProcessEngine(), settings)
    as_jsonl = run_archive([archive], tmp_path / "claims.jsonl", InProcessEngine(), settings)
    assert (as_parquet.checked, as_jsonl.checked, as_jsonl.skipped) == (6, 6, 0)
    assert read_rows(tmp_path / "claims.parquet") == read_rows(tmp_path / "claims.jsonl")


def test_a_parquet_input_gives_rows_numbered_by_its_rows(
    tmp_path: Path, settings: Settings, seed_text: str, golden: list[dict[str, Any]]
) -> None:
    source = tmp_path / "articles.parquet"
    pq.write_table(
        pa.table(
            {
                "id": [golden[0]["id"], "seed"],
                "text": [golden[0]["text"], seed_text],
                "date": [golden[0]["published"], "2022-12-28"],
                "outlet": [golden[0]["outlet"], None],
            }
        ),
        source,
    )
    summary = run_archive([source], tmp_path / "claims.parquet", InProcessEngine(), settings)
    rows = read_rows(tmp_path / "claims.parquet")
    assert (summary.checked, summary.failed) == (2, 0)
    assert seed_claims(rows) == SEED_CLAIMS
    assert {(r["article_id"], r["input_line"], r["outlet"]) for r in rows} == {
        (golden[0]["id"], 1, golden[0]["outlet"]),
        ("seed", 2, None),
    }
