"""The Changes page: what the change log (``catalog.changes``, newest first) says happened, sorted
into price changes, limit changes, additions, removals and the rest, plus the models newly released
around the snapshot and the Atom feeds. With an empty log it says since when nothing has changed:
the earliest refresh date of the providers' data, where the log begins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from modelatlas.fetch.providers import registry
from modelatlas.ids import provider_ids
from modelatlas.record import Record
from modelatlas.render.catalog import Catalog
from modelatlas.render.model_view import change_text, source_label
from modelatlas.render.offering_view import listing_of
from modelatlas.render.price_view import PRICE_LABELS, PriceCell, amount_cell, display_amount
from modelatlas.render.site_index import model_date
from modelatlas.render.site_paths import model_page

SHOWN = 200  # entries per section; the rest are in v1/changes.json
NEW_DAYS = 60  # "newly released": released within this many days before the snapshot
NEW_SHOWN = 50
LIMIT_FIELDS = (
    "context_length",
    "max_input_tokens",
    "max_output_tokens",
    "top_provider",
    "per_request_limits",
)
PRICE_PREFIXES = ("pricing.", "modelatlas.extra_pricing.")


@dataclass
class Section:
    key: str
    title: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0


def _is_price(path: str) -> bool:
    return path.startswith(PRICE_PREFIXES) and path.rsplit(".", 1)[-1] in PRICE_LABELS


def _price(path: str, value: Any) -> PriceCell | None:
    if not isinstance(value, str):
        return None
    return amount_cell(display_amount(path.rsplit(".", 1)[-1], value))


def summary_text(value: Any) -> str:
    """A model-level entry's summary (name, limits, prices) as one line; other values as stored."""
    if not isinstance(value, dict):
        return change_text(value)
    parts = [str(value["name"])] if "name" in value else []
    for key, label in (("context_length", "context"), ("max_output_tokens", "max output")):
        if isinstance(value.get(key), int):
            parts.append(f"{value[key]:,} {label}")
    prices = value.get("pricing", {})
    for key in ("prompt", "completion"):
        if isinstance(prices.get(key), str):
            parts.append(f"{key} {amount_cell(display_amount(key, prices[key])).text}/1M")
    return " · ".join(parts) or change_text(value)


def _row(entry: dict[str, Any], pages: dict[str, str]) -> dict[str, Any]:
    path = str(entry.get("field") or "")
    row = {
        "date": str(entry.get("date", "")),
        "model": str(entry.get("model", "")),
        "href": pages.get(str(entry.get("model", ""))),
        "kind": str(entry.get("kind", "")),
        "field": path,
        "before": summary_text(entry.get("before")),
        "after": summary_text(entry.get("after")),
        "percent": entry.get("percent"),
        "source": source_label(str(entry.get("source") or "")),
        "before_price": None,
        "after_price": None,
    }
    if _is_price(path):
        key = path.rsplit(".", 1)[-1]
        label, unit = PRICE_LABELS[key]
        row["field"] = f"{label} ($/{unit})"
        row["before_price"] = _price(path, entry.get("before"))
        row["after_price"] = _price(path, entry.get("after"))
    return row


def _section_of(entry: dict[str, Any]) -> str:
    kind = entry.get("kind")
    if kind in ("added", "readded"):
        return "added"
    if kind == "removed":
        return "removed"
    path = str(entry.get("field") or "")
    if _is_price(path) or path == "modelatlas.pricing_variants" or path == "modelatlas.context_tiers":
        return "prices"
    if path.split(".", 1)[0] in LIMIT_FIELDS:
        return "limits"
    return "other"


def sections(changes: list[dict[str, Any]], pages: dict[str, str]) -> list[Section]:
    shown = [
        Section("prices", "Price changes"),
        Section("limits", "Limit changes"),
        Section("added", "Added and listed again"),
        Section("removed", "Removed"),
        Section("other", "Other changes"),
    ]
    by_key = {section.key: section for section in shown}
    for entry in changes:
        section = by_key[_section_of(entry)]
        section.total += 1
        if len(section.rows) < SHOWN:
            section.rows.append(_row(entry, pages))
    return shown


def log_start(catalog: Catalog) -> str | None:
    """Where the log begins: its oldest entry, else the earliest refresh of the providers' data."""
    if catalog.changes:
        return str(catalog.changes[-1].get("date", "")) or None
    stamps = [str(doc.get("status", {}).get("last_refresh", "")) for doc in catalog.providers.values()]
    return min((stamp[:10] for stamp in stamps if stamp), default=None)


def snapshot_day(catalog: Catalog) -> date | None:
    stamps = [str(doc.get("status", {}).get("last_refresh", ""))[:10] for doc in catalog.providers.values()]
    days = [stamp for stamp in stamps if stamp]
    return date.fromisoformat(max(days)) if days else None


def newly_released(models: list[Record], today: date | None) -> list[dict[str, Any]]:
    """Listed models released (or created) within NEW_DAYS before ``today``, newest first."""
    if today is None:
        return []
    first = (today - timedelta(days=NEW_DAYS)).isoformat()
    recent = []
    for record in models:
        day = model_date(record)
        if day and len(day) == 10 and first <= day <= today.isoformat() and not listing_of(record).hidden:
            recent.append((day, record))
    recent.sort(key=lambda item: (item[0], item[1]["id"]), reverse=True)
    return [
        {
            "date": day,
            "id": record["id"],
            "name": record.get("name") or record["modelatlas"]["upstream_id"],
            "href": model_page(record),
            "provider_name": registry.names()[record["modelatlas"]["provider"]],
        }
        for day, record in recent[:NEW_SHOWN]
    ]


def context(catalog: Catalog) -> dict[str, Any]:
    """Everything the changes page template shows."""
    pages = {record["id"]: model_page(record) for record in catalog.models}
    changes = catalog.changes
    return {
        "sections": sections(changes, pages),
        "total": len(changes),
        "since": log_start(catalog),
        "latest": str(changes[0].get("date", "")) if changes else None,
        "new_models": newly_released(catalog.models, snapshot_day(catalog)),
        "new_days": NEW_DAYS,
        "feeds": [(provider, registry.names()[provider]) for provider in provider_ids()],
    }
