"""The canonical vocabulary kept beside the manifest (render/kept_vocabulary.py): a rebuild that must
link a record again reads it instead of making it from every record, only while it is the previous
build's for the same key; a file edited, corrupt, missing or made for other records costs only time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import modelatlas.canonical as canonical
from modelatlas.build_folder import VOCABULARY_CACHE_NAME, load_manifest
from modelatlas.canonical import vocabulary_of
from modelatlas.canonical.vocabulary import Vocabulary
from modelatlas.jsonio import load_path
from modelatlas.render.build import assemble
from modelatlas.render.kept_vocabulary import decoded, encoded
from modelatlas.validate.build_integrity import manifest_problems
from tests.paths import REPO
from tests.render.test_link_cache import data_copy, edit_record, linked_records, same_as_fresh

__all__ = ["linked_records"]  # a fixture of test_link_cache.py, used here

RENAMED = ("vertex", "vertex/gemini-2.5-pro")  # its id links nowhere: linking reads its name


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of records each vocabulary made from now on was made from."""
    sizes: list[int] = []
    real = canonical.build_vocabulary

    def counting(by_provider: dict[str, list[dict[str, Any]]]) -> Vocabulary:
        sizes.append(sum(len(records) for records in by_provider.values()))
        return real(by_provider)

    monkeypatch.setattr(canonical, "build_vocabulary", counting)
    return sizes


def _rename(data: Path, name: str) -> None:
    edit_record(data, *RENAMED, lambda record: record.update(name=name))


def test_a_record_linked_again_is_linked_with_the_kept_vocabulary(
    tmp_path: Path, made: list[int], linked_records: list[str]
) -> None:
    data, out = data_copy(tmp_path), tmp_path / "out"
    assemble(data, out)
    assert len(made) == 1 and (out / VOCABULARY_CACHE_NAME).is_file()
    assert not list(manifest_problems(out, {}))  # the cache beside the manifest is no stray file
    made.clear()
    linked_records.clear()
    _rename(data, "Gemini 2.5 Pro (new)")
    assemble(data, out)
    assert linked_records == [RENAMED[1]] and made == []  # linked again, with the kept vocabulary
    same_as_fresh(data, out, tmp_path)


def test_a_build_that_links_nothing_again_keeps_the_vocabulary_for_the_next(
    tmp_path: Path, made: list[int], linked_records: list[str]
) -> None:
    data, out = data_copy(tmp_path), tmp_path / "out"
    assemble(data, out)
    kept = (out / VOCABULARY_CACHE_NAME).read_bytes()
    edit_record(data, "anthropic", "anthropic/claude-3-5-sonnet-20240620",
                lambda record: record["pricing"].update(prompt="0.000004"))
    made.clear()
    assemble(data, out)
    assert made == [] and (out / VOCABULARY_CACHE_NAME).read_bytes() == kept  # carried over
    _rename(data, "Gemini 2.5 Pro (newer)")
    linked_records.clear()
    assemble(data, out)
    assert linked_records == [RENAMED[1]] and made == []
    same_as_fresh(data, out, tmp_path)


def test_a_changed_vocabulary_is_made_again_and_kept(tmp_path: Path, made: list[int]) -> None:
    data, out = data_copy(tmp_path), tmp_path / "out"
    assemble(data, out)
    before = (out / VOCABULARY_CACHE_NAME).read_bytes()
    edit_record(data, "openrouter", "openrouter/openai/gpt-4o",
                lambda record: record.update(canonical_slug="openai/gpt-4o-2024-08-06"))
    made.clear()
    assemble(data, out)
    assert len(made) == 1 and (out / VOCABULARY_CACHE_NAME).read_bytes() != before
    same_as_fresh(data, out, tmp_path)


@pytest.mark.parametrize("edit", ["another key", "a family swapped", "garbage", "truncated", "remove"])
def test_a_vocabulary_edited_corrupt_or_missing_costs_only_time(
    tmp_path: Path, made: list[int], linked_records: list[str], edit: str
) -> None:
    data, out = data_copy(tmp_path), tmp_path / "out"
    assemble(data, out)
    cache = out / VOCABULARY_CACHE_NAME
    content = cache.read_bytes()
    key = json.loads(content)["key"]
    if edit == "another key":  # well formed, made for other records
        vocabulary = decoded(content, key)
        assert vocabulary is not None
        cache.write_bytes(encoded("0" * len(key), vocabulary))
    elif edit == "a family swapped":
        document = json.loads(content)
        rows = document["by_vendor"]
        rows[0][2], rows[1][2] = rows[1][2], rows[0][2]
        cache.write_text(json.dumps(document), encoding="utf-8")
    elif edit == "garbage":
        cache.write_bytes(b"{not json")
    elif edit == "truncated":
        cache.write_bytes(content[: len(content) // 2])
    else:
        cache.unlink()
    made.clear()
    linked_records.clear()
    _rename(data, "Gemini 2.5 Pro (edited)")
    assemble(data, out)
    assert linked_records == [RENAMED[1]] and len(made) == 1  # made again, from every record
    same_as_fresh(data, out, tmp_path)
    assert decoded(cache.read_bytes(), key) is not None  # kept anew, under the same key


def test_a_kept_vocabulary_is_the_vocabulary_it_was_made_from() -> None:
    """On the committed snapshot: every key, family and snapshot, and one family object wherever the
    made vocabulary has one (a model's keys share its family)."""
    records = [record for path in sorted((REPO / "data" / "providers").glob("*.json"))
               for record in load_path(path)["models"]]
    made = vocabulary_of(records)
    kept = decoded(encoded("key-1", made), "key-1")
    assert kept is not None and decoded(encoded("key-1", made), "key-2") is None
    assert list(kept.by_vendor) == list(made.by_vendor) and kept.vendors == made.vendors
    assert list(kept.by_key) == list(made.by_key)

    def fields(vocabulary: Vocabulary) -> list[Any]:
        return [(f.slug, f.vendor, f.current, f.snapshots) for f in vocabulary.by_vendor.values()]

    assert fields(kept) == fields(made) and any(f.snapshots for f in made.by_vendor.values())
    positions = {id(f): n for n, f in enumerate(made.by_vendor.values())}
    kept_positions = {id(f): n for n, f in enumerate(kept.by_vendor.values())}
    for name, families in made.by_key.items():
        at = [kept_positions.get(id(f)) for f in kept.by_key[name]]
        assert [positions.get(id(f)) for f in families] == at
    shared = len({id(f) for f in made.by_vendor.values()})
    assert shared < len(made.by_vendor) and len({id(f) for f in kept.by_vendor.values()}) == shared


def test_a_manifest_without_the_vocabulary_makes_it(tmp_path: Path, made: list[int]) -> None:
    data, out = data_copy(tmp_path), tmp_path / "out"
    assemble(data, out)
    assert VOCABULARY_CACHE_NAME in (load_manifest(out).caches or {})
    (out / "index.html").unlink()  # not a no-op
    (out / VOCABULARY_CACHE_NAME).unlink()
    made.clear()
    assemble(data, out)
    assert made == []  # nothing to link again: no vocabulary made, and none kept
    assert VOCABULARY_CACHE_NAME not in (load_manifest(out).caches or {})
    _rename(data, "Gemini 2.5 Pro (later)")
    assemble(data, out)
    assert len(made) == 1 and (out / VOCABULARY_CACHE_NAME).is_file()
    same_as_fresh(data, out, tmp_path)
