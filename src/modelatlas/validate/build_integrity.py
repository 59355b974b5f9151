"""A built folder checked as a whole: against its manifest, and its files against each other.

* The manifest (``.modelatlas-manifest.json``, written by ``build``) lists every file with its size
  and SHA-256: each must be there with those bytes, and no other file may be (a stray file would
  be published with the rest).
* Every ``modelatlas.links.details`` of every list leads to a model file holding the record with
  that id (each page's ``links.next`` was checked as the page was read).
* ``v1/index.json``'s counts and page count, and ``v1/providers.json``'s model counts, match the lists.

JSON files were hashed while they were checked (:class:`~modelatlas.validate.checks.BuildFacts`);
only the other files are read here.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from modelatlas import regular_files
from modelatlas.build_folder import CACHE_NAMES, MANIFEST_NAME, read_manifest
from modelatlas.ids import provider_ids
from modelatlas.jsonio import loads
from modelatlas.pagination import page_count
from modelatlas.validate.checks import BuildFacts, Problem

_MODEL_PAGE = re.compile(r"v1/models/page/[0-9]+\.json")
HASH_CHUNK = 1 << 20


def _all_files(root: Path) -> Iterator[str]:
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        rel_folder = os.path.relpath(folder, root).replace(os.sep, "/")
        for name in sorted(names):
            yield name if rel_folder == "." else f"{rel_folder}/{name}"


def _sha256(path: Path) -> tuple[int, str]:
    hasher = hashlib.sha256()
    size = 0
    regular_files.ensure_regular(path)
    with open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            hasher.update(chunk)
            size += len(chunk)
    return size, hasher.hexdigest()


def manifest_problems(root: Path, hashes: dict[str, tuple[int, str]]) -> Iterator[Problem]:
    """Files missing, changed or not listed, compared with the manifest (``hashes``: already known)."""
    if not (root / MANIFEST_NAME).is_file():
        yield Problem(MANIFEST_NAME, "", "missing: not a folder written by 'modelatlas build'; rebuild it")
        return
    manifest = read_manifest(root)
    if not manifest:
        yield Problem(MANIFEST_NAME, "", "unreadable or empty; rebuild the folder")
        return
    present = set()
    for rel in _all_files(root):
        if rel == MANIFEST_NAME or rel in CACHE_NAMES:
            continue
        present.add(rel)
        if rel not in manifest:
            yield Problem(rel, "", "stray file: not written by the build (not in the manifest); remove it")
    for rel, entry in manifest.items():
        if rel not in present:
            yield Problem(rel, "", "missing: listed in the manifest; rebuild the folder")
            continue
        try:
            size, sha = hashes[rel] if rel in hashes else _sha256(root / rel)
        except OSError as exc:
            yield Problem(rel, "", f"unreadable: {exc.strerror}")
            continue
        if (size, sha) != (entry.size, entry.sha256):
            yield Problem(rel, "", "changed since the build (SHA-256 differs from the manifest); rebuild it")


def details_problems(facts: BuildFacts) -> Iterator[Problem]:
    """Every details link leads to a model file holding the record it was listed with."""
    for (target, model_id), where in sorted(facts.details.items()):
        holds = facts.model_ids.get(target)
        if holds is None:
            yield Problem(where, "", f"its details link leads to {target}, which is missing", model_id)
        elif holds != model_id:
            message = f"its details link leads to {target}, which holds {holds}, not this record"
            yield Problem(where, "", message, model_id)


def _read(root: Path, rel: str) -> Any:
    try:
        return loads(regular_files.read_bytes(root / rel))
    except (OSError, ValueError):
        return None  # reported by the per-file checks


def count_problems(root: Path, facts: BuildFacts) -> Iterator[Problem]:
    """``v1/index.json`` and ``v1/providers.json`` counts against the lists they describe."""
    index, providers = _read(root, "v1/index.json"), _read(root, "v1/providers.json")
    sizes = facts.list_sizes
    if not isinstance(index, dict) or not isinstance(index.get("counts"), dict):
        return
    if "v1/models.json" not in sizes:
        return  # unreadable or missing: reported by the other checks
    counts, listed = index["counts"], sizes["v1/models.json"]
    provider_sizes = {p: sizes.get(f"v1/models/{p}.json", 0) for p in provider_ids()}
    expected = {
        "models": listed,
        "removed_models": len(facts.model_ids) - listed,
        "providers": len(provider_ids()),
        "providers_with_models": sum(1 for n in provider_sizes.values() if n),
    }
    for key, value in expected.items():
        if counts.get(key) != value:
            message = f"is {counts.get(key)!r}, the build holds {value}"
            yield Problem("v1/index.json", f"/counts/{key}", message)
    pages = sum(1 for rel in sizes if _MODEL_PAGE.fullmatch(rel))
    if index.get("pages") != pages:
        yield Problem("v1/index.json", "/pages", f"is {index.get('pages')!r}, the build holds {pages} pages")
    page_size = index.get("page_size")
    if isinstance(page_size, int) and page_size > 0 and page_count(listed, page_size) != pages:
        message = f"{page_size} does not split {listed} models into {pages} pages"
        yield Problem("v1/index.json", "/page_size", message)
    entries = providers.get("data") if isinstance(providers, dict) else None
    for number, entry in enumerate(entries if isinstance(entries, list) else []):
        provider = entry.get("id") if isinstance(entry, dict) else None
        if provider in provider_sizes and entry.get("model_count") != provider_sizes[provider]:
            listed_here = provider_sizes[provider]
            message = f"is {entry.get('model_count')!r}, v1/models/{provider}.json lists {listed_here}"
            yield Problem("v1/providers.json", f"/data/{number}/model_count", message)


def integrity_problems(root: Path, facts: BuildFacts) -> list[Problem]:
    """Every problem of the build as a whole (see the module doc)."""
    return [*manifest_problems(root, facts.hashes), *details_problems(facts), *count_problems(root, facts)]
