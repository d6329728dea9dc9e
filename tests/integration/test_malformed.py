"""Malformed release files, built from real CBP bytes: each is rejected precisely and changes nothing.

The requirement: every file is checked fully before anything is committed; an error names file, line,
column, the bad value and what was expected; a failed ingest leaves the database exactly as it was.
Each case below edits a real file in one place, so the expected line, column and value are known from
how the file was built. Most cases use the by-state file cut to 2,000 rows; the ``deep-*`` cases put the
defect far into the whole file, to show the check does not stop early.
"""

from __future__ import annotations

import codecs
import datetime as dt
import gzip
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import malformed_cases as mc
import pytest
from malformed_cases import AOR_FULL, SOUTHWEST_FULL, STATE_FULL, STATE_SHORT, Built, Expect

import borderdesk
from borderdesk import Desk
from borderdesk.errors import BorderdeskError, ReleaseFormatError

pytestmark = pytest.mark.skipif(
    not mc.data_available(), reason=f"real CBP files not found in {mc.DATA} (restored from data/cbp)"
)

NEXT_YEAR = dt.date.today().year + 1
COUNT = "Encounter Count"
PDF = mc.DATA / "usbp-historical" / "u.s._border_patrol_total_apprehensions_fy_1925_fy_2019_.pdf"


def _drop_last(line: bytes) -> bytes:
    return mc.join(mc.split(line)[:-1], mc.eol_of(line))


def _add_field(line: bytes) -> bytes:
    return mc.join([*mc.split(line), "7"], mc.eol_of(line))


def _bare_cr_in_value(line: bytes) -> bytes:
    fields = mc.split(line)
    return (",".join(fields[:6]) + f',"{fields[6]}\rX",' + ",".join(fields[7:])).encode() + mc.eol_of(line)


def _cr_line_endings(data: bytes) -> bytes:
    """Classic Mac OS line endings: CR alone."""
    return data.replace(b"\r\n", b"\r")


def _line_separator_then_short_row(directory: Path) -> Built:
    """U+2028 (a line break to str.splitlines, not to CSV) in a value must not shift later line numbers."""
    lines = STATE_SHORT.lines()
    fields = mc.split(lines[499])
    fields[6] += "\u2028X"
    lines[499] = mc.join(fields)
    lines[1_599] = _drop_last(lines[1_599])
    path = mc.write(directory, "state-short-u2028.csv", b"".join(lines))
    return Built(path, Expect(line=1_600, problem="8 fields"))


def _semicolons(line: bytes) -> bytes:
    return mc.join(mc.split(line), mc.eol_of(line), delimiter=";")


def _unclosed_quote(line: bytes) -> bytes:
    fields = mc.split(line)
    return (",".join(fields[:6]) + ',"' + ",".join(fields[6:])).encode() + mc.eol_of(line)


def _newline_in_value(line: bytes) -> bytes:
    fields = mc.split(line)
    return (",".join(fields[:6]) + f',"{fields[6]}\r\nX",' + ",".join(fields[7:])).encode() + mc.eol_of(line)


HTML = (
    b"<!DOCTYPE html>\r\n<html><head><title>Nationwide Encounters | U.S. Customs and Border Protection"
    b"</title></head>\r\n<body><p>Access Denied</p></body></html>\r\n"
)

