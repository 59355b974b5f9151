"""Exact decimal price strings from per-token, per-million and float inputs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from modelatlas.fetch.record_builder import RecordBuilder
from modelatlas.prices import price_string


@pytest.mark.parametrize(
    ("value", "per", "expected"),
    [
        (0.0000025000000000000004, 1, "0.0000025"),  # float noise
        (2.5e-06, 1, "0.0000025"),  # exponent float
        ("2.5e-06", 1, "0.0000025"),  # exponent string
        (Decimal("0.0000025"), 1, "0.0000025"),
        (0.15, 1_000_000, "0.00000015"),  # models.dev USD per 1M as a float
        (Decimal("0.15"), 1_000_000, "0.00000015"),  # ... as parsed by jsonio
        (3, 1_000_000, "0.000003"),
        (Decimal("12.5"), 1_000_000, "0.0000125"),
        (0, 1, "0"),
        (0, 1_000_000, "0"),
        ("0.10", 1, "0.1"),  # trailing zeros removed
        (1_000_000, 1_000_000, "1"),
    ],
)
def test_exact_strings(value: object, per: int, expected: str) -> None:
    assert price_string(value, per=per) == expected


@pytest.mark.parametrize("value", ["-1", -1, None, "", "abc", True, float("nan"), float("inf"), [1]])
def test_unknown_prices_are_none(value: object) -> None:
    assert price_string(value) is None


def test_builder_leaves_unknown_prices_absent() -> None:
    builder = RecordBuilder("openai", "m", "litellm")
    builder.set_price("pricing.prompt", "-1")
    builder.set_price("pricing.completion", 1e-05)
    record = builder.build()
    assert record is not None
    assert record["pricing"] == {"completion": "0.00001"}
    assert record["modelatlas"]["provenance"] == {"pricing.completion": "litellm"}
