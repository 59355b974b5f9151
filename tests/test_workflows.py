"""GitHub Actions workflows: valid against the official schema (offline), pinned, least privilege."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from modelatlas.fetch.providers.registry import PROVIDERS
from tests.paths import REPO

WORKFLOWS = REPO / ".github" / "workflows"
FILES = [WORKFLOWS / "ci.yml", WORKFLOWS / "nightly.yml"]
LOCK = REPO / "requirements" / "nightly.txt"
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s+[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s+v\d+(\.\d+)*\s*$")


def load(path: Path) -> dict[Any, Any]:
    document = yaml.safe_load(path.read_text())
    document["on"] = document.pop(True, document.get("on"))  # YAML 1.1 reads the key `on` as True
    return document


def check_jsonschema() -> list[str]:
    found = shutil.which("check-jsonschema")
    if found:
        return [found]
    return [sys.executable, "-m", "check_jsonschema"]


def zizmor() -> str:
    """The zizmor binary (the test extra installs it next to this Python)."""
    found = shutil.which("zizmor") or shutil.which("zizmor", path=str(Path(sys.executable).parent))
    assert found, "zizmor is not installed: pip install -e '.[test]'"
    return found


def run_zizmor(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [zizmor(), "--offline", "--min-severity", "medium", "--no-progress", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_zizmor_finds_nothing_of_medium_severity_or_above() -> None:
    done = run_zizmor(REPO / ".github")
    assert done.returncode == 0, done.stdout + done.stderr


def test_zizmor_flags_a_workflow_with_a_template_injection(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "name: bad\non: issues\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo '${{ github.event.issue.title }}'\n"
    )
    done = run_zizmor(bad)
    assert done.returncode != 0 and "template-injection" in done.stdout + done.stderr


def test_workflows_validate_against_the_github_workflow_schema() -> None:
    done = subprocess.run(
        [*check_jsonschema(), "--builtin-schema", "vendor.github-workflows", *map(str, FILES)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_check_jsonschema_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n")
    done = subprocess.run(
        [*check_jsonschema(), "--builtin-schema", "vendor.github-workflows", str(broken)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_a_version_comment(path: Path) -> None:
    uses = [line for line in path.read_text().splitlines() if re.match(r"^\s*(-\s+)?uses:", line)]
    assert uses
    assert [line for line in uses if not PINNED.match(line)] == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_least_privilege_concurrency_and_timeouts(path: Path) -> None:
    workflow = load(path)
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["group"]
    for name, job in workflow["jobs"].items():
        assert 0 < job["timeout-minutes"] <= 30, name
        for scope, level in job.get("permissions", {}).items():
            assert level in ("read", "write"), (name, scope)
            assert scope in ("contents", "pages", "id-token", "issues", "actions"), (name, scope)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_checkouts_never_persist_credentials(path: Path) -> None:
    workflow = load(path)
    checkouts = [
        step
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if step.get("uses", "").startswith("actions/checkout@")
    ]
    assert checkouts and all(step["with"]["persist-credentials"] is False for step in checkouts)


def test_nightly_schedule_dispatch_secrets_and_deploy() -> None:
    workflow = load(WORKFLOWS / "nightly.yml")
    (cron,) = [entry["cron"] for entry in workflow["on"]["schedule"]]
    minute, hour = cron.split()[:2]
    assert minute.isdigit() and int(minute) not in (0, 30) and hour.isdigit()
    assert "workflow_dispatch" in workflow["on"]
    assert workflow["concurrency"]["cancel-in-progress"] is False  # two runs never race on a push
    jobs = workflow["jobs"]
    refresh, deploy, notify = jobs["refresh"], jobs["deploy"], jobs["notify"]
    # The push goes through the App token: the job's own token stays read-only.
    assert refresh["permissions"] == {"contents": "read", "id-token": "write"}
    assert refresh["environment"] == "nightly"  # secrets live in an environment limited to main
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    steps = refresh["steps"]
    checkout = next(step for step in steps if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    publish = next(step for step in steps if step.get("id") == "publish")
    assert "modelatlas publish --push --allow-stale" in publish["run"]
    # Every provider key in one secret (read by config.Settings), none named one by one.
    assert publish["env"]["MODELATLAS_CREDENTIALS"] == "${{ secrets.MODELATLAS_CREDENTIALS }}"
    every_secret = {value for step in steps for value in step.get("env", {}).values() if "secrets." in value}
    assert every_secret == {"${{ secrets.MODELATLAS_CREDENTIALS }}"}
    declared = {var for provider in PROVIDERS for var in provider.env_vars}
    made_or_variables = {"AWS_REGION", "VERTEX_ACCESS_TOKEN", "GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION"}
    assert declared & set(publish["env"]) == made_or_variables | {"SGLANG_BASE_URL"}
    # Vertex: a short-lived token from Workload Identity Federation, no stored key, no key file.
    gcp = next(step for step in steps if step.get("id") == "gcp")
    assert gcp["uses"].startswith("google-github-actions/auth@")
    assert gcp["with"]["token_format"] == "access_token" and gcp["with"]["create_credentials_file"] is False
    assert publish["env"]["VERTEX_ACCESS_TOKEN"] == "${{ steps.gcp.outputs.access_token }}"
    # Bedrock: an OIDC role's session credentials reach only the publish step.
    aws = next(step for step in steps if step.get("id") == "aws")
    assert aws["uses"].startswith("aws-actions/configure-aws-credentials@")
    assert aws["with"]["output-env-credentials"] is False and aws["with"]["output-credentials"] is True
    assert publish["env"]["AWS_SESSION_TOKEN"] == "${{ steps.aws.outputs.aws-session-token }}"
    # Secrets only in env blocks, never in a `run:` line.
    every_step = [step for job in jobs.values() for step in job["steps"]]
    assert all("secrets." not in str(step.get("run", "")) for step in every_step)
    uses = [step.get("uses", "") for step in every_step]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert not any(u.startswith("actions/configure-pages@") for u in uses)
    assert deploy["needs"] == "refresh" and deploy["environment"]["name"] == "github-pages"
    # Pull-request mode: the bot's pull request merges itself; only merged commits are deployed.
    auto_merge = next(step for step in steps if "gh pr merge" in step.get("run", ""))
    assert "--auto --merge" in auto_merge["run"] and "PUBLISH_PR_BRANCH" in auto_merge["if"]
    assert (
        "github.event_name == 'push'" in deploy["if"]
        and "data/providers/**" in workflow["on"]["push"]["paths"]
    )
    # Someone hears, even when refresh failed; the schedule is kept enabled without commits.
    assert notify["if"].startswith("always()") and notify["permissions"]["issues"] == "write"
    assert (
        "modelatlas notify" in notify["steps"][-1]["run"]
        and "--keepalive-workflow nightly.yml" in (notify["steps"][-1]["run"])
    )


def test_nightly_installs_only_the_hashed_lock() -> None:
    workflow = load(WORKFLOWS / "nightly.yml")
    installs = [
        step["run"]
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if "pip install" in step.get("run", "")
    ]
    assert len(installs) == 2
    for run in installs:
        lines = [line.strip() for line in run.splitlines() if "pip install" in line]
        assert lines[0].endswith("--require-hashes --only-binary :all: -r requirements/nightly.txt")
        assert lines[1].endswith("--no-deps --no-build-isolation .")


def test_the_lock_pins_every_runtime_dependency_with_hashes() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    text = LOCK.read_text()
    pinned = dict(re.findall(r"^([a-z0-9][a-z0-9._-]*)==(\S+) \\$", text, flags=re.MULTILINE))
    needed = [*project["dependencies"], *project["optional-dependencies"]["bedrock"]]
    wanted = [re.split(r"[<>=!~\[; ]", dep, maxsplit=1)[0].lower() for dep in needed]
    assert [name for name in [*wanted, "setuptools"] if name not in pinned] == []
    blocks = re.split(r"\n(?=[a-z0-9])", text.split("\n\n", 1)[1].strip())
    assert all("--hash=sha256:" in block for block in blocks if not block.startswith("#"))


def test_dependabot_updates_pip_and_actions_with_a_cooldown() -> None:
    config = yaml.safe_load((REPO / ".github" / "dependabot.yml").read_text())
    ecosystems = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(ecosystems) == {"pip", "github-actions"}
    assert all(u["cooldown"]["default-days"] >= 3 for u in ecosystems.values())
    done = subprocess.run(
        [
            *check_jsonschema(),
            "--builtin-schema",
            "vendor.dependabot",
            str(REPO / ".github" / "dependabot.yml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_ci_runs_lint_tests_with_chromium_and_a_build() -> None:
    workflow = load(WORKFLOWS / "ci.yml")
    assert {"push", "pull_request"} <= set(workflow["on"])
    runs = "\n".join(str(step.get("run", "")) for job in workflow["jobs"].values() for step in job["steps"])
    assert "ruff check" in runs and ".ci/run" in runs and "modelatlas build" in runs
    assert "zizmor --offline" in runs
    uploads = [
        s
        for s in workflow["jobs"]["test"]["steps"]
        if s.get("uses", "").startswith("actions/upload-artifact@")
    ]
    # Screenshots and pip's cache are kept out of the checkout and the home folder (.ci/run checks it).
    screenshots = "${{ runner.temp }}/screenshots"
    assert uploads and uploads[0]["with"]["path"] == screenshots
    (tests,) = [s for s in workflow["jobs"]["test"]["steps"] if s.get("run") == ".ci/run"]
    assert tests["env"]["MODELATLAS_SCREENSHOTS"] == screenshots
    assert not tests["env"]["PIP_CACHE_DIR"].startswith("~")
    ci_run = (WORKFLOWS.parents[1] / ".ci" / "run").read_text()
    assert "apt-get install" in ci_run and "chromium" in ci_run


def run_publish_step(tmp_path: Path, env: dict[str, str]) -> tuple[list[str], dict[str, str], str]:
    """The nightly's publish `run:` block in bash as Actions runs it, with `modelatlas` stubbed."""
    steps = load(WORKFLOWS / "nightly.yml")["jobs"]["refresh"]["steps"]
    script = tmp_path / "publish.sh"
    script.write_text(next(step for step in steps if step.get("id") == "publish")["run"])
    stubs, seen = tmp_path / "bin", tmp_path / "seen"
    stubs.mkdir()
    (stubs / "modelatlas").write_text(f'#!/bin/sh\necho "$@" > {seen}.args\nenv > {seen}.env\n')
    (stubs / "modelatlas").chmod(0o755)
    (tmp_path / "aws_bedrock_token_generator.py").write_text(
        "import os\ndef provide_token():\n    return 'bedrock-api-key-for-' + os.environ['AWS_REGION']\n"
    )
    base = {"PATH": f"{stubs}:{Path(sys.executable).parent}:/usr/bin:/bin", "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    seen_env = dict(
        line.split("=", 1) for line in Path(f"{seen}.env").read_text().splitlines() if "=" in line
    )
    return Path(f"{seen}.args").read_text().split(), seen_env, done.stdout


