"""ElevenLabs: ``GET https://api.elevenlabs.io/v1/models`` (``xi-api-key``; a top-level JSON array).

Text-to-speech models: limits are in characters (not tokens) and rates are multipliers (not
prices), so neither goes into token or price fields.
"""

from __future__ import annotations

from typing import Any

from modelatlas import record as r
from modelatlas.fetch.http import HttpClient
from modelatlas.fetch.providers.base import ProviderConfig
from modelatlas.fetch.providers.declaration import Provider
from modelatlas.fetch.record_builder import Normalized, Pages, RecordSet, each_object, items_of

ID = "elevenlabs"
DEFAULT_API_ROOT = "https://api.elevenlabs.io/v1"
ENDPOINT = "/models"


def fetch(client: HttpClient, config: ProviderConfig) -> Pages:
    return [
        client.get_json(config.url(ENDPOINT), headers={"xi-api-key": config.get("ELEVENLABS_API_KEY") or ""})
    ]


def normalize(pages: Pages) -> Normalized:
    records = RecordSet(ID)
    for body in pages:
        for position, item in each_object(items_of(body, "models", "data"), records):
            tts = item.get("can_do_text_to_speech") is True
            conversion = item.get("can_do_voice_conversion") is True
            inputs = (["text"] if tts else []) + (["audio"] if conversion else [])
            fields: dict[str, Any] = {
                "name": r.label(item.get("name")),
                "description": r.clean_text(item.get("description"), 20000),
                "owned_by": "elevenlabs",
                "architecture": {"input_modalities": inputs, "output_modalities": ["audio"]}
                if inputs
                else None,
                "supported_methods": ["speech", "speech_stream"] if tts else None,
            }
            extension = {
                "mode": "audio_speech" if tts else None,
                "capabilities": {
                    "audio_input": True if conversion else None,
                    "audio_output": True if inputs else None,
                },
                "lifecycle": {"status": "alpha" if item.get("requires_alpha_access") is True else None},
            }
            records.add(item.get("model_id"), fields, extension, position=position)
    return records.result()


PROVIDER = Provider(
    id=ID,
    name="ElevenLabs",
    default_api_root=DEFAULT_API_ROOT,
    endpoint=ENDPOINT,
    env_vars=("ELEVENLABS_API_KEY",),
    credentials=(("ELEVENLABS_API_KEY",),),
    auth="`xi-api-key`",
    pagination="none (one top-level array)",
    metadata="name, description, text-to-speech / voice-conversion flags, languages, character limits",
    vendor="elevenlabs",
    fetch=fetch,
    normalize=normalize,
    catalog_names={"litellm": ("elevenlabs",), "ruby_llm": ("elevenlabs",)},
)
