"""A built folder's files, one by one: each JSON file against the schema its path calls for
(see :func:`schema_for_path`), each page's ``links.next``, every other link of every JSON file
(:mod:`modelatlas.validate.links`), and what the files say about each other
(:class:`~modelatlas.validate.checks.BuildFacts`, checked across files by
:mod:`modelatlas.validate.build_integrity`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from modelatlas import regular_files
from modelatlas.build_folder import CACHE_NAMES, MANIFEST_NAME, TEMP_SUFFIX, build_path_of
from modelatlas.collector import gc_paused
from modelatlas.ids import provider_ids
from modelatlas.jsonio import compact_bytes, loads
from modelatlas.schema import fast_says_valid, iter_violations, load_schema
from modelatlas.validate.checks import Problem, Report
from modelatlas.validate.links import LinkResolver, links_of


@cache
def _path_schemas(providers: tuple[str, ...]) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Which schema each published JSON file follows, by its path (for these provider ids)."""
    names = "|".join(providers)
    return (
        (re.compile(r"v1/models\.json"), "list-response"),
        (re.compile(r"v1/models/page/[0-9]+\.json"), "list-response"),
        (re.compile(rf"v1/models/({names})\.json"), "list-response"),
        (re.compile(rf"v1/models/({names})/page/[0-9]+\.json"), "list-response"),
        (re.compile(rf"v1/model/({names})/[a-z0-9._~-]+\.json"), "model-file"),
        (re.compile(r"v1/providers\.json"), "providers"),
        (re.compile(r"v1/index\.json"), "index"),
        (re.compile(r"v1/quality\.json"), "quality"),
        (re.compile(r"v1/canonical(/page/[0-9]+)?\.json"), "canonical-index"),
        (re.compile(r"v1/canonical/(?!page/)[a-z0-9._~-]+/[a-z0-9._~-]+\.json"), "canonical-model"),
        (re.compile(r"v1/canonical-unlinked\.json"), "canonical-unlinked"),
    )


_CHANGE_LISTS = re.compile(r"v1/changes(/page/[0-9]+)?\.json")  # items follow schema "change"
_PAGE = re.compile(r"(v1/.*/page/)([0-9]+)\.json")


def schema_for_path(rel: str) -> str | None:
    """The schema a built file follows, by its path relative to the build root; None if unknown."""
    for pattern, name in _path_schemas(provider_ids()):
        if pattern.fullmatch(rel):
            return name
    return None


