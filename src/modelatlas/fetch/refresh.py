"""Refresh provider documents: records from the provider API and/or public catalogs → merge →
removed-model marking → curated corrections → the provider's deprecation table → membership
(:mod:`modelatlas.fetch.membership`) → offering marks → the provider's price rules → the price
contract (:mod:`modelatlas.fetch.price_contract`) → validate → ``data/providers/<p>.json``.

:func:`refresh_provider` is pure (no I/O); ``modelatlas fetch`` (:mod:`modelatlas.fetch.run`) reads
the previous document and the curated file of each provider, refreshes it, and writes it only if
:func:`validate_doc` accepts the whole document (``schema/provider-file.schema.json``). Live
fetchers pass ``api_records``; the catalog-only path passes none.

Removed models: a model in the previous document that no source lists any more is kept with
``lifecycle.status = "removed"`` and ``lifecycle.last_seen`` = the date of the previous refresh
(when it was last listed). It is dropped :data:`REMOVED_RETENTION_DAYS` days after ``last_seen``:
long enough for users to notice and for the nightly diff and change log to record it, short
enough that provider files do not grow without bound. A model that comes back is listed afresh.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from modelatlas.datastore import ProviderDoc, new_provider_doc
from modelatlas.errors import ModelatlasError
from modelatlas.fetch.catalogs import CATALOG_MODULES, CatalogRecords, list_outputs
from modelatlas.fetch.catalogs.loader import catalog_location
from modelatlas.fetch.curated import CuratedEntry, apply_curated, unused_entries
from modelatlas.fetch.gateway_fields import fill_created, fill_owned_by, request_time_sources
from modelatlas.fetch.lifecycle import apply_status, resolve_successors
from modelatlas.fetch.lifecycle_tables import LifecycleRow, apply_table
from modelatlas.fetch.membership import Evidence, ListSeen, apply_membership
from modelatlas.fetch.merge import MergeContext, merge_provider
from modelatlas.fetch.policy import SOURCE_ORDER, snapshot_dates, source_dates
from modelatlas.fetch.price_contract import curated_prices, finish_prices, note_curated, screen_prices
from modelatlas.fetch.provider_lists import ProviderList, ids_of, restore_list_aliases
from modelatlas.fetch.providers import registry
from modelatlas.fetch.record_prices import PriceContext
from modelatlas.fetch.reliability import Scores, model_key
from modelatlas.fetch.siblings import LAST_INDEX
from modelatlas.fetch.spellings import match_key
from modelatlas.fetch.stated_rules import apply_price_rules
from modelatlas.record import Record
from modelatlas.schema import iter_violations

REMOVED_RETENTION_DAYS = 90
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def timestamp(now: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` in UTC (naive datetimes are taken as UTC)."""
    aware = now if now.tzinfo else now.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime(TIMESTAMP_FORMAT)


def _parse_day(value: str) -> date:
    return date.fromisoformat(value if len(value) == 10 else f"{value}-01")


def carry_removed(
    provider: str,
    current: list[Record],
    previous: ProviderDoc | None,
    today: date,
    rejected: frozenset[str] = frozenset(),
) -> list[Record]:
    """``current`` plus the previous document's models that are gone now, marked removed.
    Ids now rejected (not model ids) are not carried: they were never models."""
    if not previous:
        return current
    present = {match_key(provider, uid) for uid in rejected}
    present |= {match_key(provider, r["modelatlas"]["upstream_id"]) for r in current}
    previous_refresh = str(previous.get("status", {}).get("last_refresh") or today.isoformat())[:10]
    kept = list(current)
    for old in previous.get("models", []):
        if match_key(provider, old["modelatlas"]["upstream_id"]) in present:
            continue
        record = copy.deepcopy(old)
        extension = record["modelatlas"]
        lifecycle = extension.setdefault("lifecycle", {})
        if lifecycle.get("status") != "removed" or "last_seen" not in lifecycle:
            lifecycle["status"] = "removed"
            lifecycle["last_seen"] = previous_refresh
            extension["provenance"]["modelatlas.lifecycle.status"] = "derived"
            extension["provenance"]["modelatlas.lifecycle.last_seen"] = "derived"
        if (today - _parse_day(lifecycle["last_seen"])).days > REMOVED_RETENTION_DAYS:
            continue
        kept.append(record)
    return sorted(kept, key=lambda r: r["id"])


