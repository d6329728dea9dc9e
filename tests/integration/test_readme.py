"""The README cannot drift: its commands run, and the figures it shows are what they print."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
BIN = Path(sys.executable).parent / "borderdesk"


def console_commands() -> list[tuple[str, list[str]]]:
    """(command, the output lines shown under it) for every `$ borderdesk ...` line of the README."""
    text = README.read_text(encoding="utf-8")
    out: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        current: tuple[str, list[str]] | None = None
        for line in block.splitlines():
            if line.startswith("$ "):
                current = (line[2:].split("  #")[0].strip(), [])
                out.append(current)
            elif current is not None and line.strip():
                current[1].append(line.strip())
    return out


def test_readme_starts_with_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    first_block = re.search(r"```bash\n(.*?)```", text, re.S)
    assert first_block and text.index("```bash") < 200
    commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines() if line.strip()]
    assert commands == ["scripts/demo", "scripts/test"]
    for c in commands:
        assert os.access(ROOT / c, os.X_OK), c


def _workdir(factory: pytest.TempPathFactory) -> Path:
    """A scratch folder with the repo's examples/, so README paths work and outputs land here."""
    work = factory.mktemp("cwd")
    (work / "examples").symlink_to(ROOT / "examples")
    return work


OFFLINE = [c for c in console_commands() if c[0].split()[1] not in ("ingest", "update")]


@pytest.mark.parametrize(("command", "shown"), OFFLINE, ids=[c[0][:60] for c in OFFLINE])
def test_readme_console_command(
    command: str, shown: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    home = tmp_path_factory.getbasetemp() / "readme-home"  # one snapshot database for all of them
    args = shlex.split(command)
    assert args[0] == "borderdesk"
    env = dict(os.environ, BORDERDESK_HOME=str(home))
    proc = subprocess.run(
        [str(BIN), *args[1:]],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=_workdir(tmp_path_factory),
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    for line in shown:
        if "…" in line:  # an abbreviated line: its start must be printed
            assert line.split("…")[0] in proc.stdout
        else:
            assert line in proc.stdout, f"README shows {line!r} under `{command}`; got:\n{proc.stdout}"
    # a figure in the command's comment is what it prints
    line = next(
        ln
        for ln in README.read_text(encoding="utf-8").splitlines()
        if ln.startswith("$ " + command) and ln[2 + len(command) :].lstrip()[:1] in ("", "#")
    )
    comment = line[2 + len(command) :]
    for figure in re.findall(r"#\s*([\d,]{5,})", comment):
        assert figure in proc.stdout
