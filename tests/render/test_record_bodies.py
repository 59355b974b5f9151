"""Every record serialized once (render/record_bodies.py): the bodies and digests are the same
whether one process makes them or a forked helper makes half, and a helper that fails costs only
time."""

from __future__ import annotations

import os
from typing import Any

import pytest

from modelatlas.jsonio import dumps_compact, load_path
from modelatlas.render import record_bodies
from modelatlas.render.input_keys import serialize
from modelatlas.render.record_bodies import serialized
from tests.paths import FIXTURES

SITE = FIXTURES / "site"


def site_records() -> list[dict[str, Any]]:
    paths = sorted((SITE / "providers").glob("*.json"))
    records = [record for path in paths for record in load_path(path)["models"]]
    return sorted(records, key=lambda record: record["id"])


def expected(records: list[dict[str, Any]]) -> tuple[list[tuple[str, bytes]], list[bytes]]:
    pairs = [(record["id"], serialize(record)) for record in records]
    return [(rid, digest) for rid, (_body, digest) in pairs], [body for _rid, (body, _digest) in pairs]


@pytest.fixture
def shared(monkeypatch: pytest.MonkeyPatch) -> None:
    """Serializing is shared with a helper from two records on, on any machine."""
    monkeypatch.setattr(record_bodies, "SHARED_FROM", 2)
    monkeypatch.setattr(record_bodies, "process_count", lambda: 2)


def test_a_helper_makes_the_same_bodies_digests_and_order(shared: None) -> None:
    records = site_records()
    assert len(records) > 4
    digests, bodies = serialized(records)
    want_digests, want_bodies = expected(records)
    assert list(digests.items()) == want_digests
    assert [bodies[index] for index in range(len(bodies))] == want_bodies
    assert bodies[len(records) - 1] == dumps_compact(records[-1]).encode("utf-8")


@pytest.mark.parametrize("failure", ["exits", "writes half"])
def test_a_failing_helper_leaves_its_records_to_the_build(
    shared: None, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    def broken(spool: Any, records: Any) -> None:
        if failure == "writes half":
            spool.write(b"x" * 100)
            spool.flush()
            os._exit(0)  # says it finished, but the file holds no digests and sizes
        os._exit(1)

    monkeypatch.setattr(record_bodies, "_work", broken)
    records = site_records()
    digests, bodies = serialized(records)
    want_digests, want_bodies = expected(records)
    assert list(digests.items()) == want_digests
    assert [bodies[index] for index in range(len(bodies))] == want_bodies


@pytest.mark.parametrize(
    "positions", [[], [0], [0, 1, 2], [2, 0, 1], [1, 3, 4, 0], [4, 4, 3]], ids=repr
)
def test_joined_bodies_are_the_bodies_at_those_positions_in_that_order(positions: list[int]) -> None:
    """Runs of consecutive positions are read at once; any order, gaps and repeats give each body
    where it is asked for, separated by commas as in a JSON array."""
    records = site_records()[:5]
    _digests, bodies = serialized(records)
    _pairs, wanted = expected(records)
    assert bodies.joined(positions) == b",".join(wanted[position] for position in positions)
