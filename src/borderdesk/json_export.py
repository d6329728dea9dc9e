"""JSON as every shell writes the core's dicts: dates as ISO text, anything else JSON has no type for
as its text. The CLI (``--format json``, indented), the HTTP API and the assistant's tools (compact)
share it, so one answer reads the same from each.

The compact form is encoded with orjson: it encodes an answer's provenance (about 1 KB) several times
faster than ``json.dumps``, and gives the same compact UTF-8 JSON, because dates, datetimes and
dataclasses are passed to :func:`json_default` exactly as ``json.dumps`` passed them. orjson is
imported on first use: it takes ~20 ms to import, and ``borderdesk check`` never needs it.
"""

from __future__ import annotations

from typing import Any


def json_default(value: Any) -> Any:
    """What ``json.dumps(default=...)`` writes for a value JSON has no type for."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def compact_json(obj: Any) -> bytes:
    """``obj`` as compact UTF-8 JSON (what ``json.dumps(obj, ensure_ascii=False, separators=(",", ":"),
    default=json_default)`` gives, encoded)."""
    import orjson

    options = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
    return orjson.dumps(obj, default=json_default, option=options)
