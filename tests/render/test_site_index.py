"""The search index's columns computed once per shared object (a price sheet, an architecture, a
capability map, a description) are each record's own: on the committed snapshot, whose loader makes
equal objects one, every row equals what the per-record functions give; and records that share an
object, hold an equal copy or hold another get their own values."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from modelatlas.prices import format_price, per_million
from modelatlas.render.build import load_catalog
from modelatlas.render.catalog import Catalog
from modelatlas.render.markdown_safe import plain_summary
from modelatlas.render.site_index import (
    INPUT_MODALITIES,
    OUTPUT_MODALITIES,
    SUMMARY_CHARS,
    build_index,
    capability_names,
)
from tests.paths import REPO

PRICE_COLUMNS = {"pp": "prompt", "pc": "completion", "cr": "input_cache_read", "cw": "input_cache_write"}


@cache
def snapshot() -> Catalog:
    return load_catalog(REPO / "data")


def _mask(values: list[str], order: tuple[str, ...] | list[str]) -> int:
    return sum(1 << list(order).index(value) for value in values if value in order)


def _expected(record: dict[str, Any], capabilities: list[str]) -> dict[str, Any]:
    architecture = record.get("architecture", {})
    known = record["modelatlas"].get("capabilities", {})
    pricing = record.get("pricing", {})
    summary = plain_summary(record.get("description", ""), SUMMARY_CHARS)
    text = " ".join(part for part in (record.get("owned_by", ""), summary) if part)
    return {
        **{column: _per_million(pricing.get(field)) for column, field in PRICE_COLUMNS.items()},
        "mi": _mask(architecture.get("input_modalities", []), INPUT_MODALITIES),
        "mo": _mask(architecture.get("output_modalities", []), OUTPUT_MODALITIES),
        "k": _mask([name for name, value in known.items() if value is True], capabilities),
        "kk": _mask(list(known), capabilities),
        "t": text or 0,
    }


def _per_million(value: str | None) -> str | None:
    return None if value is None else format_price(per_million(value))


def _rows(index: dict[str, Any], columns: list[str]) -> list[dict[str, Any]]:
    return [
        {column: index["rows"][column][n] for column in columns} for n in range(index["count"])
    ]


def test_every_row_of_the_snapshot_is_its_records_own() -> None:
    catalog = snapshot()
    capabilities = capability_names(list(catalog.models))
    expected = [_expected(record, capabilities) for record in catalog.models]
    assert _rows(build_index(catalog), list(expected[0])) == expected
    sheets = {id(record["pricing"]) for record in catalog.models if "pricing" in record}
    assert len(sheets) < len(catalog.models) / 2  # the loader shares equal price sheets: the case memoized


def test_shared_equal_and_other_objects_each_read_as_their_own() -> None:
    first = next(m for m in snapshot().models if {"prompt", "completion"} <= set(m.get("pricing", {})))
    records = []
    for n, change in enumerate(["shared", "shared", "copy", "other", "none"]):
        record = copy.copy(first)
        record["id"] = f"{first['id']}-{n}"
        upstream = f"{first['modelatlas']['upstream_id']}-{n}"
        record["modelatlas"] = {**first["modelatlas"], "upstream_id": upstream}
        if change == "copy":
            record["pricing"] = dict(first["pricing"])
            record["architecture"] = {**first.get("architecture", {}), "input_modalities": ["text"]}
        elif change == "other":
            record["pricing"] = {**first["pricing"], "prompt": "0.5"}
            record["description"] = "**Other** text"
        elif change == "none":
            del record["pricing"]
        records.append(record)
    catalog = Catalog(providers={}, models=records, page_size=10)
    capabilities = capability_names(records)
    assert _rows(build_index(catalog), list(_expected(first, capabilities))) == [
        _expected(record, capabilities) for record in records
    ]
    prompts = build_index(catalog)["rows"]["pp"]
    assert prompts[3] == "500000" and prompts[4] is None
    assert prompts[0] == prompts[1] == prompts[2] != prompts[3]
