"""A model page shows per-query prices in their own units; region and tier prices are in its price
table (tests/render/test_price_table.py)."""

from __future__ import annotations

from modelatlas.render.model_view import SECTION_TITLES, FieldRow, field_row, shown_fields


def field_sections(record: dict[str, object]) -> list[dict[str, object]]:
    """The record's shown fields as sections {title, rows} of :class:`FieldRow`, in page order."""
    sections: list[dict[str, object]] = []
    for section, path, value, source, disputed in shown_fields(record):
        if not sections or sections[-1]["title"] != SECTION_TITLES[section]:
            sections.append({"title": SECTION_TITLES[section], "rows": []})
        rows: list[FieldRow] = sections[-1]["rows"]  # type: ignore[assignment]
        rows.append(field_row(path, value, source, disputed))
    return sections


def test_pricing_variants_and_query_prices_are_readable() -> None:
    record = {
        "id": "bedrock/anthropic.claude-3-haiku-20240307-v1:0",
        "pricing": {"prompt": "0.00000025"},
        "modelatlas": {
            "provider": "bedrock",
            "upstream_id": "anthropic.claude-3-haiku-20240307-v1:0",
            "extra_pricing": {"query": "0.002"},
            "pricing_variants": [
                {"region": "us-gov-east-1", "pricing": {"prompt": "0.0000003"}, "source": "litellm"},
                {"tier": "batch", "pricing": {"prompt": "0.000000125"}, "source": "portkey"},
            ],
            "provenance": {
                "pricing.prompt": "portkey",
                "modelatlas.extra_pricing.query": "litellm",
                "modelatlas.pricing_variants": "litellm",
            },
        },
    }
    (prices,) = [s for s in field_sections(record) if s["title"] == "Prices"]
    values = {row.path: row.value for row in prices["rows"]}
    assert values["modelatlas.extra_pricing.query"] == "$0.002 per rerank query"
    assert values["modelatlas.pricing_variants"] == "2 in the price table above"


def _values(record: dict[str, object]) -> dict[str, str]:
    return {row.path: row.value for section in field_sections(record) for row in section["rows"]}


def test_values_equal_in_python_but_not_in_json_read_as_their_own_type() -> None:
    # The readable forms of leaves are kept made between records: True == 1 == 1.0 in Python,
    # and a page must still say "yes", "1" and "1.5" for them.
    def record(value: object) -> dict[str, object]:
        return {"id": "p/m", "default_parameters": {"x": value}, "context_length": value,
                "modelatlas": {"provider": "p", "upstream_id": "m", "capabilities": {"vision": value}}}

    assert _values(record(True))["modelatlas.capabilities.vision"] == "yes"
    assert _values(record(1))["modelatlas.capabilities.vision"] == "1"
    assert _values(record(1))["context_length"] == "1"
    assert _values(record(True))["context_length"] == "yes"
    assert _values(record(1.5))["context_length"] == "1.5"


def test_rows_follow_the_section_order_whatever_order_the_record_holds_its_fields_in() -> None:
    # The order of a record's rows is kept made per set of paths in their order: two records with
    # the same fields in another order get the same rows.
    fields = {"name": "M", "context_length": 8192, "created": 1700000000, "owned_by": "v"}
    first = {"id": "p/m", **fields, "modelatlas": {"provider": "p", "upstream_id": "m", "mode": "chat"}}
    second = {"modelatlas": {"mode": "chat", "upstream_id": "m", "provider": "p"},
              **dict(reversed(list(fields.items()))), "id": "p/m"}
    assert field_sections(first) == field_sections(second)
    titles = [section["title"] for section in field_sections(first)]
    assert titles == ["Identity", "Limits"]
    identity = [row.path for row in field_sections(second)[0]["rows"]]
    assert identity == ["name", "owned_by", "created", "modelatlas.mode"]
