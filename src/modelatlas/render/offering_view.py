"""How an offering (one record) stands: whether it is listed, and how it is sold.

Retired, removed and unverified records are hidden by default everywhere on the site and marked
where shown; deprecated ones are shown, marked. An id sold as a free tier, batch-only or by
subscription (``modelatlas.offering``, docs/pricing.md) is never ranked as the cheapest host unless
the reader asks: rankings put pay-per-use on-demand offerings first.
"""

from __future__ import annotations

from decimal import Decimal
from enum import IntEnum

from modelatlas.record import Record


class Listing(IntEnum):
    """A record's lifecycle as the site shows it; the value is its code in ``site-index.json``."""

    LISTED = 0
    DEPRECATED = 1
    RETIRED = 2
    REMOVED = 3
    UNVERIFIED = 4

    @property
    def hidden(self) -> bool:
        return self >= Listing.RETIRED

    @property
    def label(self) -> str:
        return "" if self is Listing.LISTED else self.name.lower()


# modelatlas.offering -> (code in site-index.json, label); absent = pay per use, on demand (code 0).
OFFERINGS: dict[str, tuple[int, str]] = {
    "free_tier": (1, "free tier"),
    "batch": (2, "batch only"),
    "subscription": (3, "subscription"),
    "self_hosted": (4, "self-hosted"),
}
UNKNOWN = Decimal("Infinity")


# A lifecycle status -> how the site lists it (any other status, or none: listed).
_LISTINGS = {listing.name.lower(): listing for listing in Listing if listing is not Listing.LISTED}


def listing_of(record: Record) -> Listing:
    status = record["modelatlas"].get("lifecycle", {}).get("status")
    return _LISTINGS.get(status, Listing.LISTED) if type(status) is str else Listing.LISTED


def offering_code(record: Record) -> int:
    return OFFERINGS.get(record["modelatlas"].get("offering", ""), (0, ""))[0]


def offering_label(record: Record) -> str:
    return OFFERINGS.get(record["modelatlas"].get("offering", ""), (0, ""))[1]


def is_on_demand(record: Record) -> bool:
    """Listed and sold per use on demand: the offerings "cheapest host" rankings consider."""
    return not listing_of(record).hidden and offering_code(record) == 0


def _price(record: Record, field: str) -> Decimal:
    value = record.get("pricing", {}).get(field)
    return Decimal(value) if isinstance(value, str) else UNKNOWN


def rank_key(record: Record) -> tuple[int, Decimal, Decimal, str]:
    """Order of offerings for a buyer: shown before hidden; pay-per-use on demand with a known prompt
    price first, by prompt then completion price; then free tiers, batch-only and subscription ids;
    then unknown prices; ties by id."""
    listing = listing_of(record)
    prompt = _price(record, "prompt")
    if listing.hidden:
        group = 3
    elif offering_code(record):
        group = 1
    else:
        group = 0 if prompt != UNKNOWN else 2
    return group, prompt, _price(record, "completion"), record["id"]
