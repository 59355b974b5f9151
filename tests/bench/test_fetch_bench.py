"""The fetch benchmark keeps what its fetch writes in its own folder: the catalogs' last good copies of
a ``modelatlas fetch`` it runs go to the bench's work folder, never to the user's cache (a bench run
once replaced ``~/.cache/modelatlas/catalogs`` with the copies its fake catalog server served).
Catalog bodies: the cut copies of models.dev and OpenRouter in tests/fixtures/sources (README.md
there names their source); the other catalogs are served empty."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.fetch_bench import EMPTY_CATALOGS, fetch_once
from tests.paths import FIXTURES, REPO

SOURCES = FIXTURES / "sources"


def test_the_fetch_bench_writes_its_catalog_copies_in_its_own_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    bodies = {
        **EMPTY_CATALOGS,
        "MODELATLAS_MODELS_DEV_URL": (SOURCES / "models_dev_cut.json").read_bytes(),
        "MODELATLAS_OPENROUTER_URL": (SOURCES / "openrouter_cut.json").read_bytes(),
    }
    data = tmp_path / "work" / "data-0"
    shutil.copytree(REPO / "data", data)
    sample = fetch_once(data, latency=0.0, pages=1, repo=REPO, bodies=bodies)
    assert sample["exit_code"] in (0, 3), sample.get("stderr_tail")
    copies = sorted(p.name for p in (data.parent / "fetch-cache").rglob("*.json"))
    assert "models.dev.json" in copies and "openrouter.json" in copies, copies
    assert not any(home.rglob("*")), sorted(str(p) for p in home.rglob("*"))
