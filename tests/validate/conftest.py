"""Fixtures of the validate tests."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from modelatlas.datastore import serialize_provider
from tests.paths import FIXTURES


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """The small fixture's data folder (``tests/fixtures/data_small``), each file as modelatlas writes it."""
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "data_small", folder)
    for path in (folder / "providers").glob("*.json"):
        path.write_bytes(serialize_provider(json.loads(path.read_bytes())))
    return folder
