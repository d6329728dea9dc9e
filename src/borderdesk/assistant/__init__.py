"""Tools for AI assistants: ``borderdesk mcp`` serves count, table, series, releases, surges and check
as Model Context Protocol tools over stdio (the official ``mcp`` SDK), with the parameters and JSON of
the HTTP API of the same names.

A shell beside the CLI, the HTTP API and the web pages, sharing only the core with them. It is named
``assistant``, not ``mcp``, so that ``import mcp`` still finds the SDK.
"""

from borderdesk.assistant.server import create_server, open_live, run
from borderdesk.assistant.tools import ToolSpec, tool_specs

__all__ = ["ToolSpec", "create_server", "open_live", "run", "tool_specs"]
