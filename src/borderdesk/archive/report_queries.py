"""The SQL behind every figure of an archive report, one query per figure, written out in full.

The report shows each query verbatim next to its figure, so a reader can rerun it on the same
``borderdesk check-archive`` output with nothing but DuckDB (``duckdb -c "..."``) and get the same
numbers: that is why the queries read the file directly (``read_parquet``/``read_json``) rather than
a view or a table this module would have to create first, and why an error type is worked out inside
the SQL (from the claim's ``alternatives`` JSON) rather than in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from borderdesk.archive.schema import COLUMN_TYPES

#: A confusion label the claim checker writes (borderdesk.claims.confusions: ``Confusion.what``, the
#: ``confusion`` key of an alternative), as a SQL LIKE pattern, and the error it names. First match
#: wins, so the longer patterns come before the ones they contain ('from the start of FY…' before 'FY…').
ERROR_TYPES: tuple[tuple[str, str], ...] = (
    ("the figure as first published%", "revised since first published"),
    ("nationwide", "nationwide figure called southern border"),
    ("the Southwest land border", "southern-border figure called nationwide"),
    ("all of CBP", "all-CBP figure called Border Patrol (or ports)"),
    ("U.S. Border Patrol", "Border Patrol figure called all of CBP"),
    ("the ports of entry (OFO)", "ports-of-entry figure called all of CBP"),
    ("% (the month before)", "wrong month"),
    ("% (the month after)", "wrong month"),
    ("calendar year %", "calendar year called fiscal year"),
    ("fiscal year %", "fiscal year called calendar year"),
    ("from the start of FY%", "fiscal year to date called a shorter period"),
    ("FY%", "wrong year (the fiscal year before)"),
)
#: An inaccurate claim no commonly confused reading matches.
NO_KNOWN_CONFUSION = "no known confusion"
#: Words of the reason of a claim that is supported only by the figure as first published
#: (borderdesk.claims.explain: "It matches the figure as first published (release …)").
FIRST_PUBLISHED_REASON = "matches the figure as first published"
REVISED = "revised since first published"
WORST_LIMIT = 10
#: The output's columns the queries read: a JSONL output is read with just these, typed, so that an
#: empty file (a run whose articles had no claims) or a column null in every line still reads.
USED_COLUMNS = (
    "article_id", "url", "outlet", "date", "claim_index", "text", "number", "verdict", "reason", "value",
    "release_label", "release_file", "alternatives",
)  # fmt: skip
DUCKDB_TYPES = {
    "string": "VARCHAR",
    "int64": "BIGINT",
    "int32": "INTEGER",
    "float64": "DOUBLE",
    "bool": "BOOLEAN",
}


@dataclass(frozen=True)
class Query:
    """One figure's name, heading and the SQL that computes it."""

    name: str
    title: str
    sql: str


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _jsonl(path: str, columns: dict[str, str]) -> str:
    typed = ", ".join(f"{name}: '{kind}'" for name, kind in columns.items())
    return f"read_json({_quote(path)}, format = 'newline_delimited', columns = {{{typed}}})"


def source_sql(path: str) -> str:
    """The table function reading a check-archive output: Parquet, or its JSONL twin (with the columns
    the queries use named and typed as the schema has them)."""
    if path.lower().endswith((".jsonl", ".ndjson")):
        return _jsonl(path, {c: DUCKDB_TYPES[COLUMN_TYPES[c]] for c in USED_COLUMNS})
    return f"read_parquet({_quote(path)})"


def matching_confusion_sql() -> str:
    """The ``confusion`` label of the first alternative reading that matches the text, or NULL."""
    return (
        "json_extract_string(list_filter(CAST(json_extract(alternatives, '$[*]') AS JSON[]), "
        "lambda a: CAST(json_extract(a, '$.matches') AS BOOLEAN) "
        "AND json_extract_string(a, '$.confusion') IS NOT NULL)[1], '$.confusion')"
    )


def error_type_sql() -> str:
    """A CASE naming the error of an inaccurate claim (or of a claim right only as first published)."""
    whens = [f"    WHEN verdict = 'supported' THEN {_quote(REVISED)}"]
    whens += [f"    WHEN confusion LIKE {_quote(p)} THEN {_quote(name)}" for p, name in ERROR_TYPES]
    return "CASE\n" + "\n".join(whens) + f"\n    ELSE {_quote(NO_KNOWN_CONFUSION)}\n  END"


