"""The API's JSON bodies: compact UTF-8, dates as ISO text, anything else as its text.

orjson instead of ``json.dumps``: it encodes an answer's provenance (about 1 KB) several times faster,
and its output is the same compact JSON ``json.dumps(ensure_ascii=False, separators=(",", ":"))`` gave,
because dates, datetimes and dataclasses are passed to :func:`_default` exactly as before.
"""

from __future__ import annotations

from typing import Any

import orjson

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def json_bytes(obj: Any) -> bytes:
    """``obj`` as the API's JSON."""
    return orjson.dumps(obj, default=_default, option=_OPTIONS)
