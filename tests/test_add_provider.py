"""Adding a provider is one module, one fixture and one registry line: with a temporary registry
entry, fetch (against a local server), schema validation and build all accept the new provider."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from modelatlas.cli import cli
from modelatlas.fetch.providers import registry
from modelatlas.fetch.providers.declaration import Provider
from modelatlas.fetch.providers.openai_compatible import OpenAICompatible
from modelatlas.ids import provider_ids
from modelatlas.schema import iter_violations
from tests.paths import EMPTY_CATALOGS, FIXTURES, REPO

# What src/modelatlas/fetch/providers/together.py would hold.
_SPEC = OpenAICompatible("together", key_vars=("TOGETHER_API_KEY",))
TOGETHER = Provider(
    id="together",
    name="Together AI",
    default_api_root="https://api.together.xyz/v1",
    endpoint="/models",
    env_vars=("TOGETHER_API_KEY",),
    credentials=(_SPEC.key_vars,),
    auth="`Authorization: Bearer`",
    pagination="none (one body)",
    metadata="id, created, owned_by, context_length",
    fetch=_SPEC.fetch,
    normalize=_SPEC.normalize,
    catalog_names={"models.dev": ("togetherai",), "litellm": ("together_ai",)},
)


@pytest.fixture
def with_together(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(registry, "PROVIDERS", (*registry.PROVIDERS, TOGETHER))  # the registry line
    # then `modelatlas docs`, here into a copy of the checkout's derived files (tests write only in tmp)
    checkout = tmp_path / "checkout"
    shutil.copytree(REPO / "schema", checkout / "schema")
    shutil.copy(REPO / "README.md", checkout / "README.md")
    assert CliRunner().invoke(cli, ["docs", "--root", str(checkout)]).exit_code == 0
    monkeypatch.setenv("MODELATLAS_SCHEMA_DIR", str(checkout / "schema"))


def test_a_registered_provider_is_fetched_validated_and_built(
    with_together: None, httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert provider_ids()[-1] == "together"
    body = (FIXTURES / "providers_extra" / "together" / "models.json").read_bytes()
    httpserver.expect_request("/v1/models", headers={"Authorization": "Bearer k"}).respond_with_data(
        body, content_type="application/json"
    )
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "data_small", data)
    for name, value in {
        "TOGETHER_API_KEY": "k",
        "MODELATLAS_TOGETHER_BASE_URL": httpserver.url_for("/v1"),
        **EMPTY_CATALOGS,
        "MODELATLAS_HTTP_RETRIES": "0",
    }.items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    now = ["--now", "2026-11-27T00:00:00Z"]
    # together live; every other registered provider without a file gets one from the (empty) catalogs,
    # so the data folder holds a file for each registered provider, as build and validate require.
    absent = [p for p in provider_ids() if not (data / "providers" / f"{p}.json").exists()]
    assert "together" in absent
    selected = [arg for provider in absent for arg in ("--provider", provider)]
    fetched = runner.invoke(cli, ["fetch", "--data", str(data), *selected, *now])
    assert fetched.exit_code == 0, fetched.output
    doc = json.loads((data / "providers" / "together.json").read_text())
    assert [m["id"] for m in doc["models"]] == [
        "together/Qwen/Qwen2.5-7B-Instruct-Turbo",
        "together/meta-llama/Llama-3.3-70B-Instruct-Turbo",
    ]
    assert doc["status"]["source"] == "provider_api"
    assert list(iter_violations("provider-file", doc, "together.json")) == []

    out = tmp_path / "build"
    built = runner.invoke(cli, ["build", "--data", str(data), "--out", str(out)])
    assert built.exit_code == 0, built.output
    providers = json.loads((out / "v1" / "providers.json").read_text())
    assert any(p["id"] == "together" and p["name"] == "Together AI" for p in providers["data"])
    assert (out / "v1" / "models" / "together.json").is_file()
    assert (out / "providers" / "together.html").is_file()
    quality = json.loads((out / "v1" / "quality.json").read_text())
    assert "together" in [entry["provider"] for entry in quality["providers"]]
    published = json.loads((out / "schema" / "provider-id.schema.json").read_text())
    assert published["enum"][-1] == "together"  # a client validating with the published schemas accepts it
    openapi = (out / "openapi.json").read_text()
    assert '"together"' in openapi and "together)/" in openapi  # the provider enum and the id pattern

    checked = runner.invoke(cli, ["validate", "--data", str(data), "--dir", str(out)])
    assert checked.exit_code == 0, checked.output


def test_without_the_registry_line_the_schema_refuses_the_provider() -> None:
    extension = {"provider": "together", "upstream_id": "x", "provenance": {}}
    record = {"id": "together/x", "modelatlas": extension}
    assert {v.pointer for v in iter_violations("model", record, "x")} >= {"/id", "/modelatlas/provider"}
