"""Filling from the same model at another provider (canonical/fill.py): what is filled, from whom,
with which provenance, and what never is."""

from __future__ import annotations

from typing import Any

from modelatlas.canonical import enrich

Record = dict[str, Any]


def rec(provider: str, upstream: str, provenance: dict[str, str] | None = None, **fields: Any) -> Record:
    extension = {"provider": provider, "upstream_id": upstream, "provenance": dict(provenance or {})}
    extension.update(fields.pop("modelatlas", {}))
    return {"id": f"{provider}/{upstream}", **fields, "modelatlas": extension}


TEXT_IMAGE = {"input_modalities": ["text", "image"], "output_modalities": ["text"]}
GIVEN = {"architecture.input_modalities": "openrouter", "architecture.output_modalities": "openrouter",
         "name": "openrouter", "owned_by": "openrouter", "modelatlas.capabilities.vision": "openrouter"}


def sonnet() -> list[Record]:
    return [
        rec("openrouter", "anthropic/claude-sonnet-4.5", GIVEN, name="Anthropic: Claude Sonnet 4.5",
            owned_by="anthropic", canonical_slug="anthropic/claude-4.5-sonnet-20250929",
            architecture=TEXT_IMAGE, context_length=1000000, modelatlas={"capabilities": {"vision": True}}),
        rec("anthropic", "claude-sonnet-4-5-20250929", {"name": "provider_api", "owned_by": "provider_api"},
            name="Claude Sonnet 4.5", owned_by="anthropic"),
        rec("bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", context_length=200000),
        rec("openrouter", "anthropic/claude-sonnet-4.5:free", {"name": "openrouter"},
            name="Anthropic: Claude Sonnet 4.5 (free)"),
    ]


def test_a_record_takes_what_the_same_snapshot_states_elsewhere_and_says_from_whom() -> None:
    records = sonnet()
    enrich(records, [])
    bedrock = records[2]
    assert bedrock["architecture"] == {**TEXT_IMAGE, "modality": "text+image->text"}
    provenance = bedrock["modelatlas"]["provenance"]
    assert provenance["architecture.input_modalities"] == "derived:openrouter/anthropic/claude-sonnet-4.5"
    assert bedrock["modelatlas"]["capabilities"] == {"vision": True}
    # the vendor's own provider is the first donor; the profile's geography is the decoration
    assert bedrock["name"] == "Claude Sonnet 4.5 (US)"
    assert provenance["name"] == "derived:anthropic/claude-sonnet-4-5-20250929"
    assert bedrock["owned_by"] == "anthropic"
    assert bedrock["context_length"] == 200000  # limits differ by host: never filled
    assert "context_length" not in records[1]


def test_a_filled_value_is_never_a_donor_and_removed_records_stay_as_they_were() -> None:
    records = sonnet()
    gone = rec("vertex", "claude-sonnet-4-5@20250929", modelatlas={"lifecycle": {"status": "removed"}})
    records.append(gone)
    enrich(records, [])
    assert "architecture" not in gone and "name" not in gone
    for record in records:
        for path, source in record["modelatlas"]["provenance"].items():
            if source.startswith("derived:"):
                donor = next(r for r in records if r["id"] == source.removeprefix("derived:"))
                assert not donor["modelatlas"]["provenance"][path].startswith("derived")


def test_objects_shared_between_records_are_not_changed_in_place() -> None:
    shared_arch: dict[str, Any] = {"input_modalities": ["text"]}
    shared_provenance = {"architecture.input_modalities": "litellm"}
    records = sonnet()
    profile = "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"
    a = rec("bedrock", profile, shared_provenance, architecture=shared_arch)
    b = rec("groq", "unrelated-model", shared_provenance, architecture=shared_arch)
    records += [a, b]
    enrich(records, [])
    assert a["architecture"]["output_modalities"] == ["text"]
    assert shared_arch == {"input_modalities": ["text"]} and "output_modalities" not in b["architecture"]
    assert shared_provenance == {"architecture.input_modalities": "litellm"}


def test_the_modality_string_follows_filled_lists() -> None:
    records = sonnet()
    enrich(records, [])
    bedrock = records[2]
    assert bedrock["architecture"]["modality"] == "text+image->text"
    assert bedrock["modelatlas"]["provenance"]["architecture.modality"] == "derived"


