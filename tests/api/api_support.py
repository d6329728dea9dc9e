"""Helpers the API tests share (imported by name: this folder is on sys.path while they run)."""

from __future__ import annotations

import warnings

import borderdesk

with warnings.catch_warnings():  # starlette 1.x nags about httpx vs httpx2; the client works the same
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


__all__ = ["TestClient", "has_analysis", "has_check"]


def has_check() -> bool:
    return callable(getattr(borderdesk.Desk, "check", None))


def has_analysis(name: str) -> bool:
    return callable(getattr(borderdesk.Desk, f"{name}_table", None))
