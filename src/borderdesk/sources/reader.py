"""Read a release file's bytes and prove it is a UTF-8, comma-separated CSV before parsing it.

Everything here is about the container (compression, encoding, delimiter, field counts); what the
values mean is :mod:`borderdesk.sources.normalize`'s job. Errors name the file, line and column.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from borderdesk.errors import ReleaseFormatError
from borderdesk.sources.registry import Sniffed, sniff

BOM = b"\xef\xbb\xbf"
# Magic numbers of things people save by mistake instead of a CSV.
_NOT_CSV: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (an .xlsx/.ods spreadsheet?)"),
    (b"\xd0\xcf\x11\xe0", "an Excel 97-2003 workbook (.xls)"),
    (b"%PDF", "a PDF document"),
    (b"\xff\xfe\x00\x00", "UTF-32 text"),
    (b"\x00\x00\xfe\xff", "UTF-32 text"),
    (b"\xff\xfe", "UTF-16 text"),
    (b"\xfe\xff", "UTF-16 text"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ", "an xz archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive"),
    (b"PAR1", "a Parquet file"),
    (b"SQLite format 3", "an SQLite database"),
)
_NON_BLANK = re.compile(rb"\S")
EXPECTED_CSV = "a UTF-8 comma-separated CSV file (optionally gzip-compressed)"


@dataclass(frozen=True)
class RawFile:
    """A release file as stored on disk, with its checksum, and its decoded CSV text."""

    path: Path
    name: str
    sha256: str
    size: int
    compressed: bool
    data: bytes  # the CSV bytes (decompressed, BOM removed)


def read_raw(path: Path) -> RawFile:
    name = path.name
    try:
        blob = path.read_bytes()
    except IsADirectoryError:
        raise ReleaseFormatError(str(path), "is a directory", expected="a release file") from None
    except FileNotFoundError:
        raise ReleaseFormatError(str(path), "no such file", expected="an existing release file") from None
    except OSError as e:
        raise ReleaseFormatError(
            str(path), f"cannot be read ({e.strerror})", expected="a readable file"
        ) from e
    sha = hashlib.sha256(blob).hexdigest()
    compressed = blob[:2] == b"\x1f\x8b"
    data = blob
    if compressed:
        try:
            data = gzip.decompress(blob)
        except (OSError, EOFError, zlib.error) as e:
            raise ReleaseFormatError(
                name, f"damaged gzip data ({e})", expected="a complete .gz file"
            ) from None
    if data.startswith(BOM):
        data = data[len(BOM) :]
    return RawFile(path=path, name=name, sha256=sha, size=len(blob), compressed=compressed, data=data)


def _line_col(data: bytes, pos: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, pos) + 1
    return data.count(b"\n", 0, pos) + 1, pos - line_start + 1


def check_container(raw: RawFile) -> None:
    """Reject what is not UTF-8 CSV text, naming what it looks like instead."""
    data = raw.data
    if _NON_BLANK.search(data) is None:
        raise ReleaseFormatError(raw.name, "the file is empty", expected=EXPECTED_CSV)
    for magic, what in _NOT_CSV:
        if data.startswith(magic):
            raise ReleaseFormatError(raw.name, f"this is {what}, not CSV text", line=1, expected=EXPECTED_CSV)
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = _line_col(data, nul)
        looks = "UTF-16 text" if data[1:2] == b"\x00" or data[0:1] == b"\x00" else "binary data"
        raise ReleaseFormatError(
            raw.name,
            f"NUL byte at character {col}: this looks like {looks}",
            line=line,
            expected=EXPECTED_CSV,
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        line, col = _line_col(data, e.start)
        bad = data[e.start : e.start + 1].hex()
        raise ReleaseFormatError(
            raw.name,
            f"invalid UTF-8 byte 0x{bad} at character {col} (Latin-1 or Windows-1252 text?)",
            line=line,
            expected="UTF-8 text: re-save the file as 'CSV UTF-8'",
        ) from None


def header_fields(raw: RawFile) -> list[str]:
    end = raw.data.find(b"\n")
    first = raw.data if end < 0 else raw.data[:end]
    text = first.decode("utf-8").rstrip("\r")
    fields = next(csv.reader([text]), [])
    return [f.strip() for f in fields]


def _body_end(data: bytes) -> int:
    """Length of the data without trailing blank lines (a harmless artefact of some exports)."""
    end = len(data)
    while end > 0 and data[end - 1 : end] in (b"\n", b"\r", b" ", b"\t"):
        end -= 1
    return end


def diagnose_structure(raw: RawFile, ncols: int) -> ReleaseFormatError | None:
    """Find the first structurally broken record with the csv module (slow path, errors only)."""
    text = raw.data[: _body_end(raw.data)].decode("utf-8")
    lines = text.splitlines(keepends=True)
    reader = csv.reader(lines, strict=True)
    line = 0
    try:
        for row in reader:
            start = line + 1
            line = reader.line_num
            if line != start:
                return ReleaseFormatError(
                    raw.name,
                    "a quoted value spans several lines (or a quote is never closed)",
                    line=start,
                    value=lines[start - 1].rstrip("\r\n"),
                    expected="one record per line",
                )
            if len(row) != ncols:
                sep = next((s for s in ("\t", ";", "|") if s in lines[start - 1]), None)
                hint = f" (the line contains {sep!r}: wrong delimiter?)" if sep and len(row) == 1 else ""
                return ReleaseFormatError(
                    raw.name,
                    f"{len(row)} fields where the header has {ncols}{hint}",
                    line=start,
                    value=lines[start - 1].rstrip("\r\n"),
                    expected=f"{ncols} comma-separated fields",
                )
    except csv.Error as e:
        return ReleaseFormatError(
            raw.name,
            f"malformed CSV quoting ({e})",
            line=line + 1,
            value=lines[line].rstrip("\r\n") if line < len(lines) else None,
            expected="RFC 4180 quoting",
        )
    return None


def parse(raw: RawFile) -> tuple[Sniffed, pa.Table]:
    """Sniff the format and parse every record; values stay text (dictionary-encoded) for validation."""
    check_container(raw)
    header = header_fields(raw)
    sniffed = sniff(header, raw.name)
    ncols = len(header)
    names = [f"c{i}" for i in range(ncols)]
    count_col = names[sniffed.positions["count"]]
    types: dict[str, pa.DataType] = {n: pa.dictionary(pa.int32(), pa.string()) for n in names}
    body = raw.data[: _body_end(raw.data)]

    def read(count_type: pa.DataType) -> pa.Table:
        types[count_col] = count_type
        return pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 23),
            parse_options=pacsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=types,
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )

    try:
        try:
            # Fast path: counts parsed as integers by Arrow. Any bad count sends us to the text path,
            # where normalize() finds the first offending row.
            table = read(pa.int64())
        except pa.ArrowInvalid as e:
            if "conversion error" not in str(e).lower():
                raise
            table = read(pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError) as e:
        found = diagnose_structure(raw, ncols)
        if found is not None:
            raise found from None
        raise ReleaseFormatError(raw.name, f"unreadable CSV ({e})", expected=EXPECTED_CSV) from None
    if table.num_rows == 0:
        raise ReleaseFormatError(
            raw.name, "no data rows after the header", line=2, expected="at least one row"
        )
    # A quoted field may not hide a record break: pyarrow would have split it, so the counts agree.
    return sniffed, table
