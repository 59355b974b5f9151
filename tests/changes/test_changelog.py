"""The committed change log: month files, newest-first loading, schema checks, re-added detection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from modelatlas.changes import changelog
from modelatlas.errors import InputError


def entry(date: str, model: str, kind: str = "changed", **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "date": date,
        "model": model,
        "provider": model.split("/")[0],
        "kind": kind,
        "before": None,
        "after": None,
        "source": None,
    }
    if kind == "changed":
        base.update(field="pricing.prompt", before="0.000001", after="0.000002", percent="100")
    elif kind == "removed":
        base["before"] = {"name": model}
    else:
        base["after"] = {"name": model}
    base.update(extra)
    return base


def test_entries_land_in_one_file_per_month_and_append(tmp_path: Path) -> None:
    changelog.append_changes(tmp_path, [entry("2026-10-31", "openai/a"), entry("2026-11-01", "openai/b")])
    changelog.append_changes(tmp_path, [entry("2026-11-02", "openai/c", "added")])
    files = [p.name for p in changelog.log_files(tmp_path)]
    assert files == ["2026-10.jsonl", "2026-11.jsonl"]
    november = (tmp_path / "changes" / "2026-11.jsonl").read_text().splitlines()
    assert [line.count("\n") for line in november] == [0, 0] and '"model":"openai/b"' in november[0]
    assert november[1].startswith('{"after":{"name":"openai/c"}')  # compact, key-sorted


def test_load_changes_is_newest_first_keeping_same_day_order(tmp_path: Path) -> None:
    changelog.append_changes(tmp_path, [entry("2026-11-01", "openai/a"), entry("2026-11-01", "openai/b")])
    changelog.append_changes(tmp_path, [entry("2026-12-05", "openai/c")])
    changelog.append_changes(tmp_path, [entry("2026-09-30", "openai/old")])  # a late back-fill
    models = [e["model"] for e in changelog.load_changes(tmp_path)]
    assert models == ["openai/c", "openai/a", "openai/b", "openai/old"]


def test_no_log_is_an_empty_list(tmp_path: Path) -> None:
    assert changelog.load_changes(tmp_path) == []


@pytest.mark.parametrize(
    "bad",
    [
        {"date": "2026-13-01"},
        {"kind": "renamed"},
        {"model": "acme/x", "provider": "acme"},
        {"field": None},
        {"source": "wikipedia"},
        {"percent": "1e3"},
    ],
)
def test_entries_breaking_the_schema_are_refused(tmp_path: Path, bad: dict[str, Any]) -> None:
    broken = {k: v for k, v in {**entry("2026-11-01", "openai/a"), **bad}.items() if v is not None}
    with pytest.raises(InputError):
        changelog.append_changes(tmp_path, [broken])
    assert changelog.log_files(tmp_path) == []


def test_added_entry_needs_after_and_no_field(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        changelog.append_changes(tmp_path, [entry("2026-11-01", "openai/a", "added", field="name")])
    with pytest.raises(InputError):
        changelog.append_changes(tmp_path, [entry("2026-11-01", "openai/a", "added", after=None)])


def test_a_corrupt_line_names_file_and_line(tmp_path: Path) -> None:
    changelog.append_changes(tmp_path, [entry("2026-11-01", "openai/a")])
    path = tmp_path / "changes" / "2026-11.jsonl"
    path.write_text(path.read_text() + "{not json\n")
    with pytest.raises(InputError, match=r"2026-11\.jsonl:2"):
        changelog.load_changes(tmp_path)


def test_removed_models_follows_the_latest_model_level_entry() -> None:
    log = [
        entry("2026-01-01", "openai/a", "removed"),
        entry("2026-01-01", "openai/b", "removed"),
        entry("2026-02-01", "openai/b", "readded"),
        entry("2026-03-01", "openai/b"),
    ]
    assert changelog.removed_models(log) == {"openai/a"}


def test_dated_checks_the_date() -> None:
    with pytest.raises(InputError):
        changelog.dated([{"model": "openai/a"}], "27.11.2026")
    assert changelog.dated([{"model": "openai/a"}], "2026-11-27") == [
        {"date": "2026-11-27", "model": "openai/a"}
    ]
