"""Rebuilds skip work, never correctness: every incremental build equals a from-scratch build, byte
for byte, and rewrites exactly the files whose bytes change (input keys and the build fingerprint)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import modelatlas.render.build as assemble_module
from modelatlas.build_folder import CACHE_NAMES, DOCUMENTS_CACHE_NAME, MANIFEST_NAME
from modelatlas.jsonio import dumps_compact, dumps_pretty, load_path
from modelatlas.render import input_keys as fingerprint
from modelatlas.render import prelink
from modelatlas.render import templates as site_templates
from modelatlas.render.build import assemble
from tests.file_tree import file_states
from tests.paths import FIXTURES

SITE = FIXTURES / "site"
TWIN_PAGE = "model/openai/gpt-4o.html"  # openai/gpt-4o; its twin is openrouter/openai/gpt-4o


@pytest.fixture(autouse=True, params=["linked ahead", "linked by the stage"])
def linker(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test twice: the current output's files linked into the staging folder by a process
    forked while the catalog loads (render/prelink.py), and by the output stage itself."""
    ahead = request.param == "linked ahead"
    if ahead and not hasattr(os, "fork"):
        pytest.skip("no fork: the stage links every file itself")
    monkeypatch.setattr(prelink, "process_count", lambda: 2 if ahead else 1)  # whatever the machine
    monkeypatch.setattr(prelink, "MIN_FILES", 0 if ahead else 1 << 30)



def data_copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(SITE / "providers", data / "providers")
    return data


def edit_record(data: Path, provider: str, model_id: str, change: Callable[[dict], None]) -> None:
    path = data / "providers" / f"{provider}.json"
    doc = load_path(path)
    (record,) = [model for model in doc["models"] if model["id"] == model_id]
    change(record)
    path.write_text(dumps_pretty(doc), encoding="utf-8")


def rebuild_matches_fresh_build(data: Path, out: Path, tmp_path: Path) -> set[str]:
    """Rebuild ``out``; assert it equals a fresh build; return the paths whose files were (re)written."""
    before = file_states(out)
    assemble(data, out)
    after = file_states(out)
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    assemble(data, fresh)
    fresh_bytes = {rel: entry[0] for rel, entry in file_states(fresh).items()}
    assert {rel: entry[0] for rel, entry in after.items()} == fresh_bytes
    rewritten = {rel for rel, entry in after.items() if before.get(rel, (None, None, None))[1:] != entry[1:]}
    bytes_changed = {rel for rel, entry in after.items() if before.get(rel, (None,))[0] != entry[0]}
    rewritten_anyway = {MANIFEST_NAME, DOCUMENTS_CACHE_NAME}  # written by every build that loads data/
    assert rewritten - rewritten_anyway == bytes_changed - rewritten_anyway
    return bytes_changed


def test_no_op_rebuild_loads_nothing_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, out = data_copy(tmp_path), tmp_path / "out"
    assemble(data, out)
    before = file_states(out)

    def no_loading(*args: object, **kwargs: object) -> None:
        raise AssertionError("a no-op rebuild must not load or render the catalog")

    monkeypatch.setattr(assemble_module, "load_catalog", no_loading)
    report = assemble(data, out)
    assert (report.written, report.removed) == (0, 0)
    assert report.unchanged == len(before) - 1 - len(CACHE_NAMES)  # all but the manifest and the caches
    assert file_states(out) == before


def test_a_changed_option_is_not_a_no_op(tmp_path: Path) -> None:
    data, out = data_copy(tmp_path), tmp_path / "out"
    assemble(data, out)
    assemble(data, out, page_size=2)
    assert (out / "v1/models/page/1.json").is_file()


def test_deleting_a_built_page_by_hand_restores_only_it(tmp_path: Path) -> None:
    data, out = data_copy(tmp_path), tmp_path / "out"
    assemble(data, out)
    expected = (out / TWIN_PAGE).read_bytes()
    (out / TWIN_PAGE).unlink()
    report = assemble(data, out)
    assert report.written == 1 and (out / TWIN_PAGE).read_bytes() == expected
    (out / "v1/models.json").write_bytes(b"truncated")
    assert assemble(data, out).written == 1 and b"truncated" not in (out / "v1/models.json").read_bytes()


def test_renaming_a_peer_changes_the_other_providers_page(tmp_path: Path) -> None:
    data, out = data_copy(tmp_path), tmp_path / "out"
    assemble(data, out)
    edit_record(data, "openrouter", "openrouter/openai/gpt-4o", lambda r: r.update(name="Renamed Twin"))
    changed = rebuild_matches_fresh_build(data, out, tmp_path)
    assert "Renamed Twin" in (out / TWIN_PAGE).read_text(encoding="utf-8")
    assert TWIN_PAGE in changed
    assert "model/anthropic/claude-3-5-sonnet-20240620.html" not in changed  # an unrelated page stays


