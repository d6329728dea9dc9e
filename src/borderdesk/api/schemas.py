"""The JSON shapes of the API, for OpenAPI (``/openapi.json``) and its readers.

Endpoints return the core's own ``to_dict()`` as it is (see interfaces.md); these models describe it.
Every model allows extra keys, so the core may add fields without breaking a client or the schema.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from borderdesk.http.middleware import MAX_QUERY
from borderdesk.limits import ARTICLE_DEADLINE, DEFAULT_TIMEOUT, MAX_ARTICLE_BYTES, MAX_SHARED_TEXT

#: Characters a url to check may have (browsers and servers stop at about this many).
MAX_URL = 2048


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Coverage(_Open):
    start: str = Field(description="First month, YYYY-MM.", examples=["2022-10"])
    end: str = Field(description="Last month, YYYY-MM.", examples=["2025-11"])


class ReleaseBrief(_Open):
    """The release (vintage) an answer came from."""

    label: str
    file: str
    sha256: str
    published: str | None = None
    family: str | None = None
    coverage: Coverage | None = None
    source: str | None = None


class QuestionOut(_Open):
    """The question as understood: canonical filters, the period, the source family, a sentence."""

    measure: str = "encounters"
    region: str = "nationwide"
    period: str | None = None
    text: str | None = None


class Compared(_Open):
    value: int
    period: str | None
    change: int
    percent: float | None
    release: ReleaseBrief


class CountOut(_Open):
    """One number with its provenance (``compare=true`` adds ``previous`` and ``year_earlier``)."""

    value: int = Field(examples=[5507])
    release: ReleaseBrief
    releases: list[ReleaseBrief]
    question: QuestionOut
    sql: str
    params: list[str]
    previous: Compared | None = None
    year_earlier: Compared | None = None
    notes: list[str] | None = None


class FrameOut(_Open):
    """Rows with provenance: a breakdown with shares (table) or a series of months or years."""

    columns: list[str]
    rows: list[list[Any]]
    total: int
    release: ReleaseBrief
    releases: list[ReleaseBrief]
    question: QuestionOut
    sql: str
    params: list[str]


class AnalysisOut(_Open):
    """An analysis table (surges, revisions, events): rows, the releases used, how it was computed."""

    columns: list[str]
    rows: list[list[Any]]
    release: ReleaseBrief | None = None
    releases: list[ReleaseBrief] = []
    question: dict[str, Any] = {}
    method: str = ""
    notes: list[str] = []


class ReleaseOut(_Open):
    """One ingested release: provenance recorded at ingest."""

    label: str
    family: str
    format: str
    file: str
    sha256: str
    bytes: int
    rows: int
    coverage: Coverage
    published: str | None = Field(
        description="When CBP published the release (YYYY-MM-DD), from the known releases, the "
        "download or --release-date; null when unknown. Never the time it was stored here."
    )
    ingested_at: str = Field(description="When this database stored the file (not a CBP date).")
    origin: str
    source: str | None
    note: str | None = None
    official: bool = Field(
        False,
        description="An official CBP release that is trusted: CBP's own format (not derived) and "
        "not an unknown file ingested by hand.",
    )
    unofficial: bool = Field(
        False,
        description="Ingested by hand and not a known CBP release: answers only when asked for by "
        "name (as_of) or for months no official release covers.",
    )


class DimensionOut(_Open):
    name: str
    label: str
    description: str
    values: list[str] = Field(
        description="Canonical values CBP's releases can answer; aliases and any case are accepted too."
    )
    pooled: list[str] | None = Field(
        default=None,
        description="Citizenship only: countries CBP's releases pool into OTHER (so a count cannot answer "
        "them); the Border Patrol history tables list them (ask with component=usbp).",
    )


class CheckIn(BaseModel):
    """A text to check, or the URL of a web page whose article to check (one of the two), and the day
    it was published (anchors "in March", "last month"...)."""

    model_config = ConfigDict(extra="forbid")

    # The length is checked by the endpoint, not here, so that a long text gets its own 413 (naming
    # the limit and the length) rather than a generic 422; the schema still says maxLength.
    text: str | None = Field(
        default=None,
        description=f"Plain text or Markdown, at most {MAX_SHARED_TEXT:,} characters (413 beyond); "
        f"checking stops after the server's time limit ({DEFAULT_TIMEOUT:g} s by default, 422 beyond). "
        "Give either text or url.",
        examples=["In November alone, CBP ..."],
        json_schema_extra={"maxLength": MAX_SHARED_TEXT},
    )
    url: str | None = Field(
        default=None,
        description="An http:// or https:// web page: the server fetches it (at most "
        f"{MAX_ARTICLE_BYTES // (1024 * 1024)} MB, within {ARTICLE_DEADLINE:g} s), takes out the article "
        "text and its publication date, and checks it; the answer's source says which page and date. "
        "A page that cannot be used gets 422 naming why. Pages on loopback, private or link-local "
        "addresses are refused unless the server was started with --allow-private-urls.",
        # no example value: a schema-driven test client would fetch it from the internet
        json_schema_extra={"maxLength": MAX_URL},
    )
    date: dt.date | None = Field(
        default=None,
        description="Publication date, YYYY-MM-DD; for a url, overrides the page's own. Default: the "
        "page's date, else the newest data month is 'now'.",
    )


class SourceOut(_Open):
    """The page a url check read: where it ended up, its title, the date used and where it came from."""

    url: str = Field(description="The page's URL after redirects.")
    title: str | None
    date: str = Field(description="The date the article was read at, YYYY-MM-DD.")
    date_from: str = Field(
        description="'page' (the page's publication date), '--date' (the request's date) or 'data' "
        "(no date on the page: the newest data month is 'now').",
        examples=["page"],
    )


class ClaimOut(_Open):
    """One claim (claim-check.md)."""

    span: list[int] = Field(description="[start, end) character offsets into the text.")
    text: str
    number: float
    qualifier: str
    kind: str
    question: dict[str, Any] | None = None
    value: float | None = None
    verdict: str = Field(description="supported, inaccurate or unverifiable.")
    reason: str
    alternatives: list[dict[str, Any]] = []
    release: ReleaseBrief | None = None
    sql: str | None = None


class CheckOut(_Open):
    date: str | None
    claims: list[ClaimOut]
    source: SourceOut | None = Field(default=None, description="Only for a url: the page checked.")


class ErrorOut(_Open):
    """Every error: the status, a short kind, a message, and what was wrong with which parameter."""

    status: int = Field(examples=[400])
    error: str = Field(examples=["unknown value"])
    message: str = Field(examples=["unknown citizenship 'Rusia' (did you mean RUSSIA?)"])
    parameter: str | None = Field(default=None, examples=["citizenship"])
    value: str | None = None
    allowed: list[str] | None = None
    suggestions: list[str] | None = None
    coverage: list[dict[str, str]] | None = None
    pooled: bool | None = Field(
        default=None, description="True when the value is a citizenship CBP's releases pool into OTHER."
    )
    pooled_values: list[str] | None = None
    see: dict[str, str] | None = Field(
        default=None,
        description="Where Border Patrol figures for a pooled citizenship are: CLI command, API call, page.",
    )
    limit: float | None = Field(
        default=None, description="The limit exceeded (characters, bytes or seconds: see unit)."
    )
    received: float | None = Field(default=None, description="How much was sent, when known.")
    unit: str | None = None


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {
        "model": ErrorOut,
        "description": "A parameter the data does not know (names it and what it may be)",
    },
    404: {"model": ErrorOut, "description": "Nothing in the data answers this (says what is covered)"},
    414: {"model": ErrorOut, "description": f"The query string is over {MAX_QUERY:,} bytes"},
    422: {
        "model": ErrorOut,
        "description": "A parameter of the wrong type, length or range, or repeated too often",
    },
}

#: The check endpoint's own errors: a text over the size limit, a check over the time limit.
CHECK_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    413: {"model": ErrorOut, "description": "The text (or the body) is over the size limit; says the limit"},
    422: {
        "model": ErrorOut,
        "description": "A field of the wrong type, a text that took longer than the time limit to check, "
        "or a url whose page cannot be checked (not found, not HTML, too big, too slow, a private "
        "address, no article text)",
    },
}


class DatabaseStatusOut(_Open):
    """The database file a request answers from."""

    path: str
    bytes: int | None
    schema_version: int | None
    generation: int | None
    releases: int
    newest_release: str | None


class IndexStatusOut(_Open):
    """The in-memory fact index of the answering process (see docs/explanation/architecture.md)."""

    enabled: bool
    tables_loaded: int
    rows: int
    bytes: int = Field(description="Bytes the loaded arrays hold.")
    max_bytes: int = Field(
        description="The cap (BORDERDESK_INDEX_MAX_BYTES); least recently used tables go past it."
    )
    rent: int = Field(description="SQL questions a table answers before its arrays are loaded.")
    hits: int = Field(description="Answers computed from the index.")
    misses: int = Field(description="Answers computed by SQL.")
    evictions: int


class StatusOut(_Open):
    """What ``GET /api/status`` returns (and ``borderdesk info --format json`` prints)."""

    database: DatabaseStatusOut
    index: IndexStatusOut
