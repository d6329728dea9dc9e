"""The MCP server: the tools of :mod:`.tools` over one read-only database, spoken over stdio with the
official SDK (``mcp``).

Every answer is the HTTP API's JSON for the same question, as the tool result's text (what a model
reads) and, when it is a JSON object, as its structured content too (what a program reads). A
:class:`~borderdesk.errors.BorderdeskError` is a tool error (``isError``) whose text is the JSON body
HTTP answers with (:func:`borderdesk.http.problems.problem`): the same message, the parameter at fault,
did-you-mean suggestions and the allowed values, so the model can correct itself and try again.

The database is opened read-only and followed as the HTTP server follows it
(:class:`~borderdesk.http.live.LiveDesk`): when an ``update`` beside it swaps a new file in, the next
call answers from it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy  # noqa: F401  (imported before tools run in threads: see borderdesk.serve.app)
import rapidfuzz  # noqa: F401
from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult, TextContent, ToolAnnotations

import borderdesk
from borderdesk.assistant.tools import ToolSpec, tool_specs
from borderdesk.desk import Desk, ensure_database
from borderdesk.errors import BorderdeskError
from borderdesk.http.live import LiveDesk, file_identity
from borderdesk.http.problems import problem
from borderdesk.json_export import compact_json

NAME = "borderdesk"
INSTRUCTIONS = (
    "borderdesk answers questions about U.S. CBP border-encounter statistics from the official "
    "releases, every number with the release (file, sha256) it came from. Use count for one number, "
    "table for a breakdown, series for a trend, surges for unusual rises, check to fact-check a text, "
    "releases to see which data there is. Quote the release with the number."
)
#: Nothing a tool does changes the data or reaches beyond this machine.
READ_ONLY = ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)


def as_json(obj: Any) -> str:
    """The core's dicts as the HTTP API writes them: dates as ISO text, UTF-8, compact."""
    return compact_json(obj).decode("utf-8")


def result(obj: Any, *, error: bool = False) -> CallToolResult:
    """A tool result: the JSON as text, and as structured content when it is an object (MCP allows
    only objects there; ``releases``' list is the text alone)."""
    text = as_json(obj)
    structured = json.loads(text) if isinstance(obj, dict) else None
    return CallToolResult(
        content=[TextContent(type="text", text=text)], structured_content=structured, is_error=error
    )


class Tools:
    """The tools bound to a database that may be swapped under them."""

    def __init__(self, live: LiveDesk) -> None:
        self.live = live

    def call(self, tool: ToolSpec, arguments: dict[str, Any]) -> CallToolResult:
        """Answer one call from the current database; a BorderdeskError is HTTP's error body."""
        desk = self.live.desk
        try:
            return result(tool.answer(desk, **arguments))
        except BorderdeskError as e:
            return result(problem(e, desk).to_dict(), error=True)

    def bound(self, tool: ToolSpec) -> Any:
        """``tool`` as a function the SDK can read: its signature is the tool's parameters (the input
        schema), and it runs in the SDK's worker threads (the desk gives each thread its own cursor)."""

        def call(**arguments: Any) -> CallToolResult:
            return self.call(tool, arguments)

        call.__name__ = call.__qualname__ = tool.name
        call.__doc__ = tool.description
        call.__signature__ = tool.signature().replace(return_annotation=CallToolResult)  # type: ignore[attr-defined]
        return call


def _version(desk: Desk) -> str:
    newest = desk.newest_release()
    return newest.sha256 if newest is not None else ""


def open_live(path: Path, *, snapshot: bool = True) -> LiveDesk:
    """The database at ``path``, read-only (so a running server or ``update`` is no obstacle),
    created first from the bundled snapshot unless ``snapshot=False``, and followed when a writer
    swaps a new file in."""
    ensure_database(path, snapshot=snapshot)
    key = file_identity(path)  # before opening: a swap in between is then seen by the first call
    desk = borderdesk.open(path, snapshot=snapshot, read_only=True)
    return LiveDesk(path, desk, version=_version, key=key)


def create_server(live: LiveDesk, *, check_timeout: float | None = 10.0) -> MCPServer:
    """An MCP server whose tools answer from ``live``'s current database."""
    tools = Tools(live)
    server: MCPServer = MCPServer(
        NAME,
        title="borderdesk",
        instructions=INSTRUCTIONS,
        version=borderdesk.__version__,
        log_level="WARNING",
    )
    for tool in tool_specs(check_timeout=check_timeout):
        server.add_tool(
            tools.bound(tool),
            name=tool.name,
            title=tool.title,
            description=tool.description,
            annotations=READ_ONLY,
        )
    return server


def run(
    db_path: Path | str,
    *,
    snapshot: bool = True,
    check_timeout: float | None = 10.0,
    ready: Callable[[], None] | None = None,
) -> None:
    """Serve the tools over stdio until the client closes the connection (``borderdesk mcp``);
    ``ready`` is called once the database is open (a damaged file raises before it)."""
    live = open_live(Path(db_path), snapshot=snapshot)
    if ready is not None:
        ready()
    try:
        create_server(live, check_timeout=check_timeout).run("stdio")
    finally:
        live.close()