class _BuildCheck:
    """Checks built files one by one. A list whose whole document the compiled validator accepts is
    done in one call (``list-response`` refers to ``model`` for its items, so that is the same verdict
    as checking the items one by one); only a list it rejects is checked item by item, and there a
    record already found valid (by its bytes) is not re-validated."""

    def __init__(self, root: Path, known_schemas: set[str], base_url: str | None = None) -> None:
        self.root = root
        self.base_url = base_url
        self.known_schemas = known_schemas
        self.valid_records: set[bytes] = set()
        self.report = Report()
        self.resolver = LinkResolver(root, base_url)

    def problem(self, rel: str, pointer: str, message: str, model_id: str | None = None) -> None:
        self.report.problems.append(Problem(rel, pointer, message, model_id))

    def file(self, rel: str) -> None:
        with gc_paused():  # the document is dropped on return: no collection ever needs to walk it
            self._file(rel)

    def _file(self, rel: str) -> None:
        try:
            raw = regular_files.read_bytes(self.root / rel)
            self.report.facts.hashes[rel] = (len(raw), hashlib.sha256(raw).hexdigest())
            document: Any = loads(raw)
        except (OSError, ValueError) as exc:
            self.problem(rel, "", f"not readable JSON: {exc}")
            return
        self.report.checked += 1
        if rel.startswith("schema/"):
            try:
                Draft202012Validator.check_schema(json.loads(raw))
            except SchemaError as exc:
                self.problem(rel, "", f"not a valid JSON Schema: {exc.message}")
            self.links(rel, document)
            return
        name = schema_for_path(rel)
        if name == "list-response" and isinstance(document, dict) and isinstance(document.get("data"), list):
            if not fast_says_valid("list-response", document):
                self.violations(rel, "list-response", dict(document, data=[]))
                self.items(rel, document["data"], "model")
            self.list_links(rel, document)
            return  # its links (next, every record's details) are checked by list_links
        if name == "model-file":
            self.model_file(rel, document)
            return
        if name is not None:
            self.violations(rel, name, document)
        elif _CHANGE_LISTS.fullmatch(rel) and "change" in self.known_schemas and isinstance(document, dict):
            self.items(rel, document.get("data", []), "change")
        elif (stem := Path(rel).name.removesuffix(".json")) in self.known_schemas:
            self.violations(rel, stem, document)
        else:
            self.report.unmatched.append(rel)
        if isinstance(document, dict):
            self.next_link(rel, document)
        self.links(rel, document)

    def links(self, rel: str, document: Any) -> None:
        """Every link of the document leads to a file of the build (see :mod:`modelatlas.validate.links`);
        a page's ``links.next`` is checked by :meth:`next_link`."""
        skip = frozenset({"/links/next"}) if _PAGE.fullmatch(rel) else frozenset()
        for pointer, url, template in links_of(document, skip=skip):
            problem = self.resolver.problem(rel, url, template)
            if problem is not None:
                self.problem(rel, pointer, problem)

    def violations(
        self, rel: str, schema: str, document: Any, prefix: str = "", model_id: str | None = None
    ) -> bool:
        clean = True
        for violation in iter_violations(schema, document, rel):
            clean = False
            self.problem(rel, prefix + violation.pointer, violation.message, model_id)
        return clean

    def items(self, rel: str, items: Any, schema: str) -> None:
        if not isinstance(items, list):
            self.problem(rel, "/data", "is not an array")
            return
        for index, item in enumerate(items):
            key = hashlib.sha1(schema.encode() + compact_bytes(item)).digest()
            if key in self.valid_records:
                continue
            model_id = item.get("id") if isinstance(item, dict) and schema == "model" else None
            if self.violations(rel, schema, item, f"/data/{index}", model_id):
                self.valid_records.add(key)

    def list_links(self, rel: str, document: dict[str, Any]) -> None:
        """Remember where each record's details link leads (checked once every file is read)."""
        facts = self.report.facts
        facts.list_sizes[rel] = len(document["data"])
        for index, record in enumerate(document["data"]):
            try:
                details = record["modelatlas"]["links"]["details"]
                model_id = record["id"]
            except (KeyError, TypeError):
                continue  # a schema violation, reported already
            target = build_path_of(details, rel, self.base_url)
            if target is None:
                pointer = f"/data/{index}/modelatlas/links/details"
                self.problem(rel, pointer, f"{details!r} leads outside the build", model_id)
            else:
                facts.details.setdefault((target, model_id), rel)
        self.next_link(rel, document)

    def next_link(self, rel: str, document: dict[str, Any]) -> None:
        """A page's ``links.next`` leads to the next page when there is one, and is null otherwise."""
        page = _PAGE.fullmatch(rel)
        links = document.get("links")
        if page is None or not isinstance(links, dict):
            return
        expected = f"{page.group(1)}{int(page.group(2)) + 1}.json"
        exists = (self.root / expected).is_file()
        link = links.get("next")
        if link is None:
            if exists:
                self.problem(rel, "/links/next", f"is null, but the next page {expected} exists")
        elif not isinstance(link, str) or build_path_of(link, rel, self.base_url) != expected:
            self.problem(rel, "/links/next", f"{link!r} does not lead to the next page {expected}")
        elif not exists:
            self.problem(rel, "/links/next", f"leads to {expected}, which is missing")

    def model_file(self, rel: str, document: Any) -> None:
        self.report.models += 1
        record = document.get("data") if isinstance(document, dict) else None
        model_id = record.get("id") if isinstance(record, dict) else None
        if isinstance(model_id, str):
            self.report.facts.model_ids[rel] = model_id
        self.violations(rel, "model-file", document, "", model_id)
        try:
            details = document["data"]["modelatlas"]["links"]["details"]
        except (KeyError, TypeError):
            details = None
        if not isinstance(details, str) or build_path_of(details, rel, self.base_url) != rel:
            message = f"is {details!r}, which does not lead to this file"
            self.problem(rel, "/data/modelatlas/links/details", message, model_id)


def _json_files(folder: str, prefix: str, found: dict[str, int]) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir():
                _json_files(entry.path, f"{prefix}{entry.name}/", found)
            elif entry.name.endswith(".json") and entry.is_file():
                found[prefix + entry.name] = entry.stat().st_size


def build_files(build_dir: Path) -> tuple[Path, set[str], dict[str, int]]:
    """A built folder's root, the schemas it ships that we know, and its JSON files to check with
    their sizes, in path order (os.scandir: pathlib's rglob took ~3 s for 100k models' 200k files)."""
    root = build_dir.resolve()
    copied = {path.name.removesuffix(".schema.json") for path in (root / "schema").glob("*.schema.json")}
    found: dict[str, int] = {}
    _json_files(str(root), "", found)
    files = {
        rel: found[rel]
        for rel in sorted(found, key=lambda rel: rel.split("/"))  # the order of sorted Paths
        if rel != MANIFEST_NAME and rel not in CACHE_NAMES and not rel.endswith(TEMP_SUFFIX)
    }
    return root, {name for name in copied if _schema_exists(name)}, files


def check_build_files(
    root: Path, known_schemas: set[str], rels: list[str], base_url: str | None = None
) -> Report:
    """The files ``rels`` (relative to ``root``) of a built folder checked, in that order; links are
    resolved against ``base_url`` when the build was made with one."""
    check = _BuildCheck(root, known_schemas, base_url)
    for rel in rels:
        check.file(rel)
    return check.report


def check_build(build_dir: Path) -> Report:
    """Every ``*.json`` file of a built folder checked against the schema its path calls for."""
    root, known_schemas, files = build_files(build_dir)
    return check_build_files(root, known_schemas, list(files), built_base_url(root))


def built_base_url(root: Path) -> str | None:
    """The base URL a built folder was made for (``v1/index.json``'s ``base_url``), if any."""
    try:
        value = loads(regular_files.read_bytes(root / "v1" / "index.json")).get("base_url")
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def _schema_exists(name: str) -> bool:
    try:
        load_schema(name)
    except KeyError:
        return False
    return True
