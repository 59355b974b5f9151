"""Parsing for reading only shares equal flat objects, and parses to the same values as ``loads``."""

from __future__ import annotations

from decimal import Decimal

from modelatlas.jsonio import dumps_compact, loads, loads_read_only
from tests.paths import REPO

TEXT = """{"models": [
  {"id": "a", "capabilities": {"vision": true, "tools": false}, "tags": {"x": ["p", "q"]},
   "limits": {"n": 1}, "price": {"p": 0.10}, "mixed": {"m": [1, "x"]}},
  {"id": "b", "capabilities": {"vision": true, "tools": false}, "tags": {"x": ["p", "q"]},
   "limits": {"n": true}, "price": {"p": 0.1}, "mixed": {"m": [1, "x"]}},
  {"id": "c", "capabilities": {"tools": false, "vision": true}, "tags": {"x": ["p", "q"]},
   "limits": {"n": 1}, "price": {"p": 0.10}, "mixed": {"m": [1, "x"]}}
]}"""


def test_equal_flat_objects_are_one_object_and_nothing_else_is_merged() -> None:
    a, b, c = loads_read_only(TEXT)["models"]
    assert a["capabilities"] is b["capabilities"]
    assert a["tags"] is b["tags"] is c["tags"]
    assert a["limits"] is c["limits"] and a["limits"] is not b["limits"]  # 1 is not true
    assert a["capabilities"] is not c["capabilities"]  # members in another order: kept apart
    assert a["price"] is not b["price"]  # exact numbers are never merged: 0.10 is written as read
    assert a["mixed"] is not b["mixed"]  # arrays holding numbers are not either
    assert a is not b and a["id"] == "a" and b["id"] == "b"
    assert a["price"]["p"] == Decimal("0.10") and str(a["price"]["p"]) == "0.10"


def test_the_values_are_those_loads_gives_on_a_real_provider_file() -> None:
    text = (REPO / "data" / "providers" / "openrouter.json").read_text(encoding="utf-8")
    assert dumps_compact(loads_read_only(text)) == dumps_compact(loads(text))
