"""``borderdesk check URL`` and ``borderdesk.claims.webpage.check_url``: a saved news page served locally is
checked as its article text is, with the page's date (or ``--date``), and says which page, URL and
date it used.
A page that fails ends with one line and the right exit status. No network: a local server."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import borderdesk
from borderdesk.claims import Report
from borderdesk.claims.webpage import check_url
from borderdesk.errors import PageError
from page_server_support import CBP_PAGE, DATED, GOLDEN_IDS, NPR_PAGE, SEED_PAGE, UNDATED, serve_pages
from repo_support import SEED

BORDERDESK = Path(sys.executable).parent / "borderdesk"
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "articles" / "articles.jsonl"


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve_pages() as base:
        yield base


@pytest.fixture(scope="module")
def desk(snapshot_db_file: Path) -> Iterator[borderdesk.Desk]:
    with borderdesk.open(snapshot_db_file, read_only=True) as d:
        yield d


@pytest.fixture
def db(snapshot_db_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "snap.duckdb"
    shutil.copyfile(snapshot_db_file, path)
    return path


def article_text(page: str) -> str:
    """The real article the saved page wraps, as a text file would hold it."""
    if page == SEED_PAGE:
        return SEED.read_text(encoding="utf-8")
    for line in GOLDEN.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["id"] == GOLDEN_IDS[page]:
            return str(row["text"])
    raise AssertionError(page)


def verdicts(report: Report) -> list[tuple[str, float, str, object]]:
    return [(" ".join(c.text.split()), c.number, c.verdict, c.value) for c in report.claims]


@pytest.mark.parametrize("page", sorted(DATED))
def test_a_page_is_checked_as_its_article_text_is(desk: borderdesk.Desk, site: str, page: str) -> None:
    report = check_url(desk, f"{site}/{page}")
    direct = desk.check_report(article_text(page), date=DATED[page])
    assert report.date == DATED[page]
    assert report.source == {
        "url": f"{site}/{page}",
        "title": report.source["title"] if report.source else None,
        "date": DATED[page],
        "date_from": "page",
    }
    assert report.claims, "the page's claims were found"
    assert verdicts(report) == verdicts(direct)


def test_the_seed_page_gives_the_seed_verdicts(desk: borderdesk.Desk, site: str) -> None:
    report = check_url(desk, f"{site}/{SEED_PAGE}")
    found = {c.number: (c.verdict, c.value) for c in report.claims}
    assert found == {31600: ("inaccurate", 24724), 5500: ("supported", 5507), 4100: ("supported", 4103)}


def test_date_overrides_the_pages_date(desk: borderdesk.Desk, site: str) -> None:
    report = check_url(desk, f"{site}/{CBP_PAGE}", date="2021-07-20")
    assert report.date == "2021-07-20"
    assert report.source is not None
    assert (report.source["date"], report.source["date_from"]) == ("2021-07-20", "--date")
    assert verdicts(report) == verdicts(desk.check_report(article_text(CBP_PAGE), date="2021-07-20"))


def test_a_page_without_a_date_is_read_as_of_the_newest_data(desk: borderdesk.Desk, site: str) -> None:
    report = check_url(desk, f"{site}/{UNDATED}")
    plain = desk.check_report("no claims here")
    assert report.source is not None
    assert (report.date, report.source["date"], report.source["date_from"]) == (
        plain.date,
        plain.date,
        "data",
    )


def test_the_server_setting_refuses_a_local_page(desk: borderdesk.Desk, site: str) -> None:
    with pytest.raises(PageError, match=r"127\.0\.0\.1 is a private or local address"):
        check_url(desk, f"{site}/{SEED_PAGE}", allow_private=False)


# -- the command, as a user runs it ---------------------------------------------------------------


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BORDERDESK_HOME": str(db.parent / "home"), "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("BORDERDESK_DEBUG", None)
    return subprocess.run(
        [str(BORDERDESK), "check", *args, "--db", str(db)],
        env=env,
        cwd=db.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )


needs_command = pytest.mark.skipif(not BORDERDESK.is_file(), reason=f"no borderdesk command at {BORDERDESK}")


@needs_command
def test_the_command_names_the_page_its_url_and_the_date(db: Path, site: str) -> None:
    result = run(db, f"{site}/go/{SEED_PAGE}")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "Page: Russians fleeing Putin's draft join migrants waiting at US southern border",
        f"URL:  {site}/{SEED_PAGE}",
        "Date: 2022-12-28 (the page's publication date)",
    ]
    assert "3 claim(s) read as of 2022-12-28: 2 supported, 1 inaccurate" in result.stdout


@needs_command
def test_the_command_json_carries_the_source(db: Path, site: str, desk: borderdesk.Desk) -> None:
    result = run(db, f"{site}/{NPR_PAGE}", "--json", "--date", "2021-04-09")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["date"] == "2021-04-09"
    assert data["source"] == {
        "url": f"{site}/{NPR_PAGE}",
        "title": "March Saw Record-Breaking Numbers At The U.S.-Mexico Border",
        "date": "2021-04-09",
        "date_from": "--date",
    }
    direct = desk.check_report(article_text(NPR_PAGE), date="2021-04-09").to_dict()
    assert [(c["number"], c["verdict"], c["value"]) for c in data["claims"]] == [
        (c["number"], c["verdict"], c["value"]) for c in direct["claims"]
    ]


@needs_command
def test_a_file_named_like_a_page_is_still_a_file(db: Path) -> None:
    (db.parent / "story.html").write_text(
        "In November 2022, CBP encountered 5,507 Russians at the southwest border."
    )
    result = run(db, "story.html", "--json")
    assert result.returncode == 0, result.stderr
    assert "source" not in json.loads(result.stdout)


@needs_command
@pytest.mark.parametrize(
    ("path", "code", "message"),
    [
        ("/missing.html", 1, "error: cannot fetch {site}/missing.html: HTTP 404 Not Found"),
        (
            "/report.pdf",
            1,
            "error: cannot check {site}/report.pdf: it is not a web page (application/pdf, not HTML)",
        ),
        (
            "/too-big",
            4,
            "error: cannot check {site}/too-big: the page grew past 5,242,880 bytes, over the limit of "
            "5,242,880 bytes for a page (is it an article?)",
        ),
        ("/app.html", 1, "error: cannot check {site}/app.html: no article text found on the page"),
    ],
)
def test_a_page_that_fails_is_one_line_and_an_exit_status(
    db: Path, site: str, path: str, code: int, message: str
) -> None:
    result = run(db, site + path)
    assert result.returncode == code, result.stderr
    assert result.stderr.strip() == message.format(site=site)
    assert result.stdout == ""
