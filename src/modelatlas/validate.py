"""Check data/ against the schema (plus the rules a schema cannot say), and a built folder's files.

Data rules beyond the schema: a document's ``provider`` matches its file name; every model's ``id``
is ``<provider>/<modelatlas.upstream_id>`` of that provider; ids are unique within the provider.
Built files are matched to a schema by their path (see :func:`schema_for_path`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from modelatlas.datastore import ProviderDoc, load_all, new_provider_doc, provider_path
from modelatlas.ids import PROVIDER_IDS
from modelatlas.jsonio import loads
from modelatlas.output import MANIFEST_NAME, TEMP_SUFFIX
from modelatlas.schema import iter_violations, load_schema

_PROVIDERS = "|".join(PROVIDER_IDS)
_PATH_SCHEMAS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"v1/models\.json"), "list-response"),
    (re.compile(r"v1/models/page/[0-9]+\.json"), "list-response"),
    (re.compile(rf"v1/models/({_PROVIDERS})\.json"), "list-response"),
    (re.compile(rf"v1/models/({_PROVIDERS})/page/[0-9]+\.json"), "list-response"),
    (re.compile(rf"v1/model/({_PROVIDERS})/[a-z0-9._~-]+\.json"), "model-file"),
    (re.compile(r"v1/providers\.json"), "providers"),
    (re.compile(r"v1/index\.json"), "index"),
)
MAX_LISTED = 20


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (file, model id, JSON pointer) and what."""

    file: str
    pointer: str
    message: str
    model_id: str | None = None

    def __str__(self) -> str:
        model = f" model {self.model_id}:" if self.model_id else ""
        return f"{self.file}:{model} at {self.pointer or '/'}: {self.message}"


@dataclass
class Report:
    """What a check looked at and what it found."""

    checked: int = 0
    models: int = 0
    unmatched: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def empty_provider_doc(provider: str) -> ProviderDoc:
    """The stand-in document for a provider that has no data file."""
    status = {"source": "none", "count": 0, "stale": False, "reason": "no data file"}
    return new_provider_doc(provider, [], status)


def _model_id_at(doc: ProviderDoc, pointer: str) -> str | None:
    match = re.match(r"/models/([0-9]+)(/|$)", pointer)
    models = doc.get("models")
    if match and isinstance(models, list) and int(match.group(1)) < len(models):
        model = models[int(match.group(1))]
        if isinstance(model, dict) and isinstance(model.get("id"), str):
            return model["id"]
    return None


def check_provider_doc(provider: str, doc: ProviderDoc, file: str) -> Iterator[Problem]:
    """Every problem of one provider document: schema violations first, then the extra rules."""
    schema_problems = False
    for violation in iter_violations("provider-file", doc, file):
        schema_problems = True
        yield Problem(file, violation.pointer, violation.message, _model_id_at(doc, violation.pointer))
    if schema_problems:
        return
    if doc["provider"] != provider:
        yield Problem(file, "/provider", f"is {doc['provider']!r} but the file is for {provider!r}")
    seen: set[str] = set()
    for index, model in enumerate(doc["models"]):
        upstream = model["modelatlas"]["upstream_id"]
        expected = f"{provider}/{upstream}"
        if model["id"] != expected or model["modelatlas"]["provider"] != provider:
            message = f"id must be {expected!r} with modelatlas.provider {provider!r}"
            yield Problem(file, f"/models/{index}/id", message, model["id"])
        if model["id"] in seen:
            yield Problem(file, f"/models/{index}/id", "duplicate model id", model["id"])
        seen.add(model["id"])


def check_data(data_dir: Path) -> tuple[dict[str, ProviderDoc], Report]:
    """Every provider document (missing ones as empty stand-ins) and the problems found in them."""
    present = load_all(data_dir)
    docs: dict[str, ProviderDoc] = {}
    report = Report()
    for provider in PROVIDER_IDS:
        doc = present.get(provider)
        if doc is None:
            docs[provider] = empty_provider_doc(provider)
            continue
        docs[provider] = doc
        report.checked += 1
        report.models += len(doc["models"]) if isinstance(doc.get("models"), list) else 0
        report.problems.extend(check_provider_doc(provider, doc, str(provider_path(data_dir, provider))))
    return docs, report


def schema_for_path(rel: str) -> str | None:
    """The schema a built file follows, by its path relative to the build root; None if unknown."""
    for pattern, name in _PATH_SCHEMAS:
        if pattern.fullmatch(rel):
            return name
    return None


def _check_built_file(root: Path, rel: str, known_schemas: set[str], report: Report) -> None:
    try:
        document: Any = loads((root / rel).read_bytes())
    except (OSError, ValueError) as exc:
        report.problems.append(Problem(rel, "", f"not readable JSON: {exc}"))
        return
    report.checked += 1
    if rel.startswith("schema/"):
        try:
            Draft202012Validator.check_schema(json.loads((root / rel).read_bytes()))
        except SchemaError as exc:
            report.problems.append(Problem(rel, "", f"not a valid JSON Schema: {exc.message}"))
        return
    name = schema_for_path(rel)
    if name is None:
        stem = Path(rel).name.removesuffix(".json")
        name = stem if stem in known_schemas else None
    if name is None:
        report.unmatched.append(rel)
        return
    for violation in iter_violations(name, document, rel):
        model_id = None
        if name == "model-file" and isinstance(document.get("data"), dict):
            model_id = document["data"].get("id")
        report.problems.append(Problem(rel, violation.pointer, violation.message, model_id))
    if name == "model-file":
        report.models += 1
        try:
            details = document["data"]["modelatlas"]["links"]["details"]
        except (KeyError, TypeError):
            details = None
        if details != rel:
            problem = Problem(rel, "/data/modelatlas/links/details", f"is {details!r}, not this file's path")
            report.problems.append(problem)


def check_build(build_dir: Path) -> Report:
    """Every ``*.json`` file of a built folder checked against the schema its path calls for."""
    root = build_dir.resolve()
    copied = {path.name.removesuffix(".schema.json") for path in (root / "schema").glob("*.schema.json")}
    known_schemas = {name for name in copied if _schema_exists(name)}
    report = Report()
    for path in sorted(root.rglob("*.json")):
        rel = path.relative_to(root).as_posix()
        if rel == MANIFEST_NAME or path.name.endswith(TEMP_SUFFIX) or not path.is_file():
            continue
        _check_built_file(root, rel, known_schemas, report)
    return report


def _schema_exists(name: str) -> bool:
    try:
        load_schema(name)
    except KeyError:
        return False
    return True
