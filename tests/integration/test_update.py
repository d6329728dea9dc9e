"""``borderdesk update`` and ``Desk.update`` against a local HTTP server serving copies of real releases."""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import borderdesk
import borderdesk.remote
from borderdesk.errors import DownloadError, ReleaseFormatError

BORDERDESK = Path(sys.executable).parent / "borderdesk"
FY20_FY23 = "nationwide-encounters-fy20-fy23-state.csv"
OCT = "nationwide-encounters-fy21-fy24-oct-state.csv"
NOV = "nationwide-encounters-fy21-fy24-nov-state.csv"
DEC = "nationwide-encounters-fy21-fy24-dec-state.csv"
SBO = "sbo-encounters-fy22-fy25-aug.csv"
LISTED = (FY20_FY23, OCT, NOV)
LABELS = {FY20_FY23: "state-2023-09", OCT: "state-2023-10", NOV: "state-2023-11", DEC: "state-2023-12"}

BROKEN_PAGE = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Nationwide Encounters</title></head><body>
<ul>
<li><a href="files/broken-state.csv">a release that is cut off</a></li>
<li><a href="/sites/default/files/2024-01/{DEC}">FY21-FY24 December (State)</a></li>
<li><a href="notes.pdf">Data dictionary</a></li>
</ul></body></html>
"""

MIXED_PAGE = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Nationwide Encounters</title></head><body>
<ul>
<li><a href="files/gone-state.csv">a release the server no longer has (404)</a></li>
<li><a href="files/bomb-state.csv.gz">a compression bomb: 40 KB that expand to 40 MiB of newlines</a></li>
<li><a href="files/broken-state.csv">a release that is cut off</a></li>
<li><a href="/sites/default/files/2024-01/{DEC}">FY21-FY24 December (State)</a></li>
</ul></body></html>
"""


@dataclass
class Requests:
    paths: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class QuietHandler(SimpleHTTPRequestHandler):
    """http.server's folder server, recording each requested path and printing nothing."""

    server: Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        with self.server.requests.lock:
            self.server.requests.paths.append(urlsplit(self.path).path)
        super().do_GET()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    requests: Requests


@dataclass
class Site:
    root: Path
    base: str
    requests: Requests

    def url(self, path: str) -> str:
        return self.base + path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def site_root(tmp_path_factory: pytest.TempPathFactory, cbp_data: Path) -> Path:
    """/listing/: 3 releases, PROVENANCE.md and a sub-folder; /cbp/: a page linking a broken CSV."""
    root = tmp_path_factory.mktemp("site")
    listing = root / "listing"
    (listing / "older").mkdir(parents=True)
    for name in LISTED:
        shutil.copyfile(cbp_data / name, listing / name)
    shutil.copyfile(cbp_data / "PROVENANCE.md", listing / "PROVENANCE.md")
    shutil.copyfile(cbp_data / SBO, listing / "older" / SBO)

    page = root / "cbp"
    (page / "files").mkdir(parents=True)
    (page / "index.html").write_text(BROKEN_PAGE, encoding="utf-8")
    lines = (cbp_data / OCT).read_bytes().split(b"\r\n")[:5]
    lines[2] = lines[2].rsplit(b",", 1)[0] + b",12x"  # line 3: a count that is not a number
    (page / "files" / "broken-state.csv").write_bytes(b"\r\n".join(lines) + b"\r\n")
    (page / "notes.pdf").write_bytes(b"%PDF-1.4\n")
    mixed = root / "mixed"
    (mixed / "files").mkdir(parents=True)
    (mixed / "index.html").write_text(MIXED_PAGE, encoding="utf-8")
    (mixed / "files" / "broken-state.csv").write_bytes((page / "files" / "broken-state.csv").read_bytes())
    (mixed / "files" / "bomb-state.csv.gz").write_bytes(gzip.compress(b"\n" * (40 * 2**20), 9))
    month = root / "sites" / "default" / "files" / "2024-01"
    month.mkdir(parents=True)
    shutil.copyfile(cbp_data / DEC, month / DEC)
    return root


