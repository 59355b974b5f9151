"""A canonical model's display name (render/canonical_view.py, ``Group.name``)."""

from __future__ import annotations

from typing import Any

from modelatlas.render.canonical_view import Group


def offering(provider: str, upstream: str, name: str) -> dict[str, Any]:
    extension = {"provider": provider, "upstream_id": upstream}
    return {"id": f"{provider}/{upstream}", "name": name, "modelatlas": extension}


def test_the_maker_names_its_model_and_another_first_party_provider_is_just_a_host() -> None:
    glm = [offering("mistral", "glm-5-2", "Glm 5 2"), offering("cerebras", "zai-glm-5.2", "GLM 5.2")]
    # Mistral names Mistral's models, not the GLM it serves: both are hosts here, ranked by id
    assert Group("z-ai/glm-5.2", "z-ai/glm-5.2", glm, []).name == "GLM 5.2"
    small = [offering("cerebras", "mistral-small", "Small"),
             offering("mistral", "mistral-small-2506", "Mistral Small 3.2")]
    slug = "mistralai/mistral-small-2506"
    assert Group(slug, "mistralai/mistral-small", small, []).name == "Mistral Small 3.2"
    # the reference list's name, without its "Vendor: " prefix, comes first
    tagged = [*glm, offering("openrouter", "z-ai/glm-5.2", "Z.ai: GLM 5.2 Reference")]
    assert Group("z-ai/glm-5.2", "z-ai/glm-5.2", tagged, []).name == "GLM 5.2 Reference"
