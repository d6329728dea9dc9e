"""Writing the archive output so that a run can stop anywhere and a rerun goes on from there.

Beside ``OUT`` (``.parquet`` or ``.jsonl``) live:

- ``OUT.parts/``: while a run goes, each batch's rows are a Parquet part file, written whole (temporary
  name, then renamed), so a crash leaves whole parts and never half a file (a Parquet file without
  its footer is unreadable);
- ``OUT.articles.jsonl`` (the output's whole name, so ``claims.parquet`` and ``claims.jsonl`` side
  by side keep apart), the manifest: a header line, then one line per article done (id, content
  hash, input, line, number of claims, and the part holding its rows, or null once they are in OUT),
  appended after the batch's part is on disk. It is what a rerun skips, articles without claims
  included;
- ``<stem>.errors.jsonl`` (or ``--errors``): the articles that failed in the latest run.

At the end :meth:`ArchiveWriter.finish` combines OUT's earlier rows and the parts into a new OUT
(temporary name, then renamed): rows whose article was checked again with new content are dropped,
and a part's rows count only for the articles the manifest says it holds, so repeating an interrupted
finish gives the same file. A file at OUT (or at the manifest's or the errors file's place) that is
not check-archive's own is refused, never overwritten.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from borderdesk.archive.inputs import Article, ArticleError
from borderdesk.archive.schema import COLUMN_NAMES, ERROR_FIELDS, FORMAT_VERSION, MARKER, arrow_schema
from borderdesk.archive.work import Checked, Outcome
from borderdesk.errors import BorderdeskError

#: Output formats by the output file's suffix.
FORMATS = {".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl"}
#: Rows read back from a previous OUT at a time while combining.
READ_BATCH = 8192


class ForeignFileError(BorderdeskError):
    """A file where the archive output (or its manifest or errors file) goes that is not a previous
    run's: it is someone's data, so it is refused rather than overwritten."""


@dataclass(frozen=True)
class Paths:
    out: Path
    errors: Path
    manifest: Path
    parts: Path

    @classmethod
    def beside(cls, out: Path, errors: Path | None = None) -> Paths:
        stem = out.name[: -len(out.suffix)] if out.suffix else out.name
        return cls(
            out=out,
            errors=errors if errors is not None else out.with_name(f"{stem}.errors.jsonl"),
            manifest=out.with_name(f"{out.name}.articles.jsonl"),
            parts=out.with_name(f"{out.name}.parts"),
        )


def output_format(out: Path) -> str:
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise BorderdeskError(f"--output {out}: give a .parquet or .jsonl file name")
    return fmt


def _first_line(path: Path) -> dict[str, Any] | None:
    """The first line of a text file as a JSON object; None if it is empty; raises ForeignFileError
    when it is anything else."""
    try:
        with path.open("rb") as fh:
            line = fh.readline()
        if not line.strip():
            return None
        value = json.loads(line)
    except (OSError, ValueError):
        value = None
    if not isinstance(value, dict):
        raise ForeignFileError(_refusal(path))
    return value


def _refusal(path: Path) -> str:
    return (
        f"{path} exists and is not the output of an earlier `borderdesk check-archive`; refusing to "
        "overwrite it: give another --output (or --errors), or move the file away"
    )


def is_our_output(out: Path, fmt: str) -> bool:
    """True when ``out`` was written by check-archive: our marker in the Parquet metadata, or JSONL
    rows with exactly our columns (an empty JSONL counts: a run whose articles had no claims)."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            metadata = pq.read_schema(out).metadata or {}
        except Exception:  # not Parquet at all
            return False
        return metadata.get(MARKER.encode()) == str(FORMAT_VERSION).encode()
    try:
        first = _first_line(out)
    except ForeignFileError:
        return False
    return first is None or list(first) == list(COLUMN_NAMES)


def errors_file(out: Path) -> Path:
    """The errors file of the run that wrote ``out``: the one its manifest names (``--errors``), else
    the default beside ``out``."""
    paths = Paths.beside(out)
    try:
        header = _first_line(paths.manifest) if paths.manifest.is_file() else None
    except ForeignFileError:
        header = None
    named = header.get("errors") if header else None
    return out.parent / named if isinstance(named, str) and named else paths.errors


