"""One spelling per vendor: the vocabulary ``owned_by`` and the canonical slugs share.

Providers and catalogs name the maker of a model many ways (``Meta``, ``meta``, ``meta-llama``;
``Mistral AI``, ``mistral``, ``mistralai``; ``xai``, ``x-ai``; ``zai``, ``zai-org``, ``z-ai``). The
vocabulary is the reference list's vendor slugs (OpenRouter's first id segment, also the first part
of every canonical slug): :func:`vendor_slug` lowercases a name, writes spaces and underscores as
dashes, and maps every other spelling in :data:`VENDOR_ALIASES` to its slug. docs/canonical.md
lists the table (a test keeps the two equal).

Some list fields named ``owned_by`` are no maker at all: :data:`NOT_VENDORS` are the account labels
OpenAI's list gives (``system``, ``openai-internal``) and a local model registry's namespace (``library``).
"""

from __future__ import annotations

import re

# Spellings used by providers, catalogs and Hugging Face -> the vendor's slug.
VENDOR_ALIASES: dict[str, str] = {
    "meta": "meta-llama",
    "mistral": "mistralai",
    "mistral-ai": "mistralai",
    "zai": "z-ai",
    "zai-org": "z-ai",
    "xai": "x-ai",
    "moonshot": "moonshotai",
    "minimaxai": "minimax",
    "deepseek-ai": "deepseek",
    "cohereforai": "cohere",
    "coherelabs": "cohere",
    "ai21labs": "ai21",
    "ai21-labs": "ai21",
    "liquidai": "liquid",
    "stability-ai": "stability",
    "stabilityai": "stability",
    "luma-ai": "luma",
    "openai-internal": "openai",
}
# owned_by values that name an account or a registry, not who made the model.
NOT_VENDORS = frozenset({"system", "library"})
_SEPARATORS = re.compile(r"[\s_]+")


def vendor_slug(name: str) -> str:
    """The vocabulary's spelling of a vendor name (``Mistral AI`` -> ``mistralai``)."""
    low = _SEPARATORS.sub("-", name.strip().lower())
    return VENDOR_ALIASES.get(low, low)


def is_vendor(name: str) -> bool:
    return bool(name.strip()) and vendor_slug(name) not in NOT_VENDORS
