"""The JSON Schema contract (files in the repository's ``schema/`` folder) and validation against it.

Validation has a fast path: the same schema documents (same registry) compiled by ``jsonschema-rs``
answer "valid?" for the common, valid case (about 100x faster than pure Python on big provider
documents); only when it says "invalid" (or cannot read a value) does ``jsonschema`` run, so every
violation message and pointer comes from ``jsonschema`` exactly as before. ``schema/`` stays the
one source of truth. tests/test_schema_fast_path.py proves the two agree on valid and invalid records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from modelatlas import jsonio, regular_files
from modelatlas.bundled import schema_folder
from modelatlas.config import Settings
from modelatlas.errors import InputError

try:
    import jsonschema_rs
except ImportError:  # declared in pyproject; without it validation is pure Python (slower, same result)
    jsonschema_rs = None

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from referencing import Registry

SCHEMA_VERSION = "1"
PROVIDER_ID_SCHEMA = "https://modelatlas.github.io/schema/1/provider-id.schema.json"
SCHEMA_DIR_VAR = "MODELATLAS_SCHEMA_DIR"


def schema_dir() -> Path:
    """The folder holding the schema files: $MODELATLAS_SCHEMA_DIR, else the package's copy of schema/."""
    override = Settings.environment_value(SCHEMA_DIR_VAR)
    if override:
        return Path(override)
    return schema_folder()


def schema_paths() -> list[Path]:
    return sorted(schema_dir().glob("*.schema.json"))


def provider_id_document(ids: tuple[str, ...]) -> dict[str, Any]:
    r"""``schema/provider-id.schema.json`` for these provider ids: the enum every other schema
    ``$ref``\ s, and ``$defs/model_id`` (a model id starting with one of them)."""
    return {
        "$defs": {
            "model_id": {
                "description": "<provider>/<upstream model id>, the provider one of this file's ids",
                "pattern": "^(" + "|".join(map(re.escape, ids)) + ")/.",
                "type": "string",
            }
        },
        "$id": PROVIDER_ID_SCHEMA,
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "description": "A provider id. Generated from the provider registry by `modelatlas docs`.",
        "enum": list(ids),
        "title": "provider id",
    }


def provider_id_text(ids: tuple[str, ...]) -> str:
    """The text of ``schema/provider-id.schema.json`` for these ids (as committed and as published)."""
    return jsonio.dumps_pretty(provider_id_document(ids))


def schema_files() -> list[tuple[str, bytes]]:
    """``(file name, bytes)`` of every schema file, as the build publishes them."""
    return [(path.name, regular_files.read_bytes(path)) for path in schema_paths()]


@cache
def _load(folder: Path) -> dict[str, dict[str, Any]]:
    """Every schema document of ``folder`` by short name; InputError (one line) for a folder, as
    ``MODELATLAS_SCHEMA_DIR`` may name, that lacks one of the package's schemas or holds a file that
    is not a schema document.

    The provider ids are those of ``provider-id.schema.json``, generated from the provider registry
    by ``modelatlas docs`` (a test keeps it current)."""
    schemas: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.schema.json")):
        try:
            document = jsonio.parse(regular_files.read_text(path))
        except (OSError, ValueError) as exc:
            raise _unusable(folder, f"{path.name} cannot be read as JSON ({exc})") from None
        if not isinstance(document, dict) or not isinstance(document.get("$id"), str):
            raise _unusable(folder, f"{path.name} is not a JSON Schema document with an $id")
        schemas[path.name.removesuffix(".schema.json")] = document
    missing = sorted(_names(schema_folder()) - set(schemas))
    if not schemas:
        raise _unusable(folder, "it holds no *.schema.json file")
    if missing:
        raise _unusable(folder, "it has no " + ", ".join(f"{name}.schema.json" for name in missing))
    if not isinstance(schemas["provider-id"].get("enum"), list):
        raise _unusable(folder, "its provider-id.schema.json lists no provider ids (enum)")
    return schemas


def _names(folder: Path) -> set[str]:
    return {path.name.removesuffix(".schema.json") for path in folder.glob("*.schema.json")}


def _unusable(folder: Path, reason: str) -> InputError:
    return InputError(
        f"schema folder {folder} cannot be used: {reason}; point {SCHEMA_DIR_VAR} at a copy of the "
        "package's schema/ folder, or unset it"
    )


@cache
def _registry(folder: Path) -> Registry:
    """The registry resolving the ``$ref``\\ s between ``folder``'s schemas, for jsonschema (imported
    with it, on first use)."""
    from referencing import Registry, Resource

    registry: Registry = Registry()
    for document in _load(folder).values():
        registry = registry.with_resource(document["$id"], Resource.from_contents(document))
    return registry


def load_schema(name: str) -> dict[str, Any]:
    """One schema document by short name (``model``, ``provider-file``, ...); do not modify."""
    return _load(schema_dir())[name]


def provider_ids() -> tuple[str, ...]:
    """The provider ids of ``provider-id.schema.json``, in registry order."""
    return _provider_ids(schema_dir())


@cache
def _provider_ids(folder: Path) -> tuple[str, ...]:
    return tuple(_load(folder)["provider-id"]["enum"])


@cache
def _validator_class() -> Any:
    """jsonschema's Draft 2020-12 validator, whose integer is any number with a zero fractional part,
    so a Decimal such as 5.0 (how jsonio parses the literal ``5.0``) is one, as the float 5.0 already
    is for jsonschema. Imported on first use: with jsonschema-rs, valid data never needs it."""
    from jsonschema import Draft202012Validator, validators

    draft_checker = Draft202012Validator.TYPE_CHECKER

    def is_integer(checker: Any, instance: Any) -> bool:
        if isinstance(instance, Decimal):
            return instance.is_finite() and instance == instance.to_integral_value()
        return bool(draft_checker.is_type(instance, "integer"))

    return validators.extend(Draft202012Validator, type_checker=draft_checker.redefine("integer", is_integer))


def validator(name: str) -> Draft202012Validator:
    return _validator(name, schema_dir())


@cache
def _validator(name: str, folder: Path) -> Draft202012Validator:
    schemas, registry = _load(folder), _registry(folder)
    validator_class: type[Draft202012Validator] = _validator_class()
    return validator_class(schemas[name], registry=registry)


def fast_validator(name: str) -> Any | None:
    """The same schema compiled by jsonschema-rs (None without it); used only to say "valid"."""
    return _fast_validator(name, schema_dir())


@cache
def _fast_validator(name: str, folder: Path) -> Any | None:
    if jsonschema_rs is None:
        return None
    schemas = _load(folder)
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
        yield Violation(where, _pointer(error.absolute_path), _message(error))


def _message(error: Any) -> str:
    """The validator's message, with a long offending value cut short (never a million digits)."""
    shown = repr(error.instance)
    if len(shown) <= 80 or shown not in error.message:
        return str(error.message)
    return str(error.message).replace(shown, f"{shown[:40]}… ({len(shown)} characters)")
