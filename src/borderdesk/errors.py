"""One exception hierarchy for the whole package.

Every error a user can cause is a :class:`BorderdeskError`. Shells translate them: the CLI prints the
message on one line and exits non-zero, the HTTP API answers 4xx with the message as JSON.

An error about one parameter (:class:`ParameterError`) says which, and leaves its spelling to the shell
that reports it: the CLI says ``--by``, HTTP says ``by``, and ``str()`` says the Python keyword.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence

#: Where a :class:`ParameterError` message names its parameter; each shell puts its own spelling there.
PARAMETER = "{parameter}"


class BorderdeskError(Exception):
    """Base class of every error borderdesk raises on purpose.

    Any of them may be about one parameter: give ``parameter=`` and write :data:`PARAMETER` where the
    message names it, and each shell spells it its own way (see :meth:`worded`).
    """

    exit_code = 1
    #: The parameter (Python keyword) the error is about, when it is about one.
    parameter: str | None = None
    #: The message with :data:`PARAMETER` where the parameter's name goes (None: the message as is).
    template: str | None = None

    def __init__(self, *args: object, parameter: str | None = None) -> None:
        if parameter is not None and len(args) == 1 and isinstance(args[0], str):
            self.parameter, self.template = parameter, args[0]
            args = (self.worded(str),)
        super().__init__(*args)

    @property
    def message(self) -> str:
        return str(self)

    def worded(self, name: Callable[[str], str]) -> str:
        """The message with the parameter spelt by ``name`` (a shell's spelling of a Python keyword);
        the message itself when it names no parameter."""
        if self.template is None or self.parameter is None:
            return str(self)
        # replace, not str.format: the message may quote user text with braces of its own
        return self.template.replace(PARAMETER, name(self.parameter))

    def __reduce__(self) -> tuple[Callable[..., BorderdeskError], tuple[object, ...]]:
        # Pickled as class + message + attributes, not by calling ``__init__`` again with ``args``
        # (which most subclasses' signatures do not take): so an error crosses a process boundary, a
        # claim check's worker to the server, as the very error it was.
        return _restored, (type(self), self.args, dict(self.__dict__))


def _restored(
    cls: type[BorderdeskError], args: tuple[object, ...], state: dict[str, object]
) -> BorderdeskError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class ParameterError(BorderdeskError):
    """A parameter a question cannot be asked with: missing, out of range, or not one of ``allowed``.

    ``message`` names the parameter as :data:`PARAMETER` (``"{parameter} must be at least 1"``), so the
    core never writes a CLI flag that HTTP users would then read:

    >>> e = ParameterError("top", "{parameter} must be at least 1", value="0")
    >>> str(e), e.worded(lambda name: "--" + name)
    ('top must be at least 1', '--top must be at least 1')
    """

    parameter: str

    def __init__(
        self, parameter: str, message: str, *, value: str | None = None, allowed: Sequence[str] = ()
    ) -> None:
        self.value = value
        self.allowed = list(allowed)
        super().__init__(message, parameter=parameter)


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


class PooledValueError(CoverageError):
    """A citizenship CBP's encounter files do not name but pool into OTHER (Germany, the United Kingdom):
    says so, and where Border Patrol figures for it are (the history tables), rather than "has no
    citizenship". A :class:`CoverageError` still, so a Border Patrol question falls back to the history
    tables as before.

    ``values`` are the pooled values asked for, ``in_history`` those the history tables list, ``named``
    how many citizenships CBP's files name, ``period`` the question's period as typed (for the command
    the message points to).
    """

    def __init__(
        self,
        dimension: str,
        values: Sequence[str],
        *,
        in_history: Sequence[str] = (),
        named: int = 0,
        period: str | None = None,
    ) -> None:
        self.dimension = dimension
        self.values = list(values)
        self.in_history = [v for v in self.values if v in set(in_history)]
        self.named = named
        self.period = period
        super().__init__(self._render())

    @property
    def history_command(self) -> str | None:
        """The CLI command with Border Patrol figures for the pooled values, if the history tables list
        them: ``borderdesk history --citizenship GERMANY --period FY2022 --total``."""
        if not self.in_history:
            return None
        words = ["borderdesk", "history"]
        for value in self.in_history:
            words += [f"--{self.dimension}", value]
        if self.period:  # one number for the period, as count gives
            words += ["--period", self.period, "--total"]
        return " ".join(shlex.quote(w) for w in words)

    def _render(self) -> str:
        one = len(self.values) == 1
        names = ", ".join(self.values)
        named = f" (they name {self.named} citizenships)" if self.named else ""
        verb = "is" if one else "are"
        text = f"{self.dimension} {names} {verb} pooled into OTHER in CBP's encounter files{named}"
        if self.history_command:
            listed = "it" if one else ", ".join(self.in_history)
            return text + f"; `{self.history_command}` has Border Patrol figures for {listed}"
        return text + ", and the Border Patrol history tables do not list " + ("it" if one else "them")


class ReleaseNotFoundError(BorderdeskError):
    """An ``--as-of`` (or ``--from``/``--to``) release that is not in the database."""


class DownloadError(BorderdeskError):
    """A release could not be downloaded (network error, bad status, checksum mismatch)."""


class DatabaseError(BorderdeskError):
    """The database file cannot be used (newer schema, locked, not a borderdesk database)."""


class LimitError(BorderdeskError):
    """Input over one of borderdesk's limits (see docs/reliability.md): names the limit and what was
    received, so the caller knows by how much to cut. Exit code 4: not a bad value, too much of it."""

    exit_code = 4

    def __init__(self, message: str, *, limit: float, received: float | None = None, unit: str = "") -> None:
        self.limit = limit
        self.received = received
        self.unit = unit
        super().__init__(message)


class IngestLimitError(LimitError, ReleaseFormatError):
    """A release file over one of the ingest limits (``--max-bytes``, ``--max-ratio``,
    ``--max-line-bytes``, ``--max-columns``, ``--max-rows``): refused while it is read.

    Both kinds at once: a :class:`LimitError` (exit code 4: too much input, not a bad value) and a
    :class:`ReleaseFormatError` naming the file and, where there is one, the line. ``option`` is the
    limit's CLI option; the message says how to raise it."""

    def __init__(self, file: str, what: str, *, limit: int, option: str, line: int | None = None) -> None:
        self.option = option
        # LimitError's fields, set here: its __init__ takes a message, and ReleaseFormatError builds it
        self.limit = limit
        self.received = None
        self.unit = {"--max-columns": "columns", "--max-rows": "rows"}.get(option, "bytes")
        ReleaseFormatError.__init__(
            self,
            file,
            # --max-ratio's budget is in bytes (ratio x compressed size): say so, not "the limit is 65,536"
            f"{what} (the {option} limit is {limit:,} bytes for a file this size)"
            if option == "--max-ratio"
            else f"{what} (the {option} limit is {limit:,})",
            line=line,
            expected=f"a file within the ingest limits (if it is genuine, `borderdesk ingest {option} N`)",
        )


class TextTooLongError(LimitError):
    """A text to check that is longer than the limit, in characters (or in bytes, read before decoding:
    ``received`` is then None when only "more than the limit" is known, since the rest was not read)."""

    def __init__(
        self, received: int | None, limit: int, *, unit: str = "characters", where: str = "the text"
    ) -> None:
        size = f"has {received:,} {unit}, over" if received is not None else "is over"
        super().__init__(
            f"{where} {size} the limit of {limit:,} {unit}: split it and check each part",
            limit=limit,
            received=received,
            unit=unit,
        )


class CheckTimeoutError(LimitError):
    """Checking a text took longer than its time limit (``timeout`` seconds) and was stopped."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"the text took longer than {seconds:g} s to check; split it (or allow more time)",
            limit=seconds,
            unit="seconds",
        )


class DownloadLimitError(LimitError, DownloadError):
    """A download stopped by one of ``update``'s limits: a file larger than the size cap, or the
    update's overall deadline passed. Still a :class:`DownloadError` (what callers of the download
    functions catch), and a :class:`LimitError` for the exit code (4): nothing is wrong with the
    address, there was too much of it, or it took too long."""


class UpdateIncompleteError(BorderdeskError):
    """Some files of an ``update`` did not land (the others did): says how many, and exits with the
    code of the first failure's class (4 for a limit, 1 otherwise), so a scheduler can tell them apart."""

    def __init__(self, failed: int, found: int, first: BorderdeskError | None = None) -> None:
        self.failed = failed
        self.found = found
        self.first = first
        self.exit_code = first.exit_code if first is not None else BorderdeskError.exit_code
        landed = found - failed
        super().__init__(
            f"{failed} of {found} file(s) could not be downloaded or ingested (see above); "
            f"{landed} landed, and the database is unchanged for the others"
        )


class TransientDownloadError(DownloadError):
    """A download that failed in a way that may not happen again: a 5xx (or 408, 429) answer, a
    connection refused, broken off or timed out, a body cut short. ``update`` tries it again
    (``retries``); anything else (a 404, a bad URL, a limit) is final at once."""


class PageError(DownloadError):
    """A web page given to check (``borderdesk check URL``) could not be used: it could not be fetched,
    is not an HTML page, holds no article text, or is at an address the server refuses to fetch. The
    message is one line naming the URL and why."""


class PageLimitError(PageError, LimitError):
    """A page over one of the fetch limits (size, time): a :class:`PageError` for the HTTP API, and a
    :class:`LimitError` for the exit code (4)."""

    def __init__(self, message: str, *, limit: float, unit: str) -> None:
        LimitError.__init__(self, message, limit=limit, unit=unit)
