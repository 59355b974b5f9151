"""A small built folder (v1/models.json) for the ranking and CLI tests: the shared fixture records plus
one canonical model offered by several providers, as `modelatlas build` would have linked them."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from tests.cost.cases import RECORDS

FAMILY = "openai/fixture-oss"
SNAPSHOT = "openai/fixture-oss-20250805"  # one record's dated canonical_slug


def _offer(
    record_id: str, pricing: dict[str, str] | None, slug: str = FAMILY, **extension: Any
) -> dict[str, Any]:
    provider, _, upstream = record_id.partition("/")
    record: dict[str, Any] = {
        "id": record_id,
        "canonical_slug": slug,
        "modelatlas": {
            "provider": provider,
            "upstream_id": upstream,
            "provenance": {},
            "family": FAMILY,
            **extension,
        },
    }
    if pricing is not None:
        record["pricing"] = pricing
    return record


OFFERS = [
    _offer("groq/openai/fixture-oss", {"prompt": "0.00000015", "completion": "0.00000075"}, SNAPSHOT),
    _offer("openrouter/openai/fixture-oss", {"prompt": "0.0000001", "completion": "0.0000005"}),
    _offer("openrouter/openai/fixture-oss:free", {"prompt": "0", "completion": "0"}),
    _offer("ollama/fixture-oss:cloud", {"prompt": "0", "completion": "0"}, offering="subscription"),
    _offer("azure/fixture-oss-batch", {"prompt": "0.00000005", "completion": "0.0000002"}, offering="batch"),
    _offer(
        "vertex/fixture-oss",
        {"prompt": "0.00000001", "completion": "0.00000001"},
        lifecycle={"status": "retired"},
    ),
    _offer("cerebras/fixture-oss", None),
    _offer(
        "bedrock/openai.fixture-oss",
        {"prompt": "0.00000015", "completion": "0.0000006"},
        pricing_variants=[
            {
                "pricing": {"prompt": "0.00000018", "completion": "0.00000072"},
                "region": "eu-west-1",
                "source": "curated",
            },
            {
                "pricing": {"prompt": "0.000000075", "completion": "0.0000003"},
                "source": "curated",
                "tier": "batch",
            },
            {
                "pricing": {"prompt": "0.000000075", "completion": "0.0000003"},
                "source": "curated",
                "tier": "flex",
            },
        ],
    ),
]
# Another model, for pricing a saved Anthropic response (its body names this model).
HAIKU = {
    "id": "anthropic/claude-haiku-4-5-20251001",
    "modelatlas": {"provider": "anthropic", "upstream_id": "claude-haiku-4-5-20251001", "provenance": {}},
    "pricing": {"prompt": "0.000001", "completion": "0.000005", "input_cache_write": "0.00000125"},
}


def write_build(folder: Path) -> Path:
    records = copy.deepcopy([*RECORDS.values(), *OFFERS, HAIKU])
    (folder / "v1").mkdir(parents=True)
    (folder / "v1" / "models.json").write_text(json.dumps({"data": records, "schema_version": "1"}))
    return folder
