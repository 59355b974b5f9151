"""publish --push against a local bare origin that others push to, or that is briefly unreachable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from modelatlas.changes.snapshots import GitRepo
from modelatlas.errors import ModelatlasError
from modelatlas.publish.push import PushTarget, land
from tests.paths import REPO
from tests.publish.test_publish import git, nightly, publish, remote_log, reprice

__all__ = ["nightly"]  # the fixture, used by name

NOW = {"MODELATLAS_NOW": "2026-11-27T03:17:00Z"}


def human_push(tmp: Path, remote: Path, name: str) -> str:
    """Someone else lands a commit on main (a clone of their own)."""
    other = tmp / f"human-{name}"
    git(tmp, "clone", "-q", str(remote), str(other))
    (other / f"{name}.md").write_text("by hand\n")
    git(other, "add", ".")
    git(other, "commit", "-q", "-m", f"docs: {name}")
    git(other, "push", "-q", "origin", "main")
    return git(other, "rev-parse", "HEAD").strip()


def test_a_push_that_lands_first_is_rebased_onto_and_the_tag_follows(nightly: dict[str, Path]) -> None:
    work, remote, tmp = nightly["work"], nightly["remote"], nightly["tmp"]
    assert publish(work, "--no-build", env=NOW).exit_code == 0
    theirs = human_push(tmp, remote, "notes")
    reprice(nightly["catalogs"], 2)
    result = publish(
        work, "--no-build", "--date", "2026-11-28", env={"MODELATLAS_NOW": "2026-11-28T03:17:00Z"}
    )
    assert result.exit_code == 0, result.output
    assert "rebased onto origin/main" in result.output
    assert remote_log(remote)[:2] == ["data: refresh 2026-11-28: 1 changed (1 field)", "docs: notes"]
    main = git(remote, "rev-parse", "main").strip()
    assert git(remote, "rev-parse", "main^").strip() == theirs
    assert git(remote, "rev-parse", "snapshot-2026-11-28^{commit}").strip() == main  # not the pre-rebase one
    assert git(work, "rev-parse", "HEAD").strip() == main and (work / "notes.md").is_file()


def test_a_failed_push_is_pushed_by_the_next_run(nightly: dict[str, Path]) -> None:
    work, remote, tmp = nightly["work"], nightly["remote"], nightly["tmp"]
    assert publish(work, "--no-build", env=NOW).exit_code == 0
    reprice(nightly["catalogs"], 2)
    away = tmp / "origin-away.git"
    remote.rename(away)  # origin unreachable for this run
    failed = publish(work, "--date", "2026-11-28", "--push-attempts", "1", env=NOW)
    assert failed.exit_code == 1
    assert "the next publish --push pushes them" in failed.output
    assert not (work / "build").exists()  # nothing built from a commit that did not land
    away.rename(remote)
    theirs = human_push(tmp, remote, "meanwhile")
    # Nothing new upstream this time: the run still lands what the failed one left behind.
    again = publish(work, "--date", "2026-11-29", env=NOW)
    assert again.exit_code == 0, again.output
    assert "pushed 1 commit(s) and 1 tag(s)" in again.output
    assert remote_log(remote)[:2] == ["data: refresh 2026-11-28: 1 changed (1 field)", "docs: meanwhile"]
    assert git(remote, "rev-parse", "main^").strip() == theirs
    assert git(remote, "rev-parse", "snapshot-2026-11-28^{commit}") == git(remote, "rev-parse", "main")
    changes = json.loads((work / "build" / "v1" / "changes.json").read_text())
    assert "2026-11-28" in json.dumps(changes)  # built from the landed commit
    quiet = publish(work, "--no-build", "--date", "2026-11-30", env=NOW)
    assert quiet.exit_code == 0 and "publish: pushed" not in quiet.output  # nothing left over


def test_pull_request_mode_pushes_a_branch_and_tags_only_once_merged(nightly: dict[str, Path]) -> None:
    work, remote, tmp = nightly["work"], nightly["remote"], nightly["tmp"]
    result = publish(work, "--no-build", env={**NOW, "MODELATLAS_PR_BRANCH": "modelatlas/refresh"})
    assert result.exit_code == 0, result.output
    assert remote_log(remote) == ["start"]
    branch = git(remote, "log", "--format=%s", "modelatlas/refresh").splitlines()
    assert branch[0].startswith("data: refresh 2026-11-27") and branch[1] == "start"
    assert git(remote, "tag", "--list") == ""  # an unmerged branch carries no snapshot tag
    # The next night replaces the bot's branch (still one pull request), rebased on main.
    human_push(tmp, remote, "notes")
    reprice(nightly["catalogs"], 2)
    again = publish(work, "--no-build", "--pr-branch", "modelatlas/refresh", "--date", "2026-11-28", env=NOW)
    assert again.exit_code == 0, again.output
    assert git(remote, "log", "--format=%s", "modelatlas/refresh").splitlines()[:3] == [
        "data: refresh 2026-11-28: 1 changed (1 field)",
        "data: refresh 2026-11-27: 6 added",
        "docs: notes",
    ]
    # The pull request merges (a merge commit); the run on that push tags the merged commits.
    reviewer = tmp / "reviewer"
    git(tmp, "clone", "-q", str(remote), str(reviewer))
    git(reviewer, "merge", "-q", "--no-ff", "-m", "Merge the nightly refresh", "origin/modelatlas/refresh")
    git(reviewer, "push", "-q", "origin", "main")
    deploy = tmp / "deploy"
    git(tmp, "clone", "-q", str(remote), str(deploy))
    built = publish(deploy, "--no-fetch", "--no-commit", env=NOW)
    assert built.exit_code == 0, built.output
    tip = git(remote, "rev-parse", "modelatlas/refresh").strip()
    assert git(remote, "rev-parse", "snapshot-2026-11-28^{commit}").strip() == tip
    assert (
        git(remote, "rev-parse", "snapshot-2026-11-27^{commit}").strip()
        == git(remote, "rev-parse", f"{tip}^").strip()
    )
    assert (deploy / "build" / "v1" / "index.json").is_file()


def test_land_retries_a_rejected_push_then_gives_up_with_one_line(nightly: dict[str, Path]) -> None:
    work, remote = nightly["work"], nightly["remote"]
    (work / "x.md").write_text("x\n")
    git(work, "add", "x.md")
    git(work, "commit", "-q", "-m", "x")
    hook = remote / "hooks" / "pre-receive"
    marker = nightly["tmp"] / "rejected-once"
    hook.write_text(f"#!/bin/sh\n[ -e {marker} ] && exit 0\ntouch {marker}\necho busy >&2\nexit 1\n")
    hook.chmod(0o755)
    waits: list[float] = []
    with GitRepo(work) as repo:
        landed = land(repo, PushTarget(attempts=3), lambda _: None, sleep=waits.append)
    assert (landed.attempts, landed.commits, waits) == (2, 1, [2.0])
    assert remote_log(remote)[0] == "x"
    marker.unlink()
    hook.write_text("#!/bin/sh\nexit 1\n")
    git(work, "commit", "-q", "--allow-empty", "-m", "y")
    with GitRepo(work) as repo:
        try:
            land(repo, PushTarget(attempts=2), lambda _: None, sleep=waits.append)
        except ModelatlasError as exc:
            assert "gave up after 2 attempts" in exc.message and "\n" not in exc.message
        else:
            raise AssertionError("a push the remote always rejects must fail")


def test_what_is_built_is_exactly_the_pushed_commit(nightly: dict[str, Path]) -> None:
    work, remote, tmp = nightly["work"], nightly["remote"], nightly["tmp"]
    assert publish(work, "--no-build", env=NOW).exit_code == 0
    later = publish(work, "--date", "2026-11-28", env={"MODELATLAS_NOW": "2026-11-28T03:17:00Z"})
    assert later.exit_code == 0, later.output
    assert git(work, "status", "--porcelain", "--", "data") == ""
    clone = tmp / "rebuild"
    git(tmp, "clone", "-q", "--branch", "snapshot-2026-11-28", str(remote), str(clone))
    build = [sys.executable, "-m", "modelatlas", "build", "--data", "data", "--out", "build"]
    subprocess.run(build, cwd=clone, check=True)
    index = json.loads((clone / "build" / "v1" / "index.json").read_text())
    assert index["snapshot_time"] == "2026-11-28T03:17:00Z"  # the newest status block in that commit
    assert files(work / "build") == files(clone / "build")


def files(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_detached_head_must_name_its_branch_before_anything_runs(nightly: dict[str, Path]) -> None:
    work = nightly["work"]
    git(work, "checkout", "-q", "--detach")
    result = publish(work, "--no-build", env=NOW)
    assert result.exit_code == 2
    assert result.output.strip().endswith("detached HEAD; pass --branch to say which branch to push to")
    assert not (work / "data").exists()  # nothing fetched or committed
    named = publish(work, "--no-build", "--branch", "main", env=NOW)
    assert named.exit_code == 0, named.output
    assert remote_log(nightly["remote"])[0].startswith("data: refresh 2026-11-27")


def resize_anthropic(catalogs: Path, tokens: int) -> None:
    """A new Claude 3.5 Sonnet context window (models.dev is the one catalog listing Anthropic here;
    a limit, since Anthropic's stated price rules derive its cache and batch prices from a new input
    price, which would change several fields)."""
    path = catalogs / "models.dev.json"
    catalog = json.loads(path.read_text())
    catalog["anthropic"]["models"]["claude-3-5-sonnet-20241022"]["limit"]["context"] = tokens
    path.write_text(json.dumps(catalog))


def publish_process(work: Path, provider: str, push: bool = True) -> subprocess.Popen[str]:
    """``modelatlas publish [--push]`` of one provider, as a real process (as two runners would)."""
    command = [
        sys.executable, "-m", "modelatlas", "publish", "--repo", str(work), "--no-build",
        "--date", "2026-11-28", "--fetch-arg=--provider", f"--fetch-arg={provider}",
        *(["--push"] if push else []),
    ]
    env = {**os.environ, "MODELATLAS_NOW": "2026-11-28T03:17:00Z", "PYTHONPATH": str(REPO / "src")}
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def rebuilt_log(tmp: Path, remote: Path) -> tuple[str, str]:
    """The change log a fresh clone of the remote holds, and what ``modelatlas history`` rebuilds."""
    clone = tmp / "check"
    git(tmp, "clone", "-q", str(remote), str(clone))
    committed = "".join(p.read_text() for p in sorted((clone / "data" / "changes").glob("*.jsonl")))
    history = subprocess.run(
        [sys.executable, "-m", "modelatlas", "history", "--repo", str(clone), "--dry-run"],
        capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    return committed, history.stdout


def test_two_concurrent_publishes_of_different_providers_both_land(nightly: dict[str, Path]) -> None:
    """Both runs append to data/changes/2026-11.jsonl; the one that lands second rebases onto the
    first and its log lines go after the first one's instead of stopping on a conflict."""
    work, remote, tmp = nightly["work"], nightly["remote"], nightly["tmp"]
    assert publish(work, "--no-build", env=NOW).exit_code == 0
    other = tmp / "other-runner"
    git(tmp, "clone", "-q", str(remote), str(other))
    reprice(nightly["catalogs"], 2)
    resize_anthropic(nightly["catalogs"], 300_000)
    hook = remote / "hooks" / "pre-receive"  # each push holds the door a moment: the runs overlap
    hook.write_text("#!/bin/sh\nsleep 1\n")
    hook.chmod(0o755)
    runs = [publish_process(work, "openai"), publish_process(other, "anthropic")]
    outputs = [run.communicate(timeout=240)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert sum("rebased onto origin/main" in output for output in outputs) == 1, outputs
    titles = remote_log(remote)
    assert sorted(titles[:2]) == ["data: refresh 2026-11-28: 1 changed (1 field)"] * 2, titles
    assert titles[2].startswith("data: refresh 2026-11-27")
    committed, rebuilt = rebuilt_log(tmp, remote)
    changed = [json.loads(line) for line in committed.splitlines() if '"kind":"changed"' in line]
    assert {(e["model"], e["field"]) for e in changed} == {
        ("openai/gpt-4o", "pricing.prompt"),
        ("anthropic/claude-3-5-sonnet-20241022", "context_length"),
    }
    assert committed == rebuilt  # the log is exactly the published snapshots' own changes
    assert git(remote, "tag", "--list") == "snapshot-2026-11-27\nsnapshot-2026-11-28\n"


def test_a_run_left_behind_by_a_log_conflict_is_landed_by_the_next_run(nightly: dict[str, Path]) -> None:
    """A run commits its change (here without --push, as a run whose push failed), another runner
    lands a change of another provider meanwhile: the next publish --push of the first checkout
    lands the commit left behind, with nothing new of its own and no hands."""
    work, remote, tmp = nightly["work"], nightly["remote"], nightly["tmp"]
    assert publish(work, "--no-build", env=NOW).exit_code == 0
    other = tmp / "other-runner"
    git(tmp, "clone", "-q", str(remote), str(other))
    reprice(nightly["catalogs"], 2)
    behind = publish_process(work, "openai", push=False)
    behind_output = behind.communicate(timeout=240)[0]
    assert behind.returncode == 0, behind_output
    resize_anthropic(nightly["catalogs"], 300_000)
    first = publish_process(other, "anthropic")
    assert first.wait(timeout=240) == 0
    again = publish_process(work, "openai")  # nothing new: the catalogs say what the commit says
    again_output = again.communicate(timeout=240)[0]
    assert again.returncode == 0, again_output
    assert "rebased onto origin/main" in again_output and "pushed 1 commit(s)" in again_output
    assert remote_log(remote)[:2] == [
        "data: refresh 2026-11-28: 1 changed (1 field)",
        "data: refresh 2026-11-28: 1 changed (1 field)",
    ]
    committed, rebuilt = rebuilt_log(tmp, remote)
    assert committed == rebuilt and committed.count('"kind":"changed"') == 2