CASES = [
    # -- not a UTF-8 comma-separated text file ---------------------------------------------------------
    pytest.param(mc.whole(STATE_SHORT, "tabs", mc.redelimit("\t"), "one field", line=1), id="tab-separated"),
    pytest.param(
        mc.whole(STATE_SHORT, "semi", mc.redelimit(";"), "one field", line=1), id="semicolon-separated"
    ),
    pytest.param(mc.whole(STATE_SHORT, "pipe", mc.redelimit("|"), "one field", line=1), id="pipe-separated"),
    pytest.param(
        mc.whole(STATE_SHORT, "u16le-bom", mc.encode("utf-16-le", codecs.BOM_UTF16_LE), "UTF-16", line=1),
        id="utf16-le-bom",
    ),
    pytest.param(
        mc.whole(STATE_SHORT, "u16be-bom", mc.encode("utf-16-be", codecs.BOM_UTF16_BE), "UTF-16", line=1),
        id="utf16-be-bom",
    ),
    pytest.param(
        mc.whole(STATE_SHORT, "u16le", mc.encode("utf-16-le"), "UTF-16", line=1), id="utf16-le-no-bom"
    ),
    pytest.param(
        mc.whole(STATE_SHORT, "u16be", mc.encode("utf-16-be"), "UTF-16", line=1), id="utf16-be-no-bom"
    ),
    pytest.param(mc.whole(STATE_SHORT, "u32", mc.encode("utf-32"), "UTF-32", line=1), id="utf32-bom"),
    pytest.param(
        mc.whole(STATE_SHORT, "u32be", mc.encode("utf-32-be"), "UTF-32", line=1), id="utf32-be-no-bom"
    ),
    pytest.param(
        mc.set_field(
            STATE_SHORT, 1_507, "Citizenship", "M\ufffdXICO", "UTF-8", raw="MÉXICO".encode("latin-1")
        ),
        id="latin1-e-acute",
    ),
    pytest.param(
        mc.set_field(STATE_SHORT, 1_203, "Demographic", "Single\x00Adults", "NUL byte"), id="nul-byte-in-row"
    ),
    pytest.param(mc.whole(STATE_SHORT, "zlib", zlib.compress, "binary data"), id="binary-garbage"),
    pytest.param(mc.copy_of(mc.XLSX, "encounters.csv", "ZIP archive", line=1), id="xlsx-named-csv"),
    pytest.param(
        mc.whole(STATE_SHORT, "zip", mc.zipped("encounters.csv"), "ZIP archive", line=1), id="zip-of-csv"
    ),
    pytest.param(mc.copy_of(PDF, "apprehensions.csv", "PDF", line=1), id="pdf-named-csv"),
    pytest.param(mc.whole(STATE_SHORT, "bz2", mc.bzip2, "bzip2", line=1), id="bzip2-named-csv"),
    pytest.param(mc.whole(STATE_SHORT, "xz", mc.xz, "xz archive", line=1), id="xz-named-csv"),
    pytest.param(
        mc.whole(STATE_SHORT, "trunc", mc.gzip_truncated, "damaged gzip", suffix=".csv.gz"),
        id="gzip-truncated",
    ),
    pytest.param(
        mc.whole(STATE_SHORT, "corrupt", mc.gzip_corrupt, "damaged gzip", suffix=".csv.gz"), id="gzip-corrupt"
    ),
    pytest.param(
        mc.whole(STATE_SHORT, "crc", mc.gzip_bad_crc, "damaged gzip", suffix=".csv.gz"), id="gzip-bad-crc"
    ),
    pytest.param(
        mc.whole(
            STATE_SHORT,
            "gz-u16",
            lambda d: gzip.compress(mc.encode("utf-16-le", codecs.BOM_UTF16_LE)(d), mtime=0),
            "UTF-16",
            line=1,
            suffix=".csv.gz",
        ),
        id="gzip-of-utf16",
    ),
    pytest.param(mc.whole(STATE_SHORT, "empty", lambda d: b"", "empty"), id="empty-file"),
    pytest.param(mc.whole(STATE_SHORT, "blank", lambda d: b"\r\n \r\n\r\n", "empty"), id="blank-lines-only"),
    pytest.param(mc.whole(STATE_SHORT, "html", lambda d: HTML, "header", line=1), id="html-error-page"),
    # -- structure: records and quoting ---------------------------------------------------------------
    pytest.param(
        mc.whole(
            STATE_SHORT, "header-only", lambda d: d.splitlines(keepends=True)[0], "no data rows", line=2
        ),
        id="header-only",
    ),
    pytest.param(mc.insert_line(STATE_SHORT, 1_000, b"\r\n", "blank line"), id="blank-line-in-middle"),
    pytest.param(mc.insert_line(STATE_SHORT, 2, b"  \r\n", "blank line"), id="blank-line-after-header"),
    pytest.param(
        mc.replace_line(STATE_SHORT, 1_001, lambda line: b",,,,,,,,\r\n", "fiscal year", value=False),
        id="row-of-empty-fields",
    ),
    pytest.param(mc.replace_line(STATE_SHORT, 1_234, _drop_last, "8 fields"), id="row-missing-field"),
    pytest.param(mc.replace_line(STATE_SHORT, 1_235, _add_field, "10 fields"), id="row-extra-field"),
    pytest.param(mc.replace_line(STATE_SHORT, 701, _semicolons, "wrong delimiter"), id="row-with-semicolons"),
    pytest.param(
        mc.replace_line(STATE_SHORT, 1_500, _unclosed_quote, "quot", value=False), id="unclosed-quote"
    ),
    pytest.param(
        mc.replace_line(STATE_SHORT, 1_501, _newline_in_value, "spans several lines", value=False),
        id="quoted-newline-in-value",
    ),
    pytest.param(mc.replace_line(STATE_FULL, 30_001, _drop_last, "8 fields"), id="deep-row-missing-field"),
    pytest.param(
        mc.replace_line(STATE_SHORT, 1_502, _bare_cr_in_value, "carriage return", value=False),
        id="quoted-cr-in-value",
    ),
    pytest.param(
        mc.whole(STATE_SHORT, "cr", _cr_line_endings, "carriage return", line=1), id="cr-line-endings"
    ),
    pytest.param(_line_separator_then_short_row, id="u2028-in-value-then-short-row"),
    # -- the header ----------------------------------------------------------------------------------
    pytest.param(mc.add_header_column(STATE_SHORT, "Notes", "unexpected column"), id="header-unknown-column"),
    pytest.param(
        mc.set_header(STATE_SHORT, "Demographic", None, "missing column"), id="header-missing-column"
    ),
    pytest.param(
        mc.set_header(STATE_SHORT, "State", "Citizenship", "column twice", at_column=True),
        id="header-column-twice",
    ),
    pytest.param(
        mc.set_header(STATE_SHORT, "Citizenship", "Citizen", "missing column", at_column=True),
        id="header-renamed",
    ),
    pytest.param(
        mc.set_header(STATE_SHORT, "Month (abbv)", "month_abbv", "missing column", at_column=True),
        id="header-mixed-spellings",
    ),
    pytest.param(
        mc.set_header(
            SOUTHWEST_FULL, "Citizenship Grouping", "Citizenship", "missing column", at_column=True
        ),
        id="southwest-header-citizenship",
    ),
    # -- values ---------------------------------------------------------------------------------------
    pytest.param(
        mc.set_field(STATE_SHORT, 1_501, "Month (abbv)", "OCTOBER2", "unknown month"), id="month-october2"
    ),
    pytest.param(mc.set_field(STATE_SHORT, 1_502, "Month (abbv)", "13", "unknown month"), id="month-13"),
    pytest.param(mc.set_field(STATE_SHORT, 17, "Fiscal Year", "1899", "fiscal year"), id="fy-1899"),
    pytest.param(mc.set_field(STATE_SHORT, 18, "Fiscal Year", "1924", "fiscal year"), id="fy-1924"),
    pytest.param(mc.set_field(STATE_SHORT, 1_999, "Fiscal Year", "2999", "fiscal year"), id="fy-2999"),
    pytest.param(
        mc.set_field(STATE_SHORT, 1_998, "Fiscal Year", str(NEXT_YEAR + 1), "fiscal year"),
        id="fy-after-next-year",
    ),
    pytest.param(mc.set_field(STATE_SHORT, 640, "Fiscal Year", "20X4", "fiscal year"), id="fy-20X4"),
    pytest.param(mc.set_field(STATE_SHORT, 641, "Fiscal Year", "", "fiscal year"), id="fy-empty"),
    pytest.param(
        mc.set_field(STATE_SHORT, 642, "Fiscal Year", "２０２１", "fiscal year"), id="fy-fullwidth-digits"
    ),
    pytest.param(
        mc.set_field(STATE_SHORT, 900, "Land Border Region", "Southwestern", "unknown value"),
        id="region-southwestern",
    ),
    pytest.param(mc.set_field(STATE_SHORT, 1_300, COUNT, "-5", "out of range"), id="count-negative"),
    pytest.param(mc.set_field(STATE_SHORT, 1_301, COUNT, "12.5", "whole number"), id="count-decimal"),
    pytest.param(
        mc.set_field(STATE_SHORT, 1_302, COUNT, "10000001", "out of range"), id="count-above-10-million"
    ),
    pytest.param(mc.set_field(STATE_SHORT, 1_303, COUNT, "1e3", "whole number"), id="count-exponent"),
    pytest.param(mc.set_field(STATE_SHORT, 1_304, COUNT, "", "whole number"), id="count-empty"),
    pytest.param(
        mc.set_field(STATE_SHORT, 1_305, COUNT, "1,234", "whole number"), id="count-thousands-separator"
    ),
    pytest.param(
        mc.set_field(STATE_SHORT, 1_306, COUNT, "99999999999999999999", "out of range"),
        id="count-beyond-64-bits",
    ),
    pytest.param(mc.set_field(STATE_SHORT, 1_307, COUNT, "N/A", "whole number"), id="count-not-available"),
    pytest.param(mc.set_field(STATE_SHORT, 1_308, COUNT, "0x10", "whole number"), id="count-hexadecimal"),
    pytest.param(mc.set_field(STATE_SHORT, 1_309, COUNT, "+5", "whole number"), id="count-plus-sign"),
    pytest.param(
        mc.set_field(STATE_SHORT, 1_111, "Demographic", "Adults", "unknown value"), id="demographic-unknown"
    ),
    pytest.param(
        mc.set_field(STATE_SHORT, 1_112, "Title of Authority", "Title 9", "unknown value"), id="title-9"
    ),
    pytest.param(mc.set_field(STATE_SHORT, 1_113, "State", "Texas", "unknown value"), id="state-texas"),
    pytest.param(
        mc.set_field(STATE_SHORT, 1_114, "Citizenship", "", "unknown value"), id="citizenship-empty"
    ),
    pytest.param(
        mc.set_field(SOUTHWEST_FULL, 1_700, "Encounter Type", "Deportations", "unknown value"),
        id="southwest-encounter-type",
    ),
    pytest.param(
        mc.set_field(SOUTHWEST_FULL, 77, "Component", "Border Patrol", "unknown value"),
        id="southwest-component",
    ),
    pytest.param(
        mc.set_field(AOR_FULL, 50_001, "encounter_count", "-1", "out of range"), id="aor-gz-deep-count"
    ),
    pytest.param(mc.set_field(STATE_FULL, 30_001, COUNT, "-3", "out of range"), id="deep-count-negative"),
    pytest.param(
        mc.set_field(STATE_FULL, 35_631, "Month (abbv)", "SEPT.", "unknown month"), id="deep-last-line-month"
    ),
    pytest.param(
        mc.set_field(
            STATE_FULL, 33_333, "Demographic", "Single Adults\ufffd", "UTF-8", raw=b"Single Adults\x96"
        ),
        id="deep-cp1252-dash",
    ),
    # -- duplicate keys (the same dimensions twice, whatever the counts) ---------------------------------
    pytest.param(mc.duplicate(STATE_SHORT, 10, 1_800), id="duplicate-same-count"),
    pytest.param(mc.duplicate(STATE_FULL, 2, 35_000, Encounter_Count="999"), id="deep-duplicate-other-count"),
    pytest.param(
        mc.duplicate(STATE_SHORT, 20, 1_900, Month_Grouping="Remaining"), id="duplicate-other-month-grouping"
    ),
    pytest.param(
        mc.duplicate(STATE_SHORT, 30, 31, Demographic="single adults", Encounter_Count="5"),
        id="duplicate-other-spelling",
    ),
    pytest.param(mc.duplicate(AOR_FULL, 3, 60_000), id="duplicate-in-aor-gz"),
    pytest.param(
        mc.duplicate(SOUTHWEST_FULL, 1_000, 1_001, Encounter_Count="0"), id="duplicate-southwest-adjacent"
    ),
]


