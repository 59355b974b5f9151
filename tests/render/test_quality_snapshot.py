"""The committed snapshot's completeness, as the quality page measures it: a floor under each
figure so a change that loses names, modalities or windows (a broken fill, a dropped curated file)
fails here. The floors are the figures measured when they were set, rounded down; the targets
(name, modalities and maker on 95% of current models, a context window on 90% of those that read
tokens) are in docs/data.md with what is still missing."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from modelatlas.render.build import load_catalog
from modelatlas.render.quality import quality_document
from tests.paths import REPO

FLOORS = {  # percent of current models
    "name": 95.0,
    "architecture.input_modalities": 95.0,
    "owned_by": 97.0,
    "context_length": 91.0,  # of the current models a token window applies to
}


@cache
def _totals() -> dict[str, Any]:
    return quality_document(load_catalog(REPO / "data"))["totals"]


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_the_snapshot_keeps_its_completeness(field: str) -> None:
    measured = _totals()["completeness"][field]
    assert measured["percent"] >= FLOORS[field], measured


def test_the_context_window_is_measured_over_the_models_that_read_tokens() -> None:
    totals = _totals()
    window = totals["completeness"]["context_length"]
    assert window["count"] <= window["applicable"] < totals["current"]