def test_an_inference_profile_takes_what_its_foundation_model_states_even_unlinked() -> None:
    # An id no canonical model knows: only the foundation-model id it prefixes can fill it.
    base_given = {"name": "curated", "architecture.input_modalities": "curated", "owned_by": "litellm"}
    records = [
        rec("bedrock", "twelvelabs.pegasus-9-v1:0", base_given, name="Pegasus 9", owned_by="twelvelabs",
            architecture={"input_modalities": ["video"]}, context_length=32000),
        rec("bedrock", "us.twelvelabs.pegasus-9-v1:0"),
        rec("bedrock", "eu.twelvelabs.pegasus-9-v1:0", {"name": "models.dev"}, name="Pegasus 9 EU"),
        rec("bedrock", "global.twelvelabs.pegasus-9-v1:0",
            modelatlas={"lifecycle": {"status": "removed"}}),
        rec("bedrock", "us.twelvelabs.orphan-v1:0"),  # a profile without its foundation model
    ]
    enrich(records, [])
    base, us, eu, removed, orphan = records
    assert "canonical_slug" not in us
    assert us["name"] == "Pegasus 9 (US)"
    assert us["architecture"] == {"input_modalities": ["video"]}
    assert us["owned_by"] == "twelvelabs"
    assert us["modelatlas"]["provenance"]["name"] == "derived:bedrock/twelvelabs.pegasus-9-v1:0"
    assert "context_length" not in us  # limits are never filled
    assert eu["name"] == "Pegasus 9 EU"  # a source's own name stays
    assert "name" not in removed and "name" not in orphan
    assert base["name"] == "Pegasus 9" and base["modelatlas"]["provenance"]["name"] == "curated"


def test_a_profile_never_names_another_profile() -> None:
    records = [
        rec("bedrock", "writer.palmyra-z-v1:0"),
        rec("bedrock", "us.writer.palmyra-z-v1:0", {"name": "models.dev"}, name="Palmyra Z (US)"),
        rec("bedrock", "eu.writer.palmyra-z-v1:0"),
    ]
    enrich(records, [])
    # "(US)" states the profile's geography: neither the foundation model nor another profile's name
    assert "name" not in records[0] and "name" not in records[2]


def test_a_blank_foundation_model_takes_what_a_source_gave_its_profile() -> None:
    given = {"name": "ruby_llm", "architecture.input_modalities": "ruby_llm"}
    records = [
        rec("bedrock", "stability.stable-z-v1:0"),
        rec("bedrock", "us.stability.stable-z-v1:0", given, name="Stable Image Z",
            architecture={"input_modalities": ["text", "image"]}),
        rec("bedrock", "eu.stability.stable-z-v1:0", {"name": "models.dev"}, name="EU Stable Image Z"),
    ]
    enrich(records, [])
    base = records[0]
    assert base["name"] == "Stable Image Z"  # no geography added: the foundation model has none
    assert base["architecture"]["input_modalities"] == ["text", "image"]
    assert base["modelatlas"]["provenance"]["name"] == "derived:bedrock/us.stability.stable-z-v1:0"


def test_the_makers_own_provider_names_its_models_and_a_moving_alias_names_none() -> None:
    records = [
        rec("openrouter", "z-ai/glm-5.2"),
        rec("mistral", "glm-5-2", {"name": "models.dev"}, name="Glm 5 2"),
        rec("cerebras", "zai-glm-5.2", {"name": "models.dev"}, name="Z.ai GLM 5.2"),
        rec("vertex", "zai-org/glm-5.2-maas"),
        rec("mistral", "codestral-latest", {"name": "models.dev"}, name="Codestral (latest)",
            modelatlas={"alias_of": "codestral-2508"}),
        rec("openrouter", "mistralai/codestral-2508", {"name": "openrouter"}, name="Mistral: Codestral 2508"),
        rec("mistral", "codestral-2508"),
    ]
    enrich(records, [])
    assert records[4]["canonical_slug"] == "mistralai/codestral-2508"  # the alias is linked
    # Mistral is a first-party provider, but not GLM's maker: its name ranks with any host's (by id)
    assert records[3]["modelatlas"]["provenance"]["name"] == "derived:cerebras/zai-glm-5.2"
    # the snapshot is named from a fixed id, not from the alias's "(latest)"
    assert records[6]["name"] == "Codestral 2508"


