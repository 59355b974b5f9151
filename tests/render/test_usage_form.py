"""The usage form a page gets (render/usage_form.py): the fields, presets, regions, profiles and
tiers of its records. Data: tests/fixtures/site/market."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

from modelatlas.cost.sheet import price_book
from modelatlas.jsonio import load_path
from modelatlas.render.templates import usage_body
from modelatlas.render.usage_form import form_for, regional_profiles
from modelatlas.render.usage_html import form_tag
from tests.paths import FIXTURES

MODELS = {
    m["id"]: m
    for path in sorted((FIXTURES / "site" / "market" / "providers").glob("*.json"))
    for m in load_path(path)["models"]
}
BASE = "bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0"


def with_links(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records as the build leaves them: each with its JSON file's path."""
    out = copy.deepcopy(records)
    for record in out:
        record["modelatlas"]["links"] = {"details": "v1/model/" + record["id"] + ".json"}
    return out


def model_form(record: dict[str, Any], profiles: list[tuple[str, str]] | None = None) -> Any:
    return form_for(
        "model", [(price_book(record), record)], profiles=profiles or [], json_path="v1/model/x.json"
    )


def test_a_bedrock_model_offers_its_regions_and_its_cross_region_profiles() -> None:
    records = with_links(list(MODELS.values()))
    profiles = regional_profiles(records)
    assert [geo for geo, _ in profiles[BASE]] == ["eu", "global", "us"]
    assert profiles[BASE][0][1] == "v1/model/bedrock/eu.anthropic.claude-sonnet-4-5-20250929-v1:0.json"
    assert "bedrock/meta.llama3-3-70b-instruct-v1:0" in profiles  # its us. profile
    form = model_form(MODELS[BASE], profiles[BASE])
    assert [(value, bool(path)) for value, _, path in form.regions] == [
        ("eu", True),
        ("global", True),
        ("us", True),
        ("us-gov-east-1", False),
        ("us-gov-west-1", False),
    ]
    assert form.tiers == ("batch",)
    assert form.default is not None and form.default.id == "chat"
    assert {"input_tokens", "cache_read_tokens", "cache_write_tokens", "output_tokens"} == form.shown


def test_a_regional_price_of_the_record_wins_over_a_profile() -> None:
    record = copy.deepcopy(MODELS[BASE])
    record["modelatlas"]["pricing_variants"].append(
        {"region": "eu", "pricing": {"prompt": "0.000004"}, "source": "litellm"}
    )
    form = model_form(record, [("eu", "v1/model/eu.json"), ("us", "v1/model/us.json")])
    assert [(value, path) for value, _, path in form.regions if value in ("eu", "us")] == [
        ("eu", ""),
        ("us", "v1/model/us.json"),
    ]


def test_a_model_asks_only_what_it_bills() -> None:
    lyria = model_form(MODELS["gemini/lyria-002"])
    assert lyria.shown == {"input_tokens", "output_tokens", "output_seconds"}
    assert lyria.not_billed == {"input_tokens", "output_tokens"}
    assert lyria.default is not None and lyria.default.id == "audio-out"
    assert lyria.presets == ("audio-out",) and not lyria.regions and not lyria.tiers
    embedding = model_form(MODELS["openai/text-embedding-3-small"])
    assert embedding.presets == ("embedding",) and embedding.not_billed == {"output_tokens"}
    image = model_form(MODELS["openai/gpt-image-1"])
    assert image.presets == ("image",) and "output_images" in image.shown
    gemini = model_form(MODELS["gemini/gemini-2.5-pro"])
    assert "long-document" in gemini.presets and gemini.tiers == ("batch", "priority")
    assert not gemini.ttl_hour and model_form(MODELS["anthropic/claude-sonnet-4-5-20250929"]).ttl_hour


def test_forms_that_differ_only_in_their_record_share_one_body_and_keep_their_own_tag() -> None:
    body = usage_body()
    form = model_form(MODELS[BASE])
    other = dataclasses.replace(form, record="v1/model/y.json")
    assert form == other and hash(form) == hash(other)
    assert body(form, "../../") is body(other, "../../")  # written once
    assert 'data-record="../../v1/model/x.json"' in form_tag(form, "../../")
    assert 'data-record="../../v1/model/y.json"' in form_tag(other, "../../")
    assert dataclasses.replace(form, tiers=("flex",)) != form  # every other field is compared