def _typed(source: str) -> str:
    """The claims an error type applies to, each with its matching confusion label."""
    return (
        "WITH typed AS (\n"
        f"  SELECT *, {matching_confusion_sql()} AS confusion\n"
        f"  FROM {source}\n"
        "  WHERE verdict = 'inaccurate'\n"
        f"     OR (verdict = 'supported' AND reason LIKE {_quote('%' + FIRST_PUBLISHED_REASON + '%')})\n"
        ")\n"
    )


_COUNTS = (
    "count(DISTINCT article_id) AS articles,\n"
    "  count(verdict) AS claims,\n"
    "  count(*) FILTER (WHERE verdict = 'supported') AS supported,\n"
    "  count(*) FILTER (WHERE verdict = 'inaccurate') AS inaccurate,\n"
    "  count(*) FILTER (WHERE verdict = 'unverifiable') AS unverifiable,\n"
    "  round(count(*) FILTER (WHERE verdict = 'inaccurate')\n"
    "        / nullif(count(*) FILTER (WHERE verdict IN ('supported', 'inaccurate')), 0), 3)"
    " AS inaccurate_share"
)


def queries(path: str, worst: int = WORST_LIMIT) -> list[Query]:
    """Every figure's query over the check-archive output at ``path`` (as the report will name it)."""
    src = source_sql(path)
    month = "left(CAST(date AS VARCHAR), 7)"
    return [
        Query(
            "totals",
            "Totals",
            f"SELECT\n  {_COUNTS},\n  count(DISTINCT outlet) AS outlets,\n"
            f"  min(CAST(date AS VARCHAR)) AS first_date,\n  max(CAST(date AS VARCHAR)) AS last_date\n"
            f"FROM {src}",
        ),
        Query(
            "outlets",
            "Claims and inaccurate share by outlet",
            f"SELECT\n  coalesce(outlet, '(no outlet)') AS outlet,\n  {_COUNTS}\nFROM {src}\n"
            "GROUP BY 1\nORDER BY claims DESC, outlet",
        ),
        Query(
            "months",
            "Claims and inaccurate share by month of the article",
            f"SELECT\n  coalesce({month}, '(undated)') AS month,\n  {_COUNTS}\nFROM {src}\n"
            "GROUP BY 1\nORDER BY month",
        ),
        Query(
            "errors",
            "Commonest error types",
            _typed(src) + f"SELECT\n  {error_type_sql()} AS error_type,\n  count(*) AS claims,\n"
            "  count(DISTINCT article_id) AS articles\n"
            "FROM typed\nGROUP BY 1\nORDER BY claims DESC, error_type",
        ),
        Query(
            "worst",
            "Worst examples (inaccurate claims by relative error |number − value| / value)",
            _typed(src) + "SELECT\n  article_id, outlet, CAST(date AS VARCHAR) AS date, url,\n"
            "  text, number, value,\n"
            "  round(abs(number - value) / nullif(abs(value), 0), 3) AS relative_error,\n"
            f"  {error_type_sql()} AS error_type,\n  release_label, release_file, reason\nFROM typed\n"
            "WHERE verdict = 'inaccurate'\n"
            "ORDER BY relative_error DESC NULLS LAST, article_id, claim_index\n"
            f"LIMIT {int(worst)}",
        ),
    ]


def run_queries(manifest: str | None, errors: str | None) -> list[Query]:
    """The figures of the run beside the claims: the articles done (check-archive's manifest, which
    lists the articles without claims too) and the articles that failed (its errors file)."""
    out = []
    if manifest is not None:
        src = _jsonl(manifest, {"article_id": "VARCHAR", "claims": "BIGINT"})
        out.append(
            Query(
                "run",
                "Articles checked",
                "SELECT\n  count(DISTINCT article_id) AS articles_checked,\n"
                "  count(DISTINCT article_id) FILTER (WHERE claims > 0) AS with_claims,\n"
                "  count(DISTINCT article_id) FILTER (WHERE claims = 0) AS without_claims\n"
                f"FROM {src}\nWHERE article_id IS NOT NULL  -- the first line is the manifest's header",
            )
        )
    if errors is not None:
        src = _jsonl(errors, {"error": "VARCHAR", "article_id": "VARCHAR"})
        out.append(
            Query(
                "failed",
                "Articles that failed (the latest run's errors file)",
                f"SELECT\n  error,\n  count(*) AS articles\nFROM {src}\nGROUP BY error\n"
                "ORDER BY articles DESC, error",
            )
        )
    return out
