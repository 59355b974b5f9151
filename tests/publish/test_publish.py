"""The nightly job end to end: fetch from local catalog files → commit/push to a local bare repo → build."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from modelatlas.cli import cli
from tests.file_tree import file_states
from tests.git_repo import git as git_at
from tests.paths import EMPTY_CATALOGS, FIXTURES

# The nightly commits at the real time: its test commits carry no fixed date.
git = partial(git_at, date=None)

CATALOGS = FIXTURES / "changes" / "catalogs"
SECRET_VARS = (
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "AZURE_OPENAI_API_KEY",
    "AWS_BEARER_TOKEN_BEDROCK",
    "CO_API_KEY",
    "COHERE_API_KEY",
    "VERTEX_ACCESS_TOKEN",
    "MISTRAL_API_KEY",
    "OLLAMA_HOST",
    "OLLAMA_API_KEY",
    "GEMINI_API_KEY",
    "GOOGLE_API_KEY",
    "GROQ_API_KEY",
    "OPENROUTER_API_KEY",
    "SGLANG_BASE_URL",
    "PARASAIL_API_KEY",
    "ELEVENLABS_API_KEY",
    "PERPLEXITY_API_KEY",
    "CEREBRAS_API_KEY",
)


def reprice(catalogs: Path, dollars: int) -> None:
    """A new gpt-4o input price in both catalogs (one catalog alone would be a recorded conflict)."""
    path = catalogs / "models.dev.json"
    catalog = json.loads(path.read_text())
    catalog["openai"]["models"]["gpt-4o"]["cost"]["input"] = dollars  # USD per 1M tokens
    path.write_text(json.dumps(catalog))
    path = catalogs / "litellm.json"
    prices = json.loads(path.read_text())
    prices["gpt-4o"]["input_cost_per_token"] = dollars / 1_000_000  # USD per token
    path.write_text(json.dumps(prices))


@pytest.fixture()
def nightly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A bare 'origin', a clone with one commit (no data yet), and editable copies of the catalogs."""
    for name in SECRET_VARS:
        monkeypatch.delenv(name, raising=False)
    for name in ("GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    remote, work, catalogs = tmp_path / "origin.git", tmp_path / "work", tmp_path / "catalogs"
    shutil.copytree(CATALOGS, catalogs)
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(tmp_path, "clone", "-q", str(remote), str(work))
    git(work, "checkout", "-q", "-b", "main")
    (work / "README.md").write_text("catalog\n")
    (work / ".gitignore").write_text("/build/\n")
    git(work, "add", ".")
    git(work, "commit", "-q", "-m", "start")
    git(work, "push", "-q", "origin", "main")
    # The commit identity is publish's own fallback (no user.email configured in the clone).
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("MODELATLAS_MODELS_DEV_URL", str(catalogs / "models.dev.json"))
    monkeypatch.setenv("MODELATLAS_LITELLM_URL", str(catalogs / "litellm.json"))
    monkeypatch.setenv("MODELATLAS_OPENROUTER_URL", str(catalogs / "openrouter.json"))
    for name in ("MODELATLAS_RUBY_LLM_URL", "MODELATLAS_PORTKEY_URL"):
        monkeypatch.setenv(name, EMPTY_CATALOGS[name])
    monkeypatch.setenv("MODELATLAS_CACHE_DIR", str(tmp_path / "catalog-cache"))
    return {"remote": remote, "work": work, "catalogs": catalogs, "tmp": tmp_path}


def publish(work: Path, *extra: str, env: dict[str, str] | None = None) -> Any:
    args = ["publish", "--repo", str(work), "--push", "--date", "2026-11-27", *extra]
    return CliRunner().invoke(cli, args, env=env, catch_exceptions=False)


def remote_log(remote: Path) -> list[str]:
    return git(remote, "log", "--format=%s", "main").splitlines()


def test_nightly_commits_only_when_models_change_and_builds(nightly: dict[str, Path]) -> None:
    work, remote, tmp = nightly["work"], nightly["remote"], nightly["tmp"]
    summary, outputs = tmp / "summary.md", tmp / "outputs.txt"
    env = {
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(outputs),
        "MODELATLAS_NOW": "2026-11-27T03:17:00Z",
    }

    first = publish(work, env=env)
    assert first.exit_code == 0, first.output
    log = remote_log(remote)
    assert len(log) == 2 and log[0].startswith("data: refresh 2026-11-27: 6 added")
    body = git(remote, "log", "-1", "--format=%b", "main")
    assert "### Added (6)" in body and "| `openai/gpt-4o` |" in body  # verbatim: '#' lines kept
    assert git(remote, "log", "-1", "--format=%an", "main").strip() == "github-actions[bot]"
    assert git(remote, "rev-parse", "snapshot-2026-11-27") == git(remote, "rev-parse", "main")
    files = git(remote, "ls-tree", "-r", "--name-only", "main").split()
    assert "data/changes/2026-11.jsonl" in files and "data/providers/openai.json" in files
    logged = [json.loads(x) for x in (work / "data" / "changes" / "2026-11.jsonl").read_text().splitlines()]
    assert len(logged) == 6 and {e["kind"] for e in logged} == {"added"}
    # build/ is deployable: the API, the site, the feeds and the CDN files.
    build = work / "build"
    for name in ("v1/models.json", "v1/changes.json", "changes.xml", "_headers", ".nojekyll", "index.html"):
        assert (build / name).is_file(), name
    assert len(ET.parse(build / "changes.xml").getroot().findall("{http://www.w3.org/2005/Atom}entry")) == 6
    assert "stale=false\nchanged=true\n" in outputs.read_text()
    text = summary.read_text()
    assert "## modelatlas refresh 2026-11-27" in text and "| openai | 2 | public_catalogs |" in text

    # Same catalogs, a later refresh time: only status blocks differ → a status commit (what is
    # deployed is always a commit), no change entry, no tag (the day's tag is taken).
    second = publish(work, env={**env, "MODELATLAS_NOW": "2026-11-28T03:17:00Z"})
    assert second.exit_code == 0, second.output
    log = remote_log(remote)
    assert len(log) == 3 and log[0] == "data: status 2026-11-27: every provider fresh"
    assert "no changes" in second.output
    head = git(remote, "rev-parse", "main").strip()
    assert outputs.read_text().endswith(f"stale=false\nchanged=false\ncommit={head}\nhead={head}\n")
    assert len((work / "data" / "changes" / "2026-11.jsonl").read_text().splitlines()) == 6

    # A repriced model upstream: exactly one change entry, one commit.
    catalog = json.loads((nightly["catalogs"] / "models.dev.json").read_text())
    catalog["openai"]["models"]["gpt-4o"]["cost"]["input"] = 2
    (nightly["catalogs"] / "models.dev.json").write_text(json.dumps(catalog))
    prices = json.loads((nightly["catalogs"] / "litellm.json").read_text())  # both catalogs agree again
    prices["gpt-4o"]["input_cost_per_token"] = 0.000002
    (nightly["catalogs"] / "litellm.json").write_text(json.dumps(prices))
    third = publish(work, env={**env, "MODELATLAS_NOW": "2026-11-29T03:17:00Z"})
    assert third.exit_code == 0, third.output
    log = remote_log(remote)
    assert len(log) == 4 and log[0] == "data: refresh 2026-11-27: 1 changed (1 field)"
    body = git(remote, "log", "-1", "--format=%b", "main")
    assert "| `openai/gpt-4o` | `pricing.prompt` | 0.0000025 | 0.000002 | -20% |" in body
    logged = (work / "data" / "changes" / "2026-11.jsonl").read_text().splitlines()
    assert len(logged) == 7 and json.loads(logged[-1])["field"] == "pricing.prompt"
    assert git(work, "status", "--porcelain", "--", "data") == ""


def test_stale_providers_still_publish_but_mark_the_run(
    nightly: dict[str, Path], httpserver: HTTPServer
) -> None:
    work, tmp = nightly["work"], nightly["tmp"]
    httpserver.expect_request("/openai/v1/models").respond_with_json(
        {"error": {"message": "bad key"}}, status=401
    )
    outputs = tmp / "outputs.txt"
    env = {
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_STEP_SUMMARY": str(tmp / "summary.md"),
        "GITHUB_ACTIONS": "true",
        "GROQ_API_KEY": "gsk-test-secret-0000",
        "MODELATLAS_GROQ_BASE_URL": httpserver.url_for("/openai/v1"),
        "MODELATLAS_NOW": "2026-11-27T03:17:00Z",
    }
    result = publish(work, env=env)
    assert result.exit_code == 3, result.output
    assert "::warning title=stale providers::groq" in result.output
    assert "stale=true" in outputs.read_text()
    assert "**Warning:**" in (tmp / "summary.md").read_text()
    assert len(remote_log(nightly["remote"])) == 2  # the other providers landed and were committed
    assert (work / "build" / "v1" / "models.json").is_file()
    assert "gsk-test-secret" not in (tmp / "summary.md").read_text() + result.output
    allowed = publish(
        work, "--allow-stale", "--no-build", env={**env, "MODELATLAS_NOW": "2026-11-28T03:17:00Z"}
    )
    assert allowed.exit_code == 0


def test_a_failed_fetch_commits_and_builds_nothing(nightly: dict[str, Path]) -> None:
    work = nightly["work"]
    env = {"MODELATLAS_MODELS_DEV_URL": str(nightly["tmp"] / "missing.json")}
    result = CliRunner().invoke(cli, ["publish", "--repo", str(work), "--push"], env=env)
    assert result.exit_code == 1
    assert "modelatlas: error: fetch failed (exit " in result.output  # exit 1 or 2: fetch decides
    assert len(remote_log(nightly["remote"])) == 1 and not (work / "build").exists()


def test_no_commit_is_a_dry_run_that_touches_no_tracked_file(nightly: dict[str, Path]) -> None:
    work = nightly["work"]
    env = {"MODELATLAS_NOW": "2026-11-27T03:17:00Z"}
    assert publish(work, "--no-build", env=env).exit_code == 0
    reprice(nightly["catalogs"], 2)
    before = file_states(work / "data")
    dry = publish(work, "--no-commit", env={**env, "MODELATLAS_NOW": "2026-11-29T03:17:00Z"})
    assert dry.exit_code == 0, dry.output
    assert "publish: 1 changed (1 field)" in dry.output  # the change is reported ...
    assert file_states(work / "data") == before  # ... and no data file written, not even a status block
    assert git(work, "status", "--porcelain", "--untracked-files=all") == ""
    assert len(remote_log(nightly["remote"])) == 2
    built = json.loads((work / "build" / "v1" / "model" / "openai" / "gpt-4o.json").read_text())
    assert built["data"]["pricing"]["prompt"] == "0.000002"  # the build shows the dry run's data


@pytest.mark.parametrize("mode", [["--no-commit"], ["--no-build"]])
def test_a_folder_outside_git_stops_before_fetching(nightly: dict[str, Path], mode: list[str]) -> None:
    """The diff needs the repository: a run that cannot read it fetches nothing first (a fetch takes
    minutes against the real catalogs and APIs)."""
    outside = nightly["tmp"] / "not-a-repo"
    outside.mkdir()
    args = ["publish", "--repo", str(outside), "--data", str(outside / "data"), *mode]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "is not inside a git repository" in result.output
    assert not (outside / "data").exists()
    assert not (nightly["tmp"] / "catalog-cache").exists()  # a fetch keeps each catalog's last good copy
