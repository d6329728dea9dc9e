#!/usr/bin/env python3
"""One HTTP client of ``bench/peers.py``'s load: its own process, its own keep-alive connection.

    python bench/peer_load.py SPEC.json K

Waits for the spec's start time (so every client starts together), then until the end time sends the
spec's requests one after another, starting at request ``K * n / clients`` (each client asks the
questions from a different place), and checks each answer: status 200 and the number the body holds
equal to the expected one. Prints one JSON line: every request's milliseconds, the errors count and a
few of their messages. Standard library only (run by the project's Python; no peer package needed).
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/ holds an http.py that would shadow the standard library's http.client: its siblings are
# imported from the end of the path instead of the front.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [*(p for p in sys.path if Path(p or ".").resolve() != _HERE), str(_HERE)]

import http.client  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

from peer_questions import parse_value  # noqa: E402


def run(spec: dict[str, Any], k: int) -> dict[str, Any]:
    paths: list[str] = spec["paths"]
    want: list[int] = spec["expected"]
    shape: str = spec["shape"]
    n = len(paths)
    i = k * n // spec["clients"]
    conn = http.client.HTTPConnection("127.0.0.1", spec["port"], timeout=30)
    ms: list[float] = []
    errors: list[str] = []
    wrong = 0
    time.sleep(max(0.0, spec["start_at"] - time.time()))
    end = spec["start_at"] + spec["seconds"]
    clock = time.perf_counter
    while time.time() < end:
        j = i % n
        t = clock()
        try:
            conn.request("GET", paths[j])
            response = conn.getresponse()
            body = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as e:  # counted, and the connection reopened
            ms.append((clock() - t) * 1000)
            errors.append(f"{type(e).__name__}: {e}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", spec["port"], timeout=30)
            i += 1
            continue
        ms.append((clock() - t) * 1000)
        if status != 200:
            errors.append(f"status {status} for {paths[j]}: {body[:160]!r}")
        else:
            try:
                got = parse_value(shape, body)
            except ValueError as e:
                errors.append(f"{paths[j]}: {e}")
            else:
                if got != want[j]:
                    wrong += 1
                    errors.append(f"{paths[j]}: answered {got}, expected {want[j]}")
        i += 1
    conn.close()
    return {"ms": ms, "errors": len(errors), "wrong": wrong, "samples": errors[:5]}


def main() -> int:
    spec = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    sys.stdout.write(json.dumps(run(spec, int(sys.argv[2]))) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
