"""Test support: a provider document written into a data folder as ``modelatlas fetch`` writes one
(its bytes and atomic replace; fetch also refuses content holding a credential's value, which no
test document holds)."""

from __future__ import annotations

from pathlib import Path

from modelatlas.datastore import ProviderDoc, provider_path, serialize_provider, write_atomic


def write_provider(data_dir: Path, doc: ProviderDoc) -> bool:
    """Write one provider document; whether the file changed."""
    return write_atomic(provider_path(data_dir, doc["provider"]), serialize_provider(doc))
