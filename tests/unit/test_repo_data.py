"""The CBP files travel with the repository (data/cbp, xz-compressed) and the tests read the original
bytes: restored copies hash to the sha256 the originals had, which are the hashes borderdesk trusts
releases by, and nothing in tests/, bench/, scripts/ or the docs build reads a folder beside the repo."""

from __future__ import annotations

import csv
import hashlib
import lzma
import re
from pathlib import Path

import pytest

from repo_support import ROOT, cbp_data, load_bench

repo_data = load_bench("repo_data")
COPIES = ROOT / "data" / "cbp"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest() -> dict[str, str]:
    rows = [line.split("  ", 1) for line in (COPIES / "SHA256SUMS").read_text().splitlines() if line]
    return {name: digest for digest, name in rows}


def test_every_restored_file_is_byte_for_byte_the_original() -> None:
    folder = cbp_data()
    manifest = _manifest()
    assert len(manifest) == 26 and "PROVENANCE.md" in manifest
    for name, digest in manifest.items():
        assert _sha256(folder / name) == digest, name
    restored = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert restored == set(manifest)  # no .xz, no half-written .part left behind


def test_every_copy_is_in_the_manifest_and_nothing_else_is_stored() -> None:
    stored = {p.relative_to(COPIES).as_posix() for p in COPIES.rglob("*") if p.is_file()}
    copies = {n.removesuffix(".xz") for n in stored if n.endswith(".xz")}
    assert copies | {"PROVENANCE.md"} == set(_manifest())
    assert stored - {f"{n}.xz" for n in copies} == {"PROVENANCE.md", "SHA256SUMS", "README.md"}


def test_release_hashes_are_the_ones_borderdesk_trusts() -> None:
    known_csv = ROOT / "src" / "borderdesk" / "metadata" / "data" / "known_releases.csv"
    with known_csv.open(encoding="utf-8") as fh:
        known = {row["cbp_file"]: row["sha256"] for row in csv.DictReader(fh)}
    manifest = _manifest()
    releases = [
        n for n in manifest if re.fullmatch(r"nationwide-encounters-fy\d\d-fy\d\d(-\w+)?-state\.csv", n)
    ]
    assert len(releases) == 12
    for name in releases:
        assert manifest[name] == known[name], name
    # the hash PROVENANCE.md gives for the newest release, and for the file the README quotes
    provenance = (cbp_data() / "PROVENANCE.md").read_text(encoding="utf-8")
    assert manifest["nationwide-encounters-fy23-fy26-nov-state.csv"] in provenance
    assert manifest["nationwide-encounters-fy23-fy26-nov-state.csv"].startswith("e060e1f3")


def test_a_copy_that_restores_to_other_bytes_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copies = tmp_path / "copies"
    copies.mkdir()
    name = "sbo-encounters-fy22-fy25-aug.csv"
    original = (cbp_data() / name).read_bytes()
    (copies / f"{name}.xz").write_bytes(lzma.compress(original.replace(b"\r\n", b"\n")))  # resaved: LF
    (copies / "SHA256SUMS").write_text(f"{hashlib.sha256(original).hexdigest()}  {name}\n")
    monkeypatch.setattr(repo_data, "COPIES", copies)
    monkeypatch.setattr(repo_data, "MANIFEST", copies / "SHA256SUMS")
    monkeypatch.setattr(repo_data, "CACHE", tmp_path / "cache")
    with pytest.raises(repo_data.CopyMismatchError, match=name):
        repo_data.cbp_data.__wrapped__()
    assert not (tmp_path / "cache" / name).exists()
    assert [p.name for p in (tmp_path / "cache").iterdir()] == []  # the .part file is removed too


def test_a_damaged_cached_file_is_restored_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = "usbp-historical/nationwide_total_apprehensions_1925_2019.csv"
    monkeypatch.setattr(repo_data, "CACHE", tmp_path / "cache")
    (tmp_path / "cache" / "usbp-historical").mkdir(parents=True)
    (tmp_path / "cache" / name).write_bytes(b"Fiscal Year,Apprehensions\n1925,0\n")
    folder = repo_data.cbp_data.__wrapped__()
    assert _sha256(folder / name) == _manifest()[name]


# Paths built to reach outside the repository for data: ROOT.parent / "shared" / "data", "/work/shared/...".
OUTSIDE = re.compile(r"""["']shared["']\s*/\s*["'](data|seed)["']|["'](/work|\.\.)/shared\b""")


def test_nothing_reads_data_from_beside_the_repository() -> None:
    readers = [
        *(ROOT / "tests").rglob("*.py"),
        *(ROOT / "bench").rglob("*.py"),
        *(ROOT / "scripts").iterdir(),
        *(ROOT / "docs" / "hooks").rglob("*.py"),
        ROOT / "mkdocs.yml",
    ]
    me = Path(__file__).resolve()
    offenders = [
        str(p.relative_to(ROOT))
        for p in readers
        if p.is_file() and p.resolve() != me and OUTSIDE.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
