"""Adding a provider is one module and one registry line (then ``modelatlas docs``): in a copy of the
checkout given a 17th provider that way, and nothing else, fetch (from a local server), validation,
the build with its charts, and the benchmark's smoke run all take the new provider in."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from modelatlas.ids import provider_ids
from modelatlas.schema import iter_violations
from tests.bench.test_bench_smoke import check_bench_smoke, run_bench_smoke
from tests.paths import EMPTY_CATALOGS, FIXTURES, REPO

# src/modelatlas/fetch/providers/together.py, exactly as it would be committed.
MODULE = '''"""Together AI: ``GET https://api.together.xyz/v1/models`` (Bearer key; OpenAI-style list)."""

from __future__ import annotations

from modelatlas.fetch.providers.declaration import Provider
from modelatlas.fetch.providers.openai_compatible import OpenAICompatible
from modelatlas.fetch.providers.rules import ModelIds, VendorSegment

ID = "together"
_SPEC = OpenAICompatible(ID, key_vars=("TOGETHER_API_KEY",))

PROVIDER = Provider(
    id=ID,
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
    model_ids=ModelIds(vendor_segment=VendorSegment.SLASH),  # Hugging Face repository ids
)
'''
# The registry line (appended here; in the committed registry its import joins the others).
REGISTRY_LINE = (
    "from modelatlas.fetch.providers import together; PROVIDERS = (*PROVIDERS, together.PROVIDER)\n"
)
NOW = ["--now", "2026-11-27T00:00:00Z"]


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the checkout with the new provider's module and registry line, then `modelatlas docs`."""
    root = tmp_path_factory.mktemp("with-together")
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(REPO / "src", root / "src", symlinks=True, ignore=ignore)  # _schema -> ../../schema
    for folder in ("schema", "site_templates"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    providers = root / "src" / "modelatlas" / "fetch" / "providers"
    (providers / "together.py").write_text(MODULE, encoding="utf-8")
    with (providers / "registry.py").open("a", encoding="utf-8") as registry:
        registry.write(REGISTRY_LINE)
    assert modelatlas(root, "docs", "--root", str(root)).returncode == 0
    return root


def modelatlas(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m modelatlas`` running the copy's package."""
    environ = {**os.environ, **(env or {}), "PYTHONPATH": str(root / "src")}
    return subprocess.run(
        [sys.executable, "-m", "modelatlas", *args], env=environ, capture_output=True, text=True, timeout=120
    )


def test_the_derived_files_list_the_new_provider(checkout: Path) -> None:
    enum = json.loads((checkout / "schema" / "provider-id.schema.json").read_text())["enum"]
    assert enum == [*provider_ids(), "together"]
    table = (checkout / "docs" / "providers.md").read_text()
    assert "| together | Together AI | `https://api.together.xyz/v1` |" in table
    assert modelatlas(checkout, "docs", "--check", "--root", str(checkout)).returncode == 0


def test_the_new_provider_is_fetched_validated_built_and_charted(
    checkout: Path, httpserver: HTTPServer, tmp_path: Path
) -> None:
    body = (FIXTURES / "providers_extra" / "together" / "models.json").read_bytes()
    httpserver.expect_request("/v1/models", headers={"Authorization": "Bearer k"}).respond_with_data(
        body, content_type="application/json"
    )
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "data_small", data)
    env = {
        "TOGETHER_API_KEY": "k",
        "MODELATLAS_TOGETHER_BASE_URL": httpserver.url_for("/v1"),
        **EMPTY_CATALOGS,
        "MODELATLAS_HTTP_RETRIES": "0",
    }
    # together live; every other provider without a file gets one from the (empty) catalogs, so the
    # data folder holds a file for each registered provider, as build and validate require.
    absent = [p for p in (*provider_ids(), "together") if not (data / "providers" / f"{p}.json").exists()]
    selected = [arg for provider in absent for arg in ("--provider", provider)]
    fetched = modelatlas(checkout, "fetch", "--data", str(data), *selected, *NOW, env=env)
    assert fetched.returncode == 0, fetched.stderr
    doc = json.loads((data / "providers" / "together.json").read_text())
    assert [m["id"] for m in doc["models"]] == [
        "together/Qwen/Qwen2.5-7B-Instruct-Turbo",
        "together/meta-llama/Llama-3.3-70B-Instruct-Turbo",
    ]
    assert doc["status"]["source"] == "provider_api"
    assert {m["owned_by"] for m in doc["models"]} >= {"meta-llama"}  # its declared vendor segment

    out = tmp_path / "build"
    built = modelatlas(checkout, "build", "--data", str(data), "--out", str(out))
    assert built.returncode == 0, built.stderr
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

    # The charts: the legend lists the providers with points, each its own colour and shape; the new
    # provider's models carry no price, so its chart says why they are not plotted.
    legend = (out / "charts" / "index.html").read_text()
    section = legend.split('<ul class="legend"', 1)[1].split("</ul>", 1)[0]
    entries = re.findall(r'<path class="c(\d+)" d="([^"]+)"/></svg> ([^<]+?) <span', section)
    summary = legend.split('id="chart-table"', 1)[1].split("</tbody>", 1)[0]
    assert [name for _, _, name in entries] == re.findall(r'\.html">([^<]+)</a></th>', summary)
    assert len({(int(colour) % 8, path) for colour, path, _ in entries}) == len(entries)
    together = (out / "charts" / "together.html").read_text()
    assert "0 models plotted; 2 not plotted: 2 prompt price unknown." in together

    checked = modelatlas(checkout, "validate", "--data", str(data), "--dir", str(out))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_benchmark_runs_with_the_new_provider(checkout: Path, tmp_path: Path) -> None:
    payload = run_bench_smoke(tmp_path, {**os.environ, "PYTHONPATH": str(checkout / "src")})
    check_bench_smoke(payload, len(provider_ids()) + 1)
    assert "together" in payload["fetch"]["providers_called"]


def test_without_the_registry_line_the_schema_refuses_the_provider() -> None:
    extension = {"provider": "together", "upstream_id": "x", "provenance": {}}
    record = {"id": "together/x", "modelatlas": extension}
    assert {v.pointer for v in iter_violations("model", record, "x")} >= {"/id", "/modelatlas/provider"}
