"""The command-line shell: parses options, calls the core (borderdesk.desk), prints the result.

The commands' modules are imported when the commands are first listed, or, by the console entry point,
only the one it runs (see :mod:`borderdesk.cli.on_demand` and ``COMMAND_MODULES``)."""

from borderdesk.cli.app import app, main

__all__ = ["app", "main"]
