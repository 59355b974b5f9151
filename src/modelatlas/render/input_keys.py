"""Input keys: short hashes of everything a built file's bytes depend on (every cache of the build).

There is one kind of key, :func:`input_key` (the code fingerprint + what kind of file + its
inputs), used twice:

* the whole build: ``input_key("build", <every file under data/>, <options>)``, recorded in the
  manifest; a rebuild with the same key whose files are all still there does nothing;
* per file: a renderer may hand the output stage a :class:`~modelatlas.render.lazy.Lazy` file
  (a key plus a function that renders it). When the key equals the one recorded for that path by
  the previous build (and the file is still there), the file is not rendered at all. Model pages
  and per-model JSON files are keyed from the records' digests (:func:`serialize`, made once per
  build by :func:`~modelatlas.render.record_bodies.serialized`).

The canonical links a rebuild reuses (:mod:`~modelatlas.render.link_cache`) are keyed the same way.
A key is only correct if it covers *every* input of the file; each key starts with
:func:`code_fingerprint`, so any change to this package, the site templates, the schema files or
the libraries that shape the output invalidates every key at once.
"""

from __future__ import annotations

import hashlib
import importlib
import sys
from decimal import Decimal
from functools import cache
from pathlib import Path

import modelatlas
from modelatlas.bundled import templates_folder
from modelatlas.jsonio import _default as jsonio_default  # the same Decimal rule as dumps_compact
from modelatlas.jsonio import compact_bytes
from modelatlas.record import Record
from modelatlas.schema import SCHEMA_VERSION, schema_paths

PACKAGE_DIR = Path(modelatlas.__file__).resolve().parent
TEMPLATES_DIR = templates_folder()
LIBRARIES = ("jinja2", "markupsafe")
KEY_BYTES = 16


def _library_folder(name: str) -> Path:
    """The folder of an installed library's package (its modules and compiled extensions)."""
    return Path(str(importlib.import_module(name).__file__)).resolve().parent


def _tree_files(root: Path, pattern: str) -> list[Path]:
    return sorted(path for path in root.rglob(pattern) if path.is_file() and "__pycache__" not in path.parts)


@cache
def code_fingerprint() -> bytes:
    """Hash of the code and files every build output depends on (computed once per process).

    Covers every module of the package, every file under ``site_templates/``, the schema files the
    build copies and validates with (wherever ``MODELATLAS_SCHEMA_DIR`` points), the schema and
    package versions, the Python version and every file of the template libraries (their files, not
    their versions: importlib.metadata, which reads those, took 12 ms of every build's start).
    """
    hasher = hashlib.blake2b(digest_size=KEY_BYTES)
    header = [modelatlas.__version__, SCHEMA_VERSION, f"{sys.version_info[0]}.{sys.version_info[1]}"]
    hasher.update("\0".join(header).encode("utf-8"))
    libraries = [(name, _library_folder(name)) for name in LIBRARIES]
    groups = (
        ("package", PACKAGE_DIR, _tree_files(PACKAGE_DIR, "*.py")),
        ("templates", TEMPLATES_DIR, _tree_files(TEMPLATES_DIR, "*")),
        *((f"library/{name}", folder, _tree_files(folder, "*")) for name, folder in libraries),
    )
    for label, root, paths in groups:
        for path in paths:
            _add_file(hasher, f"{label}/{path.relative_to(root).as_posix()}", path)
    for path in schema_paths():
        _add_file(hasher, f"schema/{path.name}", path)
    return hasher.digest()


def _add_file(hasher: hashlib._Hash, name: str, path: Path) -> None:
    content = path.read_bytes()
    hasher.update(f"\0{name}\0{len(content)}\0".encode())
    hasher.update(content)


def input_key(kind: str, *parts: bytes) -> str:
    """The input key of one file: the code fingerprint, what kind of file it is, and its inputs.

    Parts are length-prefixed, so different splits of the same bytes never collide.
    """
    hasher = hashlib.blake2b(code_fingerprint(), digest_size=KEY_BYTES)
    hasher.update(kind.encode("utf-8"))
    for part in parts:
        hasher.update(len(part).to_bytes(8, "little"))
        hasher.update(part)
    return hasher.hexdigest()


def serialize(record: Record) -> tuple[bytes, bytes]:
    """(the record's compact JSON bytes, exactly as ``dumps_compact`` writes them, and its digest).

    The digest covers those bytes plus the exact text of every ``Decimal`` in the record, in the
    order the writer met them (:func:`~modelatlas.jsonio.compact_bytes`): the JSON writes ``0.10`` and
    ``0.1`` alike, but a page showing the value as loaded would not.
    """
    decimals: list[str] = []

    def default(value: object) -> object:
        if isinstance(value, Decimal):
            decimals.append(str(value))
        return jsonio_default(value)

    encoded = compact_bytes(record, default)
    hasher = hashlib.blake2b(encoded, digest_size=KEY_BYTES)
    if decimals:
        hasher.update(b"\0decimals\0" + "\0".join(decimals).encode("utf-8"))
    return encoded, hasher.digest()
