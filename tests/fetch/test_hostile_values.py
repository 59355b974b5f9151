"""Numbers and strings outside the documented bounds, in every catalog and in a provider's own list:
each bad value is dropped (or its record rejected, with a reason in the status block), everything
beside it survives, and nothing raises (no ``decimal.Overflow``, no ``year 55840 is out of range``)."""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from modelatlas.bounds import record_problems
from modelatlas.cli import cli
from modelatlas.fetch.catalogs import litellm, models_dev, openrouter, portkey, ruby_llm
from modelatlas.jsonio import loads
from tests.paths import EMPTY_CATALOGS

HUGE = "9" * 999_999  # a 999,999-digit price string
# Raw JSON numbers no Python literal can hold, put in place of these strings by raw_json().
RAW = {
    "@1E999999999@": "1e999999999",
    "@1E400@": "1e400",
    "@10^400@": "1" + "0" * 400,  # context_length 10^400 as a JSON integer
    "@10^5000@": "1" + "0" * 5000,  # longer than Python's int() reads
    "@10^29@": str(10**29),
}


def raw_json(value: Any) -> str:
    text = json.dumps(value)
    for placeholder, number in RAW.items():
        text = text.replace(f'"{placeholder}"', number)
    return text


def _only(result: dict[str, list[dict[str, Any]]], provider: str) -> dict[str, dict[str, Any]]:
    records = {record["modelatlas"]["upstream_id"]: record for record in result.get(provider, [])}
    for record in records.values():
        assert list(record_problems(record)) == [], record["id"]
    return records


def test_models_dev_entry_with_absurd_values_is_kept_without_them() -> None:
    good = {"id": "good-1", "name": "Good", "cost": {"input": 1, "output": 2}, "limit": {"context": 1000}}
    bad = {
        "id": "bad-1",
        "name": "Bad",
        "cost": {
            "input": "@1E999999999@",
            "output": "1e999999999",
            "cache_read": HUGE,
            "cache_write": "@10^5000@",
        },
        "limit": {"context": "@10^400@", "output": "@1E400@"},
        "release_date": "9999-01-01",
        "last_updated": "2025-02-31",
    }
    spaced = {"id": "a b", "name": "spaced"}
    raw = loads(
        raw_json({"openai": {"id": "openai", "models": {"good-1": good, "bad-1": bad, "a b": spaced}}})
    )
    skipped: Counter[str] = Counter()
    records = _only(models_dev.normalize(raw, skipped), "openai")
    assert records["good-1"]["pricing"] == {"prompt": "0.000001", "completion": "0.000002"}
    kept = records["bad-1"]
    assert "pricing" not in kept and "context_length" not in kept and "lifecycle" not in kept["modelatlas"]
    assert kept["name"] == "Bad" and "a b" not in records
    assert skipped["id contains whitespace"] == 1


