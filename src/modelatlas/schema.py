"""The JSON Schema contract (files in the repository's ``schema/`` folder) and validation against it."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

SCHEMA_VERSION = "1"
SCHEMA_FILES = ("model", "provider-file", "list-response", "model-file")


def schema_dir() -> Path:
    """The folder holding the schema files: $MODELATLAS_SCHEMA_DIR, else the repository's schema/."""
    override = os.environ.get("MODELATLAS_SCHEMA_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "schema"


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


@cache
def validator(name: str) -> Draft202012Validator:
    registry, schemas = _registry_and_schemas()
    return Draft202012Validator(schemas[name], registry=registry)


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
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))
    for error in errors:
        yield Violation(where, _pointer(error.absolute_path), error.message)
