"""``borderdesk check-archive`` as a user runs it: a subprocess, a progress bar on stderr, a summary,
one-line errors for what it refuses."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from archive_support import SEED_CLAIMS, read_errors, read_rows, seed_claims

BORDERDESK = Path(sys.executable).parent / "borderdesk"

pytestmark = pytest.mark.skipif(not BORDERDESK.is_file(), reason=f"no borderdesk command at {BORDERDESK}")


def run(tmp_path: Path, db: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BORDERDESK_HOME": str(tmp_path / "home"), "NO_COLOR": "1", "COLUMNS": "200"}
    env.pop("BORDERDESK_DEBUG", None)
    return subprocess.run(
        [str(BORDERDESK), "check-archive", *map(str, args), "--db", str(db)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_the_command_checks_files_and_folders_with_a_progress_bar_and_a_summary(
    archive: Path, tmp_path: Path, snapshot_db_file: Path, seed_text: str
) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "seed-copy.md").write_text(seed_text, encoding="utf-8")
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    out = tmp_path / "claims.parquet"
    done = run(
        tmp_path,
        snapshot_db_file,
        archive,
        folder,
        "-o",
        out,
        "--workers",
        "1",
        "--date",
        "2022-12-28",
        "--errors",
        tmp_path / "failed.jsonl",
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "8/8" in done.stderr and "articles/s" in done.stderr  # the bar, finished
    assert "7 article(s) checked, 0 skipped (done before), 1 failed" in done.stdout
    rows = read_rows(out)
    assert f"claim(s) found; {out} holds {len(rows):,} row(s)\n" in done.stdout
    assert f"failed articles: {tmp_path / 'failed.jsonl'}\n" in done.stdout
    assert seed_claims(rows) == SEED_CLAIMS
    copy = [{**r, "article_id": "seed"} for r in rows if r["article_id"] == "seed-copy.md"]
    assert seed_claims(copy) == SEED_CLAIMS and {r["date_from"] for r in copy} == {"--date"}
    (error,) = read_errors(tmp_path / "failed.jsonl")
    assert (error["error"], error["input"]) == ("empty_article", str(folder / "empty.txt"))

    again = run(tmp_path, snapshot_db_file, archive, folder, "-o", out, "--no-progress", "--json")
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert (summary["checked"], summary["skipped"], summary["failed"], summary["rows"]) == (
        0,
        7,
        1,
        len(rows),
    )
    assert again.stderr == ""  # --no-progress: nothing on stderr


def test_the_command_refuses_what_it_must_not_touch(
    archive: Path, tmp_path: Path, snapshot_db_file: Path
) -> None:
    mine = tmp_path / "mine.jsonl"
    mine.write_text('{"a": 1}\n', encoding="utf-8")
    refused = run(tmp_path, snapshot_db_file, archive, "-o", mine, "--no-progress")
    assert refused.returncode == 1
    assert refused.stderr.startswith(f"error: {mine} exists and is not the output of an earlier")
    assert mine.read_text(encoding="utf-8") == '{"a": 1}\n'
    for args, message in (
        (("--date", "28/12/2022"), "error: --date '28/12/2022' is not a date; expected YYYY-MM-DD"),
        (
            ("--scheduler", "tcp://127.0.0.1:8786"),
            "error: --scheduler names a Dask scheduler: add --engine dask",
        ),
        (("--engine", "spark"), "error: --engine 'spark': choose local or dask"),
    ):
        result = run(
            tmp_path, snapshot_db_file, archive, "-o", tmp_path / "x.parquet", "--no-progress", *args
        )
        assert (result.returncode, result.stderr.strip()) == (1, message)
    missing = run(tmp_path, snapshot_db_file, tmp_path / "nowhere.jsonl", "-o", tmp_path / "x.parquet")
    assert missing.stderr.strip() == f"error: no such file or folder: {tmp_path / 'nowhere.jsonl'}"
    assert not (tmp_path / "x.parquet").exists()


def test_a_run_killed_part_way_resumes_without_duplicates(
    tmp_path: Path, snapshot_db_file: Path, golden_40: Path
) -> None:
    """kill -9 once the first batch is on disk; the rerun adds the rest, and no row twice."""
    out = tmp_path / "claims.parquet"
    parts = tmp_path / "claims.parquet.parts"
    env = {**os.environ, "BORDERDESK_HOME": str(tmp_path / "home")}
    command = [
        str(BORDERDESK),
        "check-archive",
        str(golden_40),
        "-o",
        str(out),
        "--db",
        str(snapshot_db_file),
    ]
    process = subprocess.Popen(
        [*command, "--workers", "1", "--batch-size", "1", "--no-progress"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill takes its worker too
    )
    try:
        while process.poll() is None and not (parts.is_dir() and any(parts.glob("part-*.parquet"))):
            time.sleep(0.02)
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    assert not out.exists(), "the run ended before it could be killed"
    resumed = subprocess.run(
        [*command, "--no-progress", "--json"], capture_output=True, text=True, env=env, timeout=120
    )
    assert resumed.returncode == 0, resumed.stderr
    summary = json.loads(resumed.stdout)
    assert summary["skipped"] >= 1 and summary["checked"] + summary["skipped"] == 40
    rows = read_rows(out)
    keys = [(r["article_id"], r["claim_index"]) for r in rows]
    assert len(keys) == len(set(keys)) == summary["rows"]
    done = _manifest(out)
    ids = [json.loads(line)["id"] for line in golden_40.read_text(encoding="utf-8").splitlines()]
    assert sorted(done) == sorted(ids)  # every article done once, those without claims too
    assert {r["article_id"] for r in rows} == {a for a, claims in done.items() if claims}
    assert sum(done.values()) == len(rows)


def _manifest(out: Path) -> dict[str, int]:
    """Article id -> claims found, from the run's manifest."""
    lines = Path(f"{out}.articles.jsonl").read_text(encoding="utf-8").splitlines()[1:]
    return {json.loads(line)["article_id"]: json.loads(line)["claims"] for line in lines}
