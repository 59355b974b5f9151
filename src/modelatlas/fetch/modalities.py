"""Modality lists a record's own statements imply (run by the merge, provenance ``derived``).

* A chat model a source says has vision (``capabilities.vision``) takes images: a list another
  source gave without ``image`` is completed. The two statements would otherwise contradict each
  other, and the image-input filter would miss the model.
* A model of a mode whose endpoint fixes what goes in and out (``audio_speech``: text in, speech
  out; ``audio_transcription``: speech in, text out) and no source's lists has them from its mode.

Either way the modality string is then re-derived from the lists.
"""

from __future__ import annotations

from modelatlas.record import Record

VISION_MODES = frozenset({"chat", "responses"})  # a chat model's vision is image input, read into text


def image_input_from_vision(record: Record) -> None:
    """``image`` added to the input list of a chat model a source says has vision."""
    arch = record.get("architecture", {})
    inputs = arch.get("input_modalities")
    extension = record.get("modelatlas", {})
    vision = extension.get("capabilities", {}).get("vision")
    outputs = arch.get("output_modalities")
    reads = extension.get("mode") in VISION_MODES and (not isinstance(outputs, list) or "text" in outputs)
    if vision is not True or not reads or not isinstance(inputs, list) or "image" in inputs:
        return
    at = inputs.index("text") + 1 if "text" in inputs else 0
    arch["input_modalities"] = [*inputs[:at], "image", *inputs[at:]]
    provenance = record["modelatlas"]["provenance"]
    provenance["architecture.input_modalities"] = "derived"
    if "modality" in arch:
        del arch["modality"], provenance["architecture.modality"]


# The modes whose endpoint takes and returns one kind each: (inputs, outputs).
MODE_MODALITIES: dict[str, tuple[list[str], list[str]]] = {
    "audio_speech": (["text"], ["audio"]),  # text-to-speech
    "audio_transcription": (["audio"], ["text"]),  # speech-to-text
}


def modalities_from_mode(record: Record) -> None:
    """Both lists from the mode, when no source gave either."""
    arch = record.get("architecture", {})
    implied = MODE_MODALITIES.get(record.get("modelatlas", {}).get("mode"))
    if implied is None or "input_modalities" in arch or "output_modalities" in arch:
        return
    inputs, outputs = implied
    record["architecture"] = {**arch, "input_modalities": list(inputs), "output_modalities": list(outputs)}
    provenance = record["modelatlas"]["provenance"]
    provenance["architecture.input_modalities"] = provenance["architecture.output_modalities"] = "derived"
    if "modality" in arch:
        del record["architecture"]["modality"]
        provenance.pop("architecture.modality", None)


def complete_modalities(record: Record) -> None:
    """Both rules of the module docstring, in order."""
    image_input_from_vision(record)
    modalities_from_mode(record)
