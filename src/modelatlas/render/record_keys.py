"""One short digest per record of a catalog: what the input keys of per-model files are built from.

The digest covers the record's published JSON bytes (which :mod:`modelatlas.render.json_api`
computes once anyway and registers here as it goes) plus the exact text of every ``Decimal`` in the
record: the JSON writes ``0.10`` and ``0.1`` alike, but a page showing the value as loaded would not.
A renderer that runs without ``json_api`` before it (tests of one renderer) gets the digests
computed here from scratch, with the same result.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from modelatlas.jsonio import _default as jsonio_default  # the same Decimal rule as dumps_compact
from modelatlas.render.catalog import Catalog, Record

DIGEST_BYTES = 16

_registry: tuple[Catalog, dict[str, bytes]] | None = None


def serialize(record: Record) -> tuple[bytes, bytes]:
    """(the record's compact JSON bytes, exactly as ``dumps_compact`` writes them, and its digest)."""
    decimals: list[str] = []

    def default(value: object) -> object:
        if isinstance(value, Decimal):
            decimals.append(str(value))
        return jsonio_default(value)

    body = json.dumps(record, separators=(",", ":"), sort_keys=True, ensure_ascii=False, default=default)
    encoded = body.encode("utf-8")
    hasher = hashlib.blake2b(encoded, digest_size=DIGEST_BYTES)
    if decimals:
        hasher.update(b"\0decimals\0" + "\0".join(decimals).encode("utf-8"))
    return encoded, hasher.digest()


def registry_for(catalog: Catalog) -> dict[str, bytes]:
    """The (possibly still filling) digest table of ``catalog``: model id -> digest."""
    global _registry
    if _registry is None or _registry[0] is not catalog:
        _registry = (catalog, {})
    return _registry[1]


def record_digests(catalog: Catalog) -> dict[str, bytes]:
    """Model id -> digest for every record of ``catalog`` (reusing what ``json_api`` registered)."""
    digests = registry_for(catalog)
    if len(digests) != len(catalog.models):
        for record in catalog.models:
            if record["id"] not in digests:
                digests[record["id"]] = serialize(record)[1]
    return digests
