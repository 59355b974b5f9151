"""A rebuild's files linked into the staging folder by a process forked while the catalog loads
(render/prelink.py): the stage then checks none of them itself, never writes through a link into
the output it replaces, drops what the new build no longer has, and does all of it itself if the
linker fails."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from modelatlas.build_folder import CACHE_NAMES
from modelatlas.jsonio import dumps_pretty, load_path
from modelatlas.render import prelink, stage_walk
from modelatlas.render.build import assemble
from tests.file_tree import file_states
from tests.paths import FIXTURES

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork: the stage links every file itself")

SITE = FIXTURES / "site"
PAGE = "model/openai/gpt-4o.html"


@pytest.fixture(autouse=True)
def linker_forked(monkeypatch: pytest.MonkeyPatch) -> None:
    """A linker whatever the machine's CPUs, and whatever threads earlier tests left running."""
    monkeypatch.setattr(prelink, "process_count", lambda: 2)


def _data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(SITE / "providers", data / "providers")
    return data


def _edit(data: Path, provider: str, model_id: str, name: str | None) -> None:
    """Rename the record ``model_id`` (``name``), or remove it (None)."""
    path = data / "providers" / f"{provider}.json"
    doc = load_path(path)
    if name is None:
        doc["models"] = [model for model in doc["models"] if model["id"] != model_id]
    else:
        (record,) = [model for model in doc["models"] if model["id"] == model_id]
        record["name"] = name
    path.write_text(dumps_pretty(doc), encoding="utf-8")


def _folders(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_dir()}


def _same_as_fresh(data: Path, out: Path, tmp_path: Path) -> None:
    assemble(data, tmp_path / "fresh")
    fresh = {rel: state[0] for rel, state in file_states(tmp_path / "fresh").items()}
    assert {rel: state[0] for rel, state in file_states(out).items()} == fresh
    assert _folders(out) == _folders(tmp_path / "fresh")  # no folder left empty either
    assert not list(tmp_path.glob(".*modelatlas-*"))  # no staging folder or lock left


def test_the_stage_checks_no_linked_file_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data, out = _data(tmp_path), tmp_path / "out"
    assemble(data, out)
    _edit(data, "openai", "openai/gpt-4o", "GPT-4o, renamed")

    checked = stage_walk.on_disk

    def no_stat(root: str, rel: str, size: int, written_by: int) -> bool:
        if rel in CACHE_NAMES:  # the build's caches beside the manifest: no output file, the stage's own
            return checked(root, rel, size, written_by)
        raise AssertionError("the linker checked the current output's files already")

    monkeypatch.setattr(stage_walk, "on_disk", no_stat)  # the stage's name for it, not the linker's
    report = assemble(data, out)
    assert 0 < report.written < report.unchanged
    monkeypatch.undo()
    _same_as_fresh(data, out, tmp_path)


def test_a_changed_file_is_never_written_through_its_link(tmp_path: Path) -> None:
    data, out = _data(tmp_path), tmp_path / "out"
    assemble(data, out)
    kept = tmp_path / "kept.html"
    os.link(out / PAGE, kept)  # the current output's inode, as a reader holding it sees it
    before = kept.read_bytes()
    _edit(data, "openai", "openai/gpt-4o", "GPT-4o, renamed")
    assemble(data, out)
    assert b"GPT-4o, renamed" in (out / PAGE).read_bytes()
    assert kept.read_bytes() == before  # the staging folder's link to it was removed, not written
    _same_as_fresh(data, out, tmp_path)


def test_the_files_of_a_removed_record_are_dropped(tmp_path: Path) -> None:
    data, out = _data(tmp_path), tmp_path / "out"
    assemble(data, out)
    assert (out / PAGE).is_file()
    _edit(data, "openai", "openai/gpt-4o", None)
    assert assemble(data, out).removed > 0
    assert not (out / PAGE).exists()
    _same_as_fresh(data, out, tmp_path)


def test_a_linker_that_fails_halfway_leaves_the_stage_to_do_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, out = _data(tmp_path), tmp_path / "out"
    assemble(data, out)
    real = prelink._work

    def halfway(pipe: int, staging: object, files: dict, written_by: int) -> None:
        real(pipe, staging, dict(list(files.items())[: len(files) // 2]), written_by)  # sends too few

    monkeypatch.setattr(prelink, "_work", halfway)
    _edit(data, "openai", "openai/gpt-4o", "GPT-4o, renamed")
    report = assemble(data, out)
    assert report.unchanged > len(file_states(out)) // 2  # linked again by the stage, not rewritten
    _same_as_fresh(data, out, tmp_path)


def test_a_provider_left_without_models_leaves_no_empty_folder(tmp_path: Path) -> None:
    data, out = _data(tmp_path), tmp_path / "out"
    assemble(data, out)
    assert (out / "v1" / "model" / "anthropic").is_dir()
    path = data / "providers" / "anthropic.json"
    doc = load_path(path)
    doc["models"] = []
    path.write_text(dumps_pretty(doc), encoding="utf-8")
    assemble(data, out)
    assert not (out / "v1" / "model" / "anthropic").exists()
    _same_as_fresh(data, out, tmp_path)
