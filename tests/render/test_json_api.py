"""The static JSON API renderer, checked file by file on the small hand-made catalog."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from modelatlas.ids import provider_ids
from modelatlas.jsonio import dumps_compact
from modelatlas.render import json_api
from modelatlas.render.build import load_catalog
from modelatlas.render.catalog import Catalog
from modelatlas.render.output import content_bytes
from modelatlas.schema import iter_violations, schema_paths
from modelatlas.validate.build_files import schema_for_path
from tests.paths import FIXTURES

DATA = FIXTURES / "data_small"


def rendered(page_size: int = 3, data: Path = DATA) -> dict[str, Any]:
    """path -> parsed JSON (or bytes for non-JSON) of every file the renderer yields."""
    files: dict[str, Any] = {}
    for path, content in json_api.render(load_catalog(data, page_size)):
        raw = content_bytes(content)
        assert path not in files, f"{path} rendered twice"
        files[path] = json.loads(raw) if path.endswith(".json") else raw
    return files


@pytest.fixture(scope="module")
def files() -> dict[str, Any]:
    return rendered()


def resolve(document_path: str, link: str) -> str:
    """The build path ``link`` leads to when ``document_path`` is fetched (RFC 3986, as clients do)."""
    return urljoin(f"http://host/{document_path}", link).removeprefix("http://host/")


def data_ids(doc: dict[str, Any]) -> list[str]:
    return [model["id"] for model in doc["data"]]


def source_models() -> list[dict[str, Any]]:
    models = []
    for path in sorted((DATA / "providers").glob("*.json")):
        models.extend(json.loads(path.read_text())["models"])
    return models


def test_every_json_file_matches_its_schema(files: dict[str, Any]) -> None:
    for path, doc in files.items():
        if path.startswith("schema/"):
            continue
        schema = schema_for_path(path)
        assert schema is not None, path
        assert list(iter_violations(schema, doc, path)) == []
        assert doc["schema_version"] == "1"


def test_models_json_lists_every_active_model_sorted_without_token(files: dict[str, Any]) -> None:
    doc = files["v1/models.json"]
    active = sorted(m["id"] for m in source_models() if json_api.is_listed(m))
    assert data_ids(doc) == active
    assert "openai/davinci-002" not in data_ids(doc)  # removed: out of lists
    assert "next_page_token" not in doc
    assert doc["extra_fields"] == {"request_type": "list_models"}


def test_pages_split_the_list_with_seed_tokens_and_next_links(files: dict[str, Any]) -> None:
    everything = data_ids(files["v1/models.json"])
    pages = sorted(p for p in files if p.startswith("v1/models/page/"))
    assert len(pages) == -(-len(everything) // 3)
    collected: list[str] = []
    for k in range(len(pages)):
        doc = files[f"v1/models/page/{k}.json"]
        collected += data_ids(doc)
        if k + 1 < len(pages):
            assert len(doc["data"]) == 3
            assert json.loads(base64.b64decode(doc["next_page_token"])) == {"page": k + 1}
            assert doc["links"]["next"] == f"{k + 1}.json"
            assert resolve(f"v1/models/page/{k}.json", doc["links"]["next"]) == f"v1/models/page/{k + 1}.json"
        else:
            assert "next_page_token" not in doc
            assert doc["links"]["next"] is None
    assert collected == everything
    assert files["v1/models/page/0.json"]["next_page_token"] == "eyJwYWdlIjoxfQ=="


def test_provider_lists_carry_the_provider_and_only_its_models(files: dict[str, Any]) -> None:
    for provider in provider_ids():
        doc = files[f"v1/models/{provider}.json"]
        assert doc["extra_fields"] == {"provider": provider, "request_type": "list_models"}
        assert all(model_id.startswith(provider + "/") for model_id in data_ids(doc))
        assert f"v1/models/{provider}/page/0.json" in files
    assert len(files["v1/models/bedrock.json"]["data"]) == 12
    assert [p for p in files if p.startswith("v1/models/bedrock/page/")] == [
        f"v1/models/bedrock/page/{k}.json" for k in range(4)
    ]


def test_a_provider_without_models_has_one_empty_page(files: dict[str, Any]) -> None:
    for provider in ("sgl", "azure"):
        assert files[f"v1/models/{provider}.json"]["data"] == []
        page = files[f"v1/models/{provider}/page/0.json"]
        assert page["data"] == [] and "next_page_token" not in page
        assert f"v1/models/{provider}/page/1.json" not in files


def without_canonical(record: dict[str, Any]) -> dict[str, Any]:
    """The record without the fields the canonical matcher sets or fills from the same model at
    another provider (``derived:<id>`` provenance; tests/canonical covers those)."""
    filled = {p for p, s in record["modelatlas"].get("provenance", {}).items() if s.startswith("derived:")}
    record = json.loads(json.dumps(record))
    for path in filled:
        *parents, leaf = path.split(".")
        node = record
        for part in parents:
            node = node[part]
        del node[leaf]
        if not node and parents:  # an object the fill created
            parent = record
            for part in parents[:-1]:
                parent = parent[part]
            del parent[parents[-1]]
    extension = {key: value for key, value in record["modelatlas"].items() if key != "family"}
    extension["provenance"] = {
        path: source
        for path, source in extension.get("provenance", {}).items()
        if path not in ("canonical_slug", "modelatlas.family") and path not in filled
    }
    rest = {key: value for key, value in record.items() if key != "canonical_slug"}
    return {**rest, "modelatlas": extension}


def test_one_file_per_model_at_its_details_link_removed_ones_included(files: dict[str, Any]) -> None:
    sources = {m["id"]: m for m in source_models()}
    model_files = {p: doc for p, doc in files.items() if p.startswith("v1/model/")}
    assert len(model_files) == len(sources)
    for path, doc in model_files.items():
        record = doc["data"]
        assert set(doc) == {"data", "schema_version"}
        details = record["modelatlas"]["links"]["details"]
        assert resolve(path, details) == path
        expected = without_canonical(dict(sources[record["id"]]))
        expected["modelatlas"] = dict(expected["modelatlas"], links={"details": details})
        assert without_canonical(record) == expected  # nothing but the link (and the canonical fields) added
    davinci = [d for d in model_files.values() if d["data"]["id"] == "openai/davinci-002"]
    assert davinci[0]["data"]["modelatlas"]["lifecycle"]["status"] == "removed"


def test_list_records_equal_model_files_but_for_their_document_relative_link(files: dict[str, Any]) -> None:
    by_id = {doc["data"]["id"]: (p, doc["data"]) for p, doc in files.items() if p.startswith("v1/model/")}
    lists = [p for p in files if p.startswith("v1/models") and p.endswith(".json")]
    assert len(lists) > 10
    for list_path in lists:
        for record in files[list_path]["data"]:
            path, expected = by_id[record["id"]]
            links = record["modelatlas"]["links"]
            assert resolve(list_path, links["details"]) == path
            same_link = {**record["modelatlas"], "links": expected["modelatlas"]["links"]}
            assert {**record, "modelatlas": same_link} == expected


def test_providers_json(files: dict[str, Any]) -> None:
    entries = {entry["id"]: entry for entry in files["v1/providers.json"]["data"]}
    assert list(entries) == list(provider_ids())
    assert entries["openai"]["model_count"] == 4 and entries["openai"]["removed_model_count"] == 1
    assert entries["anthropic"]["stale"] is True
    assert entries["anthropic"]["reason"].startswith("HTTP 503")
    assert entries["anthropic"]["last_refresh"] == "2026-11-26T03:10:00Z"
    assert entries["azure"]["reason"] == "no data file" and entries["azure"]["source"] == "none"
    assert "last_refresh" not in entries["azure"]
    assert entries["bedrock"]["links"]["models"] == "models/bedrock.json"
    first_page = entries["bedrock"]["links"]["first_page"]
    assert resolve("v1/providers.json", first_page) == "v1/models/bedrock/page/0.json"


def test_index_json_uses_the_newest_refresh_not_the_clock(files: dict[str, Any]) -> None:
    index = files["v1/index.json"]
    assert index["snapshot_time"] == "2026-11-27T03:18:00Z"
    counts = {"models": 18, "removed_models": 1, "providers": len(provider_ids()), "providers_with_models": 3}
    assert index["counts"] == counts
    assert index["page_size"] == 3 and index["pages"] == 6
    assert resolve("v1/index.json", index["urls"]["models_page"].format(page=2)) in files
    assert resolve("v1/index.json", index["urls"]["schema"].format(name="model")) in files
    assert "base_url" not in index


def test_schema_files_are_copied_verbatim(files: dict[str, Any]) -> None:
    for path in schema_paths():
        assert json.loads(path.read_bytes()) == files[f"schema/{path.name}"]


def test_list_document_matches_dumps_compact() -> None:
    records = [{"id": "openai/b", "x": "é"}, {"id": "openai/a"}]
    rest = {"extra_fields": {"request_type": "list_models"}, "next_page_token": "t", "schema_version": "1"}
    chunks = json_api.list_document([dumps_compact(r).encode() for r in records], rest)
    assert b"".join(chunks).decode() == dumps_compact({"data": records, **rest})
    empty = json_api.list_document([], {"schema_version": "1"})
    assert b"".join(empty) == b'{"data":[],"schema_version":"1"}'


def test_zero_models_give_one_empty_page() -> None:
    catalog = Catalog(providers={}, models=[], page_size=100)
    files = {path: content_bytes(content) for path, content in json_api.render(catalog)}
    expected = b'{"data":[],"extra_fields":{"request_type":"list_models"},"schema_version":"1"}'
    assert files["v1/models.json"] == expected
    page = json.loads(files["v1/models/page/0.json"])
    assert page["data"] == [] and page["links"] == {"next": None}
    assert "v1/models/page/1.json" not in files
    index = json.loads(files["v1/index.json"])
    assert "snapshot_time" not in index and index["pages"] == 1


def test_page_size_one_and_exactly_one_page() -> None:
    one = rendered(page_size=1)
    assert len([p for p in one if p.startswith("v1/models/page/")]) == 18
    full = rendered(page_size=18)
    assert [p for p in full if p.startswith("v1/models/page/")] == ["v1/models/page/0.json"]
    assert "next_page_token" not in full["v1/models/page/0.json"]