def test_a_value_a_record_derived_from_its_own_sources_is_a_donor_a_filled_one_is_not() -> None:
    own = {"architecture.input_modalities": "derived", "owned_by": "derived"}
    records = [
        rec("bedrock", "xai.grok-z", own, owned_by="x-ai",
            architecture={"input_modalities": ["text", "image"]}),
        rec("bedrock", "us.xai.grok-z"),
    ]
    enrich(records, [])
    assert records[1]["architecture"]["input_modalities"] == ["text", "image"]
    assert records[1]["modelatlas"]["provenance"]["owned_by"] == "derived:bedrock/xai.grok-z"


def test_a_name_that_only_repeats_the_donors_id_is_not_donated() -> None:
    records = [
        rec("openrouter", "openai/gpt-oss-20b"),
        rec("ollama", "gpt-oss:20b", {"name": "models.dev"}, name="gpt-oss:20b"),
        rec("bedrock", "openai.gpt-oss-20b-1:0"),
    ]
    enrich(records, [])
    assert records[1]["canonical_slug"] == records[2]["canonical_slug"] == "openai/gpt-oss-20b"
    assert "name" not in records[2] and "name" not in records[0]  # Ollama's id is no name at Bedrock


def test_a_labelled_decoration_of_the_id_follows_a_derived_name() -> None:
    records = [
        rec("openrouter", "z-ai/glm-5.2", {"name": "openrouter"}, name="Z.ai: GLM 5.2"),
        rec("azure", "FW-GLM-5.2"),  # Fireworks' deployment of GLM 5.2 in Foundry
    ]
    enrich(records, [])
    assert records[1]["canonical_slug"] == "z-ai/glm-5.2"
    assert records[1]["name"] == "GLM 5.2 (Fireworks)"


def test_a_hosts_name_that_only_repeats_its_id_gives_way_and_the_makers_stays() -> None:
    records = [
        rec("openrouter", "moonshotai/kimi-k2.5", {"name": "openrouter"}, name="MoonshotAI: Kimi K2.5"),
        rec("ollama", "kimi-k2.5", {"name": "models.dev"}, name="kimi-k2.5"),
        rec("openrouter", "openai/o4-mini", {"name": "openrouter"}, name="OpenAI: o4 Mini"),
        rec("openai", "o4-mini", {"name": "models.dev"}, name="o4-mini"),
        rec("ollama", "glm-5.1", {"name": "curated"}, name="glm-5.1"),  # a page says it is called that
        rec("openrouter", "z-ai/glm-5.1", {"name": "openrouter"}, name="Z.ai: GLM 5.1"),
    ]
    enrich(records, [])
    assert records[1]["canonical_slug"] == "moonshotai/kimi-k2.5"
    assert records[1]["name"] == "Kimi K2.5"
    assert records[1]["modelatlas"]["provenance"]["name"] == "derived:openrouter/moonshotai/kimi-k2.5"
    assert records[3]["name"] == "o4-mini"  # OpenAI's own name for its model, not the list's styling
    assert records[3]["modelatlas"]["provenance"]["name"] == "models.dev"
    assert records[4]["name"] == "glm-5.1" and records[4]["modelatlas"]["provenance"]["name"] == "curated"


def test_a_reference_name_keeps_the_brand_its_id_begins_with() -> None:
    records = [
        rec("openrouter", "deepseek/deepseek-r1", {"name": "openrouter"}, name="DeepSeek: R1"),
        rec("vertex", "deepseek-r1-maas"),
        rec("openrouter", "openai/o3", {"name": "openrouter"}, name="OpenAI: o3"),
        rec("azure", "o3-mini-alpha"),
        rec("openrouter", "openai/o3-mini-alpha", {"name": "openrouter"}, name="OpenAI: o3 Mini Alpha"),
    ]
    enrich(records, [])
    assert records[1]["canonical_slug"] == "deepseek/deepseek-r1"
    assert records[1]["name"] == "DeepSeek R1"  # not "R1": DeepSeek's id names the brand
    assert records[3]["name"] == "o3 Mini Alpha"  # OpenAI's ids do not begin with "openai"
