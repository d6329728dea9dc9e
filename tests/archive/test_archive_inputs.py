"""Reading an archive: every kind of bad input becomes an error naming its file and line, and the
reading goes on to the next article."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from borderdesk.archive import inputs
from borderdesk.archive.inputs import Article, ArticleError, content_hash, count_articles, read_articles
from borderdesk.errors import BorderdeskError


def _jsonl(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_every_bad_line_is_an_error_naming_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inputs, "MAX_BYTES", 100)
    path = _jsonl(
        tmp_path / "bad.jsonl",
        [
            b'{"id": "a", "text": "In November CBP recorded 5,507 encounters.", "date": "2022-12-28"}',
            b'{"id": "b", "text": "x"',
            b'{"text": "an article without an id"}',
            b'{"id": "c", "text": "caf\xe9"}',
            b'{"id": "d", "text": "   "}',
            b'{"id": "a", "text": "the same id again"}',
            b'{"id": "e", "text": "words", "date": "28/12/2022"}',
            b'{"id": "f", "url": "https://example.org/f"}',
            b"[1, 2]",
            b"",
            json.dumps({"id": "g", "text": "x" * 101}).encode(),
            b'{"id": 7, "text": "ok", "published": "2019-03-05T10:00:00Z", "outlet": "AP"}',
        ],
    )
    got = list(read_articles([path]))
    errors = [(e.input_line, e.error, e.article_id) for e in got if isinstance(e, ArticleError)]
    assert errors == [
        (2, "malformed_json", None),
        (3, "missing_field", None),
        (4, "not_utf8", None),
        (5, "empty_article", "d"),
        (6, "duplicate_id", "a"),
        (7, "bad_date", "e"),
        (8, "missing_field", "f"),
        (9, "malformed_json", None),
        (11, "too_large", "g"),
    ]
    by_line = {e.input_line: e for e in got if isinstance(e, ArticleError)}
    assert all(
        e.input == str(path) and e.message.startswith(f"{path}, line {e.input_line}: ")
        for e in by_line.values()
    )
    assert "column 24" in by_line[2].message  # just after the 23 characters of the line
    assert "already read at" in by_line[6].message and "line 1" in by_line[6].message
    assert "'28/12/2022' is not a date" in by_line[7].message
    assert by_line[8].url == "https://example.org/f"
    assert "101 bytes" in by_line[11].message
    articles = [a for a in got if isinstance(a, Article)]
    assert [(a.article_id, a.input_line, a.date, a.outlet) for a in articles] == [
        ("a", 1, "2022-12-28", None),
        ("7", 12, "2019-03-05", "AP"),
    ]
    assert articles[0].content_hash == content_hash("In November CBP recorded 5,507 encounters.")
    assert count_articles([path]) == 11  # the blank line is no article


def test_a_byte_order_mark_and_windows_line_ends_are_not_errors(tmp_path: Path) -> None:
    """Files saved by Windows tools open with a UTF-8 byte-order mark and end lines with CR LF."""
    path = tmp_path / "windows.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbf"
        + b'{"id": "a", "text": "In November CBP recorded 5,507 encounters."}\r\n'
        + b'\xef\xbb\xbf{"id": "b", "text": "a mark inside the file is no mark"}\r\n'
    )
    got = list(read_articles([path]))
    assert isinstance(got[0], Article) and got[0].article_id == "a"
    assert isinstance(got[1], ArticleError) and got[1].error == "malformed_json" and got[1].input_line == 2


def test_parquet_rows_are_numbered_and_checked_like_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "articles.parquet"
    table = pa.table(
        {
            "id": ["one", "two", "three"],
            "text": ["CBP recorded 5,507 encounters.", "", None],
            "html": [None, None, "<html><body><p>x</p></body></html>"],
            "date": ["2022-12-28", None, "2023-01-02"],
            "url": ["https://example.org/1", None, None],
            "outlet": ["AP", None, None],
        }
    )
    pq.write_table(table, path)
    got = list(read_articles([path]))
    assert isinstance(got[0], Article) and (got[0].article_id, got[0].input_line, got[0].url) == (
        "one",
        1,
        "https://example.org/1",
    )
    assert isinstance(got[1], ArticleError) and (got[1].input_line, got[1].error) == (2, "empty_article")
    assert got[1].message.startswith(f"{path}, row 2: ")  # a Parquet file has rows, not lines
    assert isinstance(got[2], Article) and got[2].html == b"<html><body><p>x</p></body></html>"
    assert got[2].text is None and got[2].date == "2023-01-02"
    assert count_articles([path]) == 3


def test_a_parquet_file_without_an_id_column_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "noid.parquet"
    pq.write_table(pa.table({"text": ["a", "b"]}), path)
    (error,) = read_articles([path])
    assert isinstance(error, ArticleError)
    assert (error.error, error.input_line) == ("missing_field", None)
    assert "no column 'id'" in error.message


def test_a_folder_gives_its_text_markdown_and_html_files_by_relative_path(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("CBP recorded 5,507 encounters.", encoding="utf-8")
    (folder / "sub" / "b.md").write_text("# Title\n\nSome words.", encoding="utf-8")
    (folder / "c.html").write_bytes(b"<html><body><article><p>Text.</p></article></body></html>")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "latin1.txt").write_bytes("Caf\xe9 au lait".encode("latin-1"))
    (folder / "notes.csv").write_text("not,an,article", encoding="utf-8")
    got = list(read_articles([folder]))
    summary = [
        (g.article_id, g.error if isinstance(g, ArticleError) else ("html" if g.html else "text"))
        for g in got
    ]
    assert summary == [
        ("a.txt", "text"),
        ("c.html", "html"),
        ("empty.txt", "empty_article"),
        ("latin1.txt", "not_utf8"),
        ("sub/b.md", "text"),
    ]
    assert all(g.input_line is None and g.input == str(folder / str(g.article_id)) for g in got)
    assert count_articles([folder]) == 5


def test_an_input_of_no_known_kind_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "articles.csv"
    path.write_text("id,text\n", encoding="utf-8")
    with pytest.raises(BorderdeskError, match=r"give a \.jsonl or \.parquet file"):
        list(read_articles([path]))
