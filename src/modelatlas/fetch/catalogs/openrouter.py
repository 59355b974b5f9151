"""OpenRouter's public ``GET /api/v1/models``: the provider's own list, read without a key.

The whole list belongs to that provider; its records are read as the provider reads its live list
(:func:`modelatlas.fetch.providers.openrouter.list_records`), with this catalog as their source.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import parse_qs, urlsplit

from modelatlas.config import HttpSettings
from modelatlas.fetch.catalogs.loader import CATALOG_HTTP, catalog_location, load_catalog
from modelatlas.fetch.providers import openrouter as provider
from modelatlas.record import Record

SOURCE_ID = "openrouter"
# Every output modality: the endpoint's default (``text``) leaves out image, audio and embedding models.
DEFAULT_URL = "https://openrouter.ai/api/v1/models?output_modalities=all"
ENV_VAR = "MODELATLAS_OPENROUTER_URL"
PROVIDER = provider.ID  # the one provider this catalog lists (see catalogs.sources_for)
DEFAULT_OUTPUTS = ("text",)  # the endpoint's own default filter


def load(http: HttpSettings = CATALOG_HTTP) -> Any:
    return load_catalog(SOURCE_ID, ENV_VAR, DEFAULT_URL, http)


def list_outputs() -> tuple[str, ...]:
    """The output modalities the list read answers for (``()``: all): the ``output_modalities`` its
    URL asks for, else the endpoint's default, text (a local copy is taken as one default request)."""
    query = parse_qs(urlsplit(catalog_location(ENV_VAR, DEFAULT_URL)).query)
    asked = [m.strip() for value in query.get("output_modalities", []) for m in value.split(",") if m.strip()]
    if not asked:
        return DEFAULT_OUTPUTS
    return () if "all" in asked else tuple(sorted(set(asked)))


def normalize(raw: Any, skipped: Counter[str] | None = None) -> dict[str, list[Record]]:
    """``{<the provider's id>: [records sorted by id]}`` from a ``/api/v1/models`` body; pure."""
    records = provider.list_records(raw, SOURCE_ID, skipped if skipped is not None else Counter())
    return {PROVIDER: records} if records else {}
