"""``assemble``: data/ → validated catalog → renderers → output; failures write nothing."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from modelatlas.errors import InputError, ModelatlasError
from modelatlas.ids import provider_ids
from modelatlas.render import RENDERER_MODULES, deferred_files, renderers
from modelatlas.render.build import assemble, load_catalog
from modelatlas.render.kept_rows import KeptRows
from modelatlas.render.lazy import Deferred
from modelatlas.render.output import content_bytes
from tests.file_tree import file_states
from tests.paths import FIXTURES

DATA = FIXTURES / "data_small"
JSON_ONLY = ["modelatlas.render.json_api"]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    return copy


def edit_provider(data: Path, provider: str, change: Any) -> None:
    path = data / "providers" / f"{provider}.json"
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")


def tree(folder: Path) -> dict[str, bytes]:
    return {rel: state[0] for rel, state in file_states(folder).items()}


def test_catalog_has_all_16_providers_sorted_models_and_details_links() -> None:
    catalog = load_catalog(DATA, page_size=7)
    assert list(catalog.providers) == list(provider_ids())
    assert catalog.providers["azure"]["status"]["reason"] == "no data file"
    ids = [model["id"] for model in catalog.models]
    assert ids == sorted(ids) and len(ids) == 19
    assert catalog.page_size == 7
    for model in catalog.models:
        details = model["modelatlas"]["links"]["details"]
        assert details.startswith(f"v1/model/{model['modelatlas']['provider']}/")
        assert details.endswith(".json")
    assert len({m["modelatlas"]["links"]["details"].lower() for m in catalog.models}) == 19


def test_a_bad_price_names_provider_model_and_pointer_and_writes_nothing(data: Path, tmp_path: Path) -> None:
    def bad_price(doc: dict[str, Any]) -> None:
        assert doc["models"][2]["id"] == "openai/gpt-4o"
        doc["models"][2]["pricing"]["prompt"] = "2.5e-06"

    edit_provider(data, "openai", bad_price)
    out = tmp_path / "out"
    with pytest.raises(ModelatlasError) as caught:
        assemble(data, out, renderer_names=JSON_ONLY)
    message = caught.value.message
    assert caught.value.exit_code == 1
    assert "openai.json" in message and "model openai/gpt-4o:" in message
    assert "/models/2/pricing/prompt" in message
    assert not out.exists()


def test_a_failed_validation_leaves_the_previous_output_intact(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assemble(data, out, renderer_names=JSON_ONLY)
    before = tree(out)

    def no_id(doc: dict[str, Any]) -> None:
        del doc["models"][0]["id"]

    edit_provider(data, "anthropic", no_id)
    with pytest.raises(ModelatlasError, match="required property"):
        assemble(data, out, renderer_names=JSON_ONLY)
    assert tree(out) == before


def test_many_problems_are_summarized_on_one_line(data: Path) -> None:
    def bad_modalities(doc: dict[str, Any]) -> None:
        for model in doc["models"]:
            model["architecture"] = {"input_modalities": ["smell"]}

    edit_provider(data, "bedrock", bad_modalities)
    with pytest.raises(ModelatlasError) as caught:
        load_catalog(data)
    assert "\n" not in caught.value.message
    assert "and 9 more" in caught.value.message


def test_an_id_not_matching_its_provider_is_rejected(data: Path) -> None:
    def wrong_provider(doc: dict[str, Any]) -> None:
        doc["models"][0]["id"] = "openai/claude-haiku-4-5"

    edit_provider(data, "anthropic", wrong_provider)
    with pytest.raises(ModelatlasError, match="id must be 'anthropic/claude-haiku-4-5'"):
        load_catalog(data)


def test_a_file_name_collision_fails_clearly(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import modelatlas.filenames as filenames

    monkeypatch.setattr(filenames, "id_hash", lambda upstream_id: "0000000000")
    monkeypatch.setattr(filenames, "model_filename", filenames.model_filename.__wrapped__)  # not remembered
    with pytest.raises(ModelatlasError, match=r"provider bedrock: ids .* map to file name '.*~0000000000'"):
        load_catalog(data)


def test_missing_data_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no data folder"):
        assemble(tmp_path / "nope", tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_an_unreadable_data_file_stops_the_build_and_keeps_the_output(data: Path, tmp_path: Path) -> None:
    # The data is hashed beside while the previous manifest is read: its error still stops the
    # build, before anything is loaded or written.
    out = tmp_path / "out"
    assemble(data, out, renderer_names=JSON_ONLY)
    before = tree(out)
    os.mkfifo(data / "notes")  # opening it would wait for a writer that never comes
    with pytest.raises(InputError, match=r"cannot read .*notes: not a regular file; restore it or remove it"):
        assemble(data, out, renderer_names=JSON_ONLY)
    assert tree(out) == before


@pytest.mark.parametrize("page_size", [0, -1, 10_001])
def test_page_size_bounds(page_size: int) -> None:
    with pytest.raises(InputError, match="--page-size"):
        load_catalog(DATA, page_size)


def test_the_renderer_list_is_quality_json_api_canonical_html_feeds_and_openapi_in_order() -> None:
    modules = renderers()
    names = [module.__name__ for module in modules]
    assert names == [
        "modelatlas.render.quality",  # first: the biggest file that holds every model (render/__init__.py)
        "modelatlas.render.json_api",
        "modelatlas.render.canonical_api",
        "modelatlas.render.html",
        "modelatlas.render.feeds",
        "modelatlas.render.openapi",
    ]
    assert all(callable(module.render) for module in modules)


def test_the_renderers_order_changes_no_byte_of_the_output(tmp_path: Path) -> None:
    assemble(DATA, tmp_path / "listed", page_size=3)
    assemble(DATA, tmp_path / "reversed", page_size=3, renderer_names=reversed(RENDERER_MODULES))

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
                if p.is_file() and not p.name.startswith(".modelatlas-")}  # the manifest and caches

    listed = files(tmp_path / "listed")
    assert len(listed) > 50 and listed == files(tmp_path / "reversed")


@pytest.mark.parametrize("base_url", [None, "https://example.com/atlas/"])
def test_the_side_process_walks_every_deferred_file_in_the_order_of_the_whole(base_url: str | None) -> None:
    """The output stage's two processes claim deferred files by their count in the stream: the
    stream the side process walks must hold the same deferred files, in the same order, and the
    same bytes (the others may be left out)."""
    catalog = load_catalog(DATA, page_size=3, base_url=base_url, kept_rows=KeptRows())
    modules = renderers()
    whole = [(path, content) for module in modules for path, content in module.render(catalog)
             if isinstance(content, Deferred)]
    side = list(deferred_files(modules, catalog))
    assert [path for path, _ in side] == [path for path, _ in whole]
    assert {path for path, _ in whole} >= {"index.html", "v1/quality.json", ".modelatlas-rows.bin"}
    assert [(d.share, d.cache, d.key is None) for _, d in side] == [(d.share, d.cache, d.key is None)
                                                                      for _, d in whole]
    assert [content_bytes(d) for _, d in side] == [content_bytes(d) for _, d in whole]


def test_an_unknown_renderer_is_an_import_error_not_a_silent_skip() -> None:
    with pytest.raises(ModuleNotFoundError):
        renderers([*RENDERER_MODULES, "modelatlas.render.not_written_yet"])


def test_change_log_entries_reach_the_catalog(data: Path) -> None:
    entry = {
        "after": "0.000003",
        "before": "0.000002",
        "date": "2026-11-27",
        "field": "pricing.prompt",
        "kind": "changed",
        "model": "anthropic/claude-sonnet-4-5",
        "provider": "anthropic",
        "source": "litellm",
    }
    (data / "changes").mkdir()
    (data / "changes" / "2026-11.jsonl").write_text(json.dumps(entry, sort_keys=True) + "\n")
    catalog = load_catalog(data)
    assert [change["model"] for change in catalog.changes] == ["anthropic/claude-sonnet-4-5"]


def test_build_report_counts(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = assemble(data, out, renderer_names=JSON_ONLY)
    assert first.written == first.total > 19 and first.removed == 0

    def drop_one(doc: dict[str, Any]) -> None:
        doc["models"] = [m for m in doc["models"] if m["id"] != "bedrock/CON"]
        doc["status"]["count"] -= 1

    edit_provider(data, "bedrock", drop_one)
    second = assemble(data, out, renderer_names=JSON_ONLY)
    assert second.removed == 1  # the model's own file
    assert not (out / "v1" / "model" / "bedrock" / "con_~a3dbc4b644.json").exists()
    # lists and pages holding it changed; untouched provider lists did not
    assert 0 < second.written < first.written
    assert second.unchanged > 0


def test_shared_sub_objects_save_memory_without_changing_output(monkeypatch: pytest.MonkeyPatch) -> None:
    import modelatlas.render.build as assemble_module
    from modelatlas import datastore
    from modelatlas.jsonio import loads
    from modelatlas.render import json_api

    def render_all(catalog: Any) -> dict[str, bytes]:
        return {path: content_bytes(c) for path, c in json_api.render(catalog)}

    shared = load_catalog(DATA, page_size=4)
    by_id = {model["id"]: model for model in shared.models}
    first, second = by_id["bedrock/CON"], by_id["bedrock/a:b"]
    assert first["modelatlas"]["provenance"] is second["modelatlas"]["provenance"]
    assert first["modelatlas"]["links"] is not second["modelatlas"]["links"]
    monkeypatch.setattr(assemble_module, "share_repeated_values", lambda doc: None)
    monkeypatch.setattr(datastore, "loads_read_only", loads)  # shares equal flat objects as it parses
    unshared = load_catalog(DATA, page_size=4)
    plain = {model["id"]: model["modelatlas"] for model in unshared.models}
    assert plain["bedrock/CON"]["provenance"] is not plain["bedrock/a:b"]["provenance"]
    assert render_all(shared) == render_all(unshared)