def test_litellm_entry_with_absurd_values_is_kept_without_them() -> None:
    plain = {"litellm_provider": "openai", "mode": "chat"}
    good = {**plain, "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06, "max_input_tokens": 1000}
    bad = {
        **plain,
        "input_cost_per_token": "@1E999999999@",
        "output_cost_per_token": "1e999999999",
        "max_input_tokens": "@10^400@",
        "max_output_tokens": "@10^5000@",
        "deprecation_date": "9999-12-31",
        "input_cost_per_token_batches": HUGE,
    }
    raw = loads(
        raw_json({"good-1": good, "bad-1": bad, "gpt 4o mini": {**plain, "input_cost_per_token": 1e-06}})
    )
    records = _only(litellm.normalize(raw, Counter()), "openai")
    assert records["good-1"]["pricing"] == {"prompt": "0.000001", "completion": "0.000002"}
    kept = records["bad-1"]
    assert "pricing" not in kept and "max_input_tokens" not in kept and "max_output_tokens" not in kept
    assert "pricing_variants" not in kept["modelatlas"] and "gpt 4o mini" not in records


def test_openrouter_entry_with_absurd_values_is_kept_without_them() -> None:
    good = {
        "id": "openai/good-1",
        "name": "Good",
        "context_length": 1000,
        "created": 1700000000,
        "pricing": {"prompt": "0.000001", "completion": "0.000002"},
    }
    bad = {
        "id": "openai/bad-1",
        "name": "Bad",
        "pricing": {
            "prompt": "1e999999999",
            "completion": "@1E999999999@",
            "request": HUGE,
            "image": "1e999998",
        },
        "context_length": "@10^400@",
        "created": 1700000000000,
        "top_provider": {"context_length": "@1E400@"},
        "default_parameters": {"temperature": "@1E999999999@"},
    }
    later = {"id": "openai/bad-2", "name": "Bad 2", "created": "@10^29@"}
    raw = loads(raw_json({"data": [good, bad, later, {"id": "vendor/a b", "name": "spaced"}]}))
    skipped: Counter[str] = Counter()
    records = _only(openrouter.normalize(raw, skipped), "openrouter")
    assert records["openai/good-1"]["created"] == 1700000000
    kept = records["openai/bad-1"]
    assert {"pricing", "context_length", "created", "top_provider", "default_parameters"}.isdisjoint(kept)
    assert "created" not in records["openai/bad-2"] and "vendor/a b" not in records
    assert skipped["dropped created: is not unix seconds before 2100 (milliseconds?)"] == 2


def test_ruby_llm_entry_with_absurd_values_is_kept_without_them() -> None:
    def priced(prompt: object, completion: object) -> dict[str, Any]:
        per_million = {"input_per_million": prompt, "output_per_million": completion}
        return {"text_tokens": {"standard": per_million}}

    good = {
        "id": "good-1",
        "provider": "openrouter",
        "name": "Good",
        "context_window": 1000,
        "pricing": priced(1, 2),
    }
    bad = {
        "id": "bad-1",
        "provider": "openrouter",
        "name": "Bad",
        "context_window": "@10^400@",
        "created_at": "9999-01-01 00:00:00 UTC",
        "knowledge_cutoff": "2025-13-01",
        "pricing": priced("@1E999999999@", HUGE),
    }
    records = _only(ruby_llm.normalize(loads(raw_json([good, bad])), Counter()), "openrouter")
    assert records["good-1"]["pricing"] == {"prompt": "0.000001", "completion": "0.000002"}
    assert {"pricing", "context_length", "created"}.isdisjoint(records["bad-1"])


def test_portkey_entry_with_absurd_values_is_kept_without_them() -> None:
    def config(prompt: object, completion: object) -> dict[str, Any]:
        pay = {"request_token": {"price": prompt}, "response_token": {"price": completion}}
        return {"pricing_config": {"pay_as_you_go": pay}}

    pricing = {
        "good-1": config("0.0001", "0.0002"),
        "bad-1": config("@1E999999999@", HUGE),
        "bad-2": config("@10^5000@", "1e-999999999"),
    }
    general = {"good-1": {"params": [{"key": "max_tokens", "maxValue": "@10^400@"}]}}
    files = {"openai": {"pricing": loads(raw_json(pricing)), "general": loads(raw_json(general))}}
    records = _only(portkey.normalize(files, Counter()), "openai")
    assert records["good-1"]["pricing"] == {"prompt": "0.000001", "completion": "0.000002"}
    assert "max_output_tokens" not in records["good-1"]
    assert "bad-1" not in records or "pricing" not in records["bad-1"]


def _fetch(data: Path, monkeypatch: Any, **env: str) -> Any:
    for name, value in {**EMPTY_CATALOGS, "MODELATLAS_HTTP_RETRIES": "0", **env}.items():
        monkeypatch.setenv(name, value)
    return CliRunner().invoke(cli, ["fetch", "--data", str(data), "--now", "2026-11-27T00:00:00Z"])


def test_one_catalog_price_never_fails_the_fetch(tmp_path: Path, monkeypatch: Any) -> None:
    """A '1e999999999' price (string and raw JSON number) in the OpenRouter catalog: before, a
    decimal.Overflow traceback and exit 1 with nothing refreshed; now only that value is dropped."""
    catalog = tmp_path / "openrouter.json"
    good = {"id": "openai/good-1", "name": "Good", "pricing": {"prompt": "0.000001"}}
    bad = {
        "id": "openai/bad-1",
        "name": "Bad",
        "pricing": {"prompt": "1e999999999", "completion": "@1E999999999@"},
    }
    catalog.write_text(raw_json({"data": [good, bad]}))
    result = _fetch(tmp_path / "data", monkeypatch, MODELATLAS_OPENROUTER_URL=str(catalog))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    doc = json.loads((tmp_path / "data" / "providers" / "openrouter.json").read_text())
    models = {m["id"]: m for m in doc["models"]}
    assert models["openrouter/openai/good-1"]["pricing"] == {"prompt": "0.000001"}
    assert "pricing" not in models["openrouter/openai/bad-1"]


def test_a_provider_record_outside_the_bounds_is_rejected_alone(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: Any
) -> None:
    """A provider list with an id holding a space, ``created`` in milliseconds and 10^29 and a
    10^400 context window: the good records land, the bad id is in the status block with its
    reason, the bad numbers are unknown; validate and build accept the result."""
    item = {"object": "model", "created": 1700000000, "owned_by": "mistralai"}
    items = [
        {**item, "id": "good-1", "max_context_length": 8192, "default_model_temperature": 0.7},
        {**item, "id": "good-2", "created": 1710000000},  # (one created for all is the request time)
        {**item, "id": "gpt 4o mini"},
        {**item, "id": "ms-1", "created": 1700000000000, "default_model_temperature": "@1E999999999@"},
        {**item, "id": "huge-1", "created": "@10^29@", "max_context_length": "@10^400@"},
    ]
    httpserver.expect_request("/mistral/models").respond_with_data(
        raw_json({"object": "list", "data": items}), content_type="application/json"
    )
    data = tmp_path / "data"
    result = _fetch(
        data,
        monkeypatch,
        MISTRAL_API_KEY="mistral-test-0123456789",
        MODELATLAS_MISTRAL_BASE_URL=httpserver.url_for("/mistral"),
    )
    assert result.exit_code == 0, result.output
    doc = json.loads((data / "providers" / "mistral.json").read_text())
    models = {m["id"]: m for m in doc["models"]}
    assert set(models) == {"mistral/good-1", "mistral/good-2", "mistral/ms-1", "mistral/huge-1"}
    good = models["mistral/good-1"]
    assert good["created"] == 1700000000 and good["context_length"] == 8192
    assert good["default_parameters"] == {"temperature": 0.7}
    assert {"created", "default_parameters"}.isdisjoint(models["mistral/ms-1"])
    assert {"created", "context_length"}.isdisjoint(models["mistral/huge-1"])
    (rejected,) = doc["status"]["rejected"]
    assert rejected == {
        "id": "'gpt 4o mini'",
        "reason": "id contains whitespace: 'gpt 4o mini'",
        "sources": ["provider_api"],
    }
    assert "id contains whitespace" in result.output  # and on the provider's line
    out = tmp_path / "build"
    with contextlib.chdir(tmp_path):  # (build/ not made yet: the default --dir is skipped)
        checked = CliRunner().invoke(cli, ["validate", "--data", str(data), "--allow-missing"])
    assert checked.exit_code == 0, checked.output
    built = CliRunner().invoke(cli, ["build", "--data", str(data), "--out", str(out), "--allow-missing"])
    assert built.exit_code == 0, built.output
