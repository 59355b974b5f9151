"""The shared cost fixtures (tests/fixtures/cost/cases.json) priced by the Python library, as JSON-ready
results, so the JS module's results can be compared with them byte for byte."""

from __future__ import annotations

import json
from typing import Any

from modelatlas.cost import CostError, Usage
from modelatlas.cost.pricing import price_book_usage
from modelatlas.cost.sheet import price_book
from tests.paths import FIXTURES

CASES_PATH = FIXTURES / "cost" / "cases.json"
DOCUMENT = json.loads(CASES_PATH.read_text(encoding="utf-8"))
RECORDS = {record["id"]: record for record in DOCUMENT["records"]}
CASES = DOCUMENT["cases"]


def price(record: dict[str, Any], usage: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    """What the library answers, as the JS runner prints it: the cost's JSON, or {"error": kind}."""
    try:
        return price_book_usage(
            price_book(record),
            Usage.from_mapping(usage),
            region=options.get("region"),
            tier=options.get("tier"),
            cache_ttl=options.get("cache_ttl"),
        ).as_json()
    except CostError as exc:
        return {"error": exc.kind}
