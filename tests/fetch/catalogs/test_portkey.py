"""Portkey's model database over a cut of the real files (tests/fixtures/sources/portkey_cut.json:
``{file: {"pricing": ..., "general": ...}}``), and loading it from a folder or a base URL."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from modelatlas.errors import InputError
from modelatlas.fetch.catalogs import portkey
from modelatlas.jsonio import load_path
from modelatlas.schema import iter_violations
from tests.paths import FIXTURES

FIXTURE = FIXTURES / "sources" / "portkey_cut.json"


@pytest.fixture(scope="module")
def normalized() -> tuple[dict, Counter]:
    skipped: Counter[str] = Counter()
    return portkey.normalize(load_path(FIXTURE), skipped), skipped


def model(normalized: tuple[dict, Counter], provider: str, upstream: str) -> dict:
    return next(r for r in normalized[0][provider] if r["modelatlas"]["upstream_id"] == upstream)


def test_ids_and_skips(normalized: tuple[dict, Counter]) -> None:
    result, skipped = normalized
    assert sorted(r["modelatlas"]["upstream_id"] for r in result["bedrock"]) == [
        "anthropic.claude-3-haiku-20240307-v1:0",
        "cohere.rerank-v3-5:0",
        "global.anthropic.claude-sonnet-4-6",
        "meta.llama3-3-70b-instruct-v1:0",
        "mistral.mistral-7b-instruct-v0:2",
        "stability.sd3-5-large-v1",
        "us.anthropic.claude-sonnet-4-6",
        "us.openai.gpt-5.6-sol",
    ]  # "default" is the template; "claude" is Portkey's shorthand
    assert [r["modelatlas"]["upstream_id"] for r in result["gemini"]] == [
        "gemini-3-pro-image-preview",  # from its -lte-128k key
        "imagen-4.0-generate-001",
    ]
    assert skipped["bedrock key without a vendor prefix (not a model id)"] == 1
    assert skipped["fine-tuning price template key"] == 1
    assert skipped["entry without a pricing_config"] == 1  # azure code-davinci-002
    for records in result.values():
        for record in records:
            assert list(iter_violations("model", record, record["id"])) == []


def test_long_context_prices_become_tiers_of_the_base_id(normalized: tuple[dict, Counter]) -> None:
    # a -gt-<N>k key is its base id's price above N thousand input tokens (batch_config: the batch tier's)
    def entry(prompt: float, completion: float, batch: float) -> dict:
        pay = {"request_token": {"price": prompt}, "response_token": {"price": completion}}
        return {"pricing_config": {"pay_as_you_go": pay, "batch_config": {"request_token": {"price": batch}}}}

    raw = {"google": {"general": {}, "pricing": {
        "gemini-9-pro-lte-200k": entry(0.000125, 0.001, 0.0000625),
        "gemini-9-pro-gt-200k": entry(0.00025, 0.0015, 0.000125),
    }}}
    (pro,) = portkey.normalize(raw)["gemini"]
    assert pro["modelatlas"]["upstream_id"] == "gemini-9-pro"
    assert pro["pricing"] == {"completion": "0.00001", "prompt": "0.00000125"}
    assert pro["modelatlas"]["context_tiers"] == [{
        "above_input_tokens": 200000, "billing": "whole_request", "source": "portkey",
        "pricing": {"completion": "0.000015", "prompt": "0.0000025"},
    }]
    (batch,) = pro["modelatlas"]["pricing_variants"]
    assert batch["context_tiers"][0]["pricing"] == {"prompt": "0.00000125"}
    # a -gt- key that repeats the base price states no tier (Portkey's 128k split of an image model)
    assert "context_tiers" not in model(normalized, "gemini", "gemini-3-pro-image-preview")["modelatlas"]
    # context_tier_map: the lowest tier is the price, each higher one a tier (web search is no token price)
    gpt = model(normalized, "openai", "gpt-5.4")
    assert gpt["pricing"]["prompt"] == "0.0000025"
    assert gpt["modelatlas"]["context_tiers"] == [{
        "above_input_tokens": 272000, "billing": "whole_request", "source": "portkey",
        "pricing": {"completion": "0.0000225", "input_cache_read": "0.0000005", "prompt": "0.000005"},
    }]
    batch = next(v for v in gpt["modelatlas"]["pricing_variants"] if v.get("tier") == "batch")
    assert batch["context_tiers"][0]["pricing"]["prompt"] == "0.0000025"


def test_cents_per_token_become_exact_usd(normalized: tuple[dict, Counter]) -> None:
    haiku = model(normalized, "bedrock", "anthropic.claude-3-haiku-20240307-v1:0")
    assert haiku["pricing"] == {"completion": "0.00000125", "prompt": "0.00000025"}  # $0.25 / $1.25
    assert set(haiku["modelatlas"]["provenance"].values()) == {"portkey"}


def test_rerank_request_token_is_a_per_query_price(normalized: tuple[dict, Counter]) -> None:
    for provider, upstream in (("bedrock", "cohere.rerank-v3-5:0"), ("cohere", "rerank-english-v3.0")):
        rerank = model(normalized, provider, upstream)
        assert rerank["modelatlas"]["extra_pricing"] == {"query": "0.002"}  # 0.2 cents per search
        assert "pricing" not in rerank


def test_region_and_tier_prices_are_variants(normalized: tuple[dict, Counter]) -> None:
    llama = model(normalized, "bedrock", "meta.llama3-3-70b-instruct-v1:0")
    assert llama["pricing"]["prompt"] == "0.00000072"
    variants = llama["modelatlas"]["pricing_variants"]
    assert {
        "tier": "batch",
        "pricing": {"completion": "0.00000036", "prompt": "0.00000036"},
        "source": "portkey",
    } in variants
    assert all("region" not in v for v in variants)  # Portkey's "default" region = no region
    mistral = model(normalized, "bedrock", "mistral.mistral-7b-instruct-v0:2")["modelatlas"][
        "pricing_variants"
    ]
    regions = {v["region"] for v in mistral if "region" in v}
    assert {"ap-southeast-2", "eu-west-2", "eu-west-3"} <= regions  # "a,b,c" gives one variant each
    assert all("," not in region for region in regions)
    assert mistral == sorted(mistral, key=lambda v: (v.get("region", ""), v.get("tier", "")))


def test_context_tiers_take_the_base_tier(normalized: tuple[dict, Counter]) -> None:
    gpt = model(normalized, "openai", "gpt-5.4")
    assert gpt["pricing"]["prompt"] == "0.0000025"
    variants = gpt["modelatlas"]["pricing_variants"]
    flex = next(v for v in variants if v.get("tier") == "flex" and "region" not in v)
    assert flex["pricing"]["prompt"] == "0.00000125"  # lte-272k, not gt-272k's 0.0000025
    regional = next(v for v in variants if v.get("region") == "eu" and "tier" not in v)
    assert regional["pricing"]["prompt"] == "0.00000275"


def test_image_prices(normalized: tuple[dict, Counter]) -> None:
    gemini = model(normalized, "gemini", "gemini-3-pro-image-preview")
    assert gemini["pricing"]["completion"] == "0.000012"
    assert gemini["modelatlas"]["extra_pricing"]["output_image_token"] == "0.00012"  # $120 per 1M
    imagen = model(normalized, "gemini", "imagen-4.0-generate-001")
    assert imagen["modelatlas"]["extra_pricing"] == {"output_image": "0.04"}  # 4 cents per image
    assert "pricing" not in imagen  # its 0 token prices are placeholders


def test_audio_prices_in_other_units_are_not_token_prices(normalized: tuple[dict, Counter]) -> None:
    result, skipped = normalized
    ids = [r["modelatlas"]["upstream_id"] for r in result["openai"]]
    # tts-1: 0.0015 cents is per character; whisper-1: 0.6 cents is per minute (and its 0s go with
    # it): nothing per token is left of either
    assert "tts-1" not in ids and "whisper-1" not in ids
    mini_tts = model(normalized, "openai", "gpt-4o-mini-tts")  # real audio-token prices stay
    assert mini_tts["pricing"]["prompt"] == "0.0000006"
    assert mini_tts["modelatlas"]["extra_pricing"]["output_audio_token"] == "0.000012"
    assert skipped["token price above $1,000 per 1M tokens (not a per-token price)"] >= 1


def test_latest_alias_uses_portkeys_own_newest_dated_model(normalized: tuple[dict, Counter]) -> None:
    latest = model(normalized, "mistral", "mistral-medium-latest")
    assert latest["modelatlas"]["alias_of"] == "mistral-medium-2508"  # Portkey lists no 2604


def _write_folder(base: Path, files: dict[str, dict]) -> None:
    for part in ("pricing", "general"):
        (base / part).mkdir(parents=True)
        for name in portkey.file_providers():
            (base / part / f"{name}.json").write_text(json.dumps(files.get(name, {}).get(part, {})))


def test_load_from_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = json.loads(FIXTURE.read_text())
    _write_folder(tmp_path, {"cohere": raw["cohere"]})
    monkeypatch.setenv(portkey.ENV_VAR, str(tmp_path))
    loaded = portkey.load()
    assert set(loaded) == set(portkey.file_providers())
    price = loaded["cohere"]["pricing"]["rerank-english-v3.0"]["pricing_config"]["pay_as_you_go"]
    assert price["request_token"]["price"] == Decimal("0.2")
    (tmp_path / "general" / "groq.json").unlink()
    with pytest.raises(InputError, match=portkey.ENV_VAR):
        portkey.load()


def test_load_from_a_base_url(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    for part in ("pricing", "general"):
        for name in portkey.file_providers():
            body = {"m": {"pricing_config": {"pay_as_you_go": {"request_token": {"price": 0.00025}}}}}
            httpserver.expect_request(f"/pk/{part}/{name}.json").respond_with_json(
                body if part == "pricing" and name == "openai" else {}
            )
    monkeypatch.setenv(portkey.ENV_VAR, httpserver.url_for("/pk/"))
    result = portkey.normalize(portkey.load())
    assert result["openai"][0]["pricing"] == {"prompt": "0.0000025"}  # $2.50 per 1M
