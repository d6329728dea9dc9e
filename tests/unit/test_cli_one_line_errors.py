"""What the system or the database engine refuses reaches the user as one line, never as "internal
error" with a traceback hint (issue 15, findings 10 and 11)."""

from __future__ import annotations

import errno
import importlib

import duckdb
import pytest

cli_app = importlib.import_module(
    "borderdesk.cli.app"
)  # the module (borderdesk.cli.app is also the Typer app)


def _fail_with(monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> None:
    def boom() -> None:
        raise exc

    monkeypatch.setattr(cli_app, "app", boom)


@pytest.mark.parametrize(
    ("exc", "said"),
    [
        (
            PermissionError(errno.EPERM, "Operation not permitted", "/data/borderdesk.duckdb"),
            "Operation not permitted",
        ),
        (duckdb.IOException("Corrupt database file: block checksum mismatch\nmore detail"), "may be damaged"),
        (duckdb.InternalException("Failed to load block"), "may be damaged"),
    ],
)
def test_os_and_database_errors_are_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], exc: BaseException, said: str
) -> None:
    _fail_with(monkeypatch, exc)
    with pytest.raises(SystemExit) as done:
        cli_app.main()
    assert done.value.code == 1
    err = capsys.readouterr().err
    assert said in err and "internal error" not in err
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ")
