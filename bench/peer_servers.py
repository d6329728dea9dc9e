"""What ``bench/peers.py`` runs its peers with: the throwaway virtualenv they are installed in, and the
HTTP servers (borderdesk, Datasette, FastAPI + DuckDB), each started on a free loopback port and stopped
by its own PID.

The peers never become dependencies of borderdesk: they live in a virtualenv of their own, made with
pip from :data:`REQUIREMENTS` (major versions pinned) and reused while that list is unchanged.
"""

from __future__ import annotations

import csv
import hashlib
import http.client
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from peer_questions import DUCKDB_COUNT_SQL, DUCKDB_TABLE_SQL

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_VENV = ROOT / ".cache" / "peers-venv"
#: The peers, major versions pinned (Datasette to 0.65.x, the version the issue measured).
REQUIREMENTS = (
    "pandas>=3,<4",
    "pyarrow>=26,<27",  # pandas 3's string columns use it when installed: its comparisons ~8x faster
    "polars>=2,<3",
    "duckdb>=2,<3",
    "datasette>=0.65,<0.66",
    "fastapi>=0.115,<1",
    "uvicorn[standard]>=0.30,<1",
)
MARKER = "peers-requirements.sha256"


def requirements_hash() -> str:
    """What the virtualenv was made from: the requirement list and the Python that made it."""
    text = "\n".join([sys.version, *REQUIREMENTS])
    return hashlib.sha256(text.encode()).hexdigest()


def peers_python(venv: Path, *, fresh: bool = False) -> Path:
    """The Python of a virtualenv holding the peers: ``venv`` if it was made from this requirement list
    (and not ``fresh``), else made anew there with ``python -m venv`` and pip (about 20 s)."""
    python = venv / "bin" / "python"
    marker = venv / MARKER
    wanted = requirements_hash()
    if not fresh and python.exists() and marker.is_file() and marker.read_text().strip() == wanted:
        print(f"peers' virtualenv: {venv} (reused)")
        return python
    t = time.perf_counter()
    if venv.exists():
        shutil.rmtree(venv)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *REQUIREMENTS],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"pip could not install the peers:\n{done.stdout}\n{done.stderr}")
    marker.write_text(wanted + "\n")
    print(f"peers' virtualenv: {venv} (made in {time.perf_counter() - t:.0f} s)")
    return python


# -- data for the servers -------------------------------------------------------------------------


def build_sqlite(release: Path, dest: Path) -> Path:
    """The release file as a SQLite table for Datasette, every row of it, indexed on the columns the
    questions filter by (citizenship, region, fiscal year, month)."""
    con = sqlite3.connect(dest)
    con.execute(
        "CREATE TABLE encounters (fiscal_year_label TEXT, fy INTEGER, month_grouping TEXT, month TEXT, "
        "region TEXT, state TEXT, demographic TEXT, citizenship TEXT, authority TEXT, encounters INTEGER)"
    )
    with release.open(newline="", encoding="utf-8-sig") as fh:
        rows = [
            (
                r["Fiscal Year"],
                int(r["Fiscal Year"][:4]),
                r["Month Grouping"],
                r["Month (abbv)"],
                r["Land Border Region"],
                r["State"],
                r["Demographic"],
                r["Citizenship"],
                r["Title of Authority"],
                int(r["Encounter Count"]),
            )
            for r in csv.DictReader(fh)
        ]
    con.executemany("INSERT INTO encounters VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    con.execute("CREATE INDEX by_question ON encounters (citizenship, region, fy, month)")
    con.commit()
    con.execute("ANALYZE")
    con.close()
    return dest


#: "Ten lines of FastAPI + DuckDB": the release file in an in-memory DuckDB table, one endpoint.
FASTAPI_APP = """import os
import duckdb
from fastapi import FastAPI

con = duckdb.connect()
con.execute({table!r}.format(csv=os.environ["PEERS_CSV"].replace("'", "''")))
app = FastAPI()


@app.get("/count")
def count(citizenship: str, region: str, fy: int, month: str) -> dict[str, int]:
    row = con.cursor().execute({count!r}, [citizenship, region, fy, month]).fetchone()
    return {{"value": int(row[0])}}
"""


def fastapi_app(folder: Path) -> Path:
    path = folder / "peer_fastapi_app.py"
    path.write_text(FASTAPI_APP.format(table=DUCKDB_TABLE_SQL, count=DUCKDB_COUNT_SQL), encoding="utf-8")
    return path


# -- servers --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """One server process: how to start it, the URL that says it is up, and its PID once running."""

    name: str
    argv: list[str]
    port: int
    probe: str  # a path that answers 200 once the server is ready
    env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None
    log: Path | None = None

    def start(self, log: Path, timeout: float = 120.0) -> None:
        self.log = log
        with log.open("wb") as out:
            self.proc = subprocess.Popen(
                self.argv,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, **self.env},
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"{self.name} exited with {self.proc.returncode}:\n{self.tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", self.probe)
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"{self.name} did not answer in {timeout:.0f} s:\n{self.tail()}")

    def tail(self, lines: int = 20) -> str:
        if self.log is None or not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """Terminate the process by its PID (kill it if it does not exit in 15 s)."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def borderdesk_server(db: Path, home: Path, probe: str) -> Server:
    port = free_port()
    exe = Path(sys.executable).parent / "borderdesk"
    argv = [str(exe), "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)]
    return Server("borderdesk serve", argv, port, probe, {"BORDERDESK_HOME": str(home)})


def datasette_server(python: Path, sqlite: Path, probe: str) -> Server:
    """Datasette on the indexed SQLite file, immutable (``-i``: its fastest mode for data that does
    not change) and with the SQL time limit raised so no question is cut short."""
    port = free_port()
    datasette = python.parent / "datasette"
    argv = [str(datasette), "serve", "-i", str(sqlite), "--host", "127.0.0.1", "--port", str(port)]
    argv += ["--setting", "sql_time_limit_ms", "20000"]
    return Server("Datasette", argv, port, probe)


def fastapi_server(python: Path, app: Path, release: Path, probe: str) -> Server:
    port = free_port()
    argv = [str(python), "-m", "uvicorn", f"{app.stem}:app", "--app-dir", str(app.parent)]
    argv += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning"]
    return Server("FastAPI + DuckDB", argv, port, probe, {"PEERS_CSV": str(release)})
