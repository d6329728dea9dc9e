"""What the tests take from the repository outside tests/: the real CBP files (the repo's compressed
copies in data/cbp/, restored byte for byte by :func:`cbp_data`), the seed article (the repo's own copy in
examples/) and the bench/ scripts whose code they share (the independent truth, the article scorer, the
soak's process helpers), so that a clone tests itself with nothing beside it. The scripts are loaded by
path, never by putting bench/ on sys.path: bench/ holds an http.py that would shadow the standard
library's."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
#: The article this project starts from (a December 2022 report on Russians at the southern border).
SEED = ROOT / "examples" / "russians-southern-border-2022-12.txt"


def load_bench(script: str, module_name: str | None = None) -> ModuleType:
    """``bench/<script>.py`` as the module ``module_name`` (default: the script's name), loaded once."""
    name = module_name or script
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{script}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def cbp_data() -> Path:
    """The folder of original CBP release files every test reads (``bench/repo_data.py`` restores them
    from ``data/cbp/`` into ``.cache/cbp/`` once, checked against the originals' sha256)."""
    folder: Path = load_bench("repo_data").cbp_data()
    return folder