def read_manifest(path: Path, out: Path) -> dict[str, dict[str, Any]]:
    """The articles done, by id (a later line wins: the article was checked again); a torn last line
    (a crash while appending) is left out, and that article is checked again."""
    header = _first_line(path)
    if header is None or header.get(MARKER) != FORMAT_VERSION:
        raise ForeignFileError(_refusal(path))
    if header.get("output") != out.name:
        raise ForeignFileError(f"{path} is the manifest of {header.get('output')}, not of {out.name}")
    done: dict[str, dict[str, Any]] = {}
    with path.open("rb") as fh:
        next(fh)
        for raw in fh:
            try:
                entry = json.loads(raw)
            except ValueError:
                continue
            if isinstance(entry, dict) and "article_id" in entry:
                done[str(entry["article_id"])] = entry
    return done


class ArchiveWriter:
    """The output of one run: open with :meth:`open`, :meth:`write` each batch's outcomes, then
    :meth:`finish`."""

    def __init__(self, paths: Paths, fmt: str, done: dict[str, dict[str, Any]]) -> None:
        self.paths, self.format, self.done = paths, fmt, done
        self.run = uuid.uuid4().hex[:12]
        self._parts = 0
        self._manifest: TextIO = paths.manifest.open("a", encoding="utf-8")
        self._errors: TextIO = paths.errors.open("w", encoding="utf-8")
        self.rows = self.failed = self.checked = 0

    @classmethod
    def open(cls, out: Path, errors: Path | None = None) -> ArchiveWriter:
        """The writer for ``out``: a new output, or a previous run's to go on with. Anything else at
        ``out``, at its manifest's place or at the errors file's is refused (:class:`ForeignFileError`)."""
        fmt = output_format(out)
        paths = Paths.beside(out, errors)
        if paths.errors.exists() and paths.errors.stat().st_size:
            first = _first_line(paths.errors)
            if first is None or set(first) != set(ERROR_FIELDS):
                raise ForeignFileError(_refusal(paths.errors))
        if out.exists() and (not out.is_file() or not is_our_output(out, fmt)):
            raise ForeignFileError(_refusal(out))
        if paths.manifest.exists():
            done = read_manifest(paths.manifest, out)
        elif out.exists() and out.stat().st_size:
            raise ForeignFileError(
                f"{out} is check-archive output but its manifest {paths.manifest} is missing, so what "
                "is done is unknown; restore the manifest or give another --output"
            )
        else:
            done = {}
        out.parent.mkdir(parents=True, exist_ok=True)
        paths.errors.parent.mkdir(parents=True, exist_ok=True)  # --errors in a folder not made yet
        paths.parts.mkdir(exist_ok=True)
        _write_manifest(paths, done)  # compacted: one line per article, no torn line
        return cls(paths, fmt, done)

    def is_done(self, article: Article) -> bool:
        """Checked in an earlier run with the same content (a changed article is checked again)."""
        entry = self.done.get(article.article_id)
        return entry is not None and entry.get("content_hash") == article.content_hash

    def error(self, failure: ArticleError) -> None:
        self._errors.write(json.dumps(failure.to_dict(), ensure_ascii=False) + "\n")
        self._errors.flush()
        self.failed += 1

    def write(self, outcomes: list[Outcome]) -> None:
        """One batch: its rows as a part file first, then its articles in the manifest, so that an
        article is marked done only once its rows are safely on disk."""
        checked = [o for o in outcomes if isinstance(o, Checked)]
        for o in outcomes:
            if isinstance(o, ArticleError):
                self.error(o)
        rows = [row for c in checked for row in c.rows]
        part = self._write_part(rows) if rows else None
        lines = []
        for c in checked:
            entry = {
                "article_id": c.article_id,
                "content_hash": c.content_hash,
                "input": c.input,
                "input_line": c.input_line,
                "claims": len(c.rows),
                "part": part if c.rows else None,
            }
            self.done[c.article_id] = entry
            lines.append(json.dumps(entry, ensure_ascii=False) + "\n")
        self._manifest.write("".join(lines))
        self._manifest.flush()
        os.fsync(self._manifest.fileno())
        self.checked += len(checked)
        self.rows += len(rows)

    def _write_part(self, rows: list[dict[str, Any]]) -> str:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self._parts += 1
        name = f"part-{self.run}-{self._parts:06d}.parquet"
        tmp = self.paths.parts / f".{name}.tmp"
        pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema()), tmp)
        os.replace(tmp, self.paths.parts / name)
        return name

    def finish(self) -> int:
        """Combine OUT's earlier rows and this run's parts into OUT; the rows it now holds."""
        self._manifest.close()
        self._errors.close()
        return combine(self.paths, self.format, self.done)

    def abandon(self) -> None:
        """Close the files and leave the parts for the next run (which combines them)."""
        self._manifest.close()
        self._errors.close()


