"""The docs cannot drift: every `$ borderdesk ...` line in a ```console block runs, and the lines shown
under it are what it prints (the same rule as the README's test)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
BIN = Path(sys.executable).parent / "borderdesk"


def console_commands() -> list[tuple[str, str, list[str]]]:
    """(page, command, output lines shown under it) for every console line of every docs page."""
    out: list[tuple[str, str, list[str]]] = []
    for page in sorted(DOCS.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        for block in re.findall(r"```console\n(.*?)```", text, re.S):
            current: list[str] | None = None
            for line in block.splitlines():
                if line.startswith("$ "):
                    current = []
                    out.append((str(page.relative_to(DOCS)), line[2:].split("  #")[0].strip(), current))
                elif current is not None and line.strip():
                    current.append(line.strip())
    return out


COMMANDS = console_commands()


def test_the_docs_show_commands() -> None:
    assert len(COMMANDS) >= 10


@pytest.mark.parametrize(
    ("page", "command", "shown"), COMMANDS, ids=[f"{c[0]}:{c[1][11:60]}" for c in COMMANDS]
)
def test_docs_console_command(
    page: str, command: str, shown: list[str], tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    args = shlex.split(command)
    assert args[0] == "borderdesk", f"{page}: console blocks show borderdesk commands only"
    assert args[1] not in ("update", "serve"), f"{page}: `{command}` needs the network or never ends"
    home = tmp_path_factory.getbasetemp() / "docs-home"  # one snapshot database for all of them
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    proc = subprocess.run(
        [str(BIN), *args[1:]],
        capture_output=True,
        text=True,
        env=dict(os.environ, BORDERDESK_HOME=str(home)),
        timeout=120,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    for line in shown:
        assert line in proc.stdout, f"{page} shows {line!r} under `{command}`; got:\n{proc.stdout}"
