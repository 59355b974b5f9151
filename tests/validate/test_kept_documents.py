"""Provider documents kept between builds (``validate/kept_documents.py``): a rebuild takes a file's
kept document or splices it from kept and parsed records, and gets exactly what parsing the file gives;
whatever cannot be trusted (another layout, a kept file cut short, edited, crafted or made by other
code) is parsed whole; the kept file holds what a fresh build's holds, and the manifest is a fresh
build's."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from modelatlas import datastore
from modelatlas.build_folder import DOCUMENTS_CACHE_NAME, MANIFEST_NAME, load_manifest
from modelatlas.datastore import provider_path, read_provider_file, serialize_provider
from modelatlas.errors import InputError
from modelatlas.ids import provider_ids
from modelatlas.render.build import assemble
from modelatlas.render.input_keys import code_fingerprint
from modelatlas.validate import KeptDocuments, kept_documents
from tests.file_tree import comparable_bytes

pytestmark = pytest.mark.skipif(
    not (hasattr(os, "fork") and hasattr(os, "memfd_create")), reason="documents are kept only on Linux"
)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """How many whole files, and how many records on their own, this process parses."""
    counts = {"files": 0, "records": 0}

    def counting(name: str, parse: Callable[[str], Any]) -> Callable[[str], Any]:
        def counted(text: str) -> Any:
            counts[name] += 1
            return parse(text)
        return counted

    monkeypatch.setattr(datastore, "loads_read_only", counting("files", datastore.loads_read_only))
    records = counting("records", kept_documents.loads_read_only)
    monkeypatch.setattr(kept_documents, "loads_read_only", records)
    yield counts


def edit(data: Path, provider: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = provider_path(data, provider)
    doc = json.loads(path.read_bytes())
    change(doc)
    path.write_bytes(serialize_provider(doc))


def reprice(doc: dict[str, Any]) -> None:
    """Change the prompt price of the document's second priced record."""
    priced = [model for model in doc["models"] if "prompt" in model.get("pricing", {})]
    priced[1]["pricing"]["prompt"] = "0.0000009"


def kept(out: Path) -> KeptDocuments:
    """What a build of ``out`` takes from the documents the previous one kept."""
    return KeptDocuments(code_fingerprint(), out)


def taken(out: Path, data: Path) -> dict[str, dict[str, Any] | None]:
    documents = kept(out)
    found = {}
    for provider in provider_ids():
        path = provider_path(data, provider)
        if path.exists():
            raw = path.read_bytes()
            found[provider] = documents.document(provider, raw, hashlib.sha256(raw).digest())
    return found


def parsed(data: Path, provider: str) -> dict[str, Any]:
    found = read_provider_file(data, provider, read_only=True)
    assert found is not None
    return found[0]


def test_a_rebuild_parses_only_the_records_whose_text_changed(
    data: Path, tmp_path: Path, parses: dict[str, int]
) -> None:
    out = tmp_path / "out"
    assemble(data, out)
    assert parses == {"files": 4, "records": 0}  # a first build parses every file
    edit(data, "openai", reprice)
    parses.update(files=0, records=0)
    assemble(data, out)
    # three files taken whole; of the fourth, the changed record and the members besides the models
    assert parses == {"files": 0, "records": 2}


@pytest.mark.parametrize("change", [
    "repriced", "one removed", "one added", "reordered", "a member besides the models", "every record",
])
def test_a_spliced_document_is_the_one_parsing_gives(data: Path, tmp_path: Path, change: str) -> None:
    out = tmp_path / "out"
    assemble(data, out)

    def changed(doc: dict[str, Any]) -> None:
        models = doc["models"]
        if change == "repriced":
            reprice(doc)
        elif change == "one removed":
            del models[1]
        elif change == "one added":
            models.insert(1, {**models[0], "id": models[0]["id"] + "-new", "name": "New"})
        elif change == "reordered":
            models.reverse()
        elif change == "a member besides the models":
            doc["status"] = {**doc["status"], "note": "ünïcode,\n and \"quotes\" }"}
        else:
            for model in models:
                model["name"] = model["name"] + " 2"

    edit(data, "openai", changed)
    documents = taken(out, data)
    assert set(documents) == {"anthropic", "bedrock", "openai", "sgl"}
    for provider, document in documents.items():
        assert document is not None, provider
        fresh = parsed(data, provider)
        assert document == fresh and repr(document) == repr(fresh)  # same values, types and key order


def test_the_kept_file_holds_a_fresh_builds_documents_after_any_rebuild(data: Path, tmp_path: Path) -> None:
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    assemble(data, out)
    edit(data, "openai", reprice)
    edit(data, "bedrock", lambda doc: doc["models"].pop())
    assemble(data, out)
    assemble(data, fresh)
    held = [comparable_bytes(DOCUMENTS_CACHE_NAME, (folder / DOCUMENTS_CACHE_NAME).read_bytes())
            for folder in (out, fresh)]
    assert held[0] == held[1]
    assert (out / MANIFEST_NAME).read_bytes() == (fresh / MANIFEST_NAME).read_bytes()
    assert DOCUMENTS_CACHE_NAME not in (load_manifest(out).caches or {})


