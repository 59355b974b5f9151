"""Every fetch test keeps the catalogs' last good copies in its own folder, never the user's cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from modelatlas.config import CACHE_ENV


@pytest.fixture(autouse=True)
def catalog_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path_factory.mktemp("catalog-cache")
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder
