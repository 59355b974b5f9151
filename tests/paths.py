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
