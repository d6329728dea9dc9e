"""Local file names for downloaded URLs: safe on every platform, and distinct within one download run."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from borderdesk.remote.links import RELEASE_SUFFIXES

#: Name used when a URL has no usable last path segment.
FALLBACK_FILE_NAME = "download"
_MAX_NAME_BYTES = 200
_UNSAFE_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


def sanitize_file_name(name: str) -> str:
    """``name`` made safe as a single file name: no separators or control characters, not hidden."""
    cleaned = _UNSAFE_NAME_CHARS.sub("_", name).strip().lstrip(".").rstrip(". ")
    if not cleaned:
        return FALLBACK_FILE_NAME
    if len(cleaned.encode()) > _MAX_NAME_BYTES:
        stem, suffix = _split_suffix(cleaned)
        room = max(_MAX_NAME_BYTES - len(suffix.encode()), 1)
        cleaned = stem.encode()[:room].decode(errors="ignore") + suffix
    return cleaned


def file_name_from_url(url: str) -> str:
    """The local file name for ``url``: its last path segment, percent-decoded and sanitized."""
    try:
        path = urlsplit(url).path
    except ValueError:
        path = ""
    return sanitize_file_name(unquote(path.rsplit("/", 1)[-1]))


def _split_suffix(name: str) -> tuple[str, str]:
    lowered = name.lower()
    for suffix in sorted(RELEASE_SUFFIXES, key=len, reverse=True):
        if lowered.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)], name[-len(suffix) :]
    stem, dot, extension = name.rpartition(".")
    if dot and stem:
        return stem, dot + extension
    return name, ""


def unique_names(urls: list[str]) -> list[str]:
    """One file name per URL; a name seen before (ignoring case) gets ``-2``, ``-3``... before its suffix."""
    names: list[str] = []
    taken: set[str] = set()
    for url in urls:
        name = file_name_from_url(url)
        stem, suffix = _split_suffix(name)
        counter = 1
        while name.lower() in taken:
            counter += 1
            name = f"{stem}-{counter}{suffix}"
        taken.add(name.lower())
        names.append(name)
    return names
