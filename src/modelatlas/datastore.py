"""The committed data folder: ``data/providers/<provider>.json`` (one per provider) and friends.

Each provider file is pretty-printed, key-sorted JSON (one field per line, so a price change is a
one-line git diff) holding ``schema_version``, ``provider``, ``status`` and ``models`` sorted by id.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from modelatlas import regular_files
from modelatlas.errors import InputError
from modelatlas.ids import provider_ids
from modelatlas.jsonio import loads, loads_read_only, pretty_bytes
from modelatlas.schema import SCHEMA_VERSION

ProviderDoc = dict[str, Any]
# A provider's document kept from an earlier read of the same file: (provider, bytes, SHA-256) -> it, or None
Kept = Callable[[str, bytes, bytes], ProviderDoc | None]


def providers_dir(data_dir: Path) -> Path:
    return data_dir / "providers"


def provider_path(data_dir: Path, provider: str) -> Path:
    if provider not in provider_ids():
        raise InputError(f"unknown provider {provider!r}; expected one of: {', '.join(provider_ids())}")
    return providers_dir(data_dir) / f"{provider}.json"


def read_provider(data_dir: Path, provider: str, *, read_only: bool = False) -> ProviderDoc | None:
    """The provider's committed document, or None if it has no file yet.

    ``read_only``: the caller never changes the document, so equal flat objects may be one shared
    object (:func:`~modelatlas.jsonio.loads_read_only`: far less memory for a big catalog).
    """
    read = read_provider_file(data_dir, provider, read_only=read_only)
    return None if read is None else read[0]


def read_provider_file(
    data_dir: Path, provider: str, *, read_only: bool = False, hashed: bool = False, kept: Kept | None = None
) -> tuple[ProviderDoc, bytes | None] | None:
    """:func:`read_provider`'s document and, where ``hashed``, the SHA-256 of the bytes it was parsed
    from (None otherwise); None if the provider has no file yet. ``kept`` (with ``hashed``) gives the
    document of these bytes if the caller kept it from a previous read (a read-only one), or None:
    only then are they parsed."""
    path = provider_path(data_dir, provider)
    restore = f"restore it with 'git checkout -- {path}'"
    try:
        raw = regular_files.read_bytes(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}; {restore}") from exc
    sha256 = hashlib.sha256(raw).digest() if hashed else None
    if kept is not None and sha256 is not None and (doc := kept(provider, raw, sha256)) is not None:
        return doc, sha256
    try:
        # decoded as json.loads would, and the bytes let go before the (much bigger) parse
        text = raw.decode(json.detect_encoding(raw), "surrogatepass")
        del raw
        doc = loads_read_only(text) if read_only else loads(text)
    except ValueError as exc:
        raise InputError(f"{path}: not valid JSON ({exc}); {restore}") from exc
    if not isinstance(doc, dict):
        raise InputError(f"{path}: expected a JSON object at the top level")
    return doc, sha256


def load_all(data_dir: Path) -> dict[str, ProviderDoc]:
    """Every provider document present under ``data_dir``, keyed by provider id, in registry order."""
    if not providers_dir(data_dir).is_dir():
        raise InputError(
            f"no data folder at {providers_dir(data_dir)}; pass --data pointing at a modelatlas data/ folder"
        )
    docs: dict[str, ProviderDoc] = {}
    for provider in provider_ids():
        doc = read_provider(data_dir, provider)
        if doc is not None:
            docs[provider] = doc
    return docs


def new_provider_doc(provider: str, models: list[dict[str, Any]], status: dict[str, Any]) -> ProviderDoc:
    ordered = sorted(models, key=lambda m: m["id"])
    return {"schema_version": SCHEMA_VERSION, "provider": provider, "status": status, "models": ordered}


def serialize_provider(doc: ProviderDoc) -> bytes:
    return pretty_bytes(doc)


def write_atomic(path: Path, content: bytes) -> bool:
    """Write ``content`` to ``path`` via a temporary file and rename; False if it was already identical."""
    try:
        if regular_files.read_bytes(path) == content:
            return False
    except (FileNotFoundError, regular_files.NotRegularFile):  # a pipe or a device is replaced, unread
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; published files must be world-readable
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True
