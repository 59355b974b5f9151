"""``modelatlas fetch`` with every provider's live list served by a local server, from the providers'
real list responses (tests/fixtures/providers/SOURCES.md): every listed id lands under its own
spelling, no provider fails because of curated data, the catalog holds no second current spelling
of a listed id, and each provider's list is kept with its date in data/lists/.

Every provider gets dummy credentials and its base URL pointed at the server. The bodies are the
recorded ones where a recording exists, else the example of the provider's own API reference
(``documented/``); the Bedrock inference profiles and the Vertex anthropic and mistralai publishers
were not recorded, so the paginated fixtures of their documented shape stand in.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from modelatlas.cli import cli
from modelatlas.datastore import read_provider
from modelatlas.fetch.provider_lists import load_list
from modelatlas.fetch.providers import registry
from modelatlas.fetch.spellings import match_key
from modelatlas.ids import provider_ids
from tests.paths import EMPTY_CATALOGS, FIXTURES, REFERENCE, REFERENCE_CATALOGS, REPO
from tests.upstream_server import Answer, Request, upstream

BODIES = FIXTURES / "providers"
NOW = "2026-11-27T00:00:00Z"
HIDDEN = {"retired", "removed", "unverified"}
# provider -> path after its base URL -> body (a page token picks a later page)
ROUTES: dict[str, dict[str, str]] = {
    "openai": {"/models": "openai/models.json"},
    "anthropic": {
        "/models": "anthropic/page1.json",
        "/models?after_id=claude-sonnet-4-5-20250929": "anthropic/page2.json",
        "/models?after_id=claude-3-7-sonnet-20250219": "anthropic/page3.json",
    },
    "azure": {"/models": "recorded/azure.json"},
    "bedrock": {"/foundation-models": "recorded/bedrock-foundation-models.json",
                "/inference-profiles": "bedrock/inference-profiles-page1.json",
                "/inference-profiles?nextToken=eyJwIjoyfQ==": "bedrock/inference-profiles-page2.json"},
    "cohere": {"/models": "recorded/cohere.json"},
    "vertex": {"/publishers/google/models": "recorded/vertex-google.json",
               "/publishers/anthropic/models": "vertex/anthropic-page1.json",
               "/publishers/mistralai/models": "vertex/mistralai-page1.json"},
    "mistral": {"/models": "mistral/models.json"},
    "ollama": {"/api/tags": "documented/ollama-tags.json"},
    "gemini": {"/models": "recorded/gemini.json"},
    "groq": {"/models": "documented/groq-models.json"},
    "openrouter": {"/models": "recorded/openrouter.json"},
    "sgl": {"/models": "documented/sgl-models-with-lora.json"},
    "parasail": {"/models": "documented/parasail-models.json"},
    "elevenlabs": {"/models": "documented/elevenlabs-models.json"},
    "perplexity": {"/models": "perplexity/models.json"},
    "cerebras": {"/models": "documented/cerebras-public-models.json"},
}
# The recorded Cohere body is the first page of several: its next page is answered as the end.
LAST_PAGE = {"cohere": b'{"models": [], "next_page_token": ""}'}
PAGE_TOKENS = ("after_id", "nextToken", "page_token")


def route(request: Request) -> Answer:
    parts = urlsplit(request.path)
    provider, _, path = parts.path.lstrip("/").partition("/")
    query = parse_qs(parts.query)
    token = next((f"{name}={query[name][0]}" for name in PAGE_TOKENS if name in query), None)
    if token and provider in LAST_PAGE:
        return Answer(body=LAST_PAGE[provider])
    body = ROUTES.get(provider, {}).get(f"/{path}?{token}" if token else f"/{path}")
    if body is None:
        return Answer(status=404, body=b'{"error": {"message": "no such route"}}')
    return Answer(body=(BODIES / body).read_bytes())


def listed_ids(provider: str) -> list[str]:
    """The ids the provider's normalizer reads from the bodies served for it."""
    pages = [json.loads((BODIES / body).read_text()) for body in ROUTES[provider].values()]
    return [r["modelatlas"]["upstream_id"] for r in registry.declared(provider).normalize(pages).records]


@pytest.fixture(scope="module")
def fetched(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data = tmp_path_factory.mktemp("data")
    for inputs in ("curated", "lists", "lifecycle"):
        shutil.copytree(REPO / "data" / inputs, data / inputs)
    with upstream(route) as url:
        env = dict(EMPTY_CATALOGS if not REFERENCE.is_dir() else REFERENCE_CATALOGS)
        for declared in registry.PROVIDERS:
            env[declared.override_var] = f"{url}/{declared.id}"
            for group in declared.credentials:
                env[group[0]] = "dummy-credential-value"
        result = CliRunner().invoke(cli, ["fetch", "--data", str(data), "--now", NOW], env=env)
    return data, result.output


def test_every_provider_lands_from_its_live_list(fetched: tuple[Path, str]) -> None:
    data, output = fetched
    assert "16 fresh" in output, output
    for provider in provider_ids():
        doc = read_provider(data, provider)
        assert doc is not None and doc["status"]["source"] == "provider_api", provider


@pytest.mark.parametrize("provider", provider_ids())
def test_every_listed_id_lands_under_its_own_spelling_once(fetched: tuple[Path, str], provider: str) -> None:
    doc = read_provider(fetched[0], provider)
    assert doc is not None
    ids = {m["modelatlas"]["upstream_id"] for m in doc["models"]}
    assert set(listed_ids(provider)) <= ids
    listed = set(listed_ids(provider))
    current = [m for m in doc["models"] if m["modelatlas"].get("lifecycle", {}).get("status") not in HIDDEN]
    current_ids = {m["modelatlas"]["upstream_id"] for m in current}
    for record in current:  # an alias names no other current record, unless the provider lists both
        assert {a for a in record["modelatlas"].get("aliases", []) if a in current_ids} <= listed
    assert all(m["modelatlas"]["membership"]["basis"] == "provider_list" for m in doc["models"])


def test_curated_entries_for_models_that_left_the_list_are_reported(fetched: tuple[Path, str]) -> None:
    data, output = fetched
    anthropic = read_provider(data, "anthropic")
    assert anthropic is not None
    unused = {u["model"] for u in anthropic["status"]["curated_unused"]}
    assert "claude-3-opus-20240229" in unused
    assert "anthropic: fresh" in output and "curated entries unused" in output


def test_both_of_azures_qwen_spellings_stay(fetched: tuple[Path, str]) -> None:
    doc = read_provider(fetched[0], "azure")
    assert doc is not None
    ids = {m["modelatlas"]["upstream_id"] for m in doc["models"]}
    assert {"qwen-3-32b", "qwen3-32b"} <= ids
    assert match_key("azure", "qwen-3-32b") == match_key("azure", "qwen3-32b")  # one spelling key, two models


@pytest.mark.parametrize("provider", provider_ids())
def test_each_live_list_is_kept_with_its_date(fetched: tuple[Path, str], provider: str) -> None:
    kept = load_list(fetched[0], provider)
    assert kept is not None and kept.day.isoformat() == NOW[:10]
    assert set(kept.ids) == set(listed_ids(provider))
    previous = load_list(REPO / "data", provider)
    if previous is not None and provider == "openrouter":  # the recorded list of the same day: nothing gone
        assert kept.gone == {}
