"""The README's provider table says what the code does, and every provider has fixtures."""

from __future__ import annotations

import re

from modelatlas.fetch.providers.registry import REGISTRY
from modelatlas.ids import PROVIDER_IDS
from tests.paths import REPO as ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "providers"


def readme_rows() -> dict[str, list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"<!-- section:providers -->(.*?)<!-- /section:providers -->", text, re.S)
    assert section, "README has no providers section"
    rows: dict[str, list[str]] = {}
    for line in section.group(1).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] in PROVIDER_IDS:
            rows[cells[0]] = cells
    return rows


def test_registry_holds_all_16_providers_in_seed_order() -> None:
    assert tuple(module.PROVIDER for module in REGISTRY) == PROVIDER_IDS


def test_readme_table_matches_the_registry() -> None:
    rows = readme_rows()
    assert sorted(rows) == sorted(PROVIDER_IDS)
    for module in REGISTRY:
        _, base_url, path, env_vars, *_ = rows[module.PROVIDER]
        assert base_url == f"`{module.DEFAULT_BASE_URL}`", module.PROVIDER
        assert path == f"`{module.ENDPOINT}`", module.PROVIDER
        assert re.findall(r"`([A-Z0-9_]+)`", env_vars) == list(module.ENV_VARS), module.PROVIDER


def test_every_registered_provider_has_fixture_bodies() -> None:
    for module in REGISTRY:
        folder = FIXTURES / module.PROVIDER
        assert folder.is_dir() and any(folder.glob("*.json")), f"no fixtures for {module.PROVIDER}"
