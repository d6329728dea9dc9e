"""A Typer application that imports its commands' modules when its commands are first listed.

Why: a one-shot ``borderdesk check`` is measured against Python starting and opening DuckDB, and the
modules of the fifteen other commands (their option signatures, Rich's progress bars, the analysis
tables) cost it about a tenth of that. The console entry point imports only the module of the command
it runs (:meth:`OnDemandTyper.load`); whatever lists the commands -- ``--help``, a misspelt command,
a test's ``CliRunner``, the generated CLI reference -- gets them all, in their usual order.

The modules are named, not imported, here: each imports :mod:`borderdesk.cli.app` to register itself.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

import typer
from typer.models import CommandInfo


class OnDemandTyper(typer.Typer):
    """``typer.Typer`` whose ``registered_commands``, when first read, imports the modules of
    ``modules`` (command name -> the module that registers it, in the order ``--help`` lists them)."""

    def __init__(self, *, modules: Mapping[str, str], **kwargs: Any) -> None:
        self._modules = dict(modules)
        self._loaded = False
        self._registering = False
        self._commands: list[CommandInfo] = []
        super().__init__(**kwargs)

    @property
    def registered_commands(self) -> list[CommandInfo]:
        if not (self._loaded or self._registering):
            self.load_all()
        return self._commands

    @registered_commands.setter
    def registered_commands(self, commands: list[CommandInfo]) -> None:
        self._commands = commands

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Any], Any]:
        """Typer's decorator; a module registering its command does not make the others load."""
        register = super().command(*args, **kwargs)

        def decorator(f: Any) -> Any:
            self._registering = True
            try:
                return register(f)
            finally:
                self._registering = False

        return decorator

    def load(self, command: str | None) -> None:
        """Import the module of ``command`` only, if it names one; otherwise nothing yet (Typer then
        lists every command, in help or to say which was meant, and that loads them all)."""
        if command in self._modules:
            self._loaded = True
            importlib.import_module(self._modules[command])

    def load_all(self) -> None:
        self._loaded = True
        order = list(dict.fromkeys(self._modules.values()))
        for module in order:
            importlib.import_module(module)
        # in the usual order even when one command's module was imported first
        self._commands.sort(key=lambda c: order.index(c.callback.__module__) if c.callback else len(order))


def command_named(args: list[str]) -> str | None:
    """The command a command line runs: its first word that is not an option (the application's own
    options, --help and --version, take no value)."""
    return next((a for a in args if not a.startswith("-")), None)
