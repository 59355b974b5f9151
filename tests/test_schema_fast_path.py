"""The compiled (jsonschema-rs) fast path must never change a validation verdict or message.

``iter_violations`` asks the compiled validator first and trusts only its "valid". These tests pin
that the two validators agree on every real record of the committed snapshot, on hand-made invalid
records (one per kind of rule in the schema), and on thousands of seeded random mutations, and that
``iter_violations`` returns exactly what pure jsonschema returns.
"""

from __future__ import annotations

import copy
import random
from decimal import Decimal
from typing import Any

import pytest

from modelatlas import schema
from modelatlas.jsonio import loads
from modelatlas.schema import fast_says_valid, fast_validator, iter_violations, validator
from tests.paths import REPO

pytestmark = pytest.mark.skipif(fast_validator("model") is None, reason="jsonschema-rs not installed")


def snapshot_records() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for path in sorted((REPO / "data" / "providers").glob("*.json")):
        records.extend(loads(path.read_bytes())["models"])
    return records


def base_record() -> dict[str, Any]:
    return {
        "id": "openai/gpt-4o",
        "name": "GPT-4o",
        "context_length": 128000,
        "pricing": {"prompt": "0.0000025", "completion": "0.00001"},
        "architecture": {"input_modalities": ["text", "image"], "output_modalities": ["text"],
                         "modality": "text+image->text"},
        "default_parameters": {"temperature": Decimal("0.7")},
        "modelatlas": {"provider": "openai", "upstream_id": "gpt-4o",
                       "provenance": {"name": "models.dev", "pricing.prompt": "litellm"},
                       "lifecycle": {"status": "active", "release_date": "2024-05-13"}},
    }


def pure_python(name: str, instance: Any) -> list[tuple[str, str]]:
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))
    return [("".join(f"/{p}" for p in e.absolute_path), e.message) for e in errors]


def through_fast_path(name: str, instance: Any) -> list[tuple[str, str]]:
    return [(v.pointer, v.message) for v in iter_violations(name, instance, "here")]


def test_every_snapshot_record_is_valid_for_both() -> None:
    records = snapshot_records()
    assert len(records) > 1000  # the committed snapshot, not an empty folder
    python = validator("model")
    for record in records:
        assert fast_says_valid("model", record), record["id"]
        assert python.is_valid(record), record["id"]


INVALID_EDITS = {
    "price with exponent": lambda r: r["pricing"].__setitem__("prompt", "2.5e-06"),
    "price with trailing zeros": lambda r: r["pricing"].__setitem__("prompt", "0.0000250"),
    "price as a number": lambda r: r["pricing"].__setitem__("prompt", Decimal("0.0000025")),
    "negative price": lambda r: r["pricing"].__setitem__("prompt", "-1"),
    "missing id": lambda r: r.pop("id"),
    "id of an unknown provider": lambda r: r.__setitem__("id", "acme/gpt"),
    "wrong modality": lambda r: r["architecture"].__setitem__("input_modalities", ["smell"]),
    "repeated modality": lambda r: r["architecture"].__setitem__("input_modalities", ["text", "text"]),
    "negative count": lambda r: r.__setitem__("context_length", -1),
    "fractional count": lambda r: r.__setitem__("context_length", Decimal("1.5")),
    "boolean count": lambda r: r.__setitem__("context_length", True),
    "null value": lambda r: r.__setitem__("name", None),
    "unknown field": lambda r: r.__setitem__("colour", "blue"),
    "unknown nested field": lambda r: r["pricing"].__setitem__("tip", "1"),
    "bad provenance source": lambda r: r["modelatlas"]["provenance"].__setitem__("name", "rumour"),
    "bad provenance path": lambda r: r["modelatlas"]["provenance"].__setitem__("Name!", "curated"),
    "bad date": lambda r: r["modelatlas"]["lifecycle"].__setitem__("release_date", "13 May 2024"),
    "bad lifecycle status": lambda r: r["modelatlas"]["lifecycle"].__setitem__("status", "zombie"),
    "missing extension": lambda r: r.pop("modelatlas"),
    "extension without provider": lambda r: r["modelatlas"].pop("provider"),
    "modality pattern": lambda r: r["architecture"].__setitem__("modality", "text to text"),
}


