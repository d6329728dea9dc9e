"""The columns of ``borderdesk check-archive``'s output: the contract its readers (``archive-report``,
bench/archive.py, a reporter's notebook) depend on.

One row per claim. The schema is fixed (every column in every row, nullable), so that Parquet row
groups written batch by batch, by any engine, on any machine, agree, and so that a reader can name a
column without first looking at the data. The check JSON of claim-check.md ("Output (--json)") is
flattened: a nested object's keys become ``parent_child`` columns; a list becomes JSON text.

======================================  =======  ====================================================
column                                  type     what it holds
======================================  =======  ====================================================
article_id                              string   the article's id (JSONL/Parquet ``id``; a folder
                                                 file's path relative to the folder)
url                                     string   the article's url, when the input gives one
outlet                                  string   the article's outlet, when the input gives one
date                                    string   YYYY-MM-DD, the date the check read the text at: the
                                                 article's own date, else the HTML page's, else
                                                 --date, else just after the newest data month
date_from                               string   where ``date`` came from: article | page | --date |
                                                 data (as ``check URL``'s ``date_from``)
input                                   string   the input file (JSONL, Parquet, or the folder's file)
                                                 as given on the command line
input_line                              int64    1-based JSONL line / Parquet row; null for a folder
                                                 file (its path is in ``input``)
content_hash                            string   sha256 hex of the article's text or html as read
claim_index                             int32    0-based order of the claim in the article
span_start, span_end                    int64    the claim's span in the checked text (characters)
figure_span_start, figure_span_end      int64    the figure's span in the checked text
text                                    string   the claim as written
number                                  float64  the stated number
qualifier                               string   exact | about | more_than | at_least | nearly |
                                                 less_than
kind                                    string   count | comparison
verdict                                 string   supported | inaccurate | unverifiable
reason                                  string   the reason in words
value                                   float64  the value found (counts are exact integers); null
                                                 when unverifiable
question_measure                        string   the question asked of the data ...
question_citizenship                    string   ... its citizenships as JSON text (``["RUSSIA"]``)
question_region                         string
question_component                      string
question_demographic                    string
question_title                          string
question_aor                            string
question_state                          string
question_period_start, _end, _label     string   YYYY-MM, YYYY-MM, "Nov 2022"
question_compare_to_start, _end, _label string   a comparison's earlier side
release_label, release_file,            string   the release the value comes from
release_sha256, release_published
sql                                     string   the SQL that computed the value
as_published_release_label, _file,      string   the figure in the release current at the article's
_sha256, _published                              date (when it differs from the newest)
as_published_value                      float64
as_published_matches                    bool
alternatives                            string   JSON text: [{question, value, matches, release,
                                                 confusion}]
cues                                    string   JSON text: [{category, value, words, source}]
notes                                   string   the report's notes as JSON text (article level: the
                                                 same on each of its rows), null when none
page_title                              string   an HTML article's title (from the page)
extra                                   string   JSON text of any key of a claim's JSON not listed
                                                 here (null when none), so that nothing is dropped
======================================  =======  ====================================================

The errors file (JSONL; default ``<stem>.errors.jsonl`` beside ``<stem>.parquet``, or ``--errors``)
has one object per failed article with :data:`ERROR_FIELDS`; ``error`` is one of :data:`ERROR_KINDS`.
The manifest ``OUT.articles.jsonl`` (``claims.parquet.articles.jsonl``) lists every article done, those
without a claim too: a header line ``{"borderdesk-archive": 1, "output": "claims.parquet", "errors":
"claims.errors.jsonl"}`` (the errors file relative to OUT's folder: archive-report finds it there), then one
object per article with :data:`MANIFEST_FIELDS` (``claims`` is how many rows it has in OUT).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

#: The output's columns in order, with their Arrow type names (pyarrow is imported only by the writers).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("article_id", "string"),
    ("url", "string"),
    ("outlet", "string"),
    ("date", "string"),
    ("date_from", "string"),
    ("input", "string"),
    ("input_line", "int64"),
    ("content_hash", "string"),
    ("claim_index", "int32"),
    ("span_start", "int64"),
    ("span_end", "int64"),
    ("figure_span_start", "int64"),
    ("figure_span_end", "int64"),
    ("text", "string"),
    ("number", "float64"),
    ("qualifier", "string"),
    ("kind", "string"),
    ("verdict", "string"),
    ("reason", "string"),
    ("value", "float64"),
    ("question_measure", "string"),
    ("question_citizenship", "string"),
    ("question_region", "string"),
    ("question_component", "string"),
    ("question_demographic", "string"),
    ("question_title", "string"),
    ("question_aor", "string"),
    ("question_state", "string"),
    ("question_period_start", "string"),
    ("question_period_end", "string"),
    ("question_period_label", "string"),
    ("question_compare_to_start", "string"),
    ("question_compare_to_end", "string"),
    ("question_compare_to_label", "string"),
    ("release_label", "string"),
    ("release_file", "string"),
    ("release_sha256", "string"),
    ("release_published", "string"),
    ("sql", "string"),
    ("as_published_release_label", "string"),
    ("as_published_release_file", "string"),
    ("as_published_release_sha256", "string"),
    ("as_published_release_published", "string"),
    ("as_published_value", "float64"),
    ("as_published_matches", "bool"),
    ("alternatives", "string"),
    ("cues", "string"),
    ("notes", "string"),
    ("page_title", "string"),
    ("extra", "string"),
)

COLUMN_NAMES: tuple[str, ...] = tuple(name for name, _ in COLUMNS)
COLUMN_TYPES: dict[str, str] = dict(COLUMNS)

#: Columns that describe the article (the same on each of its rows), the rest describe the claim.
ARTICLE_COLUMNS = (
    "article_id",
    "url",
    "outlet",
    "date",
    "date_from",
    "input",
    "input_line",
    "content_hash",
    "notes",
    "page_title",
)

#: The key of the Parquet key-value metadata (and the JSONL manifest's header) that marks a file as
#: check-archive's own output: only such a file is ever appended to or replaced.
MARKER = "borderdesk-archive"
#: The output format's version, written beside the marker; a reader refuses one it does not know.
FORMAT_VERSION = 1

#: Fields of each article line of the manifest (``part`` is internal: null once the rows are in OUT).
MANIFEST_FIELDS = ("article_id", "content_hash", "input", "input_line", "claims", "part")
#: Fields of each object in the errors file (JSONL).
ERROR_FIELDS = ("input", "input_line", "article_id", "url", "outlet", "error", "message")
#: The ``error`` kinds: what went wrong with the article, in a word a script can group by.
ERROR_KINDS = (
    "malformed_json",
    "missing_field",
    "not_utf8",
    "empty_article",
    "duplicate_id",
    "no_article_in_html",
    "bad_date",
    "too_large",
    "timeout",
    "check_failed",
)


def arrow_schema() -> pa.Schema:
    """:data:`COLUMNS` as a ``pyarrow.Schema`` (with the marker in its metadata); pyarrow is imported
    here, not at the top, so that the CLI starts without it."""
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "int64": pa.int64(),
        "int32": pa.int32(),
        "float64": pa.float64(),
        "bool": pa.bool_(),
    }
    return pa.schema(
        [pa.field(name, types[kind], nullable=True) for name, kind in COLUMNS],
        metadata={MARKER: str(FORMAT_VERSION)},
    )
