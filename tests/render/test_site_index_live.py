"""The catalog's first screen, sorted as it opens, shows only live models: on the committed snapshot's
search index, the rows the page shows by default (column ``s`` below retired, in index order) are live, and no
model a provider's deprecation table retired before the snapshot date is among them."""

from __future__ import annotations

from datetime import date
from functools import cache

from modelatlas.fetch.lifecycle_tables import load_table
from modelatlas.fetch.spellings import match_key
from modelatlas.ids import provider_ids
from modelatlas.render.build import load_catalog
from modelatlas.render.catalog import Catalog
from modelatlas.render.offering_view import Listing, listing_of
from modelatlas.render.site_index import build_index
from tests.paths import REPO

FIRST_SCREEN = 40  # PAGE in site_templates/static/catalog.js


@cache
def catalog() -> Catalog:
    return load_catalog(REPO / "data")


def test_the_hidden_column_marks_every_retired_removed_and_unverified_model() -> None:
    index = build_index(catalog())
    assert index["rows"]["s"] == [int(listing_of(record)) for record in catalog().models]
    # the snapshot has retired and unverified models
    assert {Listing.RETIRED, Listing.UNVERIFIED} <= set(index["rows"]["s"])


def test_the_first_screen_shows_only_live_models() -> None:
    index = build_index(catalog())
    shown = [i for i, code in enumerate(index["rows"]["s"]) if not Listing(code).hidden][:FIRST_SCREEN]
    assert len(shown) == FIRST_SCREEN
    refreshed = [doc["status"]["last_refresh"][:10] for doc in catalog().providers.values()]
    snapshot = date.fromisoformat(max(refreshed))
    past = {
        (provider, match_key(provider, row.model))
        for provider in provider_ids()
        for row in load_table(REPO / "data", provider)
        if row.retired is not None and date.fromisoformat(row.retired) <= snapshot
    }
    for i in shown:
        record = catalog().models[i]
        extension = record["modelatlas"]
        assert not listing_of(record).hidden, record["id"]
        assert (extension["provider"], match_key(extension["provider"], extension["upstream_id"])) not in past