def test_a_new_change_log_entry_changes_that_models_page(tmp_path: Path) -> None:
    data, out = data_copy(tmp_path), tmp_path / "out"
    entry = {
        "date": "2024-06-01", "model": "openai/gpt-4o", "provider": "openai", "kind": "changed",
        "field": "pricing.prompt", "before": "0.000005", "after": "0.0000025", "source": "provider_api",
    }
    (data / "changes").mkdir()
    log = data / "changes" / "2024-06.jsonl"
    log.write_text(dumps_compact(entry) + "\n", encoding="utf-8")
    assemble(data, out)
    assert "0.0000025" in (out / TWIN_PAGE).read_text(encoding="utf-8")
    second = dict(entry, date="2024-06-20", before="0.0000025", after="0.0000011")
    log.write_text(dumps_compact(entry) + "\n" + dumps_compact(second) + "\n", encoding="utf-8")
    changed = rebuild_matches_fresh_build(data, out, tmp_path)
    assert TWIN_PAGE in changed and "0.0000011" in (out / TWIN_PAGE).read_text(encoding="utf-8")
    assert "model/openrouter/openai_gpt-4o~abb375db7e.html" not in changed  # the twin shows no history


def test_a_changed_record_rewrites_exactly_the_files_whose_bytes_change(tmp_path: Path) -> None:
    data, out = data_copy(tmp_path), tmp_path / "out"
    assemble(data, out)
    edit_record(data, "anthropic", "anthropic/claude-3-5-sonnet-20240620",
                lambda r: r["pricing"].update(prompt="0.000004"))
    changed = rebuild_matches_fresh_build(data, out, tmp_path)
    assert "model/anthropic/claude-3-5-sonnet-20240620.html" in changed
    assert "v1/model/anthropic/claude-3-5-sonnet-20240620.json" in changed
    assert "model/openai/gpt-4o.html" not in changed


def test_editing_a_template_re_renders_the_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    templates = tmp_path / "site_templates"
    shutil.copytree(site_templates.TEMPLATES, templates)
    monkeypatch.setattr(site_templates, "TEMPLATES", templates)
    monkeypatch.setattr(site_templates, "STATIC", templates / "static")
    monkeypatch.setattr(fingerprint, "TEMPLATES_DIR", templates)
    fingerprint.code_fingerprint.cache_clear()
    try:
        data, out = data_copy(tmp_path), tmp_path / "out"
        assemble(data, out)
        model_template = templates / "model.html"
        edited = model_template.read_text().replace("static/model.js", "static/model.js?v=2")
        model_template.write_text(edited)
        fingerprint.code_fingerprint.cache_clear()  # a new process would hash the edited template
        changed = rebuild_matches_fresh_build(data, out, tmp_path)
    finally:
        fingerprint.code_fingerprint.cache_clear()
    model_pages = {rel for rel in file_states(out) if rel.startswith("model/")}
    assert model_pages and changed >= model_pages
    assert all("static/model.js?v=2" in (out / rel).read_text(encoding="utf-8") for rel in model_pages)


def test_the_fingerprint_reads_the_templates_the_site_renders_from() -> None:
    assert fingerprint.TEMPLATES_DIR == site_templates.TEMPLATES


def test_a_list_page_whose_records_are_unchanged_is_not_rendered_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from modelatlas.render import json_api, side_stage

    monkeypatch.setattr(side_stage, "process_count", lambda: 1)  # every page rendered in this process
    rendered: list[str] = []
    real = json_api._list_page

    def counting(records: Any, bodies: Any, provider: str | None, page: int, *args: Any) -> bytes:
        rendered.append(json_api.page_path(provider, page))
        return real(records, bodies, provider, page, *args)

    monkeypatch.setattr(json_api, "_list_page", counting)
    data, out = data_copy(tmp_path), tmp_path / "out"
    assemble(data, out, page_size=2)
    pages = len(rendered)
    edit_record(data, "anthropic", "anthropic/claude-3-5-sonnet-20240620",
                lambda r: r["pricing"].update(prompt="0.000004"))
    rendered.clear()
    assemble(data, out, page_size=2)
    assert len(rendered) == 2 and pages > 10  # its page of every model's list, and of Anthropic's
    assert all(page.startswith(("v1/models/page/", "v1/models/anthropic/page/")) for page in rendered)
    fresh = tmp_path / "fresh"
    assemble(data, fresh, page_size=2)
    assert {rel: state[0] for rel, state in file_states(out).items() if "manifest" not in rel} == {
        rel: state[0] for rel, state in file_states(fresh).items() if "manifest" not in rel}


def test_only_a_build_that_may_be_a_no_op_waits_for_the_datas_hash_before_loading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The data is hashed beside the build. A first build (no manifest: it cannot be a no-op) loads
    meanwhile and takes the hash last; a rebuild takes it first, for its no-op check."""
    events: list[str] = []
    real_beside, real_load = assemble_module.computed_beside, assemble_module.load_catalog

    @contextmanager
    def recorded_beside(compute: Callable[[], str]) -> Iterator[Callable[[], str]]:
        with real_beside(compute) as result:
            yield lambda: events.append("hash taken") or result()

    def recorded_load(*args: Any, **kwargs: Any) -> Any:
        events.append("loading")
        return real_load(*args, **kwargs)

    monkeypatch.setattr(assemble_module, "computed_beside", recorded_beside)
    monkeypatch.setattr(assemble_module, "load_catalog", recorded_load)
    data, out = data_copy(tmp_path), tmp_path / "out"
    assemble(data, out)
    assert events == ["loading", "hash taken"]
    edit_record(data, "openai", "openai/gpt-4o", lambda record: record.update(name="GPT-4o renamed"))
    events.clear()
    assemble(data, out)
    assert events[:2] == ["hash taken", "loading"]
    events.clear()
    assemble(data, out)  # a no-op: the manifest recorded the hash of the data as it is now
    assert events == ["hash taken"]