def _check_error(err: ReleaseFormatError, built: Built) -> None:
    exp: Expect = built.expect
    msg = str(err)
    assert isinstance(err, BorderdeskError)
    assert err.file == built.path.name
    assert msg.startswith(built.path.name), msg
    assert err.problem, msg
    assert err.expected, msg
    assert f"expected {err.expected}" in msg
    for fragment in (exp.problem, *exp.also):
        assert fragment.lower() in msg.lower(), msg
    if exp.line is not None:
        assert err.line == exp.line, msg
        assert f"line {exp.line}" in msg
    if exp.column is not None:
        assert err.column == exp.column, msg
        assert f"column {err.column_number} ({exp.column!r})" in msg
    if exp.column_number is not None:
        assert err.column_number == exp.column_number, msg
    if exp.value is not None:
        assert err.value == exp.value, msg


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    """One database for the module, already holding one real release."""
    path = tmp_path_factory.mktemp("malformed") / "desk.duckdb"
    first = borderdesk.open(path, snapshot=False, read_only=False)
    assert first.ingest(mc.SOUTHWEST).status == "ingested"
    first.close()  # checkpoint: from here on, the file on disk must not change
    d = borderdesk.open(path, snapshot=False, read_only=False)
    yield d
    d.close()


@pytest.mark.parametrize("build", CASES)
def test_malformed_file_is_rejected_and_changes_nothing(
    build: mc.Builder, desk: Desk, tmp_path: Path
) -> None:
    built = build(tmp_path)
    before = mc.db_state(desk.con)
    on_disk = mc.file_digest(desk.path)

    with pytest.raises(ReleaseFormatError) as info:
        desk.ingest(built.path)

    _check_error(info.value, built)
    desk.con.execute("BEGIN TRANSACTION")  # fails if the failed ingest left a transaction open
    desk.con.execute("ROLLBACK")
    assert mc.db_state(desk.con) == before
    assert mc.db_state(desk.con.cursor()) == before  # what another connection sees (committed state)
    assert mc.file_digest(desk.path) == on_disk
    assert desk.ingest(mc.SOUTHWEST).status == "unchanged"


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40


