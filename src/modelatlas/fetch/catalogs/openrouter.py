"""OpenRouter's public ``GET /api/v1/models``: the provider's own list, read without a key.

The whole list belongs to that provider; its records are read as the provider reads its live list
(:func:`modelatlas.fetch.providers.openrouter.list_records`), with this catalog as their source.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from modelatlas.fetch.catalogs.loader import load_catalog
from modelatlas.fetch.providers import openrouter as provider
from modelatlas.record import Record

SOURCE_ID = "openrouter"
DEFAULT_URL = "https://openrouter.ai/api/v1/models"
ENV_VAR = "MODELATLAS_OPENROUTER_URL"


def load() -> Any:
    return load_catalog(SOURCE_ID, ENV_VAR, DEFAULT_URL)


def normalize(raw: Any, skipped: Counter[str] | None = None) -> dict[str, list[Record]]:
    """``{<the provider's id>: [records sorted by id]}`` from a ``/api/v1/models`` body; pure."""
    records = provider.list_records(raw, SOURCE_ID, skipped if skipped is not None else Counter())
    return {provider.ID: records} if records else {}