@pytest.mark.parametrize("layout", ["minified", "CRLF line ends"])
def test_a_layout_of_its_own_is_parsed_whole(data: Path, tmp_path: Path, layout: str) -> None:
    out = tmp_path / "out"
    assemble(data, out)
    path = provider_path(data, "openai")
    doc = json.loads(path.read_bytes())
    reprice(doc)
    if layout == "minified":
        path.write_text(json.dumps(doc, separators=(",", ":")))
    else:
        path.write_bytes(serialize_provider(doc).replace(b"\n", b"\r\n"))
    documents = taken(out, data)
    assert documents["openai"] is None
    assert documents["anthropic"] == parsed(data, "anthropic")


def test_a_changed_record_that_is_not_json_fails_as_a_fresh_build_does(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assemble(data, out)
    path = provider_path(data, "openai")
    path.write_bytes(path.read_bytes().replace(b'"prompt": "', b'"prompt": ""', 1))
    assert taken(out, data)["openai"] is None
    with pytest.raises(InputError) as kept_error:
        assemble(data, out)
    with pytest.raises(InputError) as fresh_error:
        assemble(data, tmp_path / "fresh")
    assert str(kept_error.value) == str(fresh_error.value)


def sealed(content: bytes) -> bytes:
    """``content`` ended with its SHA-256, as a build ends the kept file."""
    return content + hashlib.sha256(content).digest()


def test_the_kept_file_is_used_only_whole_and_from_the_same_code(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assemble(data, out)
    assert all(taken(out, data).values())
    path = out / DOCUMENTS_CACHE_NAME
    content = path.read_bytes()
    body = content[: -len(hashlib.sha256().digest())]
    path.write_bytes(content[:-1] + bytes([content[-1] ^ 1]))  # edited
    assert not any(taken(out, data).values())
    path.write_bytes(sealed(body[:-1]))  # cut short, though sealed again
    assert not any(taken(out, data).values())
    path.write_bytes(content)
    assert all(taken(out, data).values())
    other_code = KeptDocuments(bytes(16), out)
    raw = provider_path(data, "sgl").read_bytes()
    assert other_code.document("sgl", raw, hashlib.sha256(raw).digest()) is None
    path.unlink()
    assert not any(taken(out, data).values())


class _Runs:
    def __reduce__(self) -> tuple[Any, ...]:
        return (os.mkdir, (str(Path(os.environ["CRAFTED_MARK"])),))


def test_a_crafted_kept_file_runs_no_code(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, mark = tmp_path / "out", tmp_path / "ran"
    monkeypatch.setenv("CRAFTED_MARK", str(mark))
    assemble(data, out)
    head = kept(out).head
    raw = provider_path(data, "sgl").read_bytes()
    crafted = pickle.dumps(_Runs())
    name = b"sgl"
    entry = b"".join((len(name).to_bytes(8, "little"), name, hashlib.sha256(raw).digest(),
                      (0).to_bytes(8, "little"), len(crafted).to_bytes(8, "little"), crafted))
    (out / DOCUMENTS_CACHE_NAME).write_bytes(sealed(head + entry))
    assert taken(out, data)["sgl"] is None
    edit(data, "openai", reprice)  # so that the build loads the documents
    assemble(data, out)
    assert not mark.exists()
    assert parsed(data, "sgl") is not None and all(taken(out, data).values())  # kept anew


def test_data_holding_a_credential_keeps_no_documents(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "sk-kept-documents-test-0123456789"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    edit(data, "openai", lambda doc: doc["models"][0].update(description=f"leaked {secret}"))
    out = tmp_path / "out"
    assemble(data, out)
    assert not (out / DOCUMENTS_CACHE_NAME).exists()
    assert DOCUMENTS_CACHE_NAME not in (load_manifest(out).caches or {})


def test_a_kept_file_entry_is_read_back_as_written(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assemble(data, out)
    content = (out / DOCUMENTS_CACHE_NAME).read_bytes()
    end = len(content) - kept_documents._CHECKSUM_BYTES
    assert content.startswith(kept(out).head) and content[end:] == hashlib.sha256(content[:end]).digest()
    entries = dict(kept_documents._entries(memoryview(content)[len(kept(out).head) : end]))
    present = [provider for provider in provider_ids() if provider_path(data, provider).exists()]
    assert list(entries) == present
    openai = entries["openai"]
    raw = provider_path(data, "openai").read_bytes()
    assert openai.sha256 == hashlib.sha256(raw).digest()
    assert len(openai.keys) == len(parsed(data, "openai")["models"])
    assert kept_documents._unpickled(openai.pickled) == parsed(data, "openai")


def test_a_writer_that_fails_keeps_nothing_and_the_build_goes_on(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parses: dict[str, int]
) -> None:
    def fails(self: KeptDocuments, data_dir: Path, documents: Any) -> None:
        raise MemoryError("no room for the documents")  # in the checker, after its report

    out = tmp_path / "out"
    with monkeypatch.context() as patch:
        patch.setattr(KeptDocuments, "write", fails)
        report = assemble(data, out)
    assert report.written > 0 and (out / DOCUMENTS_CACHE_NAME).read_bytes() == b""
    edit(data, "openai", reprice)
    parses.update(files=0, records=0)
    assemble(data, out)
    assert parses == {"files": 4, "records": 0}  # nothing kept: every file parsed whole
    fresh = tmp_path / "fresh"
    assemble(data, fresh)
    assert (out / DOCUMENTS_CACHE_NAME).read_bytes() == (fresh / DOCUMENTS_CACHE_NAME).read_bytes()
