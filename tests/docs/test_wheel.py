"""The wheel a newsroom installs works on its own: `python -m build` on a copy of the repo makes an sdist
and, from that sdist, a wheel; `pipx install` puts the wheel in a fresh virtualenv; run from a folder
that knows nothing of the repo or ../shared, it checks the seed article exactly as the contract says,
serves the dashboard, and it ships the snapshot and the vendored web assets (with their licenses), not
the tests.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

from repo_support import SEED

ROOT = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]

pytestmark = pytest.mark.slow

# What could not be reached when pip or build had to download something (no network, no index).
_OFFLINE_SIGNS = (
    "No matching distribution found",
    "Could not find a version that satisfies",
    "NewConnectionError",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "ConnectTimeoutError",
    "ReadTimeoutError",
)


def _run(cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: int = 900) -> str:
    """Run a step that may need the package registry; skip (with the reason) if it cannot be reached."""
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        output = done.stdout + done.stderr
        if any(sign in output for sign in _OFFLINE_SIGNS):
            last = output.strip().splitlines()[-1]
            pytest.skip(f"cannot reach the package registry for {cmd[2:4]}: {last}")
        raise AssertionError(f"{' '.join(cmd)} failed ({done.returncode}):\n{output[-4000:]}")
    return done.stdout


def _clean_env(home: Path) -> dict[str, str]:
    """The environment of a newsroom machine: no PYTHONPATH, no virtualenv of ours, its own data home."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["BORDERDESK_HOME"] = str(home)
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    return env


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`python -m build` (sdist, then the wheel from the sdist) on a copy of the repo, so the build
    leaves nothing (build/, egg-info) behind."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src-copy"
    shutil.copytree(
        ROOT,
        src,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".git",
            ".cache",
            "test-output",
            "__pycache__",
            "*.egg-info",
            "build",
            "dist",
            "site",
            "*.duckdb*",
        ),
    )
    out = base / "dist"
    _run([sys.executable, "-m", "build", "--outdir", str(out), str(src)], cwd=base)
    return out


@pytest.fixture(scope="module")
def wheel(dist: Path) -> Path:
    wheels = list(dist.glob("borderdesk-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """(the borderdesk that `pipx install WHEEL` put on a fresh PATH, a working folder, its environment)."""
    base = tmp_path_factory.mktemp("fresh")
    work = base / "work"
    work.mkdir()
    env = _clean_env(base / "home")
    env["PIPX_HOME"] = str(base / "pipx")
    env["PIPX_BIN_DIR"] = str(base / "bin")
    env["PIPX_MAN_DIR"] = str(base / "man")
    env["PIPX_DEFAULT_PYTHON"] = sys.executable  # pipx makes its own venv from this interpreter
    _run([sys.executable, "-m", "pipx", "install", str(wheel)], cwd=work, env=env)
    return base / "bin" / "borderdesk", work, env


def test_sdist_contents(dist: Path) -> None:
    sdists = list(dist.glob("borderdesk-*.tar.gz"))
    assert len(sdists) == 1, sdists
    with tarfile.open(sdists[0]) as tar:
        names = [n.split("/", 1)[1] for n in tar.getnames() if "/" in n]
    for needed in ("pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", "src/borderdesk/cli/app.py"):
        assert needed in names, needed
    assert "src/borderdesk/snapshot/facts.parquet" in names
    assert not [n for n in names if n.startswith((".venv/", ".git/", "test-output/"))]


def test_wheel_contents(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("borderdesk/snapshot/") and n.endswith(".parquet") for n in names), names
    assert "borderdesk/snapshot/releases.json" in names
    assert "borderdesk/py.typed" in names
    for vendored in ("vega", "vega-lite", "vega-embed"):
        folder = f"borderdesk/web/static/vendor/{vendored}/"
        assert any(n.startswith(folder) and n.endswith(".js") for n in names), vendored
        assert f"{folder}LICENSE" in names, f"{vendored} ships without its LICENSE"
    assert any(n.startswith("borderdesk/web/templates/") for n in names)
    stray = [n for n in names if n.split("/")[0] in ("tests", "bench") or "/tests/" in n or "/bench/" in n]
    assert stray == []


def test_installed_wheel_checks_the_seed_article(installed: tuple[Path, Path, dict[str, str]]) -> None:
    exe, work, env = installed
    text = work / SEED.name
    shutil.copyfile(SEED, text)
    done = subprocess.run(
        [str(exe), "check", text.name, "--date", "2022-12-28", "--json"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    claims = json.loads(done.stdout)["claims"]
    got = [(c["number"], c["verdict"], c["value"]) for c in claims]
    assert got == [(31600, "inaccurate", 24724), (5500, "supported", 5507), (4100, "supported", 4103)]
    assert not (work / "borderdesk.duckdb").exists()  # the database lives in BORDERDESK_HOME
    assert (Path(env["BORDERDESK_HOME"]) / "borderdesk.duckdb").exists()


def test_installed_wheel_version(installed: tuple[Path, Path, dict[str, str]]) -> None:
    exe, work, env = installed
    # A database first, so that --version has a newest release to name.
    subprocess.run([str(exe), "releases", "--format", "json"], cwd=work, env=env, check=True, timeout=300)
    done = subprocess.run(
        [str(exe), "--version"], cwd=work, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert f"borderdesk {VERSION}" in done.stdout
    assert "newest release: state-2025-11" in done.stdout


def test_installed_wheel_counts(installed: tuple[Path, Path, dict[str, str]]) -> None:
    exe, work, env = installed
    args = ["count", "-c", "russia", "-r", "southern border", "-p", "2022-11", "--format", "json"]
    done = subprocess.run([str(exe), *args], cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["value"] == 5507
    assert answer["release"]["file"] == "nationwide-encounters-fy23-fy26-nov-state.csv"


def test_installed_wheel_serves_the_dashboard(installed: tuple[Path, Path, dict[str, str]]) -> None:
    import socket
    import time
    import urllib.request

    exe, work, env = installed
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [str(exe), "serve", "--port", str(port)],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                url = f"http://127.0.0.1:{port}/api/count?citizenship=russia&region=southwest&period=2022-11"
                with urllib.request.urlopen(url, timeout=5) as r:
                    body = json.loads(r.read())
                break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "serve did not answer within 60 s"
                time.sleep(0.3)
        assert body["value"] == 5507
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
            page = r.read().decode()
        assert "borderdesk" in page and "/static/vendor/vega-embed/" in page
    finally:
        server.terminate()
        server.wait(timeout=30)
