"""The bundled snapshot: the same releases and facts as ingesting the shared files, small, reproducible,
and enough for a user with no network and no shared data folder.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import borderdesk
from borderdesk import Desk
from borderdesk.errors import CoverageError
from borderdesk.store.snapshot import bundled_snapshot_dir

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "scripts" / "build_snapshot.py"
RELEASE_FIELDS = ("label", "sha256", "rows", "coverage", "family", "format", "file", "bytes", "official")
PROVENANCE_FIELDS = ("published", "source_url", "note")


def _build_script_patterns() -> tuple[str, ...]:
    spec = importlib.util.spec_from_file_location("build_snapshot", BUILD_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return tuple(module.PATTERNS)


def _release_rows(desk: Desk, fields: tuple[str, ...]) -> list[tuple[object, ...]]:
    return sorted(tuple(r.as_dict()[f] for f in fields) for r in desk.release_list())


def test_build_script_uses_the_same_files(cbp_data: Path, snapshot_files: list[Path]) -> None:
    picked = {p for pattern in _build_script_patterns() for p in cbp_data.glob(pattern)}
    assert picked == set(snapshot_files)
    assert cbp_data / "tidytuesday-2024-11-26" / "cbp_state.csv" not in picked


def test_same_releases(ingested_desk: Desk, snapshot_desk: Desk) -> None:
    assert snapshot_desk.loaded_snapshot == len(ingested_desk.release_list()) == 19  # 14 CBP + 5 history
    assert _release_rows(snapshot_desk, RELEASE_FIELDS) == _release_rows(ingested_desk, RELEASE_FIELDS)
    assert _release_rows(snapshot_desk, ("label", *PROVENANCE_FIELDS)) == _release_rows(
        ingested_desk, ("label", *PROVENANCE_FIELDS)
    )
    assert {r.origin for r in snapshot_desk.release_list()} == {"snapshot"}
    assert {r.origin for r in ingested_desk.release_list()} == {"file"}


def test_same_facts_decoded_to_values(ingested_desk: Desk, snapshot_desk: Desk, tmp_path: Path) -> None:
    # Codes may differ between databases (new values get codes in ingest order): compare named values.
    exported = tmp_path / "snapshot_facts.parquet"
    snapshot_desk.con.execute(f"COPY (SELECT * FROM facts_named) TO '{exported}' (FORMAT parquet)")
    con = ingested_desk.con
    per_release = "SELECT release, count(*), sum(encounters) FROM {} GROUP BY ALL ORDER BY ALL"
    assert (
        con.execute(per_release.format("facts_named")).fetchall()
        == con.execute(per_release.format("read_parquet(?)"), [str(exported)]).fetchall()
    )
    only_ingested = con.execute(
        "SELECT * FROM facts_named EXCEPT ALL SELECT * FROM read_parquet(?) LIMIT 5", [str(exported)]
    ).fetchall()
    only_snapshot = con.execute(
        "SELECT * FROM read_parquet(?) EXCEPT ALL SELECT * FROM facts_named LIMIT 5", [str(exported)]
    ).fetchall()
    assert only_ingested == only_snapshot == []


def test_same_vintage_choice(ingested_desk: Desk, snapshot_desk: Desk) -> None:
    query = (
        "SELECT l.family, l.month, r.label FROM latest_months l JOIN releases r USING (release_id) "
        "ORDER BY ALL"
    )
    assert snapshot_desk.con.execute(query).fetchall() == ingested_desk.con.execute(query).fetchall()


@pytest.mark.parametrize(
    "ask",
    [
        pytest.param({"citizenship": "russia", "region": "southwest", "period": "2022-11"}, id="russia-sw"),
        pytest.param(
            {"region": "southwest", "period": "2023-10", "as_of": "state-2023-10"}, id="sw-oct-2023"
        ),
        pytest.param({"component": "ofo", "region": "southwest", "period": "FY2023"}, id="ofo-fy2023"),
        pytest.param({"region": "southwest", "period": "FY2024", "as_of": "southwest-2025-08"}, id="sbo"),
    ],
)
def test_same_answers(ingested_desk: Desk, snapshot_desk: Desk, ask: dict[str, str]) -> None:
    a, b = ingested_desk.count(**ask), snapshot_desk.count(**ask)
    assert a.value == b.value
    assert [r.label for r in a.releases] == [r.label for r in b.releases]


def test_snapshot_files_are_small() -> None:
    files = [p for p in bundled_snapshot_dir().iterdir() if p.suffix in (".parquet", ".json")]
    assert {p.name for p in files} >= {"facts.parquet", "releases.json"}
    assert sum(p.stat().st_size for p in files) < 8 * 1024 * 1024


def test_build_script_is_reproducible(cbp_data: Path, tmp_path: Path) -> None:
    outs = [tmp_path / "a", tmp_path / "b"]
    procs = [
        subprocess.Popen(
            [sys.executable, str(BUILD_SCRIPT), "--data", str(cbp_data), "--out", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for out in outs
    ]
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
        assert "state-2025-11" in stdout
    names = sorted(p.name for p in outs[0].iterdir())
    assert names == sorted(p.name for p in outs[1].iterdir())
    assert {"facts.parquet", "releases.json"} <= set(names)
    for name in names:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    doc = json.loads((outs[0] / "releases.json").read_text(encoding="utf-8"))
    bundled = json.loads((bundled_snapshot_dir() / "releases.json").read_text(encoding="utf-8"))
    assert doc["releases"] == bundled["releases"]  # the bundled snapshot is up to date


NO_NETWORK_USER = textwrap.dedent(
    """
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse

    import borderdesk

    desk = borderdesk.open()
    answer = desk.count(citizenship="Russians", region="southern border", period="Nov 2022")
    print(desk.loaded_snapshot, answer.value, answer.release.label, answer.release.origin, desk.path)
    """
)


def test_user_without_network_or_shared_data(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "BORDERDESK_HOME": str(home)}
    result = subprocess.run(
        [sys.executable, "-c", NO_NETWORK_USER],
        cwd=tmp_path,  # nowhere near the repository or /work/shared
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    loaded, value, label, origin, path = result.stdout.split()
    assert int(loaded) == len(json.loads((bundled_snapshot_dir() / "releases.json").read_text())["releases"])
    assert (int(value), label, origin) == (5_507, "state-2025-11", "snapshot")
    assert Path(path) == home / "borderdesk.duckdb"


def test_no_snapshot_starts_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    with borderdesk.open(path, snapshot=False) as desk:
        assert desk.loaded_snapshot == 0
        assert desk.release_list() == []
        assert desk.newest_release() is None
        with pytest.raises(CoverageError, match="ingest"):
            desk.count(citizenship="russia", region="southwest", period="2022-11")
    # Reopening an existing (empty) database never loads the snapshot behind the user's back.
    with borderdesk.open(path) as desk:
        assert desk.loaded_snapshot == 0
        assert desk.release_list() == []


def test_snapshot_loads_once(snapshot_db_file: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(snapshot_db_file.read_bytes())
    with borderdesk.open(copy) as desk:
        assert desk.loaded_snapshot == 0  # already there: not loaded again
        assert len(desk.release_list()) == 19  # 14 CBP releases + 5 Border Patrol history files
        assert desk.count(citizenship="russia", region="southwest", period="2022-11").value == 5_507
