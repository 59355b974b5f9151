"""modelatlas history: the change log rebuilt from the git history of data/ (throwaway repositories)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from modelatlas.changes import changelog
from modelatlas.cli import cli
from modelatlas.jsonio import loads
from tests.git_repo import git
from tests.paths import FIXTURES
from tests.provider_files import write_provider

FIXTURE = FIXTURES / "changes" / "data"



def edit_openai(repo: Path, change: Any) -> None:
    doc = loads((repo / "data" / "providers" / "openai.json").read_bytes())
    change(doc)
    write_provider(repo / "data", doc)


def publish_commit(root: Path, message: str, day: str, tag: bool = False, legacy: bool = False) -> None:
    """A commit as ``modelatlas publish`` makes it: trailers naming its day (and tag)."""
    trailers = [] if legacy else [f"Snapshot-Date: {day}"]
    trailers += [f"Snapshot-Tag: snapshot-{day}"] if tag or legacy else []
    git(root, "commit", "-q", "-am", f"{message}\n\n" + "\n".join(trailers), date=f"{day}T03:17:00Z")


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """How a catalog's history goes: commits that build the snapshot, then published snapshots, with
    hand edits between them and one publish commit that came in through a merge."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root / "data")
    (root / "README.md").write_text("x\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "snapshot", date="2026-11-19T23:30:00Z")
    edit_openai(root, lambda d: d["models"][0]["pricing"].update(prompt="0.000003"))
    git(root, "commit", "-q", "-am", "data: regenerate with the merge policy", date="2026-11-20T12:00:00Z")
    # The baseline: the snapshot the first publish found. Then what publish logged, and hand edits.
    edit_openai(root, lambda d: d["models"][0]["pricing"].update(prompt="0.000002"))
    publish_commit(root, "data: refresh 2026-11-21: 1 changed", "2026-11-21", tag=True)
    edit_openai(root, lambda d: d["models"][0].update(name="GPT-4o (renamed by hand)"))
    (root / "README.md").write_text("y\n")
    git(root, "commit", "-q", "-am", "fix a name by hand", date="2026-11-22T12:00:00Z")
    removed: dict[str, Any] = {}

    def drop(doc: dict[str, Any]) -> None:
        removed.update(next(m for m in doc["models"] if m["id"] == "openai/o1"))
        doc["models"] = [m for m in doc["models"] if m["id"] != "openai/o1"]

    edit_openai(root, drop)
    publish_commit(root, "data: refresh 2026-11-23: 1 removed", "2026-11-23")  # not the first of a day
    git(root, "checkout", "-q", "-b", "modelatlas/refresh")  # pull-request mode: merged with a merge commit
    edit_openai(root, lambda d: d["models"].append(removed))
    publish_commit(root, "data: refresh 2026-12-01: 1 re-added", "2026-12-01", legacy=True)
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "Merge the nightly refresh", "modelatlas/refresh",
        date="2026-12-01T09:00:00Z")
    return root


def summary(entries: list[dict[str, Any]]) -> list[tuple[str, str, str, str | None]]:
    return [(e["date"], e["kind"], e["model"], e.get("field")) for e in entries]


EXPECTED = [
    ("2026-11-21", "changed", "openai/gpt-4o", "pricing.prompt"),
    ("2026-11-23", "removed", "openai/o1", None),
    ("2026-12-01", "readded", "openai/o1", None),
]


def test_history_logs_only_the_published_snapshots_from_the_baseline(repo: Path) -> None:
    result = CliRunner().invoke(cli, ["history", "--repo", str(repo)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "baseline " in result.output and "of 2026-11-26, 3 published snapshot(s)" in result.output
    files = [p.name for p in changelog.log_files(repo / "data")]
    assert files == ["2026-11.jsonl", "2026-12.jsonl"]
    assert summary(changelog.read_log(repo / "data")) == EXPECTED  # no construction, no hand edit
    assert summary(changelog.load_changes(repo / "data")) == EXPECTED[::-1]
    price = changelog.read_log(repo / "data")[0]
    assert (price["before"], price["after"], price["percent"]) == ("0.000003", "0.000002", "-33.33")
    assert changelog.read_baseline(repo / "data") == "2026-11-26"  # the baseline's newest last_refresh


def test_before_anything_is_published_the_log_is_empty_and_says_since_when(repo: Path) -> None:
    git(repo, "reset", "-q", "--hard", "HEAD~4")  # back to the two construction commits
    result = CliRunner().invoke(cli, ["history", "--repo", str(repo)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "0 published snapshot(s), no changes since 2026-11-26" in result.output
    assert changelog.log_files(repo / "data") == []
    assert changelog.read_baseline(repo / "data") == "2026-11-26"


def test_history_dry_run_prints_json_lines_and_writes_nothing(repo: Path) -> None:
    result = CliRunner().invoke(cli, ["history", "--repo", str(repo), "--dry-run"], catch_exceptions=False)
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert summary(lines) == EXPECTED
    assert not (repo / "data" / "changes").exists()


def test_history_since_and_include_initial(repo: Path) -> None:
    since = git(repo, "rev-parse", "main~1").strip()  # after the removal: o1 is new to this log
    result = CliRunner().invoke(cli, ["history", "--repo", str(repo), "--dry-run", "--since", since])
    assert summary([json.loads(line) for line in result.stdout.splitlines()]) == [
        ("2026-12-01", "added", "openai/o1", None)
    ]
    result = CliRunner().invoke(cli, ["history", "--repo", str(repo), "--dry-run", "--include-initial"])
    entries = [json.loads(line) for line in result.stdout.splitlines()]
    assert {(e["date"], e["kind"]) for e in entries[:5]} == {("2026-11-26", "added")}
    assert summary(entries[5:]) == EXPECTED


def test_history_outside_a_repository_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["history", "--repo", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.startswith("modelatlas: error:") and result.output.count("\n") == 1
