"""A big data folder read by two processes (``validate/read_ahead.py``): the same documents, hashes
and order as one process reads, the same first error, and a reader that dies costs only time."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from modelatlas.datastore import provider_path, read_provider_file
from modelatlas.errors import InputError
from modelatlas.ids import provider_ids
from modelatlas.validate import read_ahead
from modelatlas.validate.read_ahead import ahead_share, file_sizes, read_documents
from tests.paths import FIXTURES

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork: one process reads every file")


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small fixture's data folder, read ahead whatever its size."""
    monkeypatch.setattr(read_ahead, "READ_AHEAD_FROM", 0)
    monkeypatch.setattr(read_ahead, "usable_cpus", lambda: 2)
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "data_small", folder)
    return folder


def read_in_turn(data: Path, hashed: bool) -> list[tuple[str, object]]:
    return [(p, read_provider_file(data, p, read_only=True, hashed=hashed)) for p in provider_ids()]


def test_the_biggest_files_go_ahead_up_to_half_of_the_bytes() -> None:
    mb = 1 << 20
    sizes = {"openai": 40 * mb, "anthropic": 5 * mb, "azure": 30 * mb, "bedrock": 25 * mb}
    assert ahead_share(sizes) == ["openai", "anthropic"]  # 40 + 5 of 100: 30 more would pass the half
    assert ahead_share({"openai": 20 * mb, "azure": 10 * mb}) == []  # a small folder: read here


@pytest.mark.parametrize("hashed", [True, False])
def test_the_documents_are_those_one_process_reads(data: Path, hashed: bool) -> None:
    assert ahead_share(file_sizes(data))  # some files are read by the forked process
    with read_documents(data, hashed) as documents:
        assert list(documents) == read_in_turn(data, hashed)


def test_a_reader_that_dies_leaves_its_files_to_this_process(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(read_ahead, "_read", lambda *args: os._exit(1))
    with read_documents(data, True) as documents:
        assert list(documents) == read_in_turn(data, True)


def test_the_first_unreadable_file_in_registry_order_is_the_error(data: Path) -> None:
    sizes = file_sizes(data)
    ahead = ahead_share(sizes)
    here = [p for p in sizes if p not in ahead]
    broken = sorted([ahead[0], here[0]], key=list(provider_ids()).index)
    for provider in broken:
        provider_path(data, provider).write_text("{not json")
    with pytest.raises(InputError, match=f"{broken[0]}.json: not valid JSON"):  # noqa: SIM117
        with read_documents(data, True) as documents:
            list(documents)
