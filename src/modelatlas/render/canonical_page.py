"""What the site shows of a canonical model: its page's table rows and the summary on model pages."""

from __future__ import annotations

from typing import Any

from modelatlas.prices import format_price, per_million
from modelatlas.render.canonical_view import Group
from modelatlas.render.site_index import money, row_view
from modelatlas.render.site_paths import canonical_page


def variant_text(variant: dict[str, Any]) -> str:
    """One region/tier price as display text: ``eu-west-1 · batch: $1.50 / $7.50``."""
    where = " · ".join(str(variant[key]) for key in ("region", "tier") if key in variant) or "variant"
    prices = variant.get("pricing", {})
    shown = [
        money(format_price(per_million(prices[f]))) if f in prices else "–" for f in ("prompt", "completion")
    ]
    return f"{where}: {shown[0]} / {shown[1]}"


def offering_rows(group: Group) -> list[dict[str, Any]]:
    """The canonical page's table rows, in offering order."""
    rows = []
    for record in group.offerings:
        variants = record["modelatlas"].get("pricing_variants", [])
        rows.append(
            {**row_view(record), "variants": [variant_text(v) for v in variants if isinstance(v, dict)]}
        )
    return rows


def page_summary(group: Group) -> dict[str, Any]:
    """What a model page shows about its canonical model (and what its page key depends on)."""
    return {
        "slug": group.slug,
        "name": group.name,
        "href": canonical_page(group.slug),
        "provider_count": len(group.providers),
        "offering_count": len(group.offerings),
    }
