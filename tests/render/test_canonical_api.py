"""The canonical-model JSON files and pages over the site fixture: index (paged), one file per model,
the unlinked list, schema-valid, offerings by price with region/tier prices when a record has them."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path

import pytest

from modelatlas.build_folder import build_path_of
from modelatlas.jsonio import loads
from modelatlas.render import canonical_api, html
from modelatlas.render.build import assemble, load_catalog
from modelatlas.render.catalog import Catalog
from modelatlas.render.output import content_bytes
from modelatlas.validate.build_files import check_build
from tests.paths import FIXTURES

SITE = FIXTURES / "site"
LLAMA = "v1/canonical/meta-llama/llama-3.1-8b-instruct.json"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(SITE, page_size=3)


@pytest.fixture(scope="module")
def files(catalog: Catalog) -> dict[str, dict]:
    return {path: json.loads(content_bytes(content)) for path, content in canonical_api.render(catalog)}


def test_index_names_each_model_its_providers_and_cheapest_offering(files: dict[str, dict]) -> None:
    entries = {entry["slug"]: entry for entry in files["v1/canonical.json"]["data"]}
    assert list(entries) == sorted(entries)
    llama = entries["meta-llama/llama-3.1-8b-instruct"]
    assert llama["providers"] == ["bedrock", "openrouter"] and llama["provider_count"] == 2
    assert llama["cheapest_prompt"] == {
        "id": "openrouter/meta-llama/llama-3.1-8b-instruct:free",
        "price": "0",
        "provider": "openrouter",
    }
    assert llama["links"]["details"] == "canonical/meta-llama/llama-3.1-8b-instruct.json"  # from v1/
    assert build_path_of(llama["links"]["details"], "v1/canonical.json", None) == LLAMA
    sonnet = entries["anthropic/claude-3-5-sonnet-20240620"]
    assert sonnet["family"] == "anthropic/claude-3-5-sonnet" and sonnet["owned_by"] == "anthropic"
    assert sonnet["cheapest_completion"]["id"] == "anthropic/claude-3-5-sonnet-20240620"  # tie: lowest id


def test_index_pages_cover_it_in_order(files: dict[str, dict]) -> None:
    whole = files["v1/canonical.json"]["data"]
    paged: list[tuple[str, str | None]] = []
    path: str | None = "v1/canonical/page/0.json"
    while path:
        paged += [(e["slug"], build_path_of(e["links"]["details"], path, None)) for e in files[path]["data"]]
        following = files[path]["links"]["next"]
        path = build_path_of(following, path, None) if following else None
    expected = [(e["slug"], build_path_of(e["links"]["details"], "v1/canonical.json", None)) for e in whole]
    assert paged == expected and len(files["v1/canonical/page/0.json"]["data"]) == 3
    assert files["v1/canonical/page/0.json"]["links"]["next"] == "1.json"


def test_model_file_lists_every_offering_cheapest_first(files: dict[str, dict], catalog: Catalog) -> None:
    data = files[LLAMA]["data"]
    assert [o["id"] for o in data["offerings"]] == [
        "openrouter/meta-llama/llama-3.1-8b-instruct:free",
        "bedrock/meta.llama3-1-8b-instruct-v1:0",
    ]
    bedrock = data["offerings"][1]
    assert bedrock["pricing"] == {"completion": "0.00000022", "prompt": "0.00000022"}
    assert (bedrock["context_length"], bedrock["max_output_tokens"]) == (128000, 4096)
    assert bedrock["links"]["details"].startswith("../../model/bedrock/meta.llama3-1-8b-instruct-v1_0~")
    own_files = {m["modelatlas"]["links"]["details"] for m in catalog.models}
    assert build_path_of(bedrock["links"]["details"], LLAMA, None) in own_files


def test_unlinked_records_are_listed_with_a_reason(files: dict[str, dict]) -> None:
    unlinked = files["v1/canonical-unlinked.json"]
    assert {"id": "vertex/gemini-2.5-pro", "reason": "no_match"} in unlinked["data"]
    counts = unlinked["counts"]
    assert (
        counts["linked"] + counts["unlinked"] == counts["records"] and counts["linked"] > counts["unlinked"]
    )


def test_built_files_pass_validate(tmp_path: Path) -> None:
    assemble(SITE, tmp_path / "build", page_size=3)
    report = check_build(tmp_path / "build")
    assert report.ok, report.problems[:3]
    assert "v1/canonical.json" not in report.unmatched and LLAMA not in report.unmatched


def test_region_and_tier_prices_are_shown_when_a_record_has_them(catalog: Catalog) -> None:
    models = [copy.deepcopy(m) if m["id"].startswith("bedrock/meta.") else m for m in catalog.models]
    bedrock = next(m for m in models if m["id"].startswith("bedrock/meta."))
    variant = {
        "region": "eu-west-1",
        "pricing": {"prompt": "0.00000025", "completion": "0.00000025"},
        "source": "litellm",
    }
    bedrock["modelatlas"]["pricing_variants"] = [variant]
    changed = dataclasses.replace(catalog, models=models)
    document = content_bytes(dict(canonical_api.render(changed))[LLAMA])
    assert loads(document)["data"]["offerings"][1]["pricing_variants"] == [variant]
    page = next(content_bytes(c) for p, c in html.render(changed) if p.endswith("llama-3.1-8b-instruct.html"))
    row = page.decode().split('data-region="eu-west-1" data-tier="standard"')[1].split("</tr>")[0]
    assert "Prices by region and tier" in page.decode() and row.count(">$0.25<") == 2  # prompt, completion


def index_of(catalog: Catalog) -> bytes:
    return content_bytes(dict(canonical_api.render(catalog))["v1/canonical.json"])


def test_the_cheapest_offering_is_never_a_free_tier_or_a_retired_one(catalog: Catalog) -> None:
    """docs/pricing.md: rankings leave out free tiers, batch-only and subscription ids (and hidden ones)."""
    models = [
        copy.deepcopy(m) if "llama-3.1-8b" in m["id"] or "llama3-1-8b" in m["id"] else m
        for m in catalog.models
    ]
    free = next(m for m in models if m["id"].endswith(":free"))
    free["modelatlas"]["offering"] = "free_tier"
    entries = {
        e["slug"]: e
        for e in loads(index_of(dataclasses.replace(catalog, models=models)))["data"]
    }
    assert (
        entries["meta-llama/llama-3.1-8b-instruct"]["cheapest_prompt"]["id"]
        == "bedrock/meta.llama3-1-8b-instruct-v1:0"
    )
    bedrock = next(m for m in models if m["id"] == "bedrock/meta.llama3-1-8b-instruct-v1:0")
    bedrock["modelatlas"]["lifecycle"] = {"status": "retired"}
    entries = {
        e["slug"]: e
        for e in loads(index_of(dataclasses.replace(catalog, models=models)))["data"]
    }
    assert "cheapest_prompt" not in entries["meta-llama/llama-3.1-8b-instruct"]  # nothing left to rank
