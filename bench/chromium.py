"""How the project starts Debian's Chromium headless on a machine with no network.

Shared by the browser tests (tests/browser/conftest.py) and bench/site_keystroke.py: the binary
from Debian's ``chromium`` package (never a downloaded browser) and the flags that keep it from
reaching out (background networking, component updates, sync) and working as root (no sandbox).
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
