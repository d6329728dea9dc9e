"""Reading an archive's articles one at a time: JSONL files, Parquet files and folders of .txt, .md and
.html files, each yielding an :class:`Article` or, for an article that cannot be read, an
:class:`ArticleError` naming the file and line. Nothing is read whole: a JSONL file a line at a time,
a Parquet file a row batch at a time, a folder a file at a time, so an archive of any size fits.

A bad article never stops the reading: a malformed line, a missing field, bytes that are not UTF-8,
an empty text, an id seen before, a date that does not parse, a text over the size limit: each
becomes an error, and the next article is read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from borderdesk.errors import BorderdeskError
from borderdesk.limits import MAX_BYTES

#: Suffixes read from a folder: plain text and Markdown are checked as they are, HTML through the
#: same article extractor as ``borderdesk check URL``.
TEXT_SUFFIXES = (".txt", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
PARQUET_SUFFIXES = (".parquet", ".pq")
#: Rows read from a Parquet input at a time (bounded memory whatever the file's size).
PARQUET_BATCH = 512


@dataclass(frozen=True)
class Article:
    """One article to check: its text or its HTML (exactly one), and where it was read."""

    article_id: str
    input: str
    input_line: int | None
    content_hash: str
    text: str | None = None
    html: bytes | None = None
    date: str | None = None
    url: str | None = None
    outlet: str | None = None


@dataclass(frozen=True)
class ArticleError:
    """An article that could not be checked: a row of the errors file (see ``schema.ERROR_FIELDS``)."""

    input: str
    input_line: int | None
    error: str
    message: str
    article_id: str | None = None
    url: str | None = None
    outlet: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        return {k: d[k] for k in ("input", "input_line", "article_id", "url", "outlet", "error", "message")}


class _Bad(Exception):
    """One field of one record is wrong: becomes an :class:`ArticleError` (kind, message)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def content_hash(content: str | bytes) -> str:
    """sha256 hex of the article's text or HTML as read: what tells a rerun the article has changed."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()


def parse_date(value: object, field: str = "date") -> str | None:
    """``YYYY-MM-DD`` from an article's date (a date, or an ISO date-time whose day is taken); None
    when there is none; a value that is not a date raises ``bad_date``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            pass
        try:
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
        except ValueError:
            pass
    raise _Bad("bad_date", f"{field} {value!r} is not a date; expected YYYY-MM-DD")


def kind_of(path: Path) -> str:
    """'folder', 'jsonl' or 'parquet': how an input is read (by what it is and its suffix)."""
    if path.is_dir():
        return "folder"
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    raise BorderdeskError(
        f"cannot read {path}: give a .jsonl or .parquet file, or a folder of .txt, .md and .html files"
    )


def check_inputs(paths: Iterable[Path]) -> None:
    """Refuse, before anything is checked, an input that does not exist or is of no known kind, and a
    Parquet file that is not one (its footer is read); these are mistakes in the command, not in an
    article."""
    for path in paths:
        if not path.exists():
            raise BorderdeskError(f"no such file or folder: {path}")
        if kind_of(path) == "parquet":
            _parquet_file(path)


def count_articles(paths: Iterable[Path]) -> int:
    """How many records the inputs hold (JSONL lines that are not blank, Parquet rows, folder files):
    the progress bar's total, counted without parsing anything."""
    total = 0
    for path in paths:
        kind = kind_of(path)
        if kind == "parquet":
            total += _parquet_file(path).metadata.num_rows
        elif kind == "folder":
            total += sum(1 for _ in _folder_files(path))
        else:
            with path.open("rb") as fh:
                total += sum(1 for line in fh if line.strip())
    return total


def read_articles(paths: Iterable[Path]) -> Iterator[Article | ArticleError]:
    """Every article of every input in order, or the error that stopped one; an id seen earlier in
    this run (in any input) is a ``duplicate_id`` error naming where it was first seen."""
    seen: dict[str, str] = {}
    for path in paths:
        kind = kind_of(path)
        items = _folder(path) if kind == "folder" else _parquet(path) if kind == "parquet" else _jsonl(path)
        for item in items:
            if isinstance(item, Article):
                first = seen.get(item.article_id)
                if first is None:
                    seen[item.article_id] = place_of(item.input, item.input_line)
                else:
                    yield _error(
                        item.input,
                        item.input_line,
                        "duplicate_id",
                        f"id {item.article_id!r} was already read at {first}",
                        {"id": item.article_id, "url": item.url, "outlet": item.outlet},
                    )
                    continue
            yield item


def place_of(where: str, line: int | None) -> str:
    """Where an article was read, as messages name it: "a.jsonl, line 12", "b.parquet, row 3", or the
    file of a folder's article."""
    if line is None:
        return where
    return f"{where}, {'row' if where.lower().endswith('.parquet') else 'line'} {line}"


