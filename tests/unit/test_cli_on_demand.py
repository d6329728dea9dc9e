"""The CLI imports only the module of the command it runs (a one-shot ``borderdesk check`` skips the
other commands' imports), yet everything that lists the commands sees all of them, in order."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from borderdesk.cli import app
from borderdesk.cli.app import COMMAND_MODULES
from borderdesk.cli.on_demand import command_named


def test_the_table_names_every_command_and_its_module_in_help_order() -> None:
    listed = [
        (c.name or c.callback.__name__, c.callback.__module__) for c in app.registered_commands if c.callback
    ]
    assert listed == list(COMMAND_MODULES.items())


def test_help_lists_every_command() -> None:
    out = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200", "NO_COLOR": "1"}).output
    assert all(f" {name} " in out for name in COMMAND_MODULES)


_PROBE = """
import json, sys
from borderdesk.cli import main
sys.argv = ["borderdesk", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.startswith("borderdesk.cli."))))
"""


def _cli_modules_after(*args: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, timeout=120)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_command_imports_only_its_own_module() -> None:
    commands = {m for m in COMMAND_MODULES.values()}
    loaded = set(_cli_modules_after("verify", "--help")) & commands
    assert loaded == {"borderdesk.cli.verify_command"}


def test_a_misspelt_command_loads_them_all_to_say_which_was_meant() -> None:
    assert set(COMMAND_MODULES.values()) <= set(_cli_modules_after("verfy"))


def test_the_command_is_the_first_word_that_is_not_an_option() -> None:
    assert command_named(["check", "-", "--date", "2022-12-28"]) == "check"
    assert command_named(["--help"]) is None
    assert command_named([]) is None
