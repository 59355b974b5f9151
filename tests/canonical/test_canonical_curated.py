"""data/curated/canonical.yaml: good entries load, a bad one stops with one line naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

from modelatlas.canonical.curated import load_curated_links
from modelatlas.errors import InputError
from tests.paths import REPO

SOURCE = "https://docs.anthropic.com/en/docs/about-claude/models/overview"


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "curated").mkdir()
    (tmp_path / "curated" / "canonical.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_committed_file_loads_and_every_entry_cites_a_page() -> None:
    entries = load_curated_links(REPO / "data")
    assert entries and all(entry.source.startswith("https://") for entry in entries)


def test_no_file_means_no_entries(tmp_path: Path) -> None:
    assert load_curated_links(tmp_path) == []


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("- id: a/b\n  set: {canonical_slug: x/y}\n  reason: r\n", "'source' must be the https URL"),
        (f"- id: a/b\n  set: {{canonical_slug: x/y}}\n  source: {SOURCE}\n", "'reason' must say"),
        (f"- set: {{canonical_slug: x/y}}\n  source: {SOURCE}\n  reason: r\n", "exactly one of 'id'"),
        (f"- id: a/b\n  set: {{canonical_slug: Not A Slug}}\n  source: {SOURCE}\n  reason: r\n", "lowercase"),
        (f"- id: a/b\n  set: {{name: x/y}}\n  source: {SOURCE}\n  reason: r\n", "'set' may hold only"),
        (f"- id: a/b\n  source: {SOURCE}\n  reason: r\n", "either 'set' or 'unlink: true'"),
        ("- id: [unclosed\n", "cannot read it as YAML"),
    ],
)
def test_bad_entries_stop_with_one_line(tmp_path: Path, entry: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        load_curated_links(write(tmp_path, entry))
    assert "\n" not in str(caught.value) and "canonical.yaml" in str(caught.value)
