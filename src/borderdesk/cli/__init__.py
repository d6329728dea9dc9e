"""The command-line shell: parses options, calls the core (borderdesk.desk), prints the result.

The commands' modules are imported when the commands are first listed, or, by the console entry point,
only the one it runs (see :mod:`borderdesk.cli.on_demand` and ``COMMAND_MODULES``)."""

import borderdesk.cli.check_command  # noqa: F401  (registers `check`)
from borderdesk.cli import (  # noqa: F401  (registers the commands)
    analysis_commands,
    archive_command,
    archive_report_command,
    data_commands,
    info_command,
    mcp_command,
    query_commands,
    serve_command,
    verify_command,
)
from borderdesk.cli.app import app, main

__all__ = ["app", "main"]
