"""The whole suite runs with a home of its own: HOME, the XDG folders and the catalog cache point into
one temporary folder, set before any test (and any subprocess a test starts) can read them, so no
test reads or writes the real user's files."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ISOLATED_VARS = ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")


def pytest_configure(config: pytest.Config) -> None:
    home = Path(tempfile.mkdtemp(prefix="modelatlas-test-home-"))
    os.environ["HOME"] = str(home)
    for name in ISOLATED_VARS:
        folder = home / name.removeprefix("XDG_").removesuffix("_HOME").lower()
        folder.mkdir()
        os.environ[name] = str(folder)
    os.environ["MODELATLAS_CACHE_DIR"] = str(home / "modelatlas-cache")