def _error(
    where: str, line: int | None, kind: str, message: str, record: dict[str, Any] | None = None
) -> ArticleError:
    record = record or {}
    place = place_of(where, line)
    ident = record.get("id")
    return ArticleError(
        input=where,
        input_line=line,
        error=kind,
        message=f"{place}: {message}",
        article_id=None if ident is None else str(ident),
        url=_optional_text(record.get("url")),
        outlet=_optional_text(record.get("outlet")),
    )


def _optional_text(value: object) -> str | None:
    return None if value is None else str(value)


def _from_record(record: dict[str, Any], where: str, line: int) -> Article:
    """An article from a JSONL object or a Parquet row: ``id`` and one of ``text``/``html`` required;
    ``date`` (or ``published``), ``url`` and ``outlet`` optional."""
    ident = record.get("id")
    if ident is None or (isinstance(ident, str) and not ident.strip()):
        raise _Bad("missing_field", "no 'id': every article needs an id")
    if not isinstance(ident, str | int) or isinstance(ident, bool):
        raise _Bad("missing_field", f"'id' must be a string or an integer, not {type(ident).__name__}")
    text, html = record.get("text"), record.get("html")
    if text is None and html is None:
        raise _Bad("missing_field", "neither 'text' nor 'html': an article needs one of them")
    body = text if text is not None else html
    field = "text" if text is not None else "html"
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError as e:
            raise _Bad("not_utf8", f"'{field}' is not UTF-8 (byte {e.start})") from None
    if not isinstance(body, str):
        raise _Bad("missing_field", f"'{field}' must be a string, not {type(body).__name__}")
    if not body.strip():
        raise _Bad("empty_article", f"'{field}' is empty")
    encoded = body.encode("utf-8")
    if len(encoded) > MAX_BYTES:
        raise _Bad("too_large", f"'{field}' has {len(encoded):,} bytes; the limit is {MAX_BYTES:,}")
    date_field = "date" if record.get("date") is not None else "published"
    date = parse_date(record.get(date_field), date_field)
    return Article(
        article_id=str(ident),
        input=where,
        input_line=line,
        content_hash=content_hash(encoded),
        text=body if field == "text" else None,
        html=encoded if field == "html" else None,
        date=date,
        url=_optional_text(record.get("url")),
        outlet=_optional_text(record.get("outlet")),
    )


def _jsonl(path: Path) -> Iterator[Article | ArticleError]:
    where = str(path)
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                # a byte-order mark opens files saved by some Windows tools: it is not part of line 1
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as e:
                yield _error(where, number, "not_utf8", f"not UTF-8 (byte {e.start} of the line)")
                continue
            try:
                record = json.loads(line.rstrip("\r\n"))
            except json.JSONDecodeError as e:  # one line a record: the position on the line is the column
                yield _error(where, number, "malformed_json", f"{e.msg} at column {e.pos + 1}")
                continue
            if not isinstance(record, dict):
                yield _error(where, number, "malformed_json", "expected a JSON object {...}")
                continue
            try:
                yield _from_record(record, where, number)
            except _Bad as e:
                yield _error(where, number, e.kind, str(e), record)


def _parquet_file(path: Path) -> Any:
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except Exception as e:  # pyarrow raises several kinds for a file that is not Parquet
        raise BorderdeskError(f"cannot read {path} as Parquet: {e}") from None


def _parquet(path: Path) -> Iterator[Article | ArticleError]:
    where = str(path)
    parquet = _parquet_file(path)
    names = set(parquet.schema_arrow.names)
    columns = [c for c in ("id", "text", "html", "date", "published", "url", "outlet") if c in names]
    if "id" not in names or not names & {"text", "html"}:
        missing = "id" if "id" not in names else "text or html"
        yield _error(where, None, "missing_field", f"no column {missing!r}: no article can be read")
        return
    number = 0
    for batch in parquet.iter_batches(batch_size=PARQUET_BATCH, columns=columns):
        for record in batch.to_pylist():
            number += 1
            try:
                yield _from_record(record, where, number)
            except _Bad as e:
                yield _error(where, number, e.kind, str(e), record)


def _folder_files(folder: Path) -> Iterator[Path]:
    wanted = TEXT_SUFFIXES + HTML_SUFFIXES
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix.lower() in wanted and not path.name.startswith("."):
            yield path


def _folder(folder: Path) -> Iterator[Article | ArticleError]:
    """A folder's files, sorted by path; an article's id is its path relative to the folder."""
    for path in _folder_files(folder):
        where, ident = str(path), path.relative_to(folder).as_posix()
        data = path.read_bytes()
        record = {"id": ident}
        if len(data) > MAX_BYTES:
            yield _error(where, None, "too_large", f"{len(data):,} bytes; the limit is {MAX_BYTES:,}", record)
        elif not data.strip():
            yield _error(where, None, "empty_article", "the file is empty", record)
        elif path.suffix.lower() in HTML_SUFFIXES:  # its charset is the page's to say: read by the extractor
            yield Article(ident, where, None, content_hash(data), html=data)
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as e:
                yield _error(where, None, "not_utf8", f"not UTF-8 (byte {e.start})", record)
                continue
            yield Article(ident, where, None, content_hash(data), text=text)
