"""The server imports, in the thread that starts it, what requests would otherwise import lazily and
concurrently: two request threads importing NumPy at once could see it half made, a 500 ("partially
initialized module 'numpy' has no attribute 'ndarray'") seen under load during an update."""

from __future__ import annotations

import subprocess
import sys

LAZY_ON_REQUESTS = ("numpy", "rapidfuzz")  # the fact index and the charts; did-you-mean names


def test_the_server_module_imports_what_requests_import_lazily() -> None:
    script = (
        "import sys\n"
        "import borderdesk.serve.app\n"
        "import borderdesk.assistant.server\n"
        f"missing = [m for m in {LAZY_ON_REQUESTS!r} if m not in sys.modules]\n"
        "print(','.join(missing))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_a_command_line_check_still_does_not_import_them() -> None:
    """The one-shot ``borderdesk check`` path stays lean (the check-speed acceptance check)."""
    script = (
        "import sys\n"
        "from borderdesk.cli import on_demand\n"
        "import borderdesk.cli.check_command\n"
        "print('numpy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
