"""A record's prices read into a price book: each distinct price made once, and every price string
still checked."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from modelatlas.cost import sheet
from modelatlas.cost.errors import UnpricedError
from modelatlas.cost.sheet import price_book


def _record(record_id: str, prompt: Any, source: str = "provider_api", disputed: bool = False) -> Any:
    return {"id": record_id, "pricing": {"prompt": prompt}, "modelatlas": {
        "provenance": {"pricing.prompt": source}, "disputed": ["pricing.prompt"] if disputed else []}}


def _prompt(record: dict[str, Any]) -> sheet.Price:
    return price_book(record).standard.prices["pricing.prompt"]


def test_an_equal_price_from_the_same_source_is_one_object_and_any_difference_another() -> None:
    first = _prompt(_record("p/a", "0.000001"))
    assert _prompt(_record("p/b", "0.000001")) is first and first.value == Decimal("0.000001")
    others = [_prompt(_record("p/c", "0.0000010")), _prompt(_record("p/d", "0.000001", "litellm")),
              _prompt(_record("p/e", "0.000001", disputed=True))]
    assert all(other is not first for other in others)
    assert [str(o.value) for o in others] == ["0.0000010", "0.000001", "0.000001"]
    assert (others[1].source, others[2].disputed) == ("litellm", True)


@pytest.mark.parametrize("bad", ["1e-6", "-0.1", " 0.1", "0.1.2", 0.000001, None])
def test_a_string_that_is_no_price_is_refused_after_good_ones_too(bad: object) -> None:
    _prompt(_record("p/a", "0.1"))
    with pytest.raises(UnpricedError, match=r"p/x: pricing.prompt is not a price"):
        price_book(_record("p/x", bad))


def test_the_prices_kept_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheet, "DISTINCT_PRICES", 3)
    monkeypatch.setattr(sheet, "_PRICES", {})
    for n in range(10):
        assert _prompt(_record("p/a", f"0.{n}")).value == Decimal(f"0.{n}")
        assert len(sheet._PRICES) <= 3
