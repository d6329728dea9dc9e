"""bench/archive.py's parts that decide its figures: the archive it builds (the real corpus repeated, ids
unique) and the memory it reads (the process tree's resident size, by psutil or by /proc)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from repo_support import load_bench

bench = load_bench("archive", "bench_archive")


def test_archive_repeats_the_real_corpus_with_unique_ids(tmp_path: Path) -> None:
    corpus = [json.loads(line) for line in bench.ARTICLES.read_text(encoding="utf-8").splitlines()]
    n = len(corpus) * 2 + 7
    path = tmp_path / "archive.jsonl"
    bench.build_archive(n, path)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == n and len({r["id"] for r in rows}) == n
    assert rows[len(corpus)]["id"] == corpus[0]["id"] + "-r1"
    assert rows[-1]["text"] == corpus[6]["text"] and rows[-1]["date"] == corpus[6]["published"]


def test_tree_memory_counts_the_children() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", "import time; b = bytearray(200 * 2**20); time.sleep(30)"],
        stdout=subprocess.PIPE,
    )
    try:
        alone = bench._rss_proc(os.getpid())
        for _ in range(100):  # until the child has its 200 MB
            if bench._rss_proc(child.pid) > 200 * 2**20:
                break
            time.sleep(0.05)
        assert child.pid in bench._children_proc(os.getpid())
        assert bench.tree_rss(os.getpid()) > alone + 200 * 2**20
        assert (
            sum(bench._rss_proc(p) for p in [os.getpid(), *bench._children_proc(os.getpid())])
            > alone + 200 * 2**20
        )
    finally:
        child.kill()  # our own child, by its handle
        child.wait()
