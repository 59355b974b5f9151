"""A catalog record for fetch tests, made the way the catalog modules make theirs."""

from __future__ import annotations

from typing import Any

from modelatlas.fetch.record_builder import RecordBuilder


def rec(provider: str, upstream: str, source: str = "litellm", **fields: Any) -> dict[str, Any]:
    """``provider``'s record of ``upstream`` as ``source`` states it; ``fields`` name dotted paths
    with ``__`` (``pricing__prompt="0.000003"``)."""
    builder = RecordBuilder(provider, upstream, source)
    for path, value in fields.items():
        builder.set(path.replace("__", "."), value)
    record = builder.build()
    assert record is not None
    return record
