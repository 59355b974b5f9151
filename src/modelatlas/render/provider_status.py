"""A provider's status block in plain words for its page: where the models came from, when, and
whether that is current; the operator's reason stays available, collapsed, for whoever runs the
refresh."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from modelatlas.fetch.providers import registry
from modelatlas.render.model_view import source_label
from modelatlas.render.templates import readable_date


class Freshness(StrEnum):
    """The badge: the provider's own list, public catalogs only, a failed refresh, or nothing."""

    LIVE = "provider API"
    CATALOGS = "public catalogs"
    STALE = "stale"
    NONE = "no data"


@dataclass(frozen=True)
class SourceStatement:
    badge: Freshness
    words: str  # one or two plain sentences
    date: str | None  # the last refresh, readable (27 November 2026)
    stamp: str | None  # the same, as stored (for <time datetime>)
    detail: str | None  # the operator's reason, shown collapsed


def _sources(status: dict[str, Any]) -> str:
    return ", ".join(source_label(str(source)) for source in status.get("sources", []))


def statement(provider: str, status: dict[str, Any], models: int) -> SourceStatement:
    declaration = registry.declared(provider)
    name = declaration.name
    reason = str(status.get("reason", "")) or None
    head = (reason or "").split(":", 1)[0]  # "no OPENAI_API_KEY set: model list from public catalogs"
    settings = [name for group in declaration.credentials for name in group]
    no_key = head.startswith(declaration.credential_hint) or (
        head.startswith("no ") and any(name in head for name in settings)
    )
    stamp = status.get("last_refresh")
    date = readable_date(stamp) if stamp else None
    source = status.get("source")
    listed = _sources(status)
    if models == 0:
        why = "no API key or server was configured for this run" if no_key else "no list could be read"
        words = f"No models: {why}, and no public catalog lists {name}."
        return SourceStatement(Freshness.NONE, words, date, stamp, reason)
    if source == "provider_api":
        badge = Freshness.LIVE
        words = f"From {name}'s own model list API" + (f", with values from {listed}" if listed else "") + "."
    else:
        badge = Freshness.CATALOGS
        why = (
            "no API key was configured for this run"
            if no_key
            else "the provider's own list could not be read"
        )
        words = f"From public catalogs ({listed}); {why}." if listed else f"From public catalogs; {why}."
    if status.get("stale"):
        badge = Freshness.STALE
        words += " The last refresh failed, so these are the models of the last good list."
    return SourceStatement(badge, words, date, stamp, reason)