def combine(paths: Paths, fmt: str, done: dict[str, dict[str, Any]]) -> int:
    """Write OUT anew from its kept rows and the parts' (see the module's doc); then mark every
    article's rows as in OUT in the manifest, and remove the parts."""
    tmp = paths.out.with_name(f".{paths.out.name}.tmp")
    total = 0
    with _Sink(tmp, fmt) as sink:
        if paths.out.exists():
            for table in _tables(paths.out, fmt):
                total += sink.add(table, _keep(table, done, None))
        for part in sorted(paths.parts.glob("part-*.parquet")):
            for table in _tables(part, "parquet"):
                total += sink.add(table, _keep(table, done, part.name))
    os.replace(tmp, paths.out)
    _write_manifest(paths, {k: {**v, "part": None} for k, v in done.items()})
    for leftover in paths.parts.iterdir():
        leftover.unlink()
    paths.parts.rmdir()
    return total


def _keep(table: Any, done: dict[str, dict[str, Any]], part: str | None) -> list[bool]:
    ids = table.column("article_id").to_pylist()
    hashes = table.column("content_hash").to_pylist()
    keep = []
    for ident, digest in zip(ids, hashes, strict=True):
        entry = done.get(ident)
        keep.append(entry is not None and entry["content_hash"] == digest and entry.get("part") == part)
    return keep


def _tables(path: Path, fmt: str) -> Iterator[Any]:
    """The rows of an output or part file, a bounded batch at a time, as Arrow tables."""
    import pyarrow as pa

    schema = arrow_schema()
    if fmt == "parquet":
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=READ_BATCH, columns=list(COLUMN_NAMES)):
            yield pa.Table.from_batches([batch]).cast(schema)
        return
    with path.open("rb") as fh:
        rows: list[dict[str, Any]] = []
        for raw in fh:
            if raw.strip():
                rows.append(json.loads(raw))
            if len(rows) >= READ_BATCH:
                yield pa.Table.from_pylist(rows, schema=schema)
                rows = []
        if rows:
            yield pa.Table.from_pylist(rows, schema=schema)


class _Sink:
    """Rows kept, written to the new OUT in its format."""

    def __init__(self, path: Path, fmt: str) -> None:
        self.path, self.format = path, fmt
        self._writer: Any = None
        self._text: TextIO | None = None

    def __enter__(self) -> _Sink:
        if self.format == "parquet":
            import pyarrow.parquet as pq

            self._writer = pq.ParquetWriter(self.path, arrow_schema())
        else:
            self._text = self.path.open("w", encoding="utf-8")
        return self

    def add(self, table: Any, keep: list[bool]) -> int:
        import pyarrow as pa

        kept = table.filter(pa.array(keep, type=pa.bool_()))
        if not kept.num_rows:
            return 0
        if self._writer is not None:
            self._writer.write_table(kept)
        else:
            assert self._text is not None
            self._text.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in kept.to_pylist())
        return int(kept.num_rows)

    def __exit__(self, *exc: object) -> None:
        if self._writer is not None:
            self._writer.close()
        if self._text is not None:
            self._text.close()


def _write_manifest(paths: Paths, done: dict[str, dict[str, Any]]) -> None:
    """The manifest anew (temporary name, then renamed): the header naming its output, then one line
    per article done."""
    # the errors file as the run named it (relative to the output's folder when it lies under it), so
    # that archive-report finds it when --errors put it elsewhere
    try:
        errors = os.path.relpath(paths.errors.resolve(), paths.out.parent.resolve())
    except ValueError:  # another drive (Windows)
        errors = str(paths.errors.resolve())
    header = {MARKER: FORMAT_VERSION, "output": paths.out.name, "errors": errors}
    tmp = paths.manifest.with_name(f".{paths.manifest.name}.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps(header) + "\n")
        fh.writelines(json.dumps(entry, ensure_ascii=False) + "\n" for entry in done.values())
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, paths.manifest)
