"""The JSON Schema contract (files in the repository's ``schema/`` folder) and validation against it.

Validation has a fast path: the same schema documents (same registry) compiled by ``jsonschema-rs``
answer "valid?" for the common, valid case (about 100x faster than pure Python on big provider
documents); only when it says "invalid" (or cannot read a value) does ``jsonschema`` run, so every
violation message and pointer comes from ``jsonschema`` exactly as before. ``schema/`` stays the
one source of truth. tests/test_schema_fast_path.py proves the two agree on valid and invalid records.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, validators
from referencing import Registry, Resource

from modelatlas.bundled import schema_folder

try:
    import jsonschema_rs
except ImportError:  # declared in pyproject; without it validation is pure Python (slower, same result)
    jsonschema_rs = None

SCHEMA_VERSION = "1"
SCHEMA_FILES = ("model", "provider-file", "list-response", "model-file")


def schema_dir() -> Path:
    """The folder holding the schema files: $MODELATLAS_SCHEMA_DIR, else the package's copy of schema/."""
    override = os.environ.get("MODELATLAS_SCHEMA_DIR")
    if override:
        return Path(override)
    return schema_folder()


def schema_paths() -> list[Path]:
    return sorted(schema_dir().glob("*.schema.json"))


@cache
def _registry_and_schemas() -> tuple[Registry, dict[str, dict[str, Any]]]:
    schemas: dict[str, dict[str, Any]] = {}
    registry: Registry = Registry()
    for path in schema_paths():
        document = json.loads(path.read_text(encoding="utf-8"))
        schemas[path.name.removesuffix(".schema.json")] = document
        registry = registry.with_resource(document["$id"], Resource.from_contents(document))
    return registry, schemas


def load_schema(name: str) -> dict[str, Any]:
    """One schema document by short name (``model``, ``provider-file``, ...)."""
    return _registry_and_schemas()[1][name]


def _is_integer(checker: Any, instance: Any) -> bool:
    """JSON Schema's integer is any number with a zero fractional part, so a Decimal such as 5.0 (how
    jsonio parses the literal ``5.0``) is one, as the float 5.0 already is for jsonschema."""
    if isinstance(instance, Decimal):
        return instance.is_finite() and instance == instance.to_integral_value()
    return bool(Draft202012Validator.TYPE_CHECKER.is_type(instance, "integer"))


SchemaValidator = validators.extend(
    Draft202012Validator, type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer)
)


@cache
def validator(name: str) -> Draft202012Validator:
    registry, schemas = _registry_and_schemas()
    return SchemaValidator(schemas[name], registry=registry)


@cache
def fast_validator(name: str) -> Any | None:
    """The same schema compiled by jsonschema-rs (None without it); used only to say "valid"."""
    if jsonschema_rs is None:
        return None
    _, schemas = _registry_and_schemas()
    registry = jsonschema_rs.Registry([(document["$id"], document) for document in schemas.values()])
    return jsonschema_rs.Draft202012Validator(schemas[name], registry=registry)


def fast_says_valid(name: str, instance: Any) -> bool:
    """True only if the compiled validator accepts ``instance``; False means "ask jsonschema"."""
    fast = fast_validator(name)
    if fast is None:
        return False
    try:
        return bool(fast.is_valid(instance))
    except (ValueError, TypeError, OverflowError):  # a value it cannot convert (e.g. a set)
        return False


@dataclass(frozen=True)
class Violation:
    """One schema violation: where (file/model) and the JSON pointer inside the instance."""

    where: str
    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: at {self.pointer or '/'}: {self.message}"


def _pointer(path: Iterable[Any]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def iter_violations(name: str, instance: Any, where: str) -> Iterator[Violation]:
    """Every violation of schema ``name`` by ``instance``, sorted by location."""
    if fast_says_valid(name, instance):
        return
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))
    for error in errors:
        yield Violation(where, _pointer(error.absolute_path), error.message)
