"""``validate`` enforces the price contract (validate/price_contract.py): each broken promise is
one problem naming the model and the JSON pointer, and the committed snapshot keeps every promise."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from modelatlas.cli import cli
from modelatlas.datastore import new_provider_doc
from modelatlas.ids import provider_ids
from modelatlas.validate.checks import check_data
from modelatlas.validate.price_contract import contract_problems, record_problems
from tests.paths import REPO
from tests.provider_files import write_provider


def model(provider: str, upstream: str, **fields: Any) -> dict[str, Any]:
    extension = {
        "provider": provider,
        "upstream_id": upstream,
        "provenance": {},
        **fields.pop("modelatlas", {}),
    }
    return {"id": f"{provider}/{upstream}", **fields, "modelatlas": extension}


def problems(provider: str, record: dict[str, Any]) -> list[tuple[str, str]]:
    return list(record_problems(provider, record))


def test_each_broken_promise_is_named_with_its_pointer() -> None:
    whisper = model(
        "openrouter",
        "openai/whisper-1",
        pricing={"prompt": "0.006"},
        modelatlas={"provenance": {"pricing.prompt": "ruby_llm"}},
    )
    assert problems("openrouter", whisper) == [
        ("/pricing/prompt", "0.006 per token is above $1,000 per 1M tokens: a price in another unit")
    ]
    titan = model(
        "bedrock",
        "amazon.titan-embed-image-v1",
        pricing={"prompt": "0.0000008", "completion": "0.000025"},
        max_output_tokens=128,
        context_length=128,
        modelatlas={"mode": "embedding", "provenance": {"pricing.completion": "portkey"}},
    )
    assert [p for p, _m in problems("bedrock", titan)] == ["/pricing/completion", "/max_output_tokens"]
    gpt = model(
        "openai",
        "gpt-4o",
        pricing={"prompt": "0.0000025", "input_cache_write": "0"},
        modelatlas={"provenance": {"pricing.prompt": "litellm", "pricing.input_cache_write": "portkey"}},
    )
    assert (
        problems("openai", gpt)[0][1]
        == "a zero beside a positive price that only a catalog states (a placeholder)"
    )
    free_by_rule = model(
        "openai",
        "x",
        pricing={"prompt": "0.000001", "input_cache_write": "0"},
        modelatlas={"provenance": {"pricing.input_cache_write": "rule:openai-x"}},
    )
    assert problems("openai", free_by_rule) == []


def test_a_pair_no_source_publishes_and_a_not_billed_price_are_problems() -> None:
    mimo = model(
        "openrouter",
        "xiaomi/mimo-v2.5",
        pricing={"prompt": "0.0000004", "completion": "0.00000028"},
        modelatlas={
            "provenance": {"pricing.prompt": "openrouter", "pricing.completion": "portkey"},
            "conflicts": {"pricing.completion": {"openrouter": "0.000002", "portkey": "0.00000028"}},
        },
    )
    assert problems("groq", mimo) == [
        (
            "/pricing/completion",
            "paired with pricing.prompt from openrouter, which states pricing.completion as 0.000002",
        )
    ]
    listed = model(
        "gemini",
        "g",
        pricing={"prompt": "0.000001", "input_cache_write": "0.000001"},
        modelatlas={"not_billed": ["pricing.input_cache_write"], "provenance": {}},
    )
    assert (
        "/pricing/input_cache_write",
        "listed in modelatlas.not_billed, so it must be absent",
    ) in problems("gemini", listed)
    limits = model("mistral", "m", context_length=128000, max_output_tokens=262144, max_input_tokens=100)
    assert problems("mistral", limits) == [
        ("/max_output_tokens", "262144 is above the context window (128000)")
    ]


def test_validate_reports_contract_problems_and_the_committed_snapshot_has_none(tmp_path: Path) -> None:
    for provider in provider_ids():
        write_provider(
            tmp_path, new_provider_doc(provider, [], {"source": "none", "count": 0, "stale": False})
        )
    bad = model(
        "groq",
        "whisper-x",
        pricing={"prompt": "0.000001", "input_cache_write": "0"},
        modelatlas={"provenance": {"pricing.prompt": "litellm", "pricing.input_cache_write": "portkey"}},
    )
    write_provider(tmp_path, new_provider_doc("groq", [bad], {"source": "none", "count": 1, "stale": False}))
    with contextlib.chdir(tmp_path):  # (no build/ there: the default --dir is skipped)
        result = CliRunner().invoke(cli, ["validate", "--data", str(tmp_path)])
    assert result.exit_code != 0
    assert (
        "model groq/whisper-x: at /models/0/pricing/input_cache_write: a zero beside a positive price"
        in result.output
    )
    _docs, report = check_data(REPO / "data")
    assert report.problems == []
    assert json.loads((REPO / "data" / "providers" / "groq.json").read_text())["models"]


def test_a_price_sheet_shared_by_records_is_judged_with_each_record_s_own_facts() -> None:
    # The parser makes equal price objects one object; a document's check judges each object once
    # for each set of facts it is judged with: who states each price, the mode, what is not billed.
    prices = {"prompt": "0.000001", "completion": "0"}
    variant = {"pricing": prices, "region": "eu", "source": "litellm"}
    records = [
        model("openai", "a", pricing=prices, modelatlas={
            "provenance": {"pricing.completion": "litellm"}, "pricing_variants": [variant]}),
        model("openai", "b", pricing=prices, modelatlas={
            "provenance": {"pricing.completion": "curated"},
            "pricing_variants": [{**variant, "source": "curated"}]}),
        model("openai", "c", pricing=prices, modelatlas={
            "provenance": {"pricing.completion": "curated"}, "mode": "embedding"}),
        model("openai", "d", pricing=prices, modelatlas={
            "provenance": {"pricing.completion": "curated"}, "not_billed": ["pricing.prompt"]}),
    ]
    found = list(contract_problems("openai", {"models": records}))
    one_by_one = [(f"/models/{index}{pointer}", message, record["id"])
                  for index, record in enumerate(records) for pointer, message in problems("openai", record)]
    assert found == one_by_one
    placeholder = "a zero beside a positive price that only a catalog states (a placeholder)"
    assert [(pointer, record_id) for pointer, message, record_id in found if message == placeholder] == [
        ("/models/0/pricing/completion", "openai/a"),
        ("/models/0/modelatlas/pricing_variants/0/pricing/completion", "openai/a"),
    ]
    no_output = "a embedding model has no output tokens to price"
    assert ("/models/2/pricing/completion", no_output, "openai/c") in found
    assert ("/models/3/pricing/prompt", "listed in modelatlas.not_billed, so it must be absent",
            "openai/d") in found
