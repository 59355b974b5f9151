"""Perplexity: ``GET https://api.perplexity.ai/v1/models`` (the Agent API's models; one body).

Ids are vendor-prefixed (``perplexity/sonar``, ``anthropic/...``); ``created`` is ``0`` (unknown).
Real bodies carry an undocumented ``pricing`` object in USD per 1M tokens, converted here to USD
per token; a price object with another ``unit`` is ignored rather than guessed at.
"""

from __future__ import annotations

from typing import Any

from modelatlas import record as r
from modelatlas.fetch.id_rules import IdGrammar, IdRule
from modelatlas.fetch.providers.declaration import Provider
from modelatlas.fetch.providers.openai_compatible import OpenAICompatible
from modelatlas.fetch.providers.rules import CatalogRules, ModelIds, NameReading, VendorSegment

ID = "perplexity"
DEFAULT_API_ROOT = "https://api.perplexity.ai/v1"
ENDPOINT = "/models"

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


_SPEC = OpenAICompatible(ID, key_vars=("PERPLEXITY_API_KEY",), extra=_pricing)
fetch = _SPEC.fetch
normalize = _SPEC.normalize


PROVIDER = Provider(
    id=ID,
    name="Perplexity",
    default_api_root=DEFAULT_API_ROOT,
    endpoint=ENDPOINT,
    env_vars=("PERPLEXITY_API_KEY",),
    credentials=(_SPEC.key_vars,),
    auth="`Authorization: Bearer`",
    pagination="none (one body)",
    metadata="id, owned_by; undocumented pricing (input, output, cache_read, cache_write per 1M tokens)",
    fetch=fetch,
    normalize=normalize,
    id_grammar=ID_GRAMMAR,
    catalog_names={
        "models.dev": ("perplexity", "perplexity-agent"),
        "litellm": ("perplexity",),
        "ruby_llm": ("perplexity",),
        "portkey": ("perplexity-ai",),
    },
    model_ids=ModelIds(vendor_segment=VendorSegment.SLASH),
    name_reading=NameReading(host_segments=frozenset({ID})),  # ``perplexity/sonar``: its own models
    # ruby_llm's entries (those not copied from models.dev) are its /v1/models answer, prices included.
    catalog_rules=CatalogRules(ruby_llm_prices=True, own_list=("ruby_llm",)),
)
