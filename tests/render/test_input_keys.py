"""Record digests: the JSON API's bytes exactly plus each Decimal as written; kept in the catalog."""

from __future__ import annotations

from decimal import Decimal

from modelatlas.jsonio import dumps_compact, loads
from modelatlas.render import json_api
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


def test_json_api_notes_in_the_catalog_the_digests_the_html_pages_reuse() -> None:
    catalog = load_catalog(SITE)
    for _ in json_api.render(catalog):
        pass
    noted = dict(catalog.digests.by_id)
    assert set(noted) == {record["id"] for record in catalog.models}
    assert catalog.digests.of_all(catalog.models) == noted
    fresh = load_catalog(SITE)  # another catalog, no JSON API run: computed from scratch, same values
    assert fresh.digests.by_id == {}
    assert fresh.digests.of_all(fresh.models) == noted