@pytest.fixture
def site(site_root: Path) -> Iterator[Site]:
    requests = Requests()
    server = Server(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site_root)))
    server.requests = requests
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield Site(site_root, f"http://127.0.0.1:{server.server_address[1]}", requests)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def run(tmp_path: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BORDERDESK_HOME": str(tmp_path / "home"), "COLUMNS": "200", "NO_COLOR": "1"}
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        env.pop(proxy, None)
    return subprocess.run(
        [str(BORDERDESK), *map(str, args)], env=env, capture_output=True, text=True, timeout=120
    )


def releases(tmp_path: Path, db: Path) -> dict[str, dict[str, object]]:
    result = run(tmp_path, "releases", "--format", "json", "--db", db)
    assert result.returncode == 0, result.stderr
    return {r["file"]: r for r in json.loads(result.stdout)}


def test_update_ingests_every_linked_release(site: Site, tmp_path: Path, cbp_data: Path) -> None:
    db, dest = tmp_path / "u.duckdb", tmp_path / "downloads"
    url = site.url("/listing/")

    first = run(tmp_path, "update", "--url", url, "--db", db, "--dest", dest, "--no-snapshot")

    assert first.returncode == 0, first.stderr
    lines = first.stdout.strip().splitlines()
    assert len(lines) == 3
    for name in LISTED:
        [line] = [line for line in lines if name in line]
        assert line.split()[:2] == ["ingested", LABELS[name]]
        assert sha256(cbp_data / name) in line
    assert "3 new release(s)" in first.stderr
    got = releases(tmp_path, db)
    assert set(got) == set(LISTED)
    for name, r in got.items():
        assert r["origin"] == "download"
        assert r["source"] == f"{url}{name}"
        assert r["sha256"] == sha256(cbp_data / name) == sha256(dest / name)
        assert r["label"] == LABELS[name]
    assert sorted(p.name for p in dest.iterdir()) == sorted(LISTED)  # no .part files left behind
    # Only the page and the three releases were fetched: no sub-folder, no PROVENANCE.md.
    assert sorted(site.requests.paths) == sorted(["/listing/", *(f"/listing/{n}" for n in LISTED)])

    second = run(tmp_path, "update", "--url", url, "--db", db, "--dest", dest)

    assert second.returncode == 0, second.stderr
    assert [line.split()[0] for line in second.stdout.strip().splitlines()] == ["unchanged"] * 3
    assert "0 new release(s)" in second.stderr
    assert releases(tmp_path, db) == got


def test_broken_release_is_skipped_and_the_others_ingested(
    site: Site, tmp_path: Path, cbp_data: Path
) -> None:
    db, dest = tmp_path / "u.duckdb", tmp_path / "downloads"

    result = run(tmp_path, "update", "--url", site.url("/cbp/"), "--db", db, "--dest", dest, "--no-snapshot")

    assert "Traceback" not in result.stderr
    [skipped] = [line for line in result.stdout.splitlines() if line.startswith("skipped")]
    assert "broken-state.csv" in skipped
    assert "line 3" in skipped
    assert "Encounter Count" in skipped
    assert "'12x'" in skipped
    [ingested] = [line for line in result.stdout.splitlines() if line.startswith("ingested")]
    assert LABELS[DEC] in ingested and sha256(cbp_data / DEC) in ingested
    got = releases(tmp_path, db)
    assert set(got) == {DEC}
    assert got[DEC]["source"] == site.url(f"/sites/default/files/2024-01/{DEC}")
    # the day CBP published it (known releases), more precise than its folder's month (2024-01)
    assert got[DEC]["published"] == "2024-01-26"
    assert "/cbp/notes.pdf" not in site.requests.paths


def test_desk_update(site: Site, tmp_path: Path, cbp_data: Path) -> None:
    dest = tmp_path / "downloads"
    url = site.url("/listing/")
    with borderdesk.open(tmp_path / "d.duckdb", snapshot=False, read_only=False) as desk:
        results = desk.update(url, dest=dest)

        assert sorted(r.download.path.name for r in results) == sorted(LISTED)
        for r in results:
            name = r.download.path.name
            assert r.skipped is None and r.ingest is not None
            assert r.ingest.status == "ingested"
            assert r.download.url == f"{url}{name}"
            assert r.download.sha256 == sha256(cbp_data / name)
            release = r.ingest.release
            assert (release.origin, release.source_url, release.sha256) == (
                "download",
                f"{url}{name}",
                sha256(cbp_data / name),
            )
        assert desk.count(region="southwest", period="2023-10").value == 240_986  # the nov vintage

        again = desk.update(url, dest=dest)
        assert [r.ingest.status for r in again if r.ingest] == ["unchanged"] * 3

        broken = desk.update(site.url("/cbp/"), dest=dest)
        by_name = {r.download.path.name: r for r in broken}
        assert by_name["broken-state.csv"].ingest is None
        assert "line 3" in (by_name["broken-state.csv"].skipped or "")
        assert by_name[DEC].ingest is not None and by_name[DEC].ingest.status == "ingested"
        assert desk.count(region="southwest", period="2023-10").value == 240_981  # now the dec vintage


def test_update_of_releases_already_in_the_snapshot(
    site: Site, tmp_path: Path, snapshot_db_file: Path
) -> None:
    db = tmp_path / "snap.duckdb"
    shutil.copyfile(snapshot_db_file, db)
    with borderdesk.open(db, read_only=False) as desk:
        results = desk.update(site.url("/listing/"), dest=tmp_path / "downloads")
        assert [r.ingest.status for r in results if r.ingest] == ["unchanged"] * 3
        assert {r.origin for r in desk.release_list()} == {"snapshot"}
        assert len(desk.release_list()) == 19  # 14 CBP releases + 5 Border Patrol history files


def test_missing_and_rejected_files_are_reported_and_the_others_land(
    site: Site, tmp_path: Path, cbp_data: Path
) -> None:
    """Issue 15, finding 9: one 404 link, a compression bomb and a malformed CSV on the same page as a
    valid release; each is reported on its own line with why, and the valid release lands."""
    db, dest = tmp_path / "u.duckdb", tmp_path / "downloads"

    result = run(
        tmp_path, "update", "--url", site.url("/mixed/"), "--db", db, "--dest", dest, "--no-snapshot"
    )

    assert result.returncode == 1, result.stderr  # the first failure (a 404) is not a limit
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    skipped = {
        line.split()[1].rstrip(":"): line for line in result.stdout.splitlines() if line.startswith("skipped")
    }
    assert set(skipped) == {"gone-state.csv", "bomb-state.csv.gz", "broken-state.csv"}
    assert site.url("/mixed/files/gone-state.csv") in skipped["gone-state.csv"]
    assert "HTTP 404" in skipped["gone-state.csv"]
    assert "--max-rows" in skipped["bomb-state.csv.gz"]
    assert "line 3" in skipped["broken-state.csv"] and "'12x'" in skipped["broken-state.csv"]
    [ingested] = [line for line in result.stdout.splitlines() if line.startswith("ingested")]
    assert LABELS[DEC] in ingested and sha256(cbp_data / DEC) in ingested
    assert "4 file(s) found, 1 new release(s) ingested; 1 landed, 3 failed" in result.stderr
    assert "error: 3 of 4 file(s) could not be downloaded or ingested" in result.stderr
    assert set(releases(tmp_path, db)) == {DEC}  # all or nothing per file: the rejected ones left no trace
    assert not (dest / "gone-state.csv").exists() and not (dest / "gone-state.csv.part").exists()


def test_nothing_landed_leaves_the_database_alone(site: Site, tmp_path: Path) -> None:
    db, dest = tmp_path / "u.duckdb", tmp_path / "downloads"
    gone = site.url("/mixed/files/gone-state.csv")

    result = run(tmp_path, "update", "--url", gone, "--db", db, "--dest", dest, "--no-snapshot")

    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"skipped   gone-state.csv: cannot download {gone}: HTTP 404 File not found"
    ]
    assert "1 file(s) found, 0 new release(s) ingested; 0 landed, 1 failed" in result.stderr
    assert not db.exists()  # nothing to ingest: the database was not even created


def test_desk_update_reports_a_missing_file_and_ingests_the_rest(site: Site, tmp_path: Path) -> None:
    with borderdesk.open(tmp_path / "d.duckdb", snapshot=False, read_only=False) as desk:
        results = desk.update(site.url("/mixed/"), dest=tmp_path / "downloads")

        by_name = {r.download.path.name: r for r in results}
        assert [r.landed for r in results] == [False, False, False, True]
        gone = by_name["gone-state.csv"]
        assert isinstance(gone.download, borderdesk.remote.FailedDownload)
        assert gone.ingest is None and "HTTP 404" in (gone.skipped or "")
        assert isinstance(gone.error, DownloadError) and gone.error.exit_code == 1
        assert isinstance(by_name["bomb-state.csv.gz"].error, ReleaseFormatError)
        assert [r.label for r in desk.release_list()] == [LABELS[DEC]]
