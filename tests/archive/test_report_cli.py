"""``borderdesk archive-report`` run as a user runs it (a subprocess): where the report goes, the
Markdown twin, the errors a user can make, and a start-up that does not load the report's libraries."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from archive_rows_support import corpus, write_archive

EXE = Path(sys.executable).parent / "borderdesk"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BORDERDESK_HOME": str(cwd / "home"), "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [str(EXE), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def checked(snapshot_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``borderdesk check-archive`` run on the seed and three golden articles: its Parquet output."""
    folder = tmp_path_factory.mktemp("archive-report-cli")
    articles = write_archive(corpus(3), folder / "articles.jsonl")
    db = ["--db", str(snapshot_db_file)]
    result = run(
        "check-archive",
        str(articles),
        "-o",
        "out.parquet",
        "--workers",
        "1",
        "--no-progress",
        *db,
        cwd=folder,
    )
    assert result.returncode == 0, result.stderr
    return folder / "out.parquet"


def test_report_goes_beside_the_input_by_default(checked: Path) -> None:
    result = run("archive-report", str(checked), cwd=checked.parent)
    assert result.returncode == 0, result.stderr
    report = checked.with_name("out.report.html")
    assert f"report written to {report}" in " ".join(result.stderr.split())
    page = report.read_text(encoding="utf-8")
    assert page.count("<svg") == 3 and "read_parquet(&#39;out.parquet&#39;)" in page


def test_markdown_by_suffix(checked: Path) -> None:
    result = run("archive-report", "out.parquet", "--output", "sub/report.md", cwd=checked.parent)
    assert result.returncode == 0, result.stderr
    text = (checked.parent / "sub" / "report.md").read_text(encoding="utf-8")
    assert text.startswith("# Archive report: out.parquet") and "read_parquet('../out.parquet')" in text
    assert (checked.parent / "sub" / "report.outlets.svg").is_file()


def test_user_errors_say_what_is_wrong(checked: Path) -> None:
    bad_suffix = run("archive-report", str(checked), "--output", "report.txt", cwd=checked.parent)
    assert bad_suffix.returncode == 1
    assert "--output report.txt: the report is written as .html or .md (got .txt)" in bad_suffix.stderr
    missing = run("archive-report", "nothing.parquet", cwd=checked.parent)
    assert missing.returncode == 1 and "nothing.parquet: no such file" in missing.stderr
    (checked.parent / "notes.parquet").write_text("not parquet", encoding="utf-8")
    foreign = run("archive-report", "notes.parquet", cwd=checked.parent)
    assert foreign.returncode == 1 and "not a check-archive file DuckDB can read" in foreign.stderr
    assert not (checked.parent / "notes.report.html").exists()


def test_cli_start_up_does_not_load_the_report_libraries() -> None:
    code = (
        "import sys, borderdesk.cli; "
        "print(sorted(m for m in ('pyarrow', 'altair', 'vl_convert', 'borderdesk.archive.report') "
        "if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
