"""Perplexity: ``GET https://api.perplexity.ai/v1/models`` (the Agent API's models; one body).

Ids are vendor-prefixed (``perplexity/sonar``, ``anthropic/...``); ``created`` is ``0`` (unknown).
Real bodies carry an undocumented ``pricing`` object in USD per 1M tokens, converted here to USD
per token; a price object with another ``unit`` is ignored rather than guessed at.
"""

from __future__ import annotations

from typing import Any

from modelatlas.fetch.id_rules import IdGrammar, IdRule
from modelatlas.fetch.providers import records as r
from modelatlas.fetch.providers.openai_compatible import OpenAICompatible

PROVIDER = "perplexity"
DEFAULT_BASE_URL = "https://api.perplexity.ai/v1"
ENDPOINT = "/models"
ENV_VARS = ("PERPLEXITY_API_KEY",)
PAGINATION = "none (one body)"
METADATA = "id, owned_by; undocumented pricing (input, output, cache_read, cache_write per 1M tokens)"

PER_MILLION = 1_000_000
# The Agent API's presets (preset/pro-search, …) are saved configurations, and search is the Search API.
ID_GRAMMAR = IdGrammar(
    rules=(IdRule(r"^preset/", "an Agent API preset (a saved model-and-tools configuration), not a model"),),
    api_resources={"search": "the Search API, not a model"},
)
_PRICE_FIELDS = {
    "input": "prompt",
    "output": "completion",
    "cache_read": "input_cache_read",
    "cache_write": "input_cache_write",
}


def _pricing(item: dict[str, Any], fields: dict[str, Any], extension: dict[str, Any]) -> None:
    pricing = item.get("pricing")
    if not isinstance(pricing, dict) or pricing.get("unit") != "usd_per_1m_tokens":
        return
    fields["pricing"] = {
        ours: r.price(pricing.get(theirs), per=PER_MILLION) for theirs, ours in _PRICE_FIELDS.items()
    }


_SPEC = OpenAICompatible(PROVIDER, key_vars=("PERPLEXITY_API_KEY",), extra=_pricing)
missing_credentials = _SPEC.missing_credentials
fetch = _SPEC.fetch
normalize = _SPEC.normalize
