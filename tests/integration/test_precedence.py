"""Which release answers (docs/reliability.md): trusted releases first, an unofficial copy only when
asked for or where nothing trusted covers the month, ties never by hash, labels from content alone.

Reproduces issue 15 finding 5 (a doctored copy turned 79 into 1,079; a re-saved copy took over by hash
order) and the label part of finding 12 (``.2``, ``.3`` depended on ingest order)."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

import borderdesk
from borderdesk import metadata
from borderdesk.store import precedence
from borderdesk.store.schema import DDL

NOV_2025 = "nationwide-encounters-fy23-fy26-nov-state.csv"
# line 1002 of the file: FY2023 NOV, Southwest, NM, Single Adults, VENEZUELA, Title 42 -> 79
QUESTION = {
    "citizenship": "venezuela",
    "region": "southwest",
    "state": "NM",
    "title": "42",
    "demographic": "single-adults",
    "period": "2022-11",
}


def _copy(src: Path, dest: Path, *, add: int = 0, line_ending: bytes | None = None) -> Path:
    """A copy of ``src``: the count on line 1002 raised by ``add`` (doctored), or every line ending
    rewritten (re-saved by a spreadsheet: same figures, another sha256)."""
    lines = src.read_bytes().split(b"\n")
    if add:
        row = lines[1001].rstrip(b"\r").split(b",")
        assert row[-1] == b"79"
        row[-1] = str(int(row[-1]) + add).encode()
        lines[1001] = b",".join(row) + b"\r"
    if line_ending is not None:
        lines = [ln.rstrip(b"\r") + line_ending if ln else ln for ln in lines]
    dest.write_bytes(b"\n".join(lines))
    return dest


@pytest.fixture
def desk_with_snapshot(snapshot_db_file: Path, tmp_path: Path):
    path = tmp_path / "borderdesk.duckdb"
    shutil.copy(snapshot_db_file, path)
    with borderdesk.open(path, read_only=False) as desk:
        yield desk


def test_doctored_copy_with_a_release_date_does_not_change_the_answer(
    desk_with_snapshot, cbp_data: Path, tmp_path: Path
) -> None:
    desk = desk_with_snapshot
    assert desk.count(**QUESTION).value == 79
    doctored = _copy(cbp_data / NOV_2025, tmp_path / "doctored.csv", add=1000)

    res = desk.ingest(doctored, published=(dt.date.today() - dt.timedelta(days=1)).isoformat())

    assert res.status == "ingested" and res.release.unofficial
    assert res.outranked_by == ("state-2025-11",)  # what the CLI warns about
    assert desk.count(**QUESTION).value == 79  # the official figure still answers
    assert desk.count(**QUESTION, as_of=res.release.label).value == 1079  # only when asked for
    assert res.release.to_json()["unofficial"] is True
    official = next(r for r in desk.release_list() if r.label == "state-2025-11")
    assert official.to_json()["unofficial"] is False


def test_a_resaved_copy_never_takes_over_whatever_its_hash(
    desk_with_snapshot, cbp_data: Path, tmp_path: Path
) -> None:
    desk = desk_with_snapshot
    official_sha = next(r.sha256 for r in desk.release_list() if r.label == "state-2025-11")
    copies = [
        _copy(cbp_data / NOV_2025, tmp_path / f"resaved{i}.csv", line_ending=e)
        for i, e in enumerate((b"", b"\r\r"))
    ]
    for c in copies:
        desk.ingest(c, published="2099-01-01")
    shas = [hashlib.sha256(c.read_bytes()).hexdigest() for c in copies]
    assert official_sha not in shas  # other files; some may sort before the official one by hash
    answer = desk.count(**QUESTION)
    assert answer.release.sha256 == official_sha  # ...the official release answers


def test_an_unofficial_file_answers_where_nothing_trusted_covers_the_month(
    cbp_data: Path, tmp_path: Path
) -> None:
    doctored = _copy(cbp_data / NOV_2025, tmp_path / "doctored.csv", add=1000)
    with borderdesk.open(tmp_path / "empty.duckdb", snapshot=False, read_only=False) as desk:
        res = desk.ingest(doctored)
        assert res.release.unofficial and res.outranked_by == ()
        assert desk.count(**QUESTION).value == 1079


@pytest.mark.parametrize("order", [(1000, 2000), (2000, 1000)], ids=["a-then-b", "b-then-a"])
def test_a_tie_goes_to_the_release_stored_first_not_to_the_hash(
    cbp_data: Path, tmp_path: Path, order: tuple[int, int]
) -> None:
    files = {add: _copy(cbp_data / NOV_2025, tmp_path / f"copy{add}.csv", add=add) for add in order}
    with borderdesk.open(tmp_path / "db.duckdb", snapshot=False, read_only=False) as desk:
        for add in order:
            desk.ingest(files[add])
        assert desk.count(**QUESTION).value == 79 + order[0]


def test_labels_come_from_the_file_not_from_the_ingest_order(cbp_data: Path, tmp_path: Path) -> None:
    files = [_copy(cbp_data / NOV_2025, tmp_path / f"copy{add}.csv", add=add) for add in (1000, 2000, 3000)]
    labels: list[dict[str, str]] = []
    for n, order in enumerate((files, files[::-1])):
        with borderdesk.open(tmp_path / f"db{n}.duckdb", snapshot=False, read_only=False) as desk:
            for f in order:
                desk.ingest(f)
            labels.append({r.sha256: r.label for r in desk.release_list()})
    for sha in labels[0]:
        for by_sha in labels:  # a label is the plain one or the plain one with the file's own sha256
            assert by_sha[sha] in ("state-2025-11", f"state-2025-11.{sha[:8]}")
    assert all(not label.endswith((".2", ".3")) for by_sha in labels for label in by_sha.values())


def test_the_schema_4_migration_is_idempotent_and_flags_hand_ingested_files() -> None:
    con = duckdb.connect()
    con.execute(DDL)
    known = next(iter(metadata.known_release_hashes()))
    stored = (
        (known, "file", None),
        ("ab" * 32, "file", None),
        ("cd" * 32, "download", "https://www.cbp.gov/sites/default/files/x.csv"),
        ("ef" * 32, "download", "https://example.org/cbp.gov/x.csv"),
        ("01" * 32, "snapshot", None),
    )
    for i, (sha, origin, url) in enumerate(stored):
        con.execute(
            "INSERT INTO releases VALUES (?, ?, 'state', 'f', true, 'x.csv', ?, 1, 1, DATE '2024-01-01', "
            "DATE '2024-01-01', NULL, ?, ?, TIMESTAMP '2024-01-01', NULL)",
            [i + 1, f"l{i}", sha, url, origin],
        )
    for _ in range(2):
        con.execute(precedence.migration())
    flags = con.execute("SELECT sha256, unofficial, total FROM releases ORDER BY release_id").fetchall()
    assert [f[1] for f in flags] == [False, True, False, True, True]
    assert [f[2] for f in flags] == [None] * 5  # totals of older releases: "not recorded"
    for sha, origin, url in stored:  # the Python rule says the same as the migration
        assert precedence.is_unofficial(origin, sha, url) == dict((f[0], f[1]) for f in flags)[sha]


def test_the_cli_warns_at_ingest_and_releases_shows_the_flag(
    snapshot_db_file: Path, cbp_data: Path, tmp_path: Path
) -> None:
    import json
    import subprocess
    import sys

    cli = Path(sys.executable).parent / "borderdesk"
    db = tmp_path / "borderdesk.duckdb"
    shutil.copy(snapshot_db_file, db)
    doctored = _copy(cbp_data / NOV_2025, tmp_path / "doctored.csv", add=1000)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(cli), *args, "--db", str(db)], capture_output=True, text=True, timeout=120)

    ingest = run("ingest", "--release-date", "2026-01-01", str(doctored))
    assert ingest.returncode == 0, ingest.stderr
    assert "warning:" in ingest.stderr and "unofficial" in ingest.stderr
    assert "official release state-2025-11 answers" in " ".join(ingest.stderr.split())
    flags = {r["label"]: r["unofficial"] for r in json.loads(run("releases", "--format", "json").stdout)}
    assert flags["state-2025-11"] is False
    assert [label for label, flag in flags.items() if flag] == [
        f"state-2025-11.{hashlib.sha256(doctored.read_bytes()).hexdigest()[:8]}"
    ]


def test_a_snapshot_carrying_an_unknown_file_loads_it_as_unofficial(cbp_data: Path, tmp_path: Path) -> None:
    from borderdesk.store.snapshot import export_snapshot, load_snapshot

    doctored = _copy(cbp_data / NOV_2025, tmp_path / "doctored.csv", add=1000)
    with borderdesk.open(tmp_path / "a.duckdb", snapshot=False, read_only=False) as desk:
        desk.ingest(doctored)
        export_snapshot(desk.con, tmp_path / "snap")
    with borderdesk.open(tmp_path / "b.duckdb", snapshot=False, read_only=False) as desk:
        load_snapshot(desk.con, tmp_path / "snap")
        assert [(r.origin, r.unofficial) for r in desk.release_list()] == [("snapshot", True)]
