"""The records a build checked, kept for the next by their text (``validate/checked_records.py``):
a rebuild checks only the records whose text changed, and whatever cannot be placed for sure (a
layout of its own, a second ``models`` member, a file changed since it was read, a cache edited by
hand or made by other code) is checked whole, with the same report as ``modelatlas validate``."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from modelatlas.build_folder import CHECKED_CACHE_NAME, MANIFEST_NAME, ManifestEntry
from modelatlas.cli import cli
from modelatlas.datastore import provider_path, serialize_provider
from modelatlas.validate import KeptChecks, check_data, check_data_beside, checked_records
from modelatlas.validate.checked_records import KEY_BYTES, checked, record_spans
from modelatlas.validate.checks import check_provider_doc

CODE = bytes(16)  # a code key: any bytes, as long as both builds of a test use the same


def openai(data: Path) -> tuple[Path, dict[str, Any]]:
    path = provider_path(data, "openai")
    return path, json.loads(path.read_bytes())


def spans_of(path: Path) -> list[memoryview] | None:
    return record_spans(path, hashlib.sha256(path.read_bytes()).digest())


def check(path: Path, known: frozenset[bytes]) -> tuple[list[Any], list[bytes]]:
    return checked("openai", json.loads(path.read_bytes()), str(path), spans_of(path), known)


@pytest.fixture
def checked_sizes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The number of records of every document the checks are run on."""
    sizes: list[int] = []

    def counted(provider: str, doc: dict[str, Any], file: str) -> Iterator[Any]:
        sizes.append(len(doc["models"]))
        return check_provider_doc(provider, doc, file)

    monkeypatch.setattr(checked_records, "check_provider_doc", counted)
    yield sizes


def test_only_the_records_whose_text_changed_are_checked_again(data: Path, checked_sizes: list[int]) -> None:
    path, doc = openai(data)
    problems, keys = check(path, frozenset())
    assert (problems, len(keys), checked_sizes) == ([], len(doc["models"]), [len(doc["models"])])
    doc["models"][2]["pricing"]["prompt"] = "0.0000009"
    path.write_bytes(serialize_provider(doc))
    checked_sizes.clear()
    problems, new_keys = check(path, frozenset(keys))
    assert (problems, checked_sizes) == ([], [1])
    assert [i for i, key in enumerate(new_keys) if key not in keys] == [2]


def test_a_changed_record_with_a_problem_gets_the_whole_documents_report(data: Path) -> None:
    path, doc = openai(data)
    _problems, keys = check(path, frozenset())
    doc["models"][2]["pricing"]["prompt"] = "-1"
    path.write_bytes(serialize_provider(doc))
    problems, new_keys = check(path, frozenset(keys))
    assert problems == list(check_provider_doc("openai", doc, str(path))) != []
    assert new_keys == []


def test_a_duplicate_id_among_records_checked_before_is_found(data: Path) -> None:
    path, doc = openai(data)
    _problems, keys = check(path, frozenset())
    doc["models"].append(json.loads(json.dumps(doc["models"][0])))  # the same text twice
    path.write_bytes(serialize_provider(doc))
    problems, _keys = check(path, frozenset(keys))
    assert any(problem.message == "duplicate model id" for problem in problems)


def test_a_second_models_member_is_checked_whole(data: Path) -> None:
    """JSON keeps the last of two equal members: the first array, checked before, is not the one read."""
    path, doc = openai(data)
    _problems, keys = check(path, frozenset())
    bad = json.loads(json.dumps(doc["models"][2]))
    bad["pricing"]["prompt"] = "-1"
    text = serialize_provider(doc).rstrip()
    assert text.endswith(b"}")
    path.write_bytes(text[:-1] + b',\n  "models": [' + json.dumps(bad).encode() + b"]\n}\n")
    assert spans_of(path) is None
    problems, _keys = check(path, frozenset(keys))
    assert [problem.message for problem in problems if "-1" in problem.message]


@pytest.mark.parametrize("layout", ["minified", "indented by four", "CRLF line ends"])
def test_a_layout_of_its_own_is_checked_whole_and_keeps_nothing(
    data: Path, checked_sizes: list[int], layout: str
) -> None:
    path, doc = openai(data)
    _problems, keys = check(path, frozenset())
    doc["models"][2]["pricing"]["prompt"] = "-1"
    if layout == "minified":
        path.write_text(json.dumps(doc, separators=(",", ":")))
    elif layout == "indented by four":
        path.write_text(json.dumps(doc, indent=4))
    else:
        path.write_bytes(serialize_provider(doc).replace(b"\n", b"\r\n"))
    checked_sizes.clear()
    problems, new_keys = check(path, frozenset(keys))
    assert problems == list(check_provider_doc("openai", json.loads(path.read_bytes()), str(path))) != []
    assert new_keys == []
    assert len(doc["models"]) in checked_sizes  # the whole document