def _reason(provider: str, api_fetched: bool, catalogs_used: list[str], api_note: str | None) -> str:
    if api_fetched:
        extra = f", enriched from {', '.join(catalogs_used)}" if catalogs_used else ""
        return f"model list from the provider API{extra}"
    why = api_note or registry.declared(provider).credential_hint
    if catalogs_used:
        return f"{why}: model list from public catalogs ({', '.join(catalogs_used)})"
    return f"{why} and no public catalog lists {provider}"


def catalog_dates(today: date, fallbacks: Mapping[str, tuple[str, str]] | None = None) -> dict[str, date]:
    """Each catalog's as-of date for a fetch on ``today``: a catalog downloaded now is as of today, one
    read from its last good copy (``fallbacks``: source -> (saved at, why), :class:`CatalogLoad`'s)
    as of the day that copy was saved at the latest; ``$MODELATLAS_SOURCE_DATES`` overrides either.
    A bad value of that variable is an :class:`~modelatlas.errors.InputError`."""
    fetched_now = {
        module.SOURCE_ID: catalog_location(module.ENV_VAR, module.DEFAULT_URL).startswith(("http://", "https://"))
        for module in CATALOG_MODULES
    }
    saved = {source: _parse_day(saved_at[:10]) for source, (saved_at, _) in (fallbacks or {}).items()}
    return source_dates(fetched_now, today, saved)


def mark_offerings(provider: str, models: list[Record], listed_by: Mapping[str, tuple[str, ...]]) -> None:
    """``modelatlas.offering`` by the provider's declared rules (``Provider.offerings``)."""
    rules = registry.declared(provider).offerings
    for record in models:
        extension = record["modelatlas"]
        sources = listed_by.get(record["id"], ())
        rule = next((r for r in rules if r.matches(extension["upstream_id"], sources)), None)
        if rule is not None:
            extension["offering"] = str(rule.offering)
            extension["provenance"]["modelatlas.offering"] = "derived"


def finish_records(provider: str, models: list[Record], today: date) -> None:
    """Fill owned_by and created where honest, date the lifecycle, resolve successors."""
    for record in models:
        fill_owned_by(provider, record)
        fill_created(record)
        apply_status(record, today)
    resolve_successors(provider, models, match_key)


def list_evidence(
    provider: str,
    sources: Mapping[str, list[Record]],
    recorded: ProviderList | None,
    dates: Mapping[str, date],
    today: date,
) -> Evidence:
    """The provider's lists this refresh reads: the live one (``sources["provider_api"]``), else its
    last recorded list and the catalogs that copy its list (``CatalogRules.list_copies``)."""
    if "provider_api" in sources:
        live = ProviderList(provider, today, "provider API", ids_of(sources["provider_api"]))
        return Evidence([ListSeen(live, live=True)], dates, lists_only=True)
    seen = [ListSeen(recorded, live=False)] if recorded is not None else []
    copies = registry.declared(provider).catalog_rules.list_copies
    for copied in copies:
        source = copied.source
        if source in sources and source in dates:
            ids, outputs = ids_of(sources[source]), list_outputs(source)
            copy = ProviderList(provider, dates[source], source, ids, copied.complete, outputs=outputs)
            seen.append(ListSeen(copy, live=True))
    return Evidence(seen, dates, lists_only=bool(copies) and len(seen) > (recorded is not None))


def list_status(provider: str, provider_list: ProviderList, models: list[Record]) -> dict[str, Any]:
    """The status block's account of the recorded list: its date, source, size, and how many
    records carry one of its ids."""
    listed = {match_key(provider, uid) for uid in provider_list.ids}
    matched = sum(1 for m in models if match_key(provider, m["modelatlas"]["upstream_id"]) in listed)
    return {
        "date": provider_list.day.isoformat(),
        "source": provider_list.source,
        "ids": len(provider_list.ids),
        "matched": matched,
    }


