"""Modality lists a record's own statements imply (fetch/modalities.py), through the merge."""

from __future__ import annotations

from modelatlas.fetch.merge import merge_provider
from tests.fetch.records import rec


def test_a_chat_model_with_vision_takes_images_whatever_one_list_left_out() -> None:
    listed = rec("mistral", "mistral-medium-3", "ruby_llm", architecture__input_modalities=["text"],
                 architecture__output_modalities=["text"], modelatlas__mode="chat")
    flagged = rec("mistral", "mistral-medium-3", "litellm", modelatlas__capabilities__vision=True,
                  modelatlas__mode="chat")
    (merged,) = merge_provider("mistral", {"ruby_llm": [listed], "litellm": [flagged]}).models
    assert merged["architecture"]["input_modalities"] == ["text", "image"]
    assert merged["architecture"]["modality"] == "text+image->text"
    assert merged["modelatlas"]["provenance"]["architecture.input_modalities"] == "derived"
    # a speech generator flagged with vision reads no image into text: left as its list says
    tts = rec("vertex", "m-tts", "litellm", architecture__input_modalities=["text"],
              architecture__output_modalities=["audio"], modelatlas__mode="chat",
              modelatlas__capabilities__vision=True)
    (speech,) = merge_provider("vertex", {"litellm": [tts]}).models
    assert speech["architecture"]["input_modalities"] == ["text"]


def test_a_speech_endpoints_mode_gives_its_modalities_when_no_source_does() -> None:
    tts = rec("elevenlabs", "eleven_z", "litellm", modelatlas__mode="audio_speech")
    stt = rec("openai", "whisper-z", "litellm", modelatlas__mode="audio_transcription")
    (speech,) = merge_provider("elevenlabs", {"litellm": [tts]}).models
    (heard,) = merge_provider("openai", {"litellm": [stt]}).models
    assert speech["architecture"] == {"input_modalities": ["text"], "output_modalities": ["audio"],
                                      "modality": "text->audio"}
    assert heard["architecture"]["modality"] == "audio->text"
    assert speech["modelatlas"]["provenance"]["architecture.input_modalities"] == "derived"
    # a source's own list stands, even a partial one
    given = rec("openai", "tts-z", "litellm", modelatlas__mode="audio_speech",
                architecture__output_modalities=["audio"])
    (kept,) = merge_provider("openai", {"litellm": [given]}).models
    assert "input_modalities" not in kept["architecture"]