def test_a_file_changed_since_it_was_read_is_not_cut(data: Path) -> None:
    path, _doc = openai(data)
    read = hashlib.sha256(path.read_bytes()).digest()
    assert record_spans(path, read) is not None
    path.write_bytes(path.read_bytes().replace(b'"prompt": "0.0000', b'"prompt": "0.0001', 1))
    assert record_spans(path, read) is None


def kept_file(out: Path, content: bytes) -> ManifestEntry:
    out.mkdir(exist_ok=True)
    (out / CHECKED_CACHE_NAME).write_bytes(content)
    return ManifestEntry(len(content), hashlib.sha256(content).hexdigest())


def first_checks(data: Path) -> bytes:
    kept = KeptChecks(CODE)
    with check_data_beside(data, lambda doc: None, kept) as (_docs, pending):
        assert pending.report().ok
    return kept.caches[CHECKED_CACHE_NAME]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork: documents are checked in turn, nothing kept")
def test_the_kept_file_is_used_only_as_recorded_and_from_the_same_code(data: Path, tmp_path: Path) -> None:
    content = first_checks(data)
    models = check_data(data)[1].models
    head = content.index(b"\n", content.index(b"\n") + 1) + 1
    assert (len(content) - head) == models * KEY_BYTES
    out = tmp_path / "out"
    assert len(KeptChecks(CODE, out, kept_file(out, content)).known()) == models
    edited = kept_file(out, content)
    (out / CHECKED_CACHE_NAME).write_bytes(content[:-1] + b"x")  # edited by hand: not as recorded
    assert KeptChecks(CODE, out, edited).known() == frozenset()
    assert KeptChecks(bytes([1]) * 16, out, kept_file(out, content)).known() == frozenset()  # other code
    assert KeptChecks(CODE, out, kept_file(out, content[:-1])).known() == frozenset()  # cut short
    assert KeptChecks(CODE, out, None).known() == frozenset()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork: documents are checked in turn, nothing kept")
def test_check_data_beside_reports_what_check_data_does_with_kept_records(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    entry = kept_file(out, first_checks(data))
    path, doc = openai(data)
    doc["models"][2]["pricing"]["prompt"] = "cheap"
    path.write_bytes(serialize_provider(doc))
    kept = KeptChecks(CODE, out, entry)
    with check_data_beside(data, lambda doc: None, kept) as (_docs, pending):
        report = pending.report()
    assert report.problems == check_data(data)[1].problems != []
    assert kept.caches == {}  # nothing kept from data with problems


def test_a_build_keeps_its_checked_records_and_a_bad_change_still_fails(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    runner = CliRunner()
    build = ["build", "--data", str(data), "--out", str(out), "--allow-missing"]
    result = runner.invoke(cli, build)
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / MANIFEST_NAME).read_bytes())
    content = (out / CHECKED_CACHE_NAME).read_bytes()
    assert manifest["caches"][CHECKED_CACHE_NAME] == [len(content), hashlib.sha256(content).hexdigest()]
    path, doc = openai(data)
    doc["models"][2]["pricing"]["prompt"] = "-1"
    path.write_bytes(serialize_provider(doc))
    failed = runner.invoke(cli, build)
    validated = runner.invoke(cli, ["validate", "--data", str(data)])
    assert failed.exit_code == validated.exit_code == 1
    problem = next(line.strip() for line in validated.output.splitlines() if "/pricing/prompt: '-1'" in line)
    assert problem in failed.output


def test_a_record_not_written_as_modelatlas_writes_it_keeps_nothing(
    data: Path, checked_sizes: list[int]
) -> None:
    """A record's members reordered by hand: valid data, checked whole, and no text kept."""
    path, doc = openai(data)
    record = doc["models"][2]
    doc["models"][2] = {"pricing": record.pop("pricing"), **record}
    doc = {"models": doc.pop("models"), **doc}
    path.write_text(json.dumps(doc, indent=2))  # unsorted: the record's pricing first
    assert spans_of(path) is not None
    problems, keys = check(path, frozenset())
    assert (problems, keys) == ([], [])
    assert len(doc["models"]) in checked_sizes
