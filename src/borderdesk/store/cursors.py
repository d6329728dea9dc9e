"""One open DuckDB database shared by threads: each thread reads through its own cursor.

A DuckDB connection must not run two queries at once, and a web server answers requests on many
threads; cursors of one root connection share its database and run concurrently. This is the one
place that hands them out and closes them, for the read-only desk and the writer alike.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import duckdb


class Cursors:
    """The root connection of one open database, and one cursor per other thread that uses it.

    ``on_close`` runs after every connection is closed (a read-write open releases its write lock
    there)."""

    def __init__(
        self, root: duckdb.DuckDBPyConnection, *, on_close: Callable[[], None] | None = None
    ) -> None:
        self._root = root
        self._owner = threading.get_ident()
        self._local = threading.local()
        self._opened: list[duckdb.DuckDBPyConnection] = []
        self._lock = threading.Lock()
        self._on_close = on_close

    def current(self) -> duckdb.DuckDBPyConnection:
        """This thread's connection: the opening thread uses the root one, any other thread gets its
        own cursor on the same database (made on its first call, kept until :meth:`close`)."""
        if threading.get_ident() == self._owner:
            return self._root
        con: duckdb.DuckDBPyConnection | None = getattr(self._local, "con", None)
        if con is None:
            with self._lock:
                con = self._root.cursor()
                self._opened.append(con)
            self._local.con = con
        return con

    def close(self) -> None:
        """Close every cursor, then the root connection, then run ``on_close`` (even if closing failed)."""
        try:
            with self._lock:
                for c in self._opened:
                    c.close()
                self._opened.clear()
            self._root.close()
        finally:
            if self._on_close is not None:
                self._on_close()
                self._on_close = None

    def reconnect(self, connect: Callable[[], duckdb.DuckDBPyConnection]) -> None:
        """Read a file that replaced the one open here: close every connection first (DuckDB hands a
        process its open database again for the same path), then read through ``connect()``; each
        thread makes a new cursor on its next call."""
        with self._lock:
            for c in self._opened:
                c.close()
            self._opened.clear()
            self._root.close()
            self._root = connect()
            self._local = threading.local()