@pytest.mark.parametrize("edit", sorted(INVALID_EDITS))
def test_invalid_records_are_rejected_with_jsonschema_messages(edit: str) -> None:
    record = base_record()
    assert through_fast_path("model", record) == []
    INVALID_EDITS[edit](record)
    assert not fast_says_valid("model", record)
    expected = pure_python("model", record)
    assert expected, f"{edit}: pure jsonschema should reject this"
    assert through_fast_path("model", record) == expected


def test_where_python_is_more_lenient_python_decides() -> None:
    # Python's re lets "$" match before a final newline, Rust's regex does not: the fast path says
    # "invalid", jsonschema says valid, and jsonschema's verdict (no violations) is what callers see.
    record = base_record()
    record["pricing"]["prompt"] = "0.0005\n"
    assert not fast_says_valid("model", record)
    assert pure_python("model", record) == []
    assert through_fast_path("model", record) == []


def test_integral_decimal_is_an_integer_for_both() -> None:
    record = base_record()
    record["context_length"] = Decimal("5.0")  # how jsonio parses the literal 5.0: JSON Schema's integer
    assert fast_says_valid("model", record)
    assert validator("model").is_valid(record)


def test_values_the_fast_path_cannot_read_fall_back_to_jsonschema() -> None:
    record = base_record()
    record["supported_parameters"] = {"tools"}  # a set: jsonschema-rs cannot convert it
    assert not fast_says_valid("model", record)
    assert through_fast_path("model", record) == pure_python("model", record) != []


def test_provider_documents_use_the_same_registry() -> None:
    doc = {"schema_version": "1", "provider": "openai", "models": [base_record()],
           "status": {"source": "public_catalogs", "count": 1, "stale": False}}
    assert through_fast_path("provider-file", doc) == []
    doc["models"][0]["pricing"]["prompt"] = "1e-6"
    assert through_fast_path("provider-file", doc) == pure_python("provider-file", doc)
    assert through_fast_path("provider-file", doc)[0][0] == "/models/0/pricing/prompt"


MUTANT_VALUES: list[Any] = [None, True, 0, -3, 7, Decimal("2.5"), Decimal("3.0"), "", "x", "0.1", "1e-3",
                            "text", "chat", [], ["text"], ["text", "text"], {}, {"a": 1}, "openai/x"]


def _mutate(value: Any, rng: random.Random) -> Any:
    """Replace, delete or add one thing somewhere inside ``value``; returns the new value."""
    if isinstance(value, dict) and value and rng.random() < 0.8:
        key = rng.choice(sorted(value))
        roll = rng.random()
        if roll < 0.2:
            value.pop(key)
        elif roll < 0.5:
            value[key] = rng.choice(MUTANT_VALUES)
        else:
            value[key] = _mutate(value[key], rng)
        return value
    if isinstance(value, dict):
        value[rng.choice(["extra", "pricing", "name", "context_length"])] = rng.choice(MUTANT_VALUES)
        return value
    if isinstance(value, list) and value:
        index = rng.randrange(len(value))
        value[index] = _mutate(value[index], rng) if rng.random() < 0.5 else rng.choice(MUTANT_VALUES)
        return value
    return rng.choice(MUTANT_VALUES)


def test_random_mutations_never_change_the_verdict() -> None:
    rng = random.Random(6)
    records = snapshot_records()
    python = validator("model")
    disagreements = []
    rejected = 0
    for _ in range(3000):
        record = copy.deepcopy(rng.choice(records))
        for _ in range(rng.randint(1, 3)):
            record = _mutate(record, rng)
        python_ok = python.is_valid(record)
        rejected += not python_ok
        if fast_says_valid("model", record) and not python_ok:
            disagreements.append(record)
    assert not disagreements, disagreements[:2]
    assert rejected > 1000  # the mutations really produce invalid records


def test_without_jsonschema_rs_validation_is_pure_python(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "jsonschema_rs", None)
    schema._fast_validator.cache_clear()
    try:
        record = base_record()
        record["pricing"]["prompt"] = "2.5e-06"
        assert not fast_says_valid("model", record)
        assert through_fast_path("model", record) == pure_python("model", record) != []
    finally:
        monkeypatch.undo()
        schema._fast_validator.cache_clear()