# -- valid variants: what the requirement allows must still be accepted ----------------------------------
def _boundaries(data: bytes) -> bytes:
    """The extreme values that are still valid: FY1925, next year's FY, counts 0 and 10,000,000."""
    lines = data.splitlines(keepends=True)
    edits = {
        2: ("Fiscal Year", "1925"),
        3: ("Fiscal Year", f"{NEXT_YEAR} (FYTD)"),
        4: (COUNT, "0"),
        5: (COUNT, "10000000"),
        6: (COUNT, " 7 "),
    }
    for line, (column, value) in edits.items():
        fields = mc.split(lines[line - 1])
        fields[STATE_SHORT.column_index(column)] = value
        lines[line - 1] = mc.join(fields, mc.eol_of(lines[line - 1]))
    return b"".join(lines)


VALID = [
    pytest.param(lambda d: codecs.BOM_UTF8 + d, True, id="utf8-bom"),
    pytest.param(lambda d: d.replace(b"\r\n", b"\n"), True, id="lf-line-endings"),
    pytest.param(mc.reorder_columns, True, id="columns-reversed"),
    pytest.param(lambda d: mc.map_header(d, str.lower), True, id="header-lower-case"),
    pytest.param(lambda d: mc.map_header(d, str.upper), True, id="header-upper-case"),
    pytest.param(lambda d: mc.map_header(d, lambda h: f"  {h} "), True, id="header-padded"),
    pytest.param(lambda d: mc.map_header(d, mc.snake), True, id="header-snake-case"),
    pytest.param(lambda d: d + b"\r\n\r\n  \r\n", True, id="trailing-blank-lines"),
    pytest.param(lambda d: d.rstrip(b"\r\n"), True, id="no-final-newline"),
    pytest.param(mc.quote_all, True, id="every-field-quoted"),
    pytest.param(lambda d: gzip.compress(d, mtime=0), True, id="gzip"),
    pytest.param(
        lambda d: gzip.compress(codecs.BOM_UTF8 + d.replace(b"\r\n", b"\n"), mtime=0), True, id="gzip-bom-lf"
    ),
    pytest.param(_boundaries, False, id="boundary-values"),
]

