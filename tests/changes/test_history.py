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
from modelatlas.datastore import write_provider
from modelatlas.jsonio import loads
from tests.git_repo import git
from tests.paths import FIXTURES

FIXTURE = FIXTURES / "changes" / "data"



def edit_openai(repo: Path, change: Any) -> None:
    doc = loads((repo / "data" / "providers" / "openai.json").read_bytes())
    change(doc)
    write_provider(repo / "data", doc)


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """Five commits: snapshot, a price change, a log-only commit, a removal, a re-addition."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root / "data")
    (root / "README.md").write_text("x\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "snapshot", date="2026-11-20T23:30:00Z")
    edit_openai(root, lambda d: d["models"][0]["pricing"].update(prompt="0.000002"))
    git(root, "commit", "-q", "-am", "price", date="2026-11-21T03:17:00+02:00")  # 01:17 UTC
    (root / "data" / "changes").mkdir()
    (root / "data" / "changes" / "2026-11.jsonl").write_text("")
    (root / "README.md").write_text("y\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "log only", date="2026-11-22T12:00:00Z")
    removed: dict[str, Any] = {}

    def drop(doc: dict[str, Any]) -> None:
        removed.update(next(m for m in doc["models"] if m["id"] == "openai/o1"))
        doc["models"] = [m for m in doc["models"] if m["id"] != "openai/o1"]

    edit_openai(root, drop)
    git(root, "commit", "-q", "-am", "o1 gone", date="2026-11-23T12:00:00Z")
    edit_openai(root, lambda d: d["models"].append(removed))
    git(root, "commit", "-q", "-am", "o1 back", date="2026-12-01T00:00:01Z")
    return root


def summary(entries: list[dict[str, Any]]) -> list[tuple[str, str, str, str | None]]:
    return [(e["date"], e["kind"], e["model"], e.get("field")) for e in entries]


EXPECTED = [
    ("2026-11-21", "changed", "openai/gpt-4o", "pricing.prompt"),
    ("2026-11-23", "removed", "openai/o1", None),
    ("2026-12-01", "readded", "openai/o1", None),
]


def test_history_rebuilds_the_log_by_commit_date(repo: Path) -> None:
    result = CliRunner().invoke(cli, ["history", "--repo", str(repo)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    files = [p.name for p in changelog.log_files(repo / "data")]
    assert files == ["2026-11.jsonl", "2026-12.jsonl"]
    assert summary(changelog.read_log(repo / "data")) == EXPECTED
    assert summary(changelog.load_changes(repo / "data")) == EXPECTED[::-1]
    price = changelog.read_log(repo / "data")[0]
    assert (price["before"], price["after"], price["percent"]) == ("0.0000025", "0.000002", "-20")


def test_history_dry_run_prints_json_lines_and_writes_nothing(repo: Path) -> None:
    before = (repo / "data" / "changes" / "2026-11.jsonl").read_bytes()
    result = CliRunner().invoke(cli, ["history", "--repo", str(repo), "--dry-run"], catch_exceptions=False)
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert summary(lines) == EXPECTED
    assert (repo / "data" / "changes" / "2026-11.jsonl").read_bytes() == before


def test_history_since_and_include_initial(repo: Path) -> None:
    result = CliRunner().invoke(cli, ["history", "--repo", str(repo), "--dry-run", "--since", "HEAD~1"])
    assert summary([json.loads(line) for line in result.stdout.splitlines()]) == EXPECTED[2:]
    result = CliRunner().invoke(cli, ["history", "--repo", str(repo), "--dry-run", "--include-initial"])
    initial = [json.loads(line) for line in result.stdout.splitlines()][:5]
    assert {(e["date"], e["kind"]) for e in initial} == {("2026-11-20", "added")}
    assert len(initial) == 5


def test_history_outside_a_repository_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["history", "--repo", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.startswith("modelatlas: error:") and result.output.count("\n") == 1
