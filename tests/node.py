"""Node.js for the tests that run the site's JavaScript modules (Debian's ``nodejs``)."""

from __future__ import annotations

import os
import shutil

import pytest


def node(checks: str) -> str:
    """The ``node`` executable; without one the calling test fails under ``CI=true`` (``checks``
    says what would go unchecked) and is skipped elsewhere."""
    found = shutil.which("node")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(f"node not found (CI=true: {checks} must be checked)")
    pytest.skip(f"node not found: install Node.js 18+ to check {checks}")
