#!/usr/bin/env python3
"""Build the bundled snapshot (src/borderdesk/snapshot/) from the official release files.

    python scripts/build_snapshot.py [--data FOLDER] [--out src/borderdesk/snapshot]

Reproducible: the same input files give the same snapshot bytes. The files are ingested in a fixed
order (family, coverage end, file name) into a temporary database, which is then exported.
Included: every CBP Nationwide Encounters by-state release, the Southwest Land Border release and the
AOR-level TidyTuesday derivative (the only AOR-level data we hold), and the Border Patrol history
(OHSS workbook, USBP historical apprehension tables). Left out: cbp_state.csv, a
derivative whose rows duplicate the fy20-fy23 and fy21-fy24 by-state releases.
``--data`` defaults to the repo's own copies (data/cbp, restored byte for byte by bench/repo_data.py).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from borderdesk import sources  # noqa: E402
from borderdesk.store import connect, export_snapshot  # noqa: E402
from borderdesk.store.ingest import write_release  # noqa: E402

PATTERNS = (
    "nationwide-encounters-*-state.csv",
    "nationwide-encounters-*-aor.csv",
    "sbo-encounters-*.csv",
    "tidytuesday-*/cbp_resp.csv.gz",
    # Border Patrol history (small): the OHSS USBP workbook and the four USBP apprehension tables
    "ohss/KHSM_Encounters_USBP_*.xlsx",
    "usbp-historical/*_apprehensions_*.csv",
    "usbp-historical/family_child_total_monthly_*.csv",
)


def _repo_cbp_data() -> Path:
    """The repo's CBP files, restored by bench/repo_data.py (loaded by path: bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("repo_data", ROOT / "bench" / "repo_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folder: Path = module.cbp_data()
    return folder


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=None, help="folder of CBP files (default: data/cbp)")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "borderdesk" / "snapshot")
    args = ap.parse_args()
    args.data = args.data or _repo_cbp_data()
    files = sorted({p for pat in PATTERNS for p in args.data.glob(pat)})
    if not files:
        print(f"no release files under {args.data}", file=sys.stderr)
        return 1
    loaded = [sources.load(p) for p in files]
    loaded.sort(key=lambda r: (r.data.format.family, r.data.coverage[1], r.raw.name))
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "build.duckdb").con
        for r in loaded:
            # a fixed ingest time keeps the build reproducible; loading stamps the real time
            res = write_release(con, r, now=__import__("datetime").datetime(2000, 1, 1))
            print(f"{res.release.label:<22} {res.release.rows:>7,} rows  {r.raw.name}")
        for old in args.out.glob("*"):
            if old.suffix in (".parquet", ".json"):
                old.unlink()
        export_snapshot(con, args.out)
        con.close()
    for f in sorted(args.out.iterdir()):
        if f.suffix in (".parquet", ".json"):
            print(
                f"{f.name}: {f.stat().st_size:,} bytes, sha256 {hashlib.sha256(f.read_bytes()).hexdigest()}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
