"""Hostile files are refused while they are read, each by the limit it crosses (issue 15, findings 1, 3, 4).

Small bombs with proportionally small limits: the point is that reading stops at the limit, naming it
and the option that raises it, instead of decompressing everything first."""

from __future__ import annotations

import gzip
import os
import socket
import time
import zlib
from pathlib import Path

import pytest

from borderdesk.errors import ReleaseFormatError
from borderdesk.sources.bounded import ReadLimits, read_bounded
from borderdesk.sources.reader import read_raw
from borderdesk.sources.sniff import sniff

HEADER = b"Fiscal Year,Month (abbv),Land Border Region,Encounter Count\n"
ROW = b"2024,OCT,Southwest Land Border,7\n"


def _gzip_bomb(path: Path, zeros: int) -> Path:
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    with path.open("wb") as fh:
        fh.write(comp.compress(HEADER))
        for _ in range(zeros // (1 << 20)):
            fh.write(comp.compress(b"\0" * (1 << 20)))
        fh.write(comp.flush())
    return path


def test_a_gzip_bomb_is_refused_by_the_ratio_limit(tmp_path: Path) -> None:
    bomb = _gzip_bomb(tmp_path / "bomb.csv.gz", 8 << 20)
    limits = ReadLimits(max_ratio=10, ratio_floor=1 << 16, max_line_bytes=1 << 30)
    with pytest.raises(ReleaseFormatError, match="--max-ratio"):
        read_bounded(bomb, limits)


def test_a_gzip_bomb_is_refused_by_the_absolute_limit(tmp_path: Path) -> None:
    bomb = _gzip_bomb(tmp_path / "bomb.csv.gz", 8 << 20)
    limits = ReadLimits(max_bytes=1 << 20, max_ratio=1 << 20, max_line_bytes=1 << 30)
    with pytest.raises(ReleaseFormatError, match="--max-bytes"):
        read_bounded(bomb, limits)


def test_a_newline_bomb_is_refused_by_the_row_limit(tmp_path: Path) -> None:
    path = tmp_path / "lines.csv.gz"
    path.write_bytes(gzip.compress(HEADER + ROW * 5000))
    with pytest.raises(ReleaseFormatError, match="--max-rows") as e:
        read_bounded(path, ReadLimits(max_rows=1000))
    assert e.value.line == 1002


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(HEADER + ROW * 1000)
    with pytest.raises(ReleaseFormatError, match="--max-bytes"):
        read_bounded(path, ReadLimits(max_bytes=1000))


def test_a_file_without_line_breaks_fails_fast_on_the_line_limit(tmp_path: Path) -> None:
    path = tmp_path / "one-line.csv"
    path.write_bytes(b"x" * 5_000_000)
    started = time.perf_counter()
    with pytest.raises(ReleaseFormatError, match="--max-line-bytes") as e:
        read_raw(path, ReadLimits(max_line_bytes=1000))
    assert e.value.line == 1
    assert time.perf_counter() - started < 5


def test_a_long_line_deep_in_the_file_is_named_by_its_line(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_bytes(HEADER + ROW * 10 + b"y" * 2000 + b"\n" + ROW)
    with pytest.raises(ReleaseFormatError, match="--max-line-bytes") as e:
        read_raw(path, ReadLimits(max_line_bytes=1000))
    assert e.value.line == 12


def test_a_wide_header_is_refused_by_the_column_limit(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_bytes(HEADER.rstrip(b"\n") + b"," + b",".join(b"c%d" % i for i in range(300)) + b"\n" + ROW)
    with pytest.raises(ReleaseFormatError, match="--max-columns") as e:
        read_raw(path)
    assert e.value.line == 1


def test_a_100000_column_header_is_checked_in_linear_time() -> None:
    header = [f"c{i}" for i in range(100_000)] + ["c5"]
    started = time.perf_counter()
    with pytest.raises(ReleaseFormatError, match="twice"):
        sniff(header, "wide.csv", ())
    assert time.perf_counter() - started < 5


def test_a_genuine_file_within_the_limits_reads_whole(tmp_path: Path) -> None:
    path = tmp_path / "ok.csv.gz"
    path.write_bytes(gzip.compress(HEADER + ROW * 100))
    got = read_bounded(path)
    assert got.compressed and got.data == HEADER + ROW * 100


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    started = time.perf_counter()
    with pytest.raises(ReleaseFormatError, match="named pipe"):
        read_raw(fifo)
    assert time.perf_counter() - started < 2


def test_a_socket_and_a_device_are_refused(tmp_path: Path) -> None:
    sock_path = tmp_path / "s.csv"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(sock_path))
        with pytest.raises(ReleaseFormatError, match="socket"):
            read_raw(sock_path)
    with pytest.raises(ReleaseFormatError, match="device"):
        read_raw(Path("/dev/zero"))


def test_a_directory_and_a_missing_file_keep_their_messages(tmp_path: Path) -> None:
    with pytest.raises(ReleaseFormatError, match="is a directory"):
        read_raw(tmp_path)
    with pytest.raises(ReleaseFormatError, match="no such file"):
        read_raw(tmp_path / "absent.csv")


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_rows"):
        ReadLimits(max_rows=0)


def test_classic_mac_line_endings_are_not_one_long_line(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes((HEADER + ROW * 200).replace(b"\n", b"\r"))
    assert read_bounded(path, ReadLimits(max_line_bytes=100)).data.count(b"\r") == 201
    path.write_bytes(HEADER.rstrip(b"\n") + b"\r" + b"z" * 500 + b"\r" + ROW)
    with pytest.raises(ReleaseFormatError, match="--max-line-bytes"):
        read_bounded(path, ReadLimits(max_line_bytes=100))
