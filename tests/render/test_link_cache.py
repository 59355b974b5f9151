"""A rebuild reuses the previous build's canonical links (render/link_cache.py) only where they are
still right: the key covers every field linking reads, a record whose name changed is linked again,
and a cache file that is edited, corrupt or made for other records costs only time."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import modelatlas.canonical as canonical
from modelatlas.build_folder import LINKS_CACHE_NAME, load_manifest
from modelatlas.canonical import VOCABULARY_EXTENSION_FIELDS, VOCABULARY_FIELDS, linked_each
from modelatlas.jsonio import dumps_pretty, load_path
from modelatlas.render.build import assemble
from modelatlas.validate.build_integrity import manifest_problems
from tests.file_tree import file_states
from tests.paths import FIXTURES, REPO

SITE = FIXTURES / "site"
EVERYTHING = "*"


class Reading(dict):  # type: ignore[type-arg]
    """A record (or its ``modelatlas`` object) that notes every key read from it."""

    def __init__(self, value: dict[str, Any], seen: set[str], prefix: str = "") -> None:
        super().__init__(value)
        self.seen, self.prefix = seen, prefix

    def __getitem__(self, key: str) -> Any:
        self.seen.add(self.prefix + key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.seen.add(self.prefix + key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self.seen.add(f"{self.prefix}{key}")
        return super().__contains__(key)

    def __iter__(self) -> Iterator[str]:
        self.seen.add(self.prefix + EVERYTHING)
        return super().__iter__()

    def items(self) -> Any:
        self.seen.add(self.prefix + EVERYTHING)
        return super().items()

    def values(self) -> Any:
        self.seen.add(self.prefix + EVERYTHING)
        return super().values()


def test_linking_reads_only_the_fields_its_cache_is_keyed_by() -> None:
    """On the committed snapshot (every provider's id shapes), a record's own link reads the
    vocabulary fields, and ``name`` only where it says so; nothing else: a rebuild may keep the link
    of a record whose other fields (prices, dates, descriptions...) changed."""
    seen: list[set[str]] = []
    records = []
    for path in sorted((REPO / "data" / "providers").glob("*.json")):
        for record in load_path(path)["models"]:
            seen.append(set())
            extension = Reading(record["modelatlas"], seen[-1], "modelatlas.")
            records.append(Reading({**record, "modelatlas": extension}, seen[-1]))
    order = sorted(range(len(records)), key=lambda index: records[index]["id"])
    records, seen = [records[index] for index in order], [seen[index] for index in order]
    for fields in seen:
        fields.clear()
    each = linked_each(records)
    assert sum(isinstance(own.result, canonical.Link) for own in each) > len(records) // 2
    extension = {f"modelatlas.{name}" for name in VOCABULARY_EXTENSION_FIELDS}
    keyed = {*VOCABULARY_FIELDS, "modelatlas", *extension}
    read_by_name = 0
    for fields, own in zip(seen, each, strict=True):
        assert fields - {"name"} <= keyed, fields - keyed
        assert ("name" in fields) <= own.read_name  # a name read is always said
        read_by_name += own.read_name
    assert 0 < read_by_name < len(records) // 2  # the recording works; most links never read the name
    assert any("hugging_face_id" in fields for fields in seen)


@pytest.fixture
def linked_records(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the records linked from scratch (not kept from the previous build) from now on."""
    linked: list[str] = []
    real = canonical.link_reading_name

    def counting(vocabulary: Any, record: dict[str, Any]) -> Any:
        linked.append(record["id"])
        return real(vocabulary, record)

    monkeypatch.setattr(canonical, "link_reading_name", counting)
    return linked


def data_copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(SITE / "providers", data / "providers")
    return data


def edit_record(data: Path, provider: str, model_id: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = data / "providers" / f"{provider}.json"
    doc = load_path(path)
    (record,) = [model for model in doc["models"] if model["id"] == model_id]
    change(record)
    path.write_text(dumps_pretty(doc), encoding="utf-8")


def same_as_fresh(data: Path, out: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    assemble(data, fresh)
    built = {rel: state[0] for rel, state in file_states(out).items() if rel != ".modelatlas-manifest.json"}
    assert built == {rel: state[0] for rel, state in file_states(fresh).items()
                     if rel != ".modelatlas-manifest.json"}


def record_count(data: Path) -> int:
    return sum(len(load_path(path)["models"]) for path in (data / "providers").glob("*.json"))


def test_a_repricing_keeps_every_link_and_only_a_record_read_by_its_name_is_linked_again(
    tmp_path: Path, linked_records: list[str]
) -> None:
    data, out = data_copy(tmp_path), tmp_path / "out"
    assemble(data, out)
    assert len(linked_records) == record_count(data)
    assert not list(manifest_problems(out, {}))  # the cache beside the manifest is no stray file
    edit_record(data, "anthropic", "anthropic/claude-3-5-sonnet-20240620",
                lambda r: r["pricing"].update(prompt="0.000004"))
    linked_records.clear()
    assemble(data, out)
    assert linked_records == []
    same_as_fresh(data, out, tmp_path)
    edit_record(data, "openrouter", "openrouter/openai/gpt-4o", lambda r: r.update(name="Renamed Twin"))
    linked_records.clear()
    assemble(data, out)
    assert linked_records == []  # linked by its id: its name was never read
    same_as_fresh(data, out, tmp_path)
    edit_record(data, "vertex", "vertex/gemini-2.5-pro", lambda r: r.update(name="Gemini 2.5 Pro (new)"))
    linked_records.clear()
    assemble(data, out)
    assert linked_records == ["vertex/gemini-2.5-pro"]  # its id links nowhere: read by its name
    same_as_fresh(data, out, tmp_path)


def test_a_changed_vocabulary_links_every_record_again(tmp_path: Path, linked_records: list[str]) -> None:
    data, out = data_copy(tmp_path), tmp_path / "out"
    assemble(data, out)
    edit_record(data, "openrouter", "openrouter/openai/gpt-4o",
                lambda r: r.update(canonical_slug="openai/gpt-4o-2024-08-06"))
    linked_records.clear()
    assemble(data, out)
    assert len(linked_records) == record_count(data)
    same_as_fresh(data, out, tmp_path)


@pytest.mark.parametrize("edit", ["swap a link", "garbage", "remove"])
def test_a_cache_edited_by_hand_corrupt_or_missing_costs_only_time(
    tmp_path: Path, linked_records: list[str], edit: str
) -> None:
    data, out = data_copy(tmp_path), tmp_path / "out"
    assemble(data, out)
    cache = out / LINKS_CACHE_NAME
    recorded = (load_manifest(out).caches or {})[LINKS_CACHE_NAME]
    assert recorded == (cache.stat().st_size, hashlib.sha256(cache.read_bytes()).hexdigest(), None)
    if edit == "swap a link":
        document = json.loads(cache.read_bytes())
        rows = [row for row in document["records"] if len(row) == 3]
        rows[0][1], rows[0][2] = rows[1][1], rows[1][2]  # another model's link, still well formed
        cache.write_text(json.dumps(document), encoding="utf-8")
    elif edit == "garbage":
        cache.write_bytes(b"{not json")
    else:
        cache.unlink()
    (out / "index.html").unlink()  # not a no-op
    linked_records.clear()
    assemble(data, out)
    assert len(linked_records) == record_count(data)
    same_as_fresh(data, out, tmp_path)
