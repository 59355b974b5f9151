"""Record digests: the JSON API's bytes, exactly, plus the written form of every Decimal."""

from __future__ import annotations

from decimal import Decimal

from modelatlas.jsonio import dumps_compact, loads
from modelatlas.render import json_api
from modelatlas.render.build import load_catalog
from modelatlas.render.record_keys import record_digests, registry_for, serialize
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


def test_json_api_registers_the_digests_the_html_pages_reuse() -> None:
    catalog = load_catalog(SITE)
    for _ in json_api.render(catalog):
        pass
    registered = dict(registry_for(catalog))
    assert set(registered) == {record["id"] for record in catalog.models}
    fresh = load_catalog(SITE)  # another catalog: computed from scratch, same values
    assert record_digests(fresh) == registered
    assert record_digests(fresh) is registry_for(fresh)
