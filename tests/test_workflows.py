"""GitHub Actions workflows: valid against the official schema (offline), pinned, least privilege."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.paths import REPO

WORKFLOWS = REPO / ".github" / "workflows"
FILES = [WORKFLOWS / "ci.yml", WORKFLOWS / "nightly.yml"]
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
            assert level in ("read", "write") and scope in ("contents", "pages", "id-token"), (name, scope)


def test_nightly_schedule_dispatch_secrets_and_deploy() -> None:
    workflow = load(WORKFLOWS / "nightly.yml")
    (cron,) = [entry["cron"] for entry in workflow["on"]["schedule"]]
    minute, hour = cron.split()[:2]
    assert minute.isdigit() and int(minute) not in (0, 30) and hour.isdigit()
    assert "workflow_dispatch" in workflow["on"]
    assert workflow["concurrency"]["cancel-in-progress"] is False  # two runs never race on a push
    refresh, deploy = workflow["jobs"]["refresh"], workflow["jobs"]["deploy"]
    assert refresh["permissions"] == {"contents": "write"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    steps = refresh["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    publish = next(step for step in steps if step.get("id") == "publish")
    assert publish["run"].startswith("modelatlas publish --push")
    for var in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "CEREBRAS_API_KEY"):
        assert publish["env"][var] == f"${{{{ secrets.{var} }}}}"
    # Secrets only in that step, never in a `run:` line.
    assert all("secrets." not in str(step.get("run", "")) for step in steps)
    uses = [step.get("uses", "") for step in steps] + [step.get("uses", "") for step in deploy["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert deploy["needs"] == "refresh" and deploy["environment"]["name"] == "github-pages"


def test_ci_runs_lint_tests_with_chromium_and_a_build() -> None:
    workflow = load(WORKFLOWS / "ci.yml")
    assert {"push", "pull_request"} <= set(workflow["on"])
    runs = "\n".join(str(step.get("run", "")) for job in workflow["jobs"].values() for step in job["steps"])
    assert "ruff check" in runs and ".ci/run" in runs and "modelatlas build" in runs
    ci_run = (WORKFLOWS.parents[1] / ".ci" / "run").read_text()
    assert "apt-get install" in ci_run and "chromium" in ci_run