def refresh_provider(
    provider: str,
    *,
    catalogs: CatalogRecords,
    curated: list[CuratedEntry],
    api_records: list[Record] | None = None,
    previous: ProviderDoc | None = None,
    now: datetime,
    api_note: str | None = None,
    dates: Mapping[str, date] | None = None,
    provider_list: ProviderList | None = None,
    lifecycle: list[LifecycleRow] | None = None,
    scores: Scores | None = None,
) -> ProviderDoc:
    """A new provider document (not yet validated; see :func:`validate_doc`).

    ``api_records``: the provider API's normalized records, or None if it was not fetched; when
    given, only models it lists are kept and the catalogs only enrich them. ``api_note`` says why
    the API was not fetched (default: which credential is missing). ``dates``: each source's
    as-of date (default: the dates of the committed snapshot's catalog files). ``provider_list``:
    the provider's last recorded list (``data/lists/<provider>.json``); ``lifecycle``: the rows of
    its deprecation table (``data/lifecycle/<provider>.yaml``). ``scores``: each catalog's measured
    accuracy (``data/source-scores.json``), one step of the price evidence.
    """
    sources: dict[str, list[Record]] = {}
    if api_records is not None:
        sources["provider_api"] = list(api_records)
    for source_id in sorted(catalogs):
        records = catalogs[source_id].get(provider, [])
        if records:
            sources[source_id] = records
    dates = dates if dates is not None else snapshot_dates()
    today = _parse_day(timestamp(now)[:10])
    evidence = list_evidence(provider, sources, provider_list, dates, today)
    siblings = LAST_INDEX.of(catalogs)
    context = MergeContext(
        dates=dates,
        grammar=registry.declared(provider).id_grammar,
        pinned=frozenset(entry.model for entry in curated),
        ignored=request_time_sources(provider, sources),
        listed=frozenset(uid for seen in evidence.lists for uid in seen.provider_list.ids),
        prices=PriceContext(scores, siblings, curated_prices(provider, curated, model_key)),
    )
    merged = merge_provider(provider, sources, api_list_only=api_records is not None, context=context)
    rejected = frozenset(r["id"] for r in merged.rejected)
    carried = carry_removed(provider, merged.models, previous, today, rejected)
    usable, unused = unused_entries(provider, carried, curated)
    models = apply_curated(provider, carried, usable)
    note_curated(models, merged.settlements)
    if api_records is None:
        restore_list_aliases(models, provider_list)
    apply_table(provider, models, lifecycle or [])
    models = apply_membership(
        provider, models, merged.listed_by, evidence, today=today, retention_days=REMOVED_RETENTION_DAYS
    )
    mark_offerings(provider, models, merged.listed_by)  # before the prices: a subscription has none
    screen_prices(provider, models, merged.settlements, siblings)
    apply_price_rules(provider, models, merged.settlements)
    finish_prices(provider, models, merged.settlements)
    finish_records(provider, models, today)
    used = {s for m in models for s in m["modelatlas"]["provenance"].values()} - {"derived"}
    ordered_used = [s for s in SOURCE_ORDER if s in used]
    catalogs_used = [s for s in ordered_used if s in catalogs]
    source = "public_catalogs" if catalogs_used else "none"
    if api_records is not None:
        source = "provider_api"
    status: dict[str, Any] = {
        "source": source,
        "sources": ordered_used,
        "last_refresh": timestamp(now),
        "count": len(models),
        "stale": False,
        "reason": _reason(provider, api_records is not None, catalogs_used, api_note),
    }
    if merged.rejected:
        status["rejected"] = merged.rejected
    if unused:
        status["curated_unused"] = unused
    if provider_list is not None and api_records is None:
        status["provider_list"] = list_status(provider, provider_list, models)
    disputes = merged.settlements.summary()
    if disputes:
        status["disputes"] = disputes
    return new_provider_doc(provider, models, status)


def validate_doc(doc: ProviderDoc) -> None:
    """Raise ModelatlasError naming the provider, model id and JSON pointer of the first violation."""
    provider = doc.get("provider", "?")
    for violation in iter_violations("provider-file", doc, provider):
        parts = violation.pointer.split("/")
        where = provider
        if len(parts) > 2 and parts[1] == "models" and parts[2].isdigit():
            where = f"{provider}: model {doc['models'][int(parts[2])].get('id', '?')}"
        raise ModelatlasError(
            f"{where}: invalid at {violation.pointer}: {violation.message}; nothing written for {provider}"
        )