_FACTS = (
    "SELECT line, fiscal_year, month, region, state, aor, component, demographic, citizenship, title, "
    "encounter_type, encounters FROM facts WHERE release_id = ? ORDER BY line"
)


@pytest.fixture(scope="module")
def valid_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Desk, int]]:
    """A database holding the cut by-state file as it is, to compare each variant with."""
    directory = tmp_path_factory.mktemp("valid")
    base = mc.write(directory, "state-short.csv", b"".join(STATE_SHORT.lines()))
    d = borderdesk.open(directory / "valid.duckdb", snapshot=False, read_only=False)
    yield d, d.ingest(base).release.release_id
    d.close()


@pytest.mark.parametrize(("make", "same_rows"), VALID)
def test_valid_variant_is_accepted(
    make: Callable[[bytes], bytes], same_rows: bool, valid_desk: tuple[Desk, int], tmp_path: Path
) -> None:
    desk, base_id = valid_desk
    path = mc.write(tmp_path, "variant.csv", make(b"".join(STATE_SHORT.lines())))
    result = desk.ingest(path)
    assert result.status == "ingested"
    rows, total = mc.plain_totals(path)
    assert result.release.rows == rows == mc.SHORT_ROWS
    release_id = result.release.release_id
    stored = desk.con.execute(
        "SELECT sum(encounters) FROM facts WHERE release_id = ?", [release_id]
    ).fetchone()
    assert stored == (total,)
    if same_rows:
        variant = desk.con.execute(_FACTS, [release_id]).fetchall()
        assert variant == desk.con.execute(_FACTS, [base_id]).fetchall()


