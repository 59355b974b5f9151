"""Where the repository and the test fixtures are, for tests at any depth."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"

# Every public catalog pointed at an empty local copy: a fetch that reads no catalog and no network.
EMPTY_CATALOGS = {
    "MODELATLAS_MODELS_DEV_URL": str(FIXTURES / "fetch" / "models-dev-empty.json"),
    "MODELATLAS_LITELLM_URL": str(FIXTURES / "fetch" / "litellm-empty.json"),
    "MODELATLAS_OPENROUTER_URL": str(FIXTURES / "fetch" / "openrouter-empty.json"),
    "MODELATLAS_RUBY_LLM_URL": str(FIXTURES / "fetch" / "ruby-llm-empty.json"),
    "MODELATLAS_PORTKEY_URL": str(FIXTURES / "fetch" / "portkey-empty"),
}

# The five public catalogs as recorded beside the repository (../shared/reference; its README names
# each one's source and date); tests that need them run when MODELATLAS_REQUIRE_SHARED is set.
REFERENCE = REPO / ".." / "shared" / "reference"
REFERENCE_CATALOGS = {
    "MODELATLAS_MODELS_DEV_URL": str(REFERENCE / "models.dev-api.json"),
    "MODELATLAS_LITELLM_URL": str(REFERENCE / "litellm-model-prices.json"),
    "MODELATLAS_OPENROUTER_URL": str(REFERENCE / "openrouter-models.json"),
    "MODELATLAS_RUBY_LLM_URL": str(REFERENCE / "ruby_llm-models.json"),
    "MODELATLAS_PORTKEY_URL": str(REFERENCE / "portkey"),
}