def test_publish_step_gives_git_the_app_token_and_bedrock_a_short_term_key(tmp_path: Path) -> None:
    args, env, stdout = run_publish_step(
        tmp_path,
        {
            "PUBLISH_TOKEN": "ghs_apptoken",
            "AWS_ACCESS_KEY_ID": "ASIATEST",
            "AWS_SECRET_ACCESS_KEY": "secret",
            "AWS_SESSION_TOKEN": "session",
            "GITHUB_EVENT_NAME": "schedule",
        },
    )
    assert args == ["publish", "--push", "--allow-stale"]
    assert env["GIT_CONFIG_KEY_0"] == "http.https://github.com/.extraheader"
    assert (
        env["GIT_CONFIG_VALUE_0"]
        == "AUTHORIZATION: basic " + base64.b64encode(b"x-access-token:ghs_apptoken").decode()
    )
    assert env["AWS_BEARER_TOKEN_BEDROCK"] == "bedrock-api-key-for-us-east-1"
    assert "::add-mask::bedrock-api-key-for-us-east-1" in stdout
    assert not {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} & set(env)  # not for fetch


def test_publish_step_on_a_merge_push_builds_without_fetching_or_a_pr_branch(tmp_path: Path) -> None:
    args, env, _ = run_publish_step(
        tmp_path,
        {
            "PUBLISH_TOKEN": "t",
            "AWS_BEARER_TOKEN_BEDROCK": "kept-as-is",
            "MODELATLAS_PR_BRANCH": "modelatlas/nightly",
            "GITHUB_EVENT_NAME": "push",
        },
    )
    assert args == ["publish", "--no-fetch", "--no-commit", "--push", "--allow-stale"]
    assert "MODELATLAS_PR_BRANCH" not in env and env["AWS_BEARER_TOKEN_BEDROCK"] == "kept-as-is"
