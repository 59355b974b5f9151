"""Record digests: the JSON API's bytes exactly plus each Decimal as written; fixed in the catalog. The
code fingerprint every key starts with."""

from __future__ import annotations

import dataclasses
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from modelatlas.jsonio import dumps_compact, loads
from modelatlas.render import input_keys, json_api
from modelatlas.render.build import load_catalog
from modelatlas.render.input_keys import serialize
from tests.paths import FIXTURES

SITE = FIXTURES / "site"


def test_serialized_bytes_are_exactly_dumps_compact() -> None:
    for record in load_catalog(SITE).models:
        assert serialize(record)[0] == dumps_compact(record).encode("utf-8")


def test_decimals_written_differently_give_different_digests_but_the_same_json() -> None:
    short, long = loads('{"id": "x", "t": 0.1}'), loads('{"id": "x", "t": 0.10}')
    assert short["t"] == Decimal("0.1") and str(long["t"]) == "0.10"
    assert serialize(short)[0] == serialize(long)[0] == b'{"id":"x","t":0.1}'
    assert serialize(short)[1] != serialize(long)[1]
    assert serialize(short)[1] != serialize(loads('{"id": "x", "t": 0.2}'))[1]


def test_the_catalog_fixes_every_digest_when_it_is_made_and_stays_frozen() -> None:
    catalog = load_catalog(SITE)
    assert dict(catalog.digests) == {record["id"]: serialize(record)[1] for record in catalog.models}
    before = dict(catalog.digests)
    for _ in json_api.render(catalog):  # rendering changes nothing in the catalog
        pass
    assert dict(catalog.digests) == before
    with pytest.raises(TypeError):
        catalog.digests["x"] = b""  # type: ignore[index]
    with pytest.raises(TypeError):
        catalog.providers["x"] = {}  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        catalog.base_url = "https://elsewhere.example/"  # type: ignore[misc]
    assert isinstance(catalog.models, tuple) and isinstance(catalog.changes, tuple)
    with pytest.raises(TypeError):
        catalog.canonical.links["x"] = catalog.canonical.links[next(iter(catalog.canonical.links))]  # type: ignore[index]


def test_the_code_fingerprint_covers_every_file_of_the_template_libraries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copies = {}
    for name in input_keys.LIBRARIES:
        copies[name] = tmp_path / name
        shutil.copytree(input_keys._library_folder(name), copies[name],
                        ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(input_keys, "_library_folder", lambda name: copies[name])
    fingerprint = input_keys.code_fingerprint.__wrapped__
    before = fingerprint()
    assert fingerprint() == before
    pycache = copies["jinja2"] / "__pycache__"  # bytecode is not the library's code: left out
    pycache.mkdir()
    (pycache / "utils.cpython-311.pyc").write_bytes(b"bytecode")
    assert fingerprint() == before
    with (copies["markupsafe"] / "__init__.py").open("a") as module:  # a patched library
        module.write("# patched\n")
    assert fingerprint() != before
