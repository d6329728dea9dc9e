"""The command-line shell: parses options, calls the core (borderdesk.desk), prints the result."""

from borderdesk.cli import data_commands, query_commands  # noqa: F401  (registers the commands)
from borderdesk.cli.app import app, main

__all__ = ["app", "main"]
