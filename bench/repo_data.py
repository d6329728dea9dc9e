"""The real CBP release files the tests, benchmarks and snapshot build read, from the repository's own
compressed copies in ``data/cbp/`` (see its README): a clone tests and measures itself with nothing
beside it.

Releases are trusted by the sha256 of their exact bytes, and a ``.xz`` copy has other bytes. So the
copies are never read directly: :func:`cbp_data` decompresses each one once into ``.cache/cbp/`` (ignored
by git), checks every file against ``data/cbp/SHA256SUMS`` (the originals' hashes) and returns that
folder, which then holds byte for byte what CBP published. Later runs only re-hash the cache (about
0.1 s) and decompress what is missing or changed.

Standard library only: bench scripts run it as a sibling module, tests load it by path
(``tests/repo_support.py``), ``scripts/build_snapshot.py`` likewise.
"""

from __future__ import annotations

import hashlib
import lzma
import os
import shutil
import tempfile
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The compressed copies, their provenance and the originals' sha256 (committed).
COPIES = ROOT / "data" / "cbp"
MANIFEST = COPIES / "SHA256SUMS"
#: Where the original bytes are restored (ignored by git; safe to delete).
CACHE = ROOT / ".cache" / "cbp"


class CopyMismatchError(RuntimeError):
    """A restored file is not byte for byte the original its sha256 names."""


def manifest() -> dict[str, str]:
    """Relative path of each original -> its sha256, as ``sha256sum`` wrote them."""
    entries: dict[str, str] = {}
    for line in MANIFEST.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            entries[name.lstrip("*")] = digest
    return entries


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _restore(name: str, expected: str, dest: Path) -> None:
    """Write the original bytes of ``name`` to ``dest`` atomically, or raise if they do not hash right."""
    source = COPIES / name
    packed = source if source.exists() else COPIES / f"{name}.xz"
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            if packed.suffix == ".xz":
                with lzma.open(packed) as fh:
                    shutil.copyfileobj(fh, out, 1 << 20)
            else:
                with packed.open("rb") as fh:
                    shutil.copyfileobj(fh, out, 1 << 20)
        got = sha256(tmp)
        if got != expected:
            raise CopyMismatchError(f"{packed} restores to sha256 {got}, not {expected} ({MANIFEST.name})")
        tmp.chmod(0o444)  # read-only, like a published file: a test must copy before it changes one
        os.replace(tmp, dest)  # atomic: concurrent sessions never see half a file
    finally:
        tmp.unlink(missing_ok=True)


@cache
def cbp_data() -> Path:
    """The folder of original CBP files (PROVENANCE.md included), restored and verified."""
    for name, expected in manifest().items():
        dest = CACHE / name
        if not (dest.is_file() and sha256(dest) == expected):
            _restore(name, expected, dest)
    return CACHE
