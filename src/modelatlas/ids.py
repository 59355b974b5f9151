"""Provider ids (the enum of ``schema/provider-id.schema.json``) and model-id helpers.

The provider-id schema is generated from the provider registry (``modelatlas docs``; a test keeps
it current), so the ground floor knows which providers exist without importing any of them:
everything that reads data/ or a build (validation, rendering, serving, the change log) iterates
this list. Everything a provider declares beyond its id (name, endpoint, rules) is read from the
registry itself (:mod:`modelatlas.fetch.providers.registry`).
"""

from __future__ import annotations

import re

from modelatlas.schema import provider_ids

__all__ = ["model_id", "provider_ids", "split_date", "split_model_id"]

# A full trailing date on a model id, the provider's fixed snapshot of the name before it
# (``claude-3-5-sonnet-20241022``, ``gpt-4o-2024-08-06``, ``claude-opus-4-1@20250805``).
_SNAPSHOT_DATE = re.compile(
    r"^(?P<name>.+?)[-@](?P<y>20\d\d)(?P<sep>-?)(?P<m>0[1-9]|1[0-2])(?P=sep)(?P<d>0[1-9]|[12]\d|3[01])$"
)


def split_date(name: str, snapshot: str | None = None) -> tuple[str, str | None]:
    """``(name without a trailing full date, the date as YYYYMMDD or None)``; with ``snapshot`` (a
    provider's own snapshot suffix, a regex with one group), that suffix is a date too (``2409``)."""
    match = _SNAPSHOT_DATE.match(name)
    if match is not None:
        return match["name"], f"{match['y']}{match['m']}{match['d']}"
    own = re.search(snapshot, name) if snapshot else None
    if own is not None and own.start() > 0:
        return name[: own.start()], own.group(1)
    return name, None


def model_id(provider: str, upstream_id: str) -> str:
    """The catalog id of a model: ``<provider>/<upstream model id>``."""
    return f"{provider}/{upstream_id}"


def split_model_id(mid: str) -> tuple[str, str]:
    """Split a catalog id into (provider, upstream id); raises ValueError if the provider is unknown."""
    provider, sep, upstream = mid.partition("/")
    if not sep or provider not in provider_ids() or not upstream:
        raise ValueError(f"not a catalog model id: {mid!r}")
    return provider, upstream
