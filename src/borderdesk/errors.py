"""One exception hierarchy for the whole package.

Every error a user can cause is a :class:`BorderdeskError`. Shells translate them: the CLI prints the
message on one line and exits non-zero, the HTTP API answers 4xx with the message as JSON.
"""

from __future__ import annotations

from collections.abc import Sequence


class BorderdeskError(Exception):
    """Base class of every error borderdesk raises on purpose."""

    exit_code = 1

    @property
    def message(self) -> str:
        return str(self)


class ReleaseFormatError(BorderdeskError):
    """A release file is malformed: names the file, line, column, bad value and what was expected."""

    def __init__(
        self,
        file: str,
        problem: str,
        *,
        line: int | None = None,
        column: str | None = None,
        column_number: int | None = None,
        value: str | None = None,
        expected: str | None = None,
    ) -> None:
        self.file = file
        self.problem = problem
        self.line = line
        self.column = column
        self.column_number = column_number
        self.value = value
        self.expected = expected
        super().__init__(self._render())

    def _render(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            col = f"column {self.column_number} " if self.column_number is not None else "column "
            where.append(f"{col}({self.column!r})")
        text = ", ".join(where) + f": {self.problem}"
        if self.value is not None:
            shown = self.value if len(self.value) <= 80 else self.value[:77] + "..."
            text += f": got {shown!r}"
        if self.expected is not None:
            text += f"; expected {self.expected}"
        return text


class UnknownValueError(BorderdeskError):
    """A filter value that matches nothing known, with did-you-mean suggestions."""

    def __init__(
        self,
        dimension: str,
        value: str,
        suggestions: Sequence[str] = (),
        allowed: str = "",
        *,
        problem: str = "unknown",
    ) -> None:
        self.dimension = dimension
        self.value = value
        self.suggestions = list(suggestions)
        self.allowed = allowed
        self.problem = problem
        text = f"{problem} {dimension} {value!r}"
        if self.suggestions:
            text += " (did you mean " + " or ".join(self.suggestions) + "?)"
        if allowed:
            text += f"; allowed: {allowed}"
        super().__init__(text)


class PeriodError(BorderdeskError):
    """A period that cannot be parsed, or that lies (partly) outside the data."""


class CoverageError(BorderdeskError):
    """No ingested release can answer the question as asked; says what coverage exists."""


class ReleaseNotFoundError(BorderdeskError):
    """An ``--as-of`` (or ``--from``/``--to``) release that is not in the database."""


class DownloadError(BorderdeskError):
    """A release could not be downloaded (network error, bad status, checksum mismatch)."""


class DatabaseError(BorderdeskError):
    """The database file cannot be used (newer schema, locked, not a borderdesk database)."""
