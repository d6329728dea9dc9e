"""Error text is never interpreted (issue 15, finding 12): Rich markup (``[red]``) and emoji codes
(``:x:``) in a message, a file name or a value print as they are. ``rich.markup.escape`` alone does not
stop emoji codes, so the CLI's consoles have them off and its error printer passes plain ``Text``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from borderdesk.cli import output

CLI = Path(__file__).resolve().parents[2] / "src" / "borderdesk" / "cli"
HOSTILE = ":x: [red]boom[/red] :smile: [bold]"


@pytest.mark.parametrize(("say", "label"), [(output.error, "error"), (output.warning, "warning")])
def test_the_error_printer_prints_text_literally(
    capsys: pytest.CaptureFixture[str],
    say,
    label: str,  # type: ignore[no-untyped-def]
) -> None:
    say(HOSTILE)
    assert capsys.readouterr().err == f"{label}: {HOSTILE}\n"


def test_table_cells_print_literally(capsys: pytest.CaptureFixture[str]) -> None:
    output.emit_rows("table", ["file", "rows"], [[HOSTILE, 3]], output=None, json_obj=None)
    assert HOSTILE in capsys.readouterr().out


def test_wrote_names_the_file_literally(capsys: pytest.CaptureFixture[str]) -> None:
    output.wrote(Path(HOSTILE))
    assert capsys.readouterr().err == f"wrote {HOSTILE}\n"


def test_every_console_of_the_cli_has_emoji_codes_off() -> None:
    calls = [(p.name, c) for p in CLI.glob("*.py") for c in re.findall(r"\bConsole\((.*?)\)", p.read_text())]
    assert len(calls) >= 2  # output.console() and the table written to --output
    for name, call in calls:
        assert "emoji=False" in call, f"{name}: Console({call})"


def test_progress_descriptions_are_not_markup() -> None:
    """A progress description can be a downloaded file's name: Rich's TextColumn reads markup and emoji
    codes unless told not to, whatever the console says."""
    pattern = r'TextColumn\("\{task\.description\}"(.*?)\)'
    calls = [(p.name, c) for p in CLI.glob("*.py") for c in re.findall(pattern, p.read_text())]
    assert len(calls) >= 2  # ingest and update
    for name, call in calls:
        assert "markup=False" in call, f"{name}: TextColumn({call})"
