"""Read a release file's bytes and prove it is a UTF-8, comma-separated CSV before parsing it.

Everything here is about the container (compression, encoding, delimiter, field counts); what the
values mean is :mod:`borderdesk.sources.normalize`'s job. Errors name the file, line and column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from borderdesk.errors import ReleaseFormatError
from borderdesk.sources.base import SourceFormat
from borderdesk.sources.bounded import DEFAULT_LIMITS, ReadLimits, read_bounded
from borderdesk.sources.sniff import Sniffed, sniff

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
_BARE_CR = re.compile(rb"\r(?!\n)")
_HEX = re.compile(rb"0[xX]")
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


def read_raw(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> RawFile:
    """Read a regular file within ``limits`` (see :mod:`borderdesk.sources.bounded`), gunzipped."""
    got = read_bounded(path, limits)
    data = got.data
    if data.startswith(BOM):
        data = data[len(BOM) :]
    return RawFile(
        path=path, name=path.name, sha256=got.sha256, size=got.size, compressed=got.compressed, data=data
    )


def _line_col(data: bytes, pos: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, pos) + 1
    return data.count(b"\n", 0, pos) + 1, pos - line_start + 1


@dataclass(frozen=True)
class _Field:
    column: str | None = None
    column_number: int | None = None
    value: str | None = None


def _field_at(data: bytes, pos: int) -> _Field:
    """The data field holding byte ``pos``, so a bad byte is reported like a bad value (not on line 1).
    A bare CR (which the csv module refuses outside quotes) counts as an ordinary character here: the
    bad byte is the error to report, the CR is found later, if the file gets that far."""
    line_start = data.rfind(b"\n", 0, pos) + 1
    if line_start == 0:
        return _Field()
    end = data.find(b"\n", pos)
    line = data[line_start : len(data) if end < 0 else end].rstrip(b"\r").replace(b"\r", b" ")
    prefix = line[: pos - line_start].decode("utf-8", errors="replace")
    header_end = data.find(b"\n")
    try:
        index = max(len(next(csv.reader([prefix]), [""])) - 1, 0)
        fields = next(csv.reader([line.decode("utf-8", errors="replace")]), [])
        header = next(csv.reader([data[:header_end].decode("utf-8").rstrip("\r")]), [])
    except (UnicodeDecodeError, csv.Error):
        return _Field()
    if index >= len(header) or index >= len(fields):
        return _Field()
    return _Field(header[index].strip(), index + 1, fields[index])


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
        field = _field_at(data, nul)
        head = data[:4]
        looks = "UTF-32 text" if head.count(0) == 3 else "UTF-16 text" if 0 in head[:2] else "binary data"
        raise ReleaseFormatError(
            raw.name,
            f"NUL byte at character {col}: this looks like {looks}",
            line=line,
            expected=EXPECTED_CSV,
            column=field.column,
            column_number=field.column_number,
            value=field.value,
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        line, col = _line_col(data, e.start)
        bad = data[e.start : e.start + 1].hex()
        field = _field_at(data, e.start)
        raise ReleaseFormatError(
            raw.name,
            f"invalid UTF-8 byte 0x{bad} at character {col} (Latin-1 or Windows-1252 text?)",
            line=line,
            expected="UTF-8 text: re-save the file as 'CSV UTF-8'",
            column=field.column,
            column_number=field.column_number,
            value=field.value,
        ) from None


def header_fields(raw: RawFile) -> list[str]:
    end = raw.data.find(b"\n")
    first = raw.data if end < 0 else raw.data[:end]
    # up to a bare CR too (classic Mac line endings), which parse() then rejects with its line
    text = first.decode("utf-8").split("\r", 1)[0]
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
    body = raw.data[: _body_end(raw.data)]
    # Lines end at LF; a CR without LF is reported where it is, unless an earlier line is broken.
    # (bytes.splitlines, unlike str.splitlines, does not break at U+2028, NEL... inside values.)
    cr = _BARE_CR.search(body)
    end = len(body) if cr is None else body.rfind(b"\n", 0, cr.start()) + 1
    lines = [b.decode("utf-8") for b in body[:end].splitlines(keepends=True)]
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
            if not lines[start - 1].strip():
                return ReleaseFormatError(
                    raw.name,
                    "blank line",
                    line=start,
                    expected="one record per line, blank lines only at the end of the file",
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
    if cr is not None:
        return ReleaseFormatError(
            raw.name,
            "carriage return (CR) without a line feed",
            line=body.count(b"\n", 0, cr.start()) + 1,
            value=body[end : cr.start()].decode("utf-8"),
            expected="lines ending in LF or CRLF",
        )
    return None


def parse(
    raw: RawFile, formats: tuple[SourceFormat, ...], sniffed: Sniffed | None = None
) -> tuple[Sniffed, pa.Table]:
    """Parse every record of a file of one of ``formats`` (``sniffed``: the one its family recognised;
    without it, the header is matched here, and an error names the closest format). Values stay text
    (dictionary-encoded) for validation."""
    check_container(raw)
    header = header_fields(raw)
    sniffed = sniffed or sniff(header, raw.name, formats)
    ncols = len(header)
    names = [f"c{i}" for i in range(ncols)]
    count_col = names[sniffed.positions["count"]]
    types: dict[str, pa.DataType] = {n: pa.dictionary(pa.int32(), pa.string()) for n in names}
    body = raw.data[: _body_end(raw.data)]
    if b"\n" not in body and b"\r" not in body:
        raise ReleaseFormatError(
            raw.name, "no data rows after the header", line=2, expected="at least one row"
        )

    def read(count_type: pa.DataType) -> pa.Table:
        types[count_col] = count_type
        return pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 23),
            # (a blank line is skipped here, then caught because records and lines disagree)
            parse_options=pacsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=True),
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
            # where normalize() finds the first offending row. Arrow also reads "0x10" as 16, so a
            # file with hexadecimal anywhere goes to the text path directly.
            hexadecimal = _HEX.search(body) is not None
            table = read(pa.string() if hexadecimal else pa.int64())
        except pa.ArrowInvalid as e:
            if "conversion error" not in str(e).lower():
                raise
            table = read(pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError) as e:
        found = diagnose_structure(raw, ncols)
        if found is not None:
            raise found from None
        raise ReleaseFormatError(raw.name, f"unreadable CSV ({e})", expected=EXPECTED_CSV) from None
    data_lines = body.count(b"\n")
    if table.num_rows != data_lines or _line_breaks_in_values(table):
        # Arrow accepts quoted values holding CR or LF, takes a lone CR for a line end and skips blank
        # lines; we want one record per line, so that a row's index gives its line number.
        found = diagnose_structure(raw, ncols)
        raise found or ReleaseFormatError(
            raw.name, f"{table.num_rows} records on {data_lines} lines", expected="one record per line"
        )
    return sniffed, table


def _line_breaks_in_values(table: pa.Table) -> bool:
    """True if a (quoted) value holds a CR or LF. Only distinct values are looked at, except for a
    count column read as text, which only bad files have."""
    for column in table.columns:
        for chunk in column.chunks:
            values = chunk.dictionary if pa.types.is_dictionary(chunk.type) else chunk
            if pa.types.is_string(values.type) and any(
                "\r" in v or "\n" in v for v in values.to_pylist() if v is not None
            ):
                return True
    return False
