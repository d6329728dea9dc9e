"""Read a release file's bytes within limits, so a hostile file cannot exhaust memory or time.

A 4 MB ``.csv.gz`` can expand to gigabytes, a FIFO never ends, a file with no line break makes every
line-oriented step slow, and a header of 100,000 columns makes every per-column step slow. So the
file is opened only if it is a regular file, and decompressed in chunks while the limits of a
:class:`ReadLimits` are checked on the bytes seen so far: the first limit crossed stops the read with
a :class:`~borderdesk.errors.IngestLimitError` naming the limit and the option that raises it. The
defaults are far above every real CBP file (about 3 MB and 45,000 rows, a dozen columns) and keep the
peak memory of an ingest well under 1 GB.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import io
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from borderdesk.errors import IngestLimitError, ReleaseFormatError

_MiB = 1 << 20
_CHUNK = _MiB


@dataclass(frozen=True)
class ReadLimits:
    """What one release file may hold at most; each has a CLI option on ``ingest`` (in brackets)."""

    #: bytes of the file and of its decompressed text (--max-bytes)
    max_bytes: int = 64 * _MiB
    #: decompressed bytes per compressed byte, beyond the first ``ratio_floor`` bytes (--max-ratio)
    max_ratio: int = 200
    #: characters of one line, the header included (--max-line-bytes)
    max_line_bytes: int = 64 * 1024
    #: columns of the header (--max-columns)
    max_columns: int = 200
    #: data rows, i.e. lines after the header (--max-rows)
    max_rows: int = 1_000_000
    #: decompressed bytes always allowed whatever the ratio (small files compress well)
    ratio_floor: int = 16 * _MiB

    def __post_init__(self) -> None:
        for name in ("max_bytes", "max_ratio", "max_line_bytes", "max_columns", "max_rows", "ratio_floor"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive whole number, not {value!r}")


DEFAULT_LIMITS = ReadLimits()


def _limit_error(
    file: str, what: str, limit: int, option: str, *, line: int | None = None
) -> IngestLimitError:
    """``what`` crossed the limit that ``option`` sets: the error names both, and how to raise it
    (a ReleaseFormatError and a LimitError: exit code 4 on the command line)."""
    return IngestLimitError(file, what, limit=limit, option=option, line=line)


def open_regular(path: Path) -> int:
    """A read-only descriptor of ``path``, refusing at once what is not a regular file: a FIFO would
    block for ever (so it is never opened for real), a device or socket has no end."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ReleaseFormatError(str(path), "no such file", expected="an existing release file") from None
    except OSError as e:
        raise ReleaseFormatError(
            str(path), f"cannot be read ({e.strerror})", expected="a readable file"
        ) from e
    _require_regular(path, st.st_mode)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as e:
        if e.errno == errno.EISDIR:
            raise ReleaseFormatError(str(path), "is a directory", expected="a release file") from None
        raise ReleaseFormatError(
            str(path), f"cannot be read ({e.strerror})", expected="a readable file"
        ) from e
    try:  # it may have been swapped between the stat and the open
        _require_regular(path, os.fstat(fd).st_mode)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _require_regular(path: Path, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise ReleaseFormatError(str(path), "is a directory", expected="a release file")
    kind = (
        "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "not a regular file"
    )
    raise ReleaseFormatError(str(path), f"is {kind}, not a regular file", expected="a regular release file")


@dataclass(frozen=True)
class BoundedBytes:
    """A file's bytes as stored (their checksum and size) and its text, decompressed if it was gzip."""

    sha256: str
    size: int
    compressed: bool
    data: bytes


class _Watch:
    """The limits on the text, checked on each chunk as it arrives (lines, header width, rows)."""

    def __init__(
        self, file: str, limits: ReadLimits, budget: int, budget_what: str, budget_option: str
    ) -> None:
        self.file = file
        self.limits = limits
        self.budget = budget
        self.budget_what = budget_what
        self.budget_option = budget_option
        self.total = 0
        self.newlines = 0
        self.line_len = 0  # bytes of the current line so far
        self.header: bytearray | None = bytearray()  # until its end is seen

    def feed(self, chunk: bytes) -> None:
        self.total += len(chunk)
        if self.total > self.budget:
            raise _limit_error(self.file, self.budget_what, self.budget, self.budget_option)
        # Lines are numbered by LF; a CR also ends a run of text for the length limit (classic Mac
        # files, rejected later with their line, must not be refused as one long line).
        pieces = chunk.split(b"\n")  # one chunk at a time: at most a MiB of pieces
        if self.header is not None and len(self.header) <= self.limits.max_line_bytes:
            self.header += pieces[0][: self.limits.max_line_bytes + 1]
        runs = pieces[0].split(b"\r")
        self._line(self.line_len + len(runs[0]), self.newlines + 1)
        if len(pieces) == 1:
            self._line(max(map(len, runs)), self.newlines + 1)
            self.line_len = len(runs[-1]) if len(runs) > 1 else self.line_len + len(runs[0])
            return
        self._line(max(map(len, runs[1:]), default=0), self.newlines + 1)
        if self.header is not None:
            self._check_header(bytes(self.header))
            self.header = None
        for i, piece in enumerate(pieces[1:-1], start=2):
            if len(piece) > self.limits.max_line_bytes:
                self._line(max(map(len, piece.split(b"\r"))), self.newlines + i)
        self.newlines += len(pieces) - 1
        runs = pieces[-1].split(b"\r")
        self._line(max(map(len, runs)), self.newlines + 1)
        self.line_len = len(runs[-1])
        if self.newlines - 1 > self.limits.max_rows:
            raise _limit_error(
                self.file,
                f"more than {self.limits.max_rows:,} data rows",
                self.limits.max_rows,
                "--max-rows",
                line=self.limits.max_rows + 2,
            )

    def _line(self, length: int, line: int) -> None:
        if length > self.limits.max_line_bytes:
            raise _limit_error(
                self.file,
                f"a line longer than {self.limits.max_line_bytes:,} bytes",
                self.limits.max_line_bytes,
                "--max-line-bytes",
                line=line,
            )

    def finish(self) -> None:
        if self.header is not None:
            self._check_header(bytes(self.header))

    def _check_header(self, line: bytes) -> None:
        # Commas bound the columns from above (a quoted comma is rare in a header), so a header over
        # the limit never gets through; the exact count is the sniffer's.
        columns = line.split(b"\r", 1)[0].count(b",") + 1
        if columns > self.limits.max_columns:
            raise _limit_error(
                self.file,
                f"a header of {columns:,} columns",
                self.limits.max_columns,
                "--max-columns",
                line=1,
            )


def read_bounded(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> BoundedBytes:
    """The bytes of the regular file ``path``, gunzipped in chunks if compressed, within ``limits``."""
    name = path.name
    fd = open_regular(path)
    with os.fdopen(fd, "rb", buffering=0) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > limits.max_bytes:
            raise _limit_error(name, f"a file of {size:,} bytes", limits.max_bytes, "--max-bytes")
        try:
            blob = _read_all(fh, limits.max_bytes, name)
        except OSError as e:
            raise ReleaseFormatError(
                str(path), f"cannot be read ({e.strerror})", expected="a readable file"
            ) from e
    sha = hashlib.sha256(blob).hexdigest()
    compressed = blob[:2] == b"\x1f\x8b"
    if blob.startswith(b"PK\x03\x04"):  # a workbook: not lines of text, but members to inflate
        _check_zip(name, blob, limits)
        return BoundedBytes(sha, len(blob), False, blob)
    if not compressed:
        watch = _Watch(
            name, limits, limits.max_bytes, f"a file of more than {limits.max_bytes:,} bytes", "--max-bytes"
        )
        for at in range(0, len(blob), _CHUNK):
            watch.feed(blob[at : at + _CHUNK])
        watch.finish()
        return BoundedBytes(sha, len(blob), False, blob)
    by_ratio = max(limits.ratio_floor, limits.max_ratio * len(blob))
    if by_ratio < limits.max_bytes:
        budget, what, option = (
            by_ratio,
            f"decompresses to more than {limits.max_ratio} times its size",
            "--max-ratio",
        )
    else:
        budget, what, option = (
            limits.max_bytes,
            f"decompresses to more than {limits.max_bytes:,} bytes",
            "--max-bytes",
        )
    watch = _Watch(name, limits, budget, what, option)
    out = bytearray()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(blob)) as gz:
            while chunk := gz.read(_CHUNK):
                watch.feed(chunk)
                out += chunk
    except (OSError, EOFError, zlib.error) as e:
        raise ReleaseFormatError(name, f"damaged gzip data ({e})", expected="a complete .gz file") from None
    watch.finish()
    return BoundedBytes(sha, len(blob), True, bytes(out))


def _check_zip(name: str, blob: bytes, limits: ReadLimits) -> None:
    """A workbook (a ZIP archive) whose members would expand beyond the limits is refused before any
    reader inflates them (their declared sizes; a member that lies about its size fails its CRC)."""
    try:
        members = zipfile.ZipFile(io.BytesIO(blob)).infolist()
    except (zipfile.BadZipFile, OSError, EOFError):
        return  # the family that reads it says what is wrong
    expanded = sum(m.file_size for m in members)
    budget = min(limits.max_bytes, max(limits.ratio_floor, limits.max_ratio * len(blob)))
    if expanded > budget:
        option = "--max-bytes" if budget == limits.max_bytes else "--max-ratio"
        raise _limit_error(name, f"a workbook that expands to {expanded:,} bytes", budget, option)


def _read_all(fh: io.RawIOBase, limit: int, name: str) -> bytes:
    """Read to the end, but never more than ``limit`` bytes (the file may grow while it is read)."""
    parts = bytearray()
    while True:
        chunk = fh.read(_CHUNK)
        if not chunk:
            return bytes(parts)
        parts += chunk
        if len(parts) > limit:
            raise _limit_error(name, f"a file of more than {limit:,} bytes", limit, "--max-bytes")
