"""Check data/ against the schema (plus the rules a schema cannot say); the report types of every check.

Data rules beyond the schema: a document's ``provider`` matches its file name; every model's ``id``
is ``<provider>/<modelatlas.upstream_id>`` of that provider; ids are unique within the provider;
every id and value keeps the documented bounds (:mod:`modelatlas.bounds`), so ``build`` never meets a
value it cannot handle; the price contract holds (:mod:`modelatlas.validate.price_contract`).
A built folder's files are checked by :mod:`modelatlas.validate.build_files`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import astuple, dataclass, field
from pathlib import Path

from modelatlas.bounds import SeenValues, record_problems
from modelatlas.collector import gc_paused
from modelatlas.datastore import (
    ProviderDoc,
    load_all,
    new_provider_doc,
    provider_path,
    providers_dir,
    read_provider,
)
from modelatlas.ids import provider_ids
from modelatlas.schema import iter_violations
from modelatlas.validate.price_contract import contract_problems

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


def problems_json(problems: Iterable[Problem]) -> str:
    """``problems`` as JSON, for a forked checker to send back (:func:`problems_from_json`)."""
    return json.dumps([astuple(problem) for problem in problems])


def problems_from_json(text: str | bytes) -> list[Problem]:
    return [Problem(*fields) for fields in json.loads(text)]


@dataclass
class BuildFacts:
    """What the files of a build say about each other, gathered file by file and checked across files
    afterwards (:mod:`modelatlas.validate.build_integrity`).

    ``hashes``: JSON file -> (size, SHA-256); ``model_ids``: model file -> its record's id;
    ``details``: (build path a details link leads to, the id of the record holding it) -> the first
    list holding that link; ``list_sizes``: list file -> number of records.
    """

    hashes: dict[str, tuple[int, str]] = field(default_factory=dict)
    model_ids: dict[str, str] = field(default_factory=dict)
    details: dict[tuple[str, str], str] = field(default_factory=dict)
    list_sizes: dict[str, int] = field(default_factory=dict)

    def update(self, other: BuildFacts) -> None:
        self.hashes.update(other.hashes)
        self.model_ids.update(other.model_ids)
        for claim, where in other.details.items():
            self.details.setdefault(claim, where)
        self.list_sizes.update(other.list_sizes)


@dataclass
class Report:
    """What a check looked at and what it found."""

    checked: int = 0
    models: int = 0
    unmatched: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    facts: BuildFacts = field(default_factory=BuildFacts)  # what a built folder's files say (build_files)

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
    values = SeenValues()
    for index, model in enumerate(doc["models"]):
        upstream = model["modelatlas"]["upstream_id"]
        expected = f"{provider}/{upstream}"
        if model["id"] != expected or model["modelatlas"]["provider"] != provider:
            message = f"id must be {expected!r} with modelatlas.provider {provider!r}"
            yield Problem(file, f"/models/{index}/id", message, model["id"])
        if model["id"] in seen:
            yield Problem(file, f"/models/{index}/id", "duplicate model id", model["id"])
        seen.add(model["id"])
        for path, why in record_problems(model, values):
            pointer = f"/models/{index}/" + path.replace(".", "/")
            yield Problem(file, pointer, f"{path} {why}", model["id"])
    for pointer, message, model_id in contract_problems(provider, doc):
        yield Problem(file, pointer, message, model_id)


def read_and_check(
    data_dir: Path, provider: str, *, read_only: bool = False
) -> tuple[ProviderDoc | None, list[Problem]]:
    """One provider's document (None if it has no file) and its problems (``read_only``: see
    :func:`~modelatlas.datastore.read_provider`).

    Raises :class:`~modelatlas.errors.InputError` if the file is unreadable or not a JSON object.
    """
    with gc_paused():
        doc = read_provider(data_dir, provider, read_only=read_only)
    if doc is None:
        return None, []
    return doc, list(check_provider_doc(provider, doc, str(provider_path(data_dir, provider))))


def count_models(doc: ProviderDoc) -> int:
    models = doc.get("models")
    return len(models) if isinstance(models, list) else 0


def require_data_dir(data_dir: Path) -> None:
    if not providers_dir(data_dir).is_dir():
        load_all(data_dir)  # raises the data store's own "no data folder" error


def check_data(
    data_dir: Path, prepare: Callable[[ProviderDoc], None] | None = None
) -> tuple[dict[str, ProviderDoc], Report]:
    """Every provider document (missing ones as empty stand-ins) and the problems found in them.

    Documents are read and checked one at a time; ``prepare`` is called on each valid one right
    away (``build`` uses it to shrink the records in memory before the next file is read). They are
    for reading only: equal flat objects in them are one shared object (copy before changing). To check
    without keeping the documents (the ``validate`` command), see :mod:`modelatlas.validate.parallel`.
    """
    require_data_dir(data_dir)
    docs: dict[str, ProviderDoc] = {}
    report = Report()
    for provider in provider_ids():
        doc, problems = read_and_check(data_dir, provider, read_only=True)
        if doc is None:
            docs[provider] = empty_provider_doc(provider)
            continue
        docs[provider] = doc
        report.checked += 1
        report.models += count_models(doc)
        report.problems.extend(problems)
        if prepare is not None and not problems:
            prepare(doc)
    return docs, report


