"""The how-to "Use from an AI assistant" cannot drift: its client configuration names the command and
arguments that start the server, and its Python script runs as printed and prints what the page says.

The script is run as a user would run it: the SDK's client finds ``borderdesk`` on PATH and passes the
server only the few variables MCP clients pass (``HOME`` among them), so the server answers from the
default database under that home.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "how-to" / "assistant.md"
BORDERDESK = Path(sys.executable).parent / "borderdesk"

pytestmark = pytest.mark.skipif(not BORDERDESK.is_file(), reason=f"no borderdesk command at {BORDERDESK}")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)


def _dedent(block: str) -> str:
    lines = block.splitlines()
    indent = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
    return "\n".join(line[indent:] for line in lines)


def test_the_client_configuration_starts_borderdesk_mcp() -> None:
    config = json.loads(_dedent(_blocks("json")[0]))
    server = config["mcpServers"]["borderdesk"]
    assert Path(server["command"]).is_absolute() and server["command"].endswith(".venv/bin/borderdesk")
    assert server["args"][:2] == ["mcp", "--db"] and Path(server["args"][2]).is_absolute()


def test_the_python_script_prints_what_the_page_says(snapshot_db_file: Path, tmp_path: Path) -> None:
    [script] = _blocks("python")
    promised = re.search(r"then `([^`]+)`", PAGE.read_text(encoding="utf-8"))
    assert promised is not None
    home = tmp_path / "home"
    data = home / ".local" / "share" / "borderdesk"  # platformdirs' user data dir under HOME (Linux)
    data.mkdir(parents=True)
    shutil.copyfile(snapshot_db_file, data / "borderdesk.duckdb")
    # The client passes PYTHONPATH on to no server: a `borderdesk` first on PATH carries it, so a
    # worktree's code is what answers (with an installed package it adds nothing).
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "borderdesk"
    pythonpath = os.environ.get("PYTHONPATH", "")
    shim.write_text(f'#!/bin/sh\nPYTHONPATH="{pythonpath}" exec "{BORDERDESK}" "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    env = {
        "HOME": str(home),
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": pythonpath,
    }
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    names, answer = proc.stdout.strip().splitlines()
    assert names == str(sorted(["check", "count", "releases", "series", "surges", "table"]))
    assert answer == promised.group(1)
