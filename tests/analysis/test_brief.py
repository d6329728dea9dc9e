"""The monthly brief, rendered for Nov 2022 at the Southwest border into test-output/ for people to read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from borderdesk import Desk
from borderdesk.analysis.brief import Brief


@pytest.fixture(scope="module")
def brief(ingested_desk: Desk) -> Brief:
    return ingested_desk.brief(period="2022-11", region="southwest")


def test_brief_numbers(brief: Brief, csv_truth, cbp_data: Path) -> None:  # type: ignore[no-untyped-def]
    sw = "Southwest Land Border"
    newest = cbp_data / "nationwide-encounters-fy23-fy26-nov-state.csv"
    assert brief.change.current.value == csv_truth(newest, ym=(2022, 11), region=sw) == 235_173
    assert brief.change.previous is not None and brief.change.previous.value == csv_truth(
        newest, ym=(2022, 10), region=sw
    )
    assert "RUSSIA" in [r[0] for r in brief.surges.rows[:5]]  # type: ignore[union-attr]
    assert brief.top.rows[0][0] == "MEXICO"


def test_brief_markdown_and_html_written(brief: Brief, test_output: Path) -> None:
    md = test_output / "brief-2022-11-southwest.md"
    written = brief.write(md)
    text = md.read_text(encoding="utf-8")
    assert re.search(r"235,173", text) and "RUSSIA" in text and "5,507" in text
    for section in (
        "## Totals",
        "## Top nationalities",
        "## Surges",
        "## Revisions",
        "## Events",
        "## Sources",
    ):
        assert section in text
    assert "e060e1f3b7b3275520f03b7abad2b111a683d4d5aa2c00dd9d8010fcc8a5c6ee" in text  # the newest vintage
    pngs = [p for p in written if p.suffix == ".png"]
    assert pngs and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
    assert all(f"]({p.name})" in text for p in pngs)

    html_path = test_output / "brief-2022-11-southwest.html"
    brief.write(html_path)
    page = html_path.read_text(encoding="utf-8")
    assert "data:image/png;base64," in page and "235,173" in page and "<table>" in page
    assert "http://" not in page.replace("https://", "")  # no external resources, links are https


def test_brief_rejects_other_suffixes(brief: Brief, tmp_path: Path) -> None:
    from borderdesk.errors import BorderdeskError

    with pytest.raises(BorderdeskError, match=r"\.md or \.html"):
        brief.write(tmp_path / "brief.pdf")


def test_cli_brief(cli_db, borderdesk_cli) -> None:  # type: ignore[no-untyped-def]
    out = cli_db.parent / "b.md"
    proc = borderdesk_cli(cli_db, "brief", "--period", "2022-11", "--region", "southwest", "--output", out)
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    assert "235,173" in text and "RUSSIA" in text
    assert (cli_db.parent / "b-total.png").is_file()


def test_a_fiscal_year_brief_compares_with_the_year_before_once(ingested_desk: Desk) -> None:
    """For a 12-month period the period before it IS the year earlier: one line, not the same two."""
    text = ingested_desk.brief(period="FY2023", region="southwest").markdown()
    totals = text.split("## Totals", 1)[1].split("##", 1)[0]
    assert totals.count("a year earlier") == 1
    assert "the month before" not in totals and "the period before" not in totals
    fy2022 = ingested_desk.count(period="FY2022", region="southwest").value
    assert f"from {fy2022:,} a year earlier (fiscal year 2022" in " ".join(totals.split())
