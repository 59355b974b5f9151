"""Curated corrections: they win with provenance ``curated``; bad files fail with a one-line InputError."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from modelatlas.errors import InputError
from modelatlas.fetch.curated import apply_curated, curatable_paths, load_curated, unused_entries
from modelatlas.fetch.record_builder import RecordBuilder
from modelatlas.fetch.refresh import refresh_provider, validate_doc
from tests.paths import REPO


def _record(upstream: str = "gpt-4o") -> dict:
    builder = RecordBuilder("openai", upstream, "models.dev")
    builder.set("pricing.prompt", "0.000003")
    builder.set("context_length", 100)
    record = builder.build()
    assert record is not None
    return record


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "curated").mkdir(exist_ok=True)
    (tmp_path / "curated" / "openai.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_curated_value_wins_and_float_price_is_exact(tmp_path: Path) -> None:
    data = _write(tmp_path, """
- model: GPT-4o
  source: https://platform.openai.com/docs/pricing
  set:
    pricing.prompt: 0.0000025
    modelatlas.lifecycle.status: deprecated
  note: YAML float, still exact
""")
    entries = load_curated(data, "openai")
    (record,) = apply_curated("openai", [_record()], entries)
    assert record["pricing"]["prompt"] == "0.0000025"
    assert record["context_length"] == 100
    provenance = record["modelatlas"]["provenance"]
    assert provenance["pricing.prompt"] == "curated" and provenance["context_length"] == "models.dev"
    assert provenance["modelatlas.lifecycle.status"] == "curated"


def test_add_lists_a_model_no_source_has(tmp_path: Path) -> None:
    data = _write(tmp_path, """
- model: gpt-secret
  source: https://example.com/announcement
  add: true
  set: {name: Secret, architecture.input_modalities: [text], architecture.output_modalities: [text]}
""")
    records = apply_curated("openai", [_record()], load_curated(data, "openai"))
    added = next(r for r in records if r["id"] == "openai/gpt-secret")
    assert added["name"] == "Secret" and added["architecture"]["modality"] == "text->text"
    assert added["modelatlas"]["provenance"]["name"] == "curated"
    assert [r["id"] for r in records] == ["openai/gpt-4o", "openai/gpt-secret"]


def test_unset_drops_a_disproved_value_and_its_provenance(tmp_path: Path) -> None:
    data = _write(tmp_path, """
- model: gpt-4o
  source: https://example.com/model-card
  set: {context_length: 32000}
  unset: [pricing.prompt]
  note: the card gives the window; the catalogs' price belongs to another model
""")
    (record,) = apply_curated("openai", [_record()], load_curated(data, "openai"))
    assert record["context_length"] == 32000
    assert "pricing" not in record  # its only key went, so the empty object goes too
    assert "pricing.prompt" not in record["modelatlas"]["provenance"]


OK = "- model: gpt-4o\n  source: https://x.test\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- model: gpt-4o\n  set: {name: x}\n", "'source' is required"),
        ("- model: gpt-4o\n  source: http://insecure\n  set: {name: x}\n", "'source' is required"),
        (OK + "  set: {pricing.cheap: 1}\n", "unknown field path 'pricing.cheap'"),
        (OK + "  set: {modelatlas.provenance.name: x}\n", "unknown field path"),
        (OK + "  set: {pricing.prompt: '-1'}\n", "non-negative USD price"),
        (OK + "  set: {name: null}\n", "null"),
        (OK, "'set' must map"),
        (OK + "  unset: max_input_tokens\n", "'unset' must be a list"),
        (OK + "  unset: [pricing.cheap]\n", "unknown field path 'pricing.cheap' in 'unset'"),
        (OK + "  set: {name: x}\n  unset: [name]\n", "both in 'set' and in 'unset'"),
        (OK + "  set: {name: x}\n  color: red\n", "unknown key(s) color"),
        ("- model: '  '\n  source: https://x.test\n  set: {name: x}\n", "'model' must be"),
        ("model: gpt-4o\n", "expected a YAML list"),
        ("- model: [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_files_name_file_and_entry(tmp_path: Path, text: str, message: str) -> None:
    data = _write(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_curated(data, "openai")
    assert message in info.value.message
    assert "openai.yaml" in info.value.message and "\n" not in info.value.message


def test_unknown_model_and_invalid_value(tmp_path: Path) -> None:
    data = _write(tmp_path, "- model: gpt-9\n  source: https://x.test\n  set: {name: x}\n")
    with pytest.raises(InputError, match=r"openai.yaml: entry 1 \(gpt-9\): no source lists model 'gpt-9'"):
        apply_curated("openai", [_record()], load_curated(data, "openai"))  # refresh reports such entries
    data = _write(tmp_path, OK + "  set: {context_length: -5}\n")
    with pytest.raises(InputError, match=r"entry 1 \(gpt-4o\).*/context_length"):
        apply_curated("openai", [_record()], load_curated(data, "openai"))


def test_no_file_means_no_entries(tmp_path: Path) -> None:
    assert load_curated(tmp_path, "openai") == []


def test_paths_come_from_the_schema() -> None:
    paths = curatable_paths()
    assert {"pricing.prompt", "context_length", "default_parameters", "modelatlas.lifecycle.status"} <= paths
    assert "id" not in paths and not any(p.startswith("modelatlas.provenance") for p in paths)


def test_committed_curated_files_load() -> None:
    for path in sorted((REPO / "data" / "curated").glob("*.yaml")):
        if path.stem == "canonical":  # canonical-model links, not a provider's facts (tests/canonical)
            continue
        entries = load_curated(REPO / "data", path.stem)
        assert entries and all(e.source.startswith("https://") for e in entries)


def test_an_entry_for_a_model_no_source_lists_is_reported_not_fatal(tmp_path: Path) -> None:
    data = _write(
        tmp_path,
        OK + "  set: {context_length: 128000}\n"
        "- model: gpt-3\n  source: https://x.test\n  set: {name: GPT-3}\n"
        "- model: gpt-new\n  source: https://x.test\n  set: {name: New}\n  add: true\n",
    )
    entries = load_curated(data, "openai")
    usable, unused = unused_entries("openai", [_record()], entries)
    assert [e.model for e in usable] == ["gpt-4o", "gpt-new"]
    reason = "no source lists 'gpt-3' for openai any more; remove the entry or fix its id"
    assert unused == [{"entry": 2, "model": "gpt-3", "reason": reason}]
    doc = refresh_provider("openai", catalogs={"models.dev": {"openai": [_record()]}}, curated=entries,
                           now=datetime(2026, 11, 27, tzinfo=UTC))
    validate_doc(doc)
    assert [m["id"] for m in doc["models"]] == ["openai/gpt-4o", "openai/gpt-new"]
    assert doc["models"][0]["context_length"] == 128000
    assert doc["status"]["curated_unused"] == unused
