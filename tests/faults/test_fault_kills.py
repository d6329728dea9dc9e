"""kill -9 at random moments of ``ingest``, ``update`` and ``migrate``: the database is always the one
before or the one after, whole, and running the command again gives exactly what a clean run gives.

Each trial copies a template database, runs the command as a subprocess and kills it: either at a named
point of the write (``BORDERDESK_KILL_AT=point[:N]``, the process SIGKILLs itself there, see
:mod:`borderdesk.store.faults`) or with SIGKILL from here after a random delay within the time an
uninterrupted run takes. The schedule is random but seeded: every point of every kind at least once, a
few timed kills of each kind, the rest drawn at random. The summary per kind and point is printed at
the end of the run.
"""

from __future__ import annotations

import random
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from faults_support import (
    TALLY,
    Baseline,
    Truth,
    cli_args,
    cli_env,
    copy_db,
    leftovers,
    lock_is_free,
    read_state,
    run_cli,
)

from borderdesk.store import faults
from borderdesk.store.writer import previous_path

pytestmark = pytest.mark.faults

SEED = 20261125
#: Trials per kind of write.
TRIALS = {"ingest": 26, "update": 16, "migrate": 12}
#: At least this many timed kills (SIGKILL after a random delay) per kind.
TIMED = 4
#: The points each kind passes: a migration ingests nothing.
POINTS = {
    "ingest": faults.POINTS,
    "update": faults.POINTS,
    "migrate": tuple(p for p in faults.POINTS if p.startswith("writer-")),
}
#: How often a run passes a point: the ingest points once per new file (two), the others once.
PASSAGES = {"ingest-staged": 2, "ingest-committed": 2}
#: The one moment after which the new database is the database.
PUBLISHED_AT = "writer-replaced"


@dataclass(frozen=True)
class Trial:
    kind: str
    kill_at: str | None  # BORDERDESK_KILL_AT, or None for SIGKILL after a delay
    delay: float  # fraction of an uninterrupted run's duration (timed kills only)

    @property
    def point(self) -> str:
        return self.kill_at.partition(":")[0] if self.kill_at else "timed"

    @property
    def id(self) -> str:
        return f"{self.kind}-{self.kill_at or f'after-{self.delay:.2f}'}"


def schedule(seed: int = SEED) -> list[Trial]:
    rng = random.Random(seed)
    trials = []
    for kind, n in TRIALS.items():
        points: list[str | None] = [*POINTS[kind], *[None] * TIMED]
        while len(points) < n:
            points.append(rng.choice([*POINTS[kind], None]))
        rng.shuffle(points)
        for point in points:
            if point is None:
                trials.append(Trial(kind, None, rng.random()))
                continue
            nth = rng.randint(1, PASSAGES.get(point, 1))
            plain = nth == 1 and rng.random() < 0.5  # "point" means "point:1"
            trials.append(Trial(kind, point if plain else f"{point}:{nth}", 0.0))
    return trials


SCHEDULE = schedule()


def test_the_schedule_covers_every_point_of_every_kind() -> None:
    assert len(SCHEDULE) >= 50
    for kind, points in POINTS.items():
        mine = [t for t in SCHEDULE if t.kind == kind]
        assert len(mine) == TRIALS[kind]
        assert {t.point for t in mine} == {*points, "timed"}
        assert sum(t.kill_at is None for t in mine) >= TIMED


def run_and_kill(args: list[str], env: dict[str, str], after: float | None) -> tuple[int, str]:
    """Run until the process kills itself (``after`` None) or SIGKILL it ``after`` seconds from start."""
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _, err = proc.communicate(timeout=120 if after is None else after)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate(timeout=30)
    return proc.returncode, err


@pytest.mark.parametrize("trial", SCHEDULE, ids=[f"{i:02d}-{t.id}" for i, t in enumerate(SCHEDULE)])
def test_killed_write_leaves_before_or_after_and_a_rerun_finishes_it(
    trial: Trial, baselines: dict[str, Baseline], truths: dict[str, Truth], tmp_path: Path
) -> None:
    base = baselines[trial.kind]
    db = copy_db(base.template, tmp_path / "borderdesk.duckdb")
    args = base.command(db, tmp_path)
    home = tmp_path / "home"

    fault = {"BORDERDESK_KILL_AT": trial.kill_at} if trial.kill_at else {}
    after = None if trial.kill_at else trial.delay * base.seconds
    code, err = run_and_kill(cli_args(*args), cli_env(home, **fault), after)

    assert "Traceback" not in err and "internal error" not in err, err
    if trial.kill_at:
        assert code == -signal.SIGKILL, f"{trial.kill_at} was never reached (exit {code})"
    else:
        assert code in (-signal.SIGKILL, 0), err
    assert lock_is_free(db), "the kernel releases the lock of a killed process"
    state = read_state(db, truths)
    assert state in (base.before, base.after), "neither the database before nor the one after"
    if trial.kill_at:
        assert state == (base.after if trial.point == PUBLISHED_AT else base.before)
    TALLY.append(
        (
            trial.kind,
            trial.point,
            "killed" if code == -signal.SIGKILL else "finished",
            "before" if state == base.before else "after",
        )
    )

    again = run_cli(home, *args)
    assert again.returncode == 0, again.stderr
    assert read_state(db, truths) == base.after
    assert leftovers(db) == []
    assert lock_is_free(db)
    assert read_state(previous_path(db), truths) == base.before
