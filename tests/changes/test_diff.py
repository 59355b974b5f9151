"""modelatlas diff: folders, built folders and git revisions; text, markdown and json reports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from modelatlas.changes.diff import diff_snapshots, percent_change
from modelatlas.changes.report import format_markdown, format_text
from modelatlas.changes.snapshots import Snapshot
from modelatlas.cli import cli
from modelatlas.jsonio import loads
from modelatlas.render.build import assemble
from tests.git_repo import git
from tests.paths import FIXTURES
from tests.provider_files import write_provider

FIXTURE = FIXTURES / "changes" / "data"


def read_doc(data: Path, provider: str) -> dict[str, Any]:
    return loads((data / "providers" / f"{provider}.json").read_bytes())


def four_changes(data: Path) -> None:
    """One price, one context length, one model added, one removed (and a status-only change)."""
    openai = read_doc(data, "openai")
    by_id = {m["id"]: m for m in openai["models"]}
    by_id["openai/gpt-4o"]["pricing"]["prompt"] = "0.000002"
    del by_id["openai/o1"]
    added = json.loads(json.dumps(by_id["openai/gpt-4o-mini"]))
    added.update(id="openai/gpt-5", name="GPT-5")
    added["modelatlas"]["upstream_id"] = "gpt-5"
    by_id[added["id"]] = added
    openai["models"] = sorted(by_id.values(), key=lambda m: m["id"])
    openai["status"]["last_refresh"] = "2026-11-27T03:17:00Z"
    write_provider(data, openai)
    anthropic = read_doc(data, "anthropic")
    anthropic["models"][0]["context_length"] = 250000
    write_provider(data, anthropic)


@pytest.fixture()
def two_folders(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(FIXTURE, old)
    shutil.copytree(FIXTURE, new)
    four_changes(new)
    return old, new


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_json_reports_exactly_the_four_changes(two_folders: tuple[Path, Path]) -> None:
    old, new = two_folders
    result = run("diff", str(old), str(new), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    simplified = [
        (
            c["kind"],
            c["model"],
            c.get("field"),
            c["before"] if c["kind"] == "changed" else None,
            c["after"] if c["kind"] == "changed" else None,
        )
        for c in report["changes"]
    ]
    assert simplified == [
        ("changed", "anthropic/claude-haiku-4-5", "context_length", 200000, 250000),
        ("changed", "openai/gpt-4o", "pricing.prompt", "0.0000025", "0.000002"),
        ("added", "openai/gpt-5", None, None, None),
        ("removed", "openai/o1", None, None, None),
    ]
    price = report["changes"][1]
    assert price["percent"] == "-20" and price["source"] == "litellm"
    assert "percent" not in report["changes"][0]
    assert report["changes"][2]["after"]["name"] == "GPT-5"
    assert report["changes"][3]["before"]["context_length"] == 200000
    assert report["summary"] == {"added": 1, "removed": 1, "readded": 0, "changed": 2, "fields": 2}


def test_text_reports_exactly_the_four_changes(two_folders: tuple[Path, Path]) -> None:
    old, new = two_folders
    result = run("diff", str(old), str(new))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].endswith("1 added, 1 removed, 2 changed (2 fields)")
    assert lines[1:] == [
        "~ anthropic/claude-haiku-4-5  context_length: 200000 → 250000",
        "~ openai/gpt-4o  pricing.prompt: 0.0000025 → 0.000002 (-20%)",
        "+ openai/gpt-5  added",
        "- openai/o1  removed",
    ]


def test_markdown_reports_exactly_the_four_changes(two_folders: tuple[Path, Path]) -> None:
    old, new = two_folders
    result = run("diff", str(old), str(new), "--format", "markdown")
    assert result.exit_code == 1
    rows = [line for line in result.output.splitlines() if line.startswith("| `")]
    assert rows == [
        "| `openai/gpt-5` | GPT-5 | 128000 | 0.00000015 | 0.0000006 |",
        "| `openai/o1` | o1 | 200000 | 0.000015 | 0.00006 |",
        "| `anthropic/claude-haiku-4-5` | `context_length` | 200000 | 250000 |  |",
        "| `openai/gpt-4o` | `pricing.prompt` | 0.0000025 | 0.000002 | -20% |",
    ]
    assert "### Added (1)" in result.output and "### Removed (1)" in result.output


def test_no_changes_and_status_only_changes_exit_0(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "new")
    doc = read_doc(tmp_path / "new", "openai")
    doc["status"].update(last_refresh="2027-01-01T00:00:00Z", stale=True, reason="HTTP 503")
    write_provider(tmp_path / "new", doc)
    result = run("diff", str(FIXTURE), str(tmp_path / "new"))
    assert result.exit_code == 0
    assert result.output.strip().endswith("no changes")


def test_built_folder_compares_equal_to_its_data(tmp_path: Path, two_folders: tuple[Path, Path]) -> None:
    old, new = two_folders
    assemble(old, tmp_path / "build")
    assert run("diff", str(tmp_path / "build"), str(old)).exit_code == 0
    result = run("diff", str(tmp_path / "build"), str(new), "--format", "json")
    assert result.exit_code == 1
    assert len(json.loads(result.output)["changes"]) == 4


def test_lifecycle_removed_then_listed_again_is_readded(tmp_path: Path) -> None:
    def snap(status: str | None) -> Snapshot:
        record: dict[str, Any] = {"id": "openai/x", "name": "X", "modelatlas": {"provider": "openai"}}
        if status:
            record["modelatlas"]["lifecycle"] = {"status": status, "last_seen": "2026-01-01"}
        return Snapshot(status or "active", {"openai/x": record})

    removed = diff_snapshots(snap(None), snap("removed"))
    assert [(e["kind"], e["model"]) for e in removed] == [("removed", "openai/x")]
    assert [e["kind"] for e in diff_snapshots(snap("removed"), snap(None))] == ["readded"]
    assert diff_snapshots(snap("removed"), snap("removed")) == []
    # Absent before, but the change log saw it removed: re-added, not added.
    assert [e["kind"] for e in diff_snapshots(Snapshot("empty"), snap(None), {"openai/x"})] == ["readded"]
    assert [e["kind"] for e in diff_snapshots(Snapshot("empty"), snap(None))] == ["added"]


def test_ignored_bookkeeping_fields_and_field_appearing() -> None:
    base = {
        "id": "openai/x",
        "modelatlas": {
            "provider": "openai",
            "provenance": {"name": "litellm"},
            "lifecycle": {"last_seen": "2026-01-01"},
        },
    }
    after = json.loads(json.dumps(base))
    after["modelatlas"]["provenance"] = {"name": "models.dev", "pricing.image": "curated"}
    after["modelatlas"]["lifecycle"]["last_seen"] = "2026-02-01"
    after["modelatlas"]["links"] = {"details": "v1/model/openai/x.json"}
    after["pricing"] = {"image": "0.04"}
    entries = diff_snapshots(Snapshot("a", {"openai/x": base}), Snapshot("b", {"openai/x": after}))
    assert entries == [
        {
            "model": "openai/x",
            "provider": "openai",
            "kind": "changed",
            "field": "pricing.image",
            "before": None,
            "after": "0.04",
            "source": "curated",
        }
    ]


def test_a_renamed_price_field_is_no_change_but_a_new_value_is() -> None:
    old = {
        "id": "openai/a",
        "modelatlas": {
            "provider": "openai",
            "provenance": {"modelatlas.extra_pricing.input_audio": "litellm"},
            "extra_pricing": {"input_audio": "0.00004", "output_audio": "0.00008"},
        },
    }
    new = json.loads(json.dumps(old))
    new["modelatlas"]["extra_pricing"] = {"input_audio_token": "0.00004", "output_audio_token": "0.00009"}
    new["modelatlas"]["provenance"] = {"modelatlas.extra_pricing.output_audio_token": "portkey"}
    entries = diff_snapshots(Snapshot("a", {"openai/a": old}), Snapshot("b", {"openai/a": new}))
    assert [(e["field"], e["before"], e["after"], e["percent"]) for e in entries] == [
        ("modelatlas.extra_pricing.output_audio_token", "0.00008", "0.00009", "12.5")
    ]


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ("0.0000025", "0.000002", "-20"),
        ("3", "4", "33.33"),
        ("0.000001", "0.000003", "200"),
        ("0", "0.1", None),
        ("0.1", "0", "-100"),
        ("1", "1", "0"),
        (None, "1", None),
    ],
)
def test_percent_change_is_exact(before: str | None, after: str, expected: str | None) -> None:
    assert percent_change(before, after) == expected


def test_hostile_ids_are_escaped_in_markdown_and_text() -> None:
    hostile = "openai/x|<script>alert(1)</script>`\x1b[31m"
    entries = [
        {
            "model": hostile,
            "provider": "openai",
            "kind": "added",
            "before": None,
            "after": {"name": "<img src=x onerror=alert(1)>|"},
            "source": None,
        }
    ]
    markdown = format_markdown(entries, "a", "b")
    row = next(line for line in markdown.splitlines() if line.startswith("| `"))
    assert "<script>" not in markdown and "<img" not in markdown
    assert row.count(" | ") == 4  # the pipes inside the id and name did not add columns
    assert "\x1b" not in format_text(entries, "a", "b") and "\\x1b" in format_text(entries, "a", "b")



def test_git_revisions_tags_and_dates(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE, repo / "data")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "data")
    git(repo, "commit", "-q", "-m", "snapshot 1", date="2026-11-20T12:00:00Z")
    git(repo, "tag", "v1")
    four_changes(repo / "data")
    git(repo, "commit", "-q", "-am", "snapshot 2", date="2026-11-22T12:00:00Z")
    for old in ("HEAD~1", "v1", "2026-11-21"):
        result = run("diff", old, "HEAD", "--repo", str(repo), "--format", "json")
        assert result.exit_code == 1, result.output
        assert len(json.loads(result.output)["changes"]) == 4
    assert run("diff", "2026-11-21", "v1", "--repo", str(repo)).exit_code == 0
    # A revision against the working folder.
    assert run("diff", "HEAD", str(repo / "data"), "--repo", str(repo)).exit_code == 0


@pytest.mark.parametrize("spec", ["no-such-rev", "2020-01-01", "--output=x"])
def test_bad_revisions_are_one_line_errors(tmp_path: Path, spec: str) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE, repo / "data")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "data")
    git(repo, "commit", "-q", "-m", "snapshot 1")
    result = CliRunner().invoke(cli, ["diff", "--repo", str(repo), "--", spec, "HEAD"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "modelatlas: error:" in result.output
    assert not (repo / "x").exists()


def test_one_price_change_is_a_one_line_git_diff(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE, repo / "data")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "data")
    git(repo, "commit", "-q", "-m", "snapshot")
    doc = read_doc(repo / "data", "openai")
    doc["models"][0]["pricing"]["completion"] = "0.000011"
    write_provider(repo / "data", doc)
    assert git(repo, "diff", "--numstat", "--", "data").split() == ["1", "1", "data/providers/openai.json"]
    changed = [line for line in git(repo, "diff", "-U0", "--", "data").splitlines() if line[:1] in "+-"]
    assert changed[2:] == ['-        "completion": "0.00001",', '+        "completion": "0.000011",']


def test_markdown_tables_are_capped_for_commit_messages() -> None:
    entries = [
        {
            "model": f"openai/m{i}",
            "provider": "openai",
            "kind": "changed",
            "field": "context_length",
            "before": i,
            "after": i + 1,
            "source": None,
        }
        for i in range(5)
    ]
    markdown = format_markdown(entries, "a", "b", limit=2)
    assert len([line for line in markdown.splitlines() if line.startswith("| `openai/m")]) == 2
    assert "… and 3 more" in markdown and "### Changed (5 models, 5 fields)" in markdown
