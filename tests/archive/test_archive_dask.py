"""The Dask engine on a 2-worker LocalCluster (one per module: a cluster is slow to start): the same
rows as the local engine, row for row, whether called from Python or as ``--engine dask --scheduler``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from archive_support import SEED_CLAIMS, read_errors, read_rows, seed_claims, sorted_rows

from borderdesk.archive.dask_engine import DaskEngine
from borderdesk.archive.local import LocalEngine
from borderdesk.archive.run import run_archive
from borderdesk.archive.work import Settings

distributed = pytest.importorskip("dask.distributed")

pytestmark = pytest.mark.slow
BORDERDESK = Path(sys.executable).parent / "borderdesk"


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """A LocalCluster of two one-thread worker processes, and a client of it."""
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.fixture()
def ten(archive: Path, golden: list[dict[str, Any]], tmp_path: Path) -> Path:
    """Ten articles: the six of ``archive``, one that fails, three more golden ones read by id again
    under new ids (so that batches of 3 spread over both workers)."""
    path = tmp_path / "ten.jsonl"
    extra = [
        {"id": f"again-{a['id']}", "text": a["text"], "date": a["published"], "outlet": a["outlet"]}
        for a in golden[:3]
    ]
    path.write_text(
        archive.read_text(encoding="utf-8")
        + '{"id": "no-text"}\n'
        + "".join(json.dumps(r) + "\n" for r in extra),
        encoding="utf-8",
    )
    return path


def test_dask_and_local_engines_give_the_same_rows(
    client: Any, ten: Path, tmp_path: Path, settings: Settings
) -> None:
    on_dask = run_archive([ten], tmp_path / "dask.parquet", DaskEngine(client=client), settings, batch_size=3)
    locally = run_archive([ten], tmp_path / "local.parquet", LocalEngine(2), settings, batch_size=3)
    dask_rows, local_rows = read_rows(tmp_path / "dask.parquet"), read_rows(tmp_path / "local.parquet")
    assert (on_dask.checked, on_dask.failed) == (locally.checked, locally.failed) == (9, 1)
    assert len(dask_rows) == on_dask.rows > 0
    assert sorted_rows(dask_rows) == sorted_rows(local_rows)
    assert seed_claims(dask_rows) == SEED_CLAIMS
    assert read_errors(tmp_path / "dask.errors.jsonl") == read_errors(tmp_path / "local.errors.jsonl")


def test_the_command_runs_on_a_scheduler_and_resumes(
    client: Any, ten: Path, tmp_path: Path, snapshot_db_file: Path
) -> None:
    if not BORDERDESK.is_file():
        pytest.skip(f"no borderdesk command at {BORDERDESK}")
    out = tmp_path / "claims.jsonl"
    command = [
        str(BORDERDESK),
        "check-archive",
        str(ten),
        "--output",
        str(out),
        "--engine",
        "dask",
        "--scheduler",
        client.scheduler.address,
        "--db",
        str(snapshot_db_file),
        "--no-progress",
        "--json",
    ]
    env = {**os.environ, "BORDERDESK_HOME": str(tmp_path / "home"), "NO_COLOR": "1"}
    first = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert (summary["checked"], summary["skipped"], summary["failed"]) == (9, 0, 1)
    assert summary["rows"] == len(read_rows(out))
    assert seed_claims(read_rows(out)) == SEED_CLAIMS
    second = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout)["skipped"] == 9
    assert json.loads(second.stdout)["rows"] == summary["rows"]
