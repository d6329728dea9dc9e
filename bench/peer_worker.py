#!/usr/bin/env python3
"""One contestant of ``bench/peers.py`` answering the questions warm, in a process of its own.

    python bench/peer_worker.py ENGINE SETUP.json

Run by the peers' throwaway virtualenv's Python (pandas, polars, DuckDB, a plain dict) or by the
project's (borderdesk), so that no peer is a dependency of borderdesk. It loads its data, answers every
question three times (warm-up; borderdesk loads its in-memory arrays), prints one JSON line (its
version, load time, answers) and then obeys stdin, one command a line:

  ``round K``  answer every question once, starting at question K, and print the nanoseconds each
               call took (only the call is timed; borderdesk "first asking" forgets its remembered
               answers before each call, outside the timing);
  ``quit``     exit.

Standard library only at the top (and the sibling peer_questions): each engine imports its package
when it is set up.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/ holds an http.py that would shadow the standard library's for anything a peer imports: its
# siblings are imported from the end of the path instead of the front.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [*(p for p in sys.path if Path(p or ".").resolve() != _HERE), str(_HERE)]

import json  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

from peer_questions import DUCKDB_COUNT_SQL, DUCKDB_TABLE_SQL, read_release  # noqa: E402

Ask = Callable[[Any], int]
Before = Callable[[], None]


class Peer:
    """What an engine gives the timing loop: the arguments of each question prepared once (untimed),
    the call to time, what to do before each call (untimed) and where its answer came from."""

    def __init__(self, version: str, prepare: Callable[[dict[str, Any]], Any], ask: Ask) -> None:
        self.version = version
        self.prepare = prepare
        self.ask = ask
        self.before: Before | None = None
        self.source: Callable[[Any], str] | None = None


def _columns(q: dict[str, Any]) -> tuple[str, str, int, str]:
    return (q["citizenship"], q["region"], q["fiscal_year"], q["month"])


def borderdesk_peer(setup: dict[str, Any], *, first_asking: bool) -> Peer:
    import borderdesk

    desk = borderdesk.open(setup["db"])
    peer = Peer(
        f"borderdesk {borderdesk.__version__}",
        lambda q: {"citizenship": q["citizenship"], "region": "southwest", "period": q["period"]},
        lambda kw: desk.count(**kw).value,
    )
    if first_asking:  # a question this process has not been asked yet (arrays and codes stay loaded)
        peer.before = lambda: desk.catalog.forget(answers_only=True)
    peer.source = lambda kw: desk.count(**kw).release.file
    return peer


def pandas_peer(setup: dict[str, Any]) -> Peer:
    import pandas as pd

    df = pd.read_csv(setup["csv"])
    df = df.rename(
        columns={
            "Citizenship": "citizenship",
            "Land Border Region": "region",
            "Month (abbv)": "month",
            "Encounter Count": "encounters",
        }
    )
    df["fy"] = df["Fiscal Year"].astype(str).str[:4].astype(int)

    def ask(args: tuple[str, str, int, str]) -> int:
        c, r, fy, m = args
        mask = (df["citizenship"] == c) & (df["region"] == r) & (df["fy"] == fy) & (df["month"] == m)
        return int(df.loc[mask, "encounters"].sum())

    strings = df["citizenship"].dtype  # pandas 3: pyarrow-backed when pyarrow is installed
    backing = "+pyarrow" if getattr(strings, "storage", "") == "pyarrow" else ""
    return Peer(f"pandas {pd.__version__}{backing}", _columns, ask)


def duckdb_peer(setup: dict[str, Any]) -> Peer:
    import duckdb

    con = duckdb.connect()  # in memory
    con.execute(DUCKDB_TABLE_SQL.format(csv=str(setup["csv"]).replace("'", "''")))

    def ask(args: tuple[str, str, int, str]) -> int:
        row = con.execute(DUCKDB_COUNT_SQL, list(args)).fetchone()
        return int(row[0]) if row else 0

    return Peer(f"duckdb {duckdb.__version__}", _columns, ask)


def _polars_frame(setup: dict[str, Any]) -> Any:
    import polars as pl

    return pl.read_csv(setup["csv"], infer_schema_length=0).select(
        pl.col("Citizenship").alias("citizenship"),
        pl.col("Land Border Region").alias("region"),
        pl.col("Fiscal Year").str.slice(0, 4).cast(pl.Int64).alias("fy"),
        pl.col("Month (abbv)").alias("month"),
        pl.col("Encounter Count").cast(pl.Int64).alias("encounters"),
    )


def polars_filter_peer(setup: dict[str, Any]) -> Peer:
    import polars as pl

    df = _polars_frame(setup)

    def ask(args: tuple[str, str, int, str]) -> int:
        c, r, fy, m = args
        hit = df.filter(
            (pl.col("citizenship") == c)
            & (pl.col("region") == r)
            & (pl.col("fy") == fy)
            & (pl.col("month") == m)
        )
        return int(hit["encounters"].sum())

    return Peer(f"polars {pl.__version__}", _columns, ask)


def polars_grouped_peer(setup: dict[str, Any]) -> Peer:
    import polars as pl

    grouped = (
        _polars_frame(setup).group_by("citizenship", "region", "fy", "month").agg(pl.col("encounters").sum())
    )

    def ask(args: tuple[str, str, int, str]) -> int:
        c, r, fy, m = args
        hit = grouped.filter(
            (pl.col("citizenship") == c)
            & (pl.col("region") == r)
            & (pl.col("fy") == fy)
            & (pl.col("month") == m)
        )["encounters"]
        return int(hit.item()) if len(hit) else 0

    return Peer(f"polars {pl.__version__}", _columns, ask)


def dict_peer(setup: dict[str, Any]) -> Peer:
    totals = read_release(Path(setup["csv"]))  # the csv module, summed by question
    return Peer(f"python {sys.version.split()[0]}", _columns, lambda key: totals.get(key, 0))


ENGINES: dict[str, Callable[[dict[str, Any]], Peer]] = {
    "borderdesk-first": lambda s: borderdesk_peer(s, first_asking=True),
    "borderdesk-again": lambda s: borderdesk_peer(s, first_asking=False),
    "pandas": pandas_peer,
    "duckdb": duckdb_peer,
    "polars-filter": polars_filter_peer,
    "polars-grouped": polars_grouped_peer,
    "dict": dict_peer,
}


def emit(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main() -> int:
    engine, setup_file = sys.argv[1], Path(sys.argv[2])
    setup = json.loads(setup_file.read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    peer = ENGINES[engine](setup)
    args = [peer.prepare(q) for q in setup["questions"]]
    loaded = time.perf_counter() - t0
    answers: list[int] = []
    for _ in range(3):  # warm: caches, lazily compiled code, borderdesk's arrays
        answers = []
        for a in args:
            if peer.before:
                peer.before()
            answers.append(peer.ask(a))
    sources = [peer.source(a) for a in args] if peer.source else None
    emit({"version": peer.version, "load_s": loaded, "answers": answers, "sources": sources})
    before, ask, clock, n = peer.before, peer.ask, time.perf_counter_ns, len(args)
    for line in sys.stdin:
        command = line.split()
        if not command or command[0] == "quit":
            break
        start = int(command[1]) % n
        ns: list[int] = []
        changed = 0
        for i in [*range(start, n), *range(start)]:
            if before:
                before()
            t = clock()
            value = ask(args[i])
            ns.append(clock() - t)
            changed += value != answers[i]
        emit({"ns": ns, "changed": changed})
    return 0


if __name__ == "__main__":
    sys.exit(main())
