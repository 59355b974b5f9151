"""The files derived from the provider registry are current, and every provider has fixtures."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from click.testing import CliRunner

from modelatlas.cli import cli
from modelatlas.fetch.providers.registry import PROVIDERS
from modelatlas.ids import provider_ids
from modelatlas.registry_docs import derived_files
from tests.paths import REPO as ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "providers"


def table_rows() -> dict[str, list[str]]:
    """The rows of docs/providers.md's provider table (its first table), by provider id."""
    text = (ROOT / "docs" / "providers.md").read_text(encoding="utf-8")
    first_table = text[text.index("| provider | name |") :].split("\n\n", 1)[0]
    rows: dict[str, list[str]] = {}
    for line in first_table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] in provider_ids():
            rows[cells[0]] = cells
    return rows


def test_derived_files_are_current() -> None:
    stale = [str(item.path.relative_to(ROOT)) for item in derived_files(ROOT) if not item.current()]
    assert not stale, f"run `modelatlas docs`: {stale}"
    result = CliRunner().invoke(cli, ["docs", "--check", "--root", str(ROOT)])
    assert result.exit_code == 0, result.output


def test_docs_check_fails_on_a_stale_table(tmp_path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'modelatlas'\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "providers.md").write_text("# Providers\n\nold\n")
    result = CliRunner().invoke(cli, ["docs", "--check", "--root", str(tmp_path)])
    assert result.exit_code == 1 and "out of date" in result.output
    assert CliRunner().invoke(cli, ["docs", "--root", str(tmp_path)]).exit_code == 0
    assert CliRunner().invoke(cli, ["docs", "--check", "--root", str(tmp_path)]).exit_code == 0
    assert "| groq | Groq |" in (tmp_path / "docs" / "providers.md").read_text()


def test_docs_outside_a_checkout_is_one_line(tmp_path) -> None:
    result = CliRunner().invoke(cli, ["docs", "--check", "--root", str(tmp_path)])
    assert result.exit_code == 2 and "not a modelatlas checkout" in result.output
    assert "Traceback" not in result.output


def test_the_readme_counts_the_registered_providers() -> None:
    """The README names no provider (docs/providers.md lists them) but says how many there are."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert set(re.findall(r"\b(\d+) providers\b", readme)) == {str(len(PROVIDERS))}


def test_the_provider_table_matches_the_registry() -> None:
    rows = table_rows()
    assert list(rows) == list(provider_ids())
    for provider in PROVIDERS:
        _, name, api_root, path, env_vars, *_ = rows[provider.id]
        assert name == provider.name
        assert api_root == f"`{provider.default_api_root}`", provider.id
        assert path == f"`{provider.endpoint}`", provider.id
        assert re.findall(r"`([A-Z0-9_]+)`", env_vars) == list(provider.env_vars), provider.id


def test_the_schema_enum_is_the_registry_and_every_other_schema_refers_to_it() -> None:
    document = json.loads((ROOT / "schema" / "provider-id.schema.json").read_text())
    assert document["enum"] == [provider.id for provider in PROVIDERS] == list(provider_ids())
    for path in sorted((ROOT / "schema").glob("*.schema.json")):
        if path.name != "provider-id.schema.json":
            assert "cerebras" not in path.read_text(), f"{path.name} lists provider ids itself"


def test_every_registered_provider_has_fixture_bodies() -> None:
    for provider in PROVIDERS:
        folder = FIXTURES / provider.id
        assert folder.is_dir() and any(folder.glob("*.json")), f"no fixtures for {provider.id}"


@pytest.mark.parametrize("provider", ["cerebras", "parasail", "elevenlabs", "sgl", "ollama"])
def test_a_provider_is_named_only_by_its_module_the_registry_and_the_schema(provider: str) -> None:
    """Every rule about a provider is in its declaration: outside tests, data, docs and bench, its id
    appears in its own module, the registry line and the generated provider-id schema only (the
    README too names none: it links docs/providers.md)."""
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode().split("\0")
    skipped = ("tests/", "data/", "docs/", "bench/")
    naming = {
        path
        for path in tracked
        if path and not path.startswith(skipped) and (ROOT / path).is_file()
        and re.search(rf"(?i)\b{provider}\b", (ROOT / path).read_text(encoding="utf-8", errors="replace"))
    }
    assert naming == {
        f"src/modelatlas/fetch/providers/{provider}.py",
        "src/modelatlas/fetch/providers/registry.py",
        "schema/provider-id.schema.json",
    }
