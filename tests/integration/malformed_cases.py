"""Build malformed release files from the bytes of real CBP files, each with what its error must say.

Every builder takes a directory and returns the file it wrote plus an :class:`Expect`. The expectation
is computed from how the file was built (the line we edited, the value we put there), never from the
code under test. Line numbers are 1-based and count the header as line 1, like any text editor.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import hashlib
import io
import lzma
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb

from repo_support import cbp_data

DATA = cbp_data()
SOUTHWEST = DATA / "sbo-encounters-fy22-fy25-aug.csv"
STATE = DATA / "nationwide-encounters-fy21-fy24-oct-state.csv"
AOR_GZ = DATA / "tidytuesday-2024-11-26" / "cbp_resp.csv.gz"
XLSX = DATA / "ohss" / "KHSM_Encounters_USBP_fy25m11.xlsx"
REAL_FILES = (SOUTHWEST, STATE, AOR_GZ, XLSX)

# Most cases cut the by-state file to its header and this many data rows, to keep the suite fast.
SHORT_ROWS = 2_000


def data_available() -> bool:
    return all(p.is_file() for p in REAL_FILES)


@dataclass(frozen=True)
class Expect:
    """What the ReleaseFormatError must carry. ``None`` means: this attribute is not meaningful here."""

    line: int | None = None
    column: str | None = None
    column_number: int | None = None
    value: str | None = None
    problem: str = ""  # a fragment the message must contain (case-insensitive)
    also: tuple[str, ...] = ()  # further fragments the message must contain


@dataclass(frozen=True)
class Built:
    path: Path
    expect: Expect


Builder = Callable[[Path], Built]


# -- real lines ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Base:
    """A real file as a list of lines (each with its own line ending); ``lines[0]`` is line 1."""

    name: str
    source: Path
    rows: int | None = None  # keep only this many data rows (None: the whole file)
    gzipped: bool = False

    def lines(self) -> list[bytes]:
        return list(_lines(self.source, self.rows))

    def header(self) -> list[str]:
        return split(self.lines()[0])

    def column_index(self, column: str) -> int:
        return self.header().index(column)


@cache
def _lines(source: Path, rows: int | None) -> tuple[bytes, ...]:
    blob = source.read_bytes()
    if blob[:2] == b"\x1f\x8b":
        blob = gzip.decompress(blob)
    lines = blob.splitlines(keepends=True)
    return tuple(lines if rows is None else lines[: rows + 1])


STATE_SHORT = Base("state-short", STATE, SHORT_ROWS)
STATE_FULL = Base("state-full", STATE)
SOUTHWEST_FULL = Base("southwest", SOUTHWEST)
AOR_FULL = Base("aor", AOR_GZ, gzipped=True)


def split(line: bytes) -> list[str]:
    return next(csv.reader([line.decode("utf-8").rstrip("\r\n")]))


def join(fields: Sequence[str], eol: bytes = b"\r\n", delimiter: str = ",") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="").writerow(fields)
    return buf.getvalue().encode("utf-8") + eol


def eol_of(line: bytes) -> bytes:
    return line[len(line.rstrip(b"\r\n")) :]


def write(directory: Path, name: str, data: bytes, *, gzipped: bool = False) -> Path:
    path = directory / name
    path.write_bytes(gzip.compress(data, mtime=0) if gzipped else data)
    return path


def _file_name(base: Base, slug: str) -> str:
    return f"{base.name}-{slug}.csv" + (".gz" if base.gzipped else "")


# -- builders ------------------------------------------------------------------------------------------
def set_field(
    base: Base, line: int, column: str, value: str, problem: str = "", *, raw: bytes | None = None
) -> Builder:
    """Put ``value`` into ``column`` of line ``line``; the error must point exactly there.

    With ``raw``, the field's bytes are ``raw`` instead (say, Latin-1 text); ``value`` is then what the
    error should show for them.
    """

    def build(directory: Path) -> Built:
        lines = base.lines()
        fields = split(lines[line - 1])
        i = base.column_index(column)
        marker = "\x01field\x01"
        fields[i] = marker if raw is not None else value
        edited = join(fields, eol_of(lines[line - 1]))
        if raw is not None:
            edited = edited.replace(marker.encode(), raw)
        assert edited != lines[line - 1], "the case must change the line"
        lines[line - 1] = edited
        path = write(directory, _file_name(base, "field"), b"".join(lines), gzipped=base.gzipped)
        return Built(
            path, Expect(line=line, column=column, column_number=i + 1, value=value, problem=problem)
        )

    return build


def set_header(base: Base, column: str, new: str | None, problem: str, *, at_column: bool = False) -> Builder:
    """Rename (or with ``new=None`` drop) a header column, everything else real."""

    def build(directory: Path) -> Built:
        lines = base.lines()
        header = split(lines[0])
        i = header.index(column)
        if new is None:
            header.pop(i)
            lines = [lines[0]] + [_drop_field(raw, i) for raw in lines[1:]]
        else:
            header[i] = new
        lines[0] = join(header, eol_of(lines[0]))
        path = write(directory, _file_name(base, "header"), b"".join(lines), gzipped=base.gzipped)
        shown = new if new is not None else column
        expect = Expect(
            line=1,
            column=new if at_column else None,
            column_number=i + 1 if at_column else None,
            value=new if at_column else None,
            problem=problem,
            also=(shown,),
        )
        return Built(path, expect)

    return build


def _drop_field(line: bytes, index: int) -> bytes:
    fields = split(line)
    fields.pop(index)
    return join(fields, eol_of(line))


def add_header_column(base: Base, name: str, problem: str, *, fill: str = "x") -> Builder:
    """An extra column (header and every row), so only the header can be at fault."""

    def build(directory: Path) -> Built:
        lines = base.lines()
        out = [join([*split(lines[0]), name], eol_of(lines[0]))]
        out += [join([*split(raw), fill], eol_of(raw)) for raw in lines[1:]]
        path = write(directory, _file_name(base, "extra-col"), b"".join(out), gzipped=base.gzipped)
        where = len(split(lines[0])) + 1
        return Built(path, Expect(line=1, column=name, column_number=where, value=name, problem=problem))

    return build


def replace_line(
    base: Base, line: int, make: Callable[[bytes], bytes], problem: str, value: bool = True
) -> Builder:
    """Replace line ``line`` by ``make(original line)``; the error names that line (and its text)."""

    def build(directory: Path) -> Built:
        lines = base.lines()
        original = lines[line - 1]
        lines[line - 1] = make(original)
        assert lines[line - 1] != original, "the case must change the line"
        shown = lines[line - 1].rstrip(b"\r\n").decode("utf-8") if value else None
        path = write(directory, _file_name(base, "line"), b"".join(lines), gzipped=base.gzipped)
        return Built(path, Expect(line=line, value=shown, problem=problem))

    return build


def insert_line(base: Base, line: int, content: bytes, problem: str) -> Builder:
    """Insert ``content`` so that it becomes line ``line``."""

    def build(directory: Path) -> Built:
        lines = base.lines()
        lines.insert(line - 1, content)
        path = write(directory, _file_name(base, "insert"), b"".join(lines), gzipped=base.gzipped)
        return Built(path, Expect(line=line, problem=problem))

    return build


def duplicate(base: Base, source_line: int, line: int, **changes: str) -> Builder:
    """Insert a copy of ``source_line`` so that it becomes ``line``; ``changes`` (column=value, with
    spaces as underscores) alter the copy in ways that keep its key, such as the count."""

    def build(directory: Path) -> Built:
        lines = base.lines()
        fields = split(lines[source_line - 1])
        header = [h.replace(" ", "_") for h in base.header()]
        for column, value in changes.items():
            fields[header.index(column)] = value
        lines.insert(line - 1, join(fields, eol_of(lines[source_line - 1])))
        original = source_line if source_line < line else source_line + 1
        path = write(directory, _file_name(base, "dup"), b"".join(lines), gzipped=base.gzipped)
        return Built(path, Expect(line=line, problem="duplicate", also=(f"line {original}",)))

    return build


def whole(
    base: Base,
    slug: str,
    make: Callable[[bytes], bytes],
    problem: str,
    *,
    line: int | None = None,
    value: str | None = None,
    column: str | None = None,
    suffix: str = ".csv",
) -> Builder:
    """Write ``make(the real bytes)``: re-encodings, other delimiters, other containers."""

    def build(directory: Path) -> Built:
        data = make(b"".join(base.lines()))
        path = write(directory, f"{base.name}-{slug}{suffix}", data)
        return Built(path, Expect(line=line, value=value, column=column, problem=problem))

    return build


def copy_of(source: Path, name: str, problem: str, *, line: int | None = None) -> Builder:
    def build(directory: Path) -> Built:
        return Built(write(directory, name, source.read_bytes()), Expect(line=line, problem=problem))

    return build


# -- byte-level transformations -------------------------------------------------------------------------
def redelimit(delimiter: str) -> Callable[[bytes], bytes]:
    """The same table saved with another delimiter (as spreadsheets in some locales do)."""

    def make(data: bytes) -> bytes:
        rows = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
        return b"".join(join(r, b"\r\n", delimiter) for r in rows)

    return make


def encode(codec: str, bom: bytes = b"") -> Callable[[bytes], bytes]:
    return lambda data: bom + data.decode("utf-8").encode(codec)


def zipped(inner_name: str) -> Callable[[bytes], bytes]:
    def make(data: bytes) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(inner_name, data)
        return buf.getvalue()

    return make


def gzip_truncated(data: bytes) -> bytes:
    blob = gzip.compress(data, mtime=0)
    return blob[: len(blob) // 2]


def gzip_corrupt(data: bytes) -> bytes:
    blob = bytearray(gzip.compress(data, mtime=0))
    middle = len(blob) // 2
    blob[middle : middle + 64] = bytes(b ^ 0x5A for b in blob[middle : middle + 64])
    return bytes(blob)


def gzip_bad_crc(data: bytes) -> bytes:
    blob = bytearray(gzip.compress(data, mtime=0))
    blob[-8] ^= 0xFF  # the CRC32 of the trailer, the deflate stream itself is intact
    return bytes(blob)


def bzip2(data: bytes) -> bytes:
    return bz2.compress(data)


def xz(data: bytes) -> bytes:
    return lzma.compress(data)


# -- database state --------------------------------------------------------------------------------------
FACT_COLUMNS = (
    "release_id, line, fiscal_year, month, region, state, aor, component, demographic, citizenship, "
    "title, encounter_type, encounters"
)


def db_state(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """Everything a failed ingest could have touched, as comparable values."""

    def rows(sql: str) -> list[tuple[object, ...]]:
        return con.execute(sql).fetchall()

    return {
        "tables": rows("SELECT table_name, estimated_size FROM duckdb_tables() ORDER BY ALL"),
        "meta": rows("SELECT * FROM meta ORDER BY ALL"),
        "releases": rows("SELECT * FROM releases ORDER BY ALL"),
        "release_months": rows("SELECT * FROM release_months ORDER BY ALL"),
        "dimension_values": rows("SELECT * FROM dimension_values ORDER BY ALL"),
        "facts": rows(f"SELECT count(*), sum(encounters), bit_xor(hash({FACT_COLUMNS})) FROM facts"),
        "sequences": rows("SELECT sequence_name FROM duckdb_sequences() ORDER BY ALL"),
    }


def file_digest(path: Path) -> tuple[str, ...]:
    """sha256 of the database file and of its write-ahead log, if any."""
    out = []
    for p in (path, path.with_name(path.name + ".wal")):
        out.append(hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else "-")
    return tuple(out)


# -- a plain reading, independent of borderdesk ----------------------------------------------------------
def plain_totals(path: Path) -> tuple[int, int]:
    """(data rows, sum of the count column) read with the csv module alone."""
    blob = path.read_bytes()
    if blob[:2] == b"\x1f\x8b":
        blob = gzip.decompress(blob)
    reader = csv.reader(io.StringIO(blob.decode("utf-8-sig"), newline=""))
    header = [h.strip().lower() for h in next(reader)]
    at = next(i for i, h in enumerate(header) if h in ("encounter count", "encounter_count"))
    rows = total = 0
    for row in reader:
        if not any(f.strip() for f in row):
            continue  # trailing blank lines
        rows += 1
        total += int(row[at])
    return rows, total


# -- valid variants: the same real rows, written the ways the requirement allows ----------------------------
def reorder_columns(data: bytes) -> bytes:
    rows = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    return b"".join(join(list(reversed(r))) for r in rows)


def quote_all(data: bytes) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerows(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    return buf.getvalue().encode("utf-8")


def map_header(data: bytes, rename: Callable[[str], str]) -> bytes:
    first, _, rest = data.partition(b"\n")
    header = split(first + b"\n")
    return join([rename(h) for h in header], b"\r\n" if first.endswith(b"\r") else b"\n") + rest


def snake(header: str) -> str:
    return "_".join("".join(c if c.isalnum() else " " for c in header.lower()).split())
