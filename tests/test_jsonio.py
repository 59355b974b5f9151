"""Parsing for reading only shares equal flat objects, and parses to the same values as ``loads``;
the writers write what ``json.dumps`` writes, byte for byte."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from modelatlas.jsonio import _default as jsonio_default
from modelatlas.jsonio import compact_bytes, dumps_compact, loads, loads_read_only, pretty_bytes
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


# Values whose bytes orjson and json.dumps may write differently, and the ordinary ones: each
# compared with json.dumps (the reference jsonio's writers promise to match byte for byte).
EDGE_VALUES = [
    {"z": 1, "a": [1, {"y": None, "x": True}], "é": "ü", "Z": {}, "b": []},
    "control \x00\x1f, DEL \x7f, line separators \u2028\u2029, quotes \" \\ /, \b\f\n\r\t, 😀",
    [1e-05, 1.5e-07, 4e-09, 0.0001, 0.1, 2.5, 1e16, 1.5e16, 1e22, 5e-324, -0.0, 123456789.123],
    [Decimal("0.7"), Decimal("1E-7"), Decimal("0.00001"), Decimal("3"), Decimal("1E+3"), Decimal("0.10")],
    [2**63 - 1, -(2**63), 2**64, -(2**64) - 1, 10**30],
    "lone surrogate \udcff",
    {"text with 1e-5 and 0.00001 in it": "2e-9", "price": "0.0000025"},
    1e-05,
    -1.5e-07,
]


def _nested(depth: int) -> object:
    value: object = "leaf"
    for _ in range(depth):
        value = {"a": [value]}
    return value


def _json_compact(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False,
                      default=jsonio_default).encode("utf-8", "surrogatepass")


def _json_pretty(value: object) -> bytes:
    text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=jsonio_default) + "\n"
    return text.encode("utf-8", "surrogatepass")


@pytest.mark.parametrize("value", [*EDGE_VALUES, _nested(200), _nested(300)],
                         ids=[*(f"edge{i}" for i in range(len(EDGE_VALUES))), "depth200", "depth300"])
def test_the_writers_write_what_json_dumps_writes(value: object) -> None:
    if isinstance(value, str) and "\udcff" in value:  # json.dumps's str cannot be UTF-8: both refuse
        with pytest.raises(UnicodeEncodeError):
            compact_bytes(value)
        with pytest.raises(UnicodeEncodeError):
            pretty_bytes(value)
        return
    assert compact_bytes(value) == _json_compact(value)
    assert pretty_bytes(value) == _json_pretty(value)
    assert dumps_compact(value) == _json_compact(value).decode("utf-8")


def test_the_writers_write_every_committed_document_as_json_dumps_does() -> None:
    """Every provider file, recorded list and change-log document of data/, parsed exactly."""
    paths = sorted((REPO / "data").rglob("*.json"))
    assert len(paths) >= 16 + 10  # the provider files, the recorded lists, the baseline
    for path in paths:
        value = loads(path.read_bytes())
        assert compact_bytes(value) == _json_compact(value), path
        assert pretty_bytes(value) == _json_pretty(value), path


def test_what_only_default_knows_is_refused_as_json_dumps_refuses_it() -> None:
    @dataclass
    class Point:
        x: int

    for value in ({"p": Point(1)}, {"when": date(2026, 1, 2)}, {"s": {1, 2}}):
        with pytest.raises(TypeError, match="not JSON serializable"):
            compact_bytes(value)
        with pytest.raises(TypeError, match="not JSON serializable"):
            pretty_bytes(value)


def test_default_sees_every_decimal_in_the_order_written() -> None:
    seen: list[str] = []

    def default(value: object) -> object:
        seen.append(str(value))
        return jsonio_default(value)

    compact_bytes({"b": Decimal("0.10"), "a": [Decimal("2.50"), {"c": Decimal("7")}]}, default)
    assert seen == ["2.50", "7", "0.10"]
    seen.clear()  # a float below 1e-4 is json.dumps's to write: default sees the values again
    assert compact_bytes({"b": Decimal("1E-7"), "a": Decimal("2")}, default) == b'{"a":2,"b":1e-07}'
    assert seen == ["2", "1E-7", "2", "1E-7"]
