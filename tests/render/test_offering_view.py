"""How a record is listed: its lifecycle status as the site shows it."""

from __future__ import annotations

from typing import Any

import pytest

from modelatlas.render.offering_view import Listing, listing_of


@pytest.mark.parametrize(
    ("status", "listing"),
    [
        ("deprecated", Listing.DEPRECATED),
        ("retired", Listing.RETIRED),
        ("removed", Listing.REMOVED),
        ("unverified", Listing.UNVERIFIED),
        ("active", Listing.LISTED),
        ("Retired", Listing.LISTED),  # statuses are lower case: anything else is no status
        ("listed", Listing.LISTED),
        (None, Listing.LISTED),
        (["retired"], Listing.LISTED),
    ],
)
def test_a_status_is_listed_as_the_site_shows_it(status: Any, listing: Listing) -> None:
    assert listing_of({"modelatlas": {"lifecycle": {"status": status}}}) is listing


def test_a_record_without_a_lifecycle_is_listed_and_only_retired_or_worse_is_hidden() -> None:
    assert listing_of({"modelatlas": {}}) is Listing.LISTED
    assert [listing.hidden for listing in Listing] == [False, False, True, True, True]