# -- the command line: one line on stderr, no traceback, non-zero exit ---------------------------------------
BORDERDESK = Path(sys.executable).parent / "borderdesk"

CLI_CASES = [
    pytest.param(mc.whole(STATE_SHORT, "semi", mc.redelimit(";"), "one field", line=1), id="semicolons"),
    pytest.param(
        mc.whole(STATE_SHORT, "u16", mc.encode("utf-16-le", codecs.BOM_UTF16_LE), "UTF-16", line=1),
        id="utf16",
    ),
    pytest.param(mc.copy_of(mc.XLSX, "encounters.csv", "ZIP archive", line=1), id="xlsx"),
    pytest.param(mc.set_field(STATE_FULL, 30_001, COUNT, "-3", "out of range"), id="deep-negative-count"),
    pytest.param(mc.duplicate(STATE_SHORT, 10, 1_800), id="duplicate"),
    pytest.param(
        mc.replace_line(STATE_SHORT, 1_501, _newline_in_value, "spans several lines", value=False),
        id="quoted-newline",
    ),
]


@pytest.mark.parametrize("build", CLI_CASES)
def test_cli_reports_bad_file_in_one_line(build: mc.Builder, tmp_path: Path) -> None:
    built = build(tmp_path)
    db = tmp_path / "cli.duckdb"
    env = {"PATH": "/usr/bin:/bin", "BORDERDESK_HOME": str(tmp_path / "home"), "LC_ALL": "C.UTF-8"}
    proc = subprocess.run(
        [str(BORDERDESK), "ingest", "--db", str(db), "--no-snapshot", str(built.path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stdout.strip() == ""
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert errors, proc.stderr
    first = errors[0]
    assert built.path.name in first
    assert built.expect.problem.lower() in first.lower()
    assert "expected" in first
    if built.expect.line is not None:
        assert f"line {built.expect.line}" in first
    with borderdesk.open(db, snapshot=False) as desk:
        assert desk.release_list() == []
        assert desk.con.execute("SELECT count(*) FROM facts").fetchone() == (0,)
