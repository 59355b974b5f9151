"""The Changes page's view: sections by kind of change, since when the log runs, newly released models."""

from __future__ import annotations

from datetime import date

from modelatlas.render.catalog import Catalog
from modelatlas.render.changes_page import log_start, newly_released, sections


def model(mid: str, release: str | None, status: str | None = None) -> dict:
    provider, _, upstream = mid.partition("/")
    lifecycle = {k: v for k, v in (("release_date", release), ("status", status)) if v}
    return {
        "id": mid,
        "name": upstream,
        "modelatlas": {"provider": provider, "upstream_id": upstream, "lifecycle": lifecycle},
    }


def test_entries_go_to_their_section_with_prices_per_million() -> None:
    entries = [
        {
            "date": "2026-11-27",
            "model": "openai/a",
            "kind": "changed",
            "field": "pricing.completion",
            "before": "0.00001",
            "after": "0.000008",
            "percent": "-20",
            "source": "litellm",
        },
        {
            "date": "2026-11-27",
            "model": "openai/a",
            "kind": "changed",
            "field": "context_length",
            "before": 128000,
            "after": 200000,
            "source": "models.dev",
        },
        {
            "date": "2026-11-26",
            "model": "openai/b",
            "kind": "readded",
            "before": None,
            "after": {"name": "B"},
        },
        {
            "date": "2026-11-25",
            "model": "openai/c",
            "kind": "removed",
            "before": {"name": "C"},
            "after": None,
        },
        {
            "date": "2026-11-25",
            "model": "openai/d",
            "kind": "changed",
            "field": "description",
            "before": "x",
            "after": "y",
        },
    ]
    shown = {s.key: s for s in sections(entries, {"openai/a": "model/openai/a.html"})}
    price = shown["prices"].rows[0]
    assert (price["field"], price["before_price"].text, price["after_price"].text) == (
        "Completion ($/1M tokens)",
        "$10.00",
        "$8.00",
    )
    assert price["href"] == "model/openai/a.html"
    assert shown["limits"].rows[0]["after"] == "200000" and shown["added"].rows[0]["after"] == "B"
    assert shown["removed"].rows[0]["before"] == "C" and shown["other"].total == 1


def test_the_log_starts_at_its_oldest_entry_else_at_the_earliest_refresh() -> None:
    providers = {
        "openai": {"status": {"last_refresh": "2026-11-27T03:17:00Z"}},
        "groq": {"status": {"last_refresh": "2026-11-20T03:17:00Z"}},
        "sgl": {"status": {}},
    }
    assert log_start(Catalog(providers, [], 100)) == "2026-11-20"
    changes = [{"date": "2026-11-27"}, {"date": "2026-11-21"}]  # newest first
    assert log_start(Catalog(providers, [], 100, changes)) == "2026-11-21"


def test_newly_released_models_are_listed_and_recent_newest_first() -> None:
    models = [
        model("openai/new", "2026-11-20"),
        model("openai/newer", "2026-11-26"),
        model("openai/old", "2026-08-01"),
        model("openai/month", "2026-11"),  # a month only: no day to compare
        model("openai/gone", "2026-11-25", status="retired"),
    ]
    listed = newly_released(models, date(2026, 11, 27))
    assert [m["id"] for m in listed] == ["openai/newer", "openai/new"]
    assert newly_released(models, None) == []
