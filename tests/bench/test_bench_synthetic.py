"""The benchmark's synthetic catalogs: realistic (drawn from the snapshot), valid, deterministic."""

from __future__ import annotations

from pathlib import Path

from bench.synthetic_catalog import (
    change_fraction,
    generate_catalog,
    load_snapshot,
    provider_sizes,
    write_data_dir,
)
from modelatlas.ids import provider_ids
from modelatlas.validate.checks import check_data
from tests.paths import REPO


def test_sizes_split_exactly_and_every_provider_gets_models() -> None:
    snap = load_snapshot(REPO / "data")
    for total in (1000, 12345):
        sizes = provider_sizes(total, snap.weights)
        assert sum(sizes.values()) == total
        assert set(sizes) == set(provider_ids())
        assert all(n >= 1 for n in sizes.values())
    big = provider_sizes(10_000, snap.weights)
    assert big["openrouter"] > big["cerebras"] * 10  # the snapshot's proportions, not a flat split


def test_generated_data_is_valid_unique_and_deterministic(tmp_path: Path) -> None:
    snap = load_snapshot(REPO / "data")
    first, second = tmp_path / "a", tmp_path / "b"
    write_data_dir(generate_catalog(500, 7, snap), first, snap)
    write_data_dir(generate_catalog(500, 7, snap), second, snap)
    for path in sorted((first / "providers").glob("*.json")):
        assert path.read_bytes() == (second / "providers" / path.name).read_bytes()
    docs, report = check_data(first)
    assert report.problems == []
    assert report.models == 500 and report.checked == len(provider_ids())
    ids = [m["id"] for doc in docs.values() for m in doc["models"]]
    assert len(set(ids)) == 500
    assert all(doc["status"]["count"] == len(doc["models"]) for doc in docs.values())


def test_records_keep_the_snapshot_shapes_and_values() -> None:
    snap = load_snapshot(REPO / "data")
    catalog = generate_catalog(300, 1, snap)
    records = [m for models in catalog.values() for m in models]
    prices = {v for pool in snap.price_pools.values() for drawn in pool for v in drawn[0].values()}
    priced = [m for m in records if m.get("pricing")]
    assert priced and all(v in prices for m in priced for v in m["pricing"].values())
    assert any("description" in m for m in records)
    assert all(m["modelatlas"]["provenance"] for m in records)


def test_change_fraction_changes_one_percent_and_stays_valid(tmp_path: Path) -> None:
    snap = load_snapshot(REPO / "data")
    catalog = generate_catalog(400, 3, snap)
    before = {m["id"]: repr(m) for models in catalog.values() for m in models}
    changed = change_fraction(catalog, 0.01, 4)
    after = {m["id"]: repr(m) for models in catalog.values() for m in models}
    assert len(changed) == 4
    assert {mid for mid in before if before[mid] != after[mid]} == changed
    write_data_dir(catalog, tmp_path, snap)
    assert check_data(tmp_path)[1].problems == []


def test_without_a_snapshot_built_in_shapes_stand_in(tmp_path: Path) -> None:
    snap = load_snapshot(None)
    write_data_dir(generate_catalog(64, 1, snap), tmp_path, snap)
    _, report = check_data(tmp_path)
    assert report.problems == [] and report.models == 64
