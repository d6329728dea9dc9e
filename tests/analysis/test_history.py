"""Border Patrol history: the OHSS workbook and the USBP historical tables are ingested by content,
stored with provenance, answered from the right table, and every answer says "Border Patrol only"
(and "rounded" for OHSS)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import borderdesk
from borderdesk import Desk
from borderdesk.errors import BorderdeskError, CoverageError, ReleaseFormatError
from borderdesk.store import export_snapshot, load_snapshot


@pytest.mark.parametrize(
    ("kwargs", "value", "family"),
    [
        pytest.param(
            {"region": "southwest", "period": "FY2019", "source": "usbp-historical"},
            851_508,
            "usbp-historical",
            id="sw-fy2019-historical",
        ),
        pytest.param(
            {"period": "FY2019", "source": "usbp-historical"},
            859_501,
            "usbp-historical",
            id="nationwide-fy2019-historical",
        ),
        pytest.param(
            {"citizenship": "russia", "region": "southwest", "period": "2022-11", "source": "ohss"},
            1_180,
            "ohss-usbp",
            id="ohss-russia-sw-nov-2022",
        ),
        pytest.param(
            {"region": "southwest", "period": "FY2019", "source": "ohss"},
            851_510,
            "ohss-usbp",
            id="ohss-sw-fy2019-rounded",
        ),
        pytest.param({"period": "FY1925", "source": "history"}, 22_199, "usbp-historical", id="fy1925"),
        pytest.param(
            {"aor": "del rio", "period": "FY1960", "source": "history"},
            3_023,
            "usbp-historical",
            id="del-rio-fy1960",
        ),
    ],
)
def test_history_counts(history_desk: Desk, kwargs: dict[str, str], value: int, family: str) -> None:
    a = history_desk.count(**kwargs)
    assert (a.value, a.family) == (value, family)
    text = " ".join(a.caveats)
    assert "Border Patrol only" in text
    assert ("Rounded" in text) == (family == "ohss-usbp")
    assert a.to_dict()["caveats"] == list(a.caveats)


def test_historical_tables_agree_with_the_files(history_files: list[Path]) -> None:
    import csv

    sw = next(p for p in history_files if p.name.startswith("southwest_border"))
    rows = list(csv.DictReader(sw.open(encoding="utf-8")))
    assert (
        sum(
            int(r["total_apprehensions"])
            for r in rows
            if r["fiscal_year"] == "2019" and r["sector"] != "southwest border"
        )
        == 851_508
    )
    del_rio = next(r for r in rows if r["sector"] == "del rio" and r["fiscal_year"] == "1960")
    assert int(del_rio["total_apprehensions"]) == 3_023


def test_border_patrol_questions_fall_back_to_history(history_desk: Desk) -> None:
    a = history_desk.count(region="southwest", period="FY2019", component="usbp")
    assert a.value == 851_508 and a.caveats
    # a citizenship CBP pools into OTHER, from the OHSS workbook
    b = history_desk.count(citizenship="bangladesh", region="southwest", period="FY2023", component="usbp")
    assert b.family == "ohss-usbp" and b.value > 0 and b.value % 10 == 0
    # without component=usbp, CBP's question stays CBP's (and says why it cannot answer)
    with pytest.raises(CoverageError):
        history_desk.count(region="southwest", period="FY2019")
    # CBP's releases answer whatever they can: the same month from the by-state release, exact
    cbp = history_desk.count(citizenship="russia", region="southwest", period="2022-11")
    assert (cbp.family, cbp.value, cbp.caveats) == ("state", 5_507, ())


def test_history_series_since_fy2000(history_desk: Desk) -> None:
    df = history_desk.history(citizenship="russia", region="southwest", source="ohss")
    assert df["fiscal_year"].iloc[0] == "FY2000" and df["fiscal_year"].iloc[-1] == "FY2024"  # FY2025 partial
    assert df.attrs["caveats"] and int(df["encounters"].max()) == int(
        df.set_index("fiscal_year").loc["FY2023", "encounters"]
    )
    long = history_desk.history(period="FY1925..FY2019")
    assert len(long) == 95 and long["encounters"].iloc[-1] == 859_501


def test_history_table_by_citizenship(history_desk: Desk) -> None:
    frame = history_desk.table_result(
        by="citizenship", region="southwest", period="FY2015", source="ohss", top=3
    )
    assert [r[0] for r in frame.rows] == ["MEXICO", "GUATEMALA", "EL SALVADOR"]
    assert any("Rounded" in c for c in frame.caveats)


def test_questions_history_cannot_answer(history_desk: Desk) -> None:
    with pytest.raises(CoverageError, match="Border Patrol only"):
        history_desk.count(component="ofo", period="FY2019", source="history")
    with pytest.raises(CoverageError, match="state"):
        history_desk.count(state="TX", period="FY2019", source="history")
    with pytest.raises(CoverageError, match=r"outside|no complete"):
        history_desk.count(
            citizenship="russia", period="FY2025", source="ohss"
        )  # only Oct-Nov 2024 published
    with pytest.raises(BorderdeskError, match="unknown source"):
        history_desk.count(period="FY2019", source="census")


def test_detected_by_content_not_name(history_files: list[Path], tmp_path: Path) -> None:
    renamed = tmp_path / "anything.xlsx"
    shutil.copyfile(history_files[0], renamed)
    with borderdesk.open(tmp_path / "d.duckdb", snapshot=False, read_only=False) as desk:
        res = desk.ingest(renamed)
        assert res.release.family == "ohss-usbp" and res.release.label == "ohss-usbp-2024-11"
        assert res.release.source_url == "https://ohss.dhs.gov/khsm/cbp-encounters"
        assert desk.ingest(renamed).status == "unchanged"


def test_non_apprehension_tables_are_rejected(cbp_data: Path, tmp_path: Path) -> None:
    with borderdesk.open(tmp_path / "d.duckdb", snapshot=False, read_only=False) as desk:
        with pytest.raises(ReleaseFormatError):
            desk.ingest(cbp_data / "usbp-historical" / "border_patrol_staffing_1992_2019.csv")
        bad = tmp_path / "nationwide_total_apprehensions_1925_2019.csv"
        bad.write_text("fiscal_year,total_apprehensions\n2019,lots\n", encoding="utf-8")
        with pytest.raises(ReleaseFormatError, match="line 2"):
            desk.ingest(bad)
        assert desk.release_list() == []


def test_snapshot_round_trip_keeps_history(history_desk: Desk, tmp_path: Path) -> None:
    export_snapshot(history_desk.con, tmp_path / "snap")
    assert (tmp_path / "snap" / "history.parquet").is_file()
    with borderdesk.open(tmp_path / "fresh.duckdb", snapshot=False, read_only=False) as desk:
        load_snapshot(desk.con, tmp_path / "snap")
        desk._changed()
        assert (
            desk.count(citizenship="russia", region="southwest", period="2022-11", source="ohss").value
            == 1_180
        )
        assert desk.count(period="FY2019", source="history").value == 859_501


def test_cli_history_json(history_desk: Desk, tmp_path: Path, borderdesk_cli) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "h.duckdb"
    export_snapshot(history_desk.con, tmp_path / "snap")
    with borderdesk.open(db, snapshot=False, read_only=False) as desk:
        load_snapshot(desk.con, tmp_path / "snap")
    proc = borderdesk_cli(
        db,
        "history",
        "--citizenship",
        "russia",
        "--region",
        "sw",
        "--period",
        "2022-11",
        "--source",
        "ohss",
        "--total",
        "--format",
        "json",
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["value"] == 1_180 and any("Border Patrol only" in c for c in doc["caveats"])
    proc = borderdesk_cli(
        db, "history", "--region", "southwest", "--period", "FY2017..FY2019", "--format", "json"
    )
    doc = json.loads(proc.stdout)
    assert doc["rows"] == [["FY2017", 303_916], ["FY2018", 396_579], ["FY2019", 851_508]]
