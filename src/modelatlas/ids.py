"""Provider ids (the enum of ``schema/provider-id.schema.json``) and model-id helpers.

The provider-id schema is generated from the provider registry (``modelatlas docs``; a test keeps
it current), so the ground floor knows which providers exist without importing any of them:
everything that reads data/ or a build (validation, rendering, serving, the change log) iterates
this list. Everything a provider declares beyond its id (name, endpoint, rules) is read from the
registry itself (:mod:`modelatlas.fetch.providers.registry`).
"""

from __future__ import annotations

from modelatlas.schema import provider_ids

__all__ = ["model_id", "provider_ids", "split_model_id"]


def model_id(provider: str, upstream_id: str) -> str:
    """The catalog id of a model: ``<provider>/<upstream model id>``."""
    return f"{provider}/{upstream_id}"


def split_model_id(mid: str) -> tuple[str, str]:
    """Split a catalog id into (provider, upstream id); raises ValueError if the provider is unknown."""
    provider, sep, upstream = mid.partition("/")
    if not sep or provider not in provider_ids() or not upstream:
        raise ValueError(f"not a catalog model id: {mid!r}")
    return provider, upstream
