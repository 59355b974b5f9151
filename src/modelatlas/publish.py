"""The nightly job as one command (``modelatlas publish``), runnable locally without GitHub.

fetch (a child process) → validate → diff ``data/providers`` against the last commit → when models
changed, append the change entries to ``data/changes/``, commit (markdown diff as the message
body) and tag ``snapshot-<date>``, optionally push → build → job summary (markdown diff +
per-provider status) to ``$GITHUB_STEP_SUMMARY``.
Status-block-only differences (``last_refresh``…) are not commits. Fetch exit 3 (some providers
stale) still publishes, but the run is marked: exit 3, a warning annotation, ``stale=true`` output.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from modelatlas.changes import changelog
from modelatlas.changes.diff import diff_snapshots
from modelatlas.changes.report import format_markdown, headline, md_cell
from modelatlas.changes.snapshots import GitRepo, RevisionReader, Snapshot, load_folder
from modelatlas.errors import EXIT_OK, EXIT_PARTIAL, InputError, ModelatlasError
from modelatlas.ids import PROVIDER_IDS
from modelatlas.render.build import assemble
from modelatlas.validate.checks import check_data

Entry = dict[str, Any]
BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"
MESSAGE_ROWS = 200  # rows per table in the commit message and job summary


@dataclass
class PublishOptions:
    repo: Path
    data_dir: Path  # absolute, inside repo
    out_dir: Path
    fetch: bool = True
    fetch_args: tuple[str, ...] = ()
    build: bool = True
    commit: bool = True
    push: bool = False
    remote: str = "origin"
    branch: str | None = None
    date: str | None = None
    summary_path: Path | None = None
    output_path: Path | None = None  # $GITHUB_OUTPUT
    base_url: str | None = None  # build --base-url


@dataclass
class PublishResult:
    stale: bool = False
    entries: list[Entry] = field(default_factory=list)
    commit: str | None = None
    tag: str | None = None
    stale_providers: list[str] = field(default_factory=list)
    pushed: bool = False
    built: bool = False
    summary: str = ""

    @property
    def exit_code(self) -> int:
        return EXIT_PARTIAL if self.stale else EXIT_OK


def run_stage(args: list[str], cwd: Path) -> int:
    """Run one ``modelatlas`` sub-command in a child process (its output goes to ours)."""
    sys.stdout.flush()
    return subprocess.run([sys.executable, "-m", "modelatlas", *args], cwd=cwd, check=False).returncode


def committed_snapshot(repo: GitRepo, data_prefix: str) -> Snapshot:
    """The models committed at HEAD (empty when there is no commit or no data yet)."""
    try:
        head = repo.resolve("HEAD")
    except InputError:
        return Snapshot("HEAD (no commit)")
    return RevisionReader(repo, data_prefix).snapshot_at(head, f"HEAD ({head[:12]})")


def status_table(snapshot: Snapshot) -> str:
    rows = ["| provider | models | source | last refresh | stale | reason |", "|---|---|---|---|---|---|"]
    for provider in PROVIDER_IDS:
        status = snapshot.statuses.get(provider)
        if status is None:
            rows.append(f"| {provider} | – | no data file | | | |")
            continue
        rows.append(
            "| "
            + " | ".join(
                [
                    provider,
                    str(status.get("count", "")),
                    md_cell(str(status.get("source", ""))),
                    md_cell(str(status.get("last_refresh", ""))),
                    "**stale**" if status.get("stale") else "no",
                    md_cell(str(status.get("reason", ""))),
                ]
            )
            + " |"
        )
    return "\n".join(rows) + "\n"


def stale_providers(snapshot: Snapshot, fetch_partial: bool = False) -> list[str]:
    """Providers marked stale; after a partial fetch also those left without any data file."""
    return [
        p
        for p in PROVIDER_IDS
        if snapshot.statuses.get(p, {}).get("stale") or (fetch_partial and p not in snapshot.statuses)
    ]


def _git(repo: GitRepo, *args: str, what: str) -> str:
    identity: list[str] = []
    if (
        args[0] == "commit"
        and not repo.git("config", "--default", "", "user.email", what="git config").strip()
    ):
        identity = ["-c", f"user.name={BOT_NAME}", "-c", f"user.email={BOT_EMAIL}"]
    return repo.git(*identity, *args, what=what)


def commit_changes(repo: GitRepo, paths: list[str], title: str, body: str) -> str:
    """Commit exactly ``paths`` with a verbatim message (markdown headings start with '#')."""
    _git(repo, "add", "--", *paths, what=f"cannot stage {', '.join(paths)}")
    message = f"{title}\n\n{body}"
    _git(
        repo,
        "commit",
        "--quiet",
        "--cleanup=verbatim",
        "-m",
        message,
        "--",
        *paths,
        what="git commit of the refreshed data failed",
    )
    return repo.git("rev-parse", "HEAD", what="cannot read the new commit").strip()


def tag_snapshot(repo: GitRepo, date: str) -> str | None:
    """Tag the data commit ``snapshot-<date>`` (the first of that day keeps the tag); None if taken."""
    tag = f"snapshot-{date}"
    if repo.git("tag", "--list", tag, what="cannot list tags").strip():
        return None
    repo.git("tag", tag, "HEAD", what=f"cannot create tag {tag}")
    return tag


def push(repo: GitRepo, remote: str, branch: str | None, tag: str | None) -> None:
    target = (
        branch or repo.git("rev-parse", "--abbrev-ref", "HEAD", what="cannot tell the current branch").strip()
    )
    refs = [f"HEAD:refs/heads/{target}"] + ([f"refs/tags/{tag}:refs/tags/{tag}"] if tag else [])
    repo.git(
        "push",
        "--quiet",
        "--atomic",
        remote,
        *refs,
        what=f"git push to {remote} {target} failed; pull and re-run, or check the token has contents: write",
    )


def _write_outputs(options: PublishOptions, result: PublishResult) -> None:
    if options.summary_path is not None:
        with options.summary_path.open("a", encoding="utf-8") as handle:
            handle.write(result.summary)
    if options.output_path is not None:
        with options.output_path.open("a", encoding="utf-8") as handle:
            handle.write(f"stale={'true' if result.stale else 'false'}\n")
            handle.write(f"changed={'true' if result.entries else 'false'}\n")
            handle.write(f"commit={result.commit or ''}\n")


def run_publish(options: PublishOptions, log: Callable[[str], None]) -> PublishResult:
    """The nightly job. With ``commit=False`` (a dry run) fetch refreshes a scratch copy of the data
    folder, which the diff and the build then read: no tracked file is touched."""
    if not (options.fetch and not options.commit):
        return _publish(options, log, options.data_dir)
    with tempfile.TemporaryDirectory(prefix="modelatlas-dry-run-") as scratch:
        data_dir = Path(scratch) / "data"
        if options.data_dir.is_dir():
            shutil.copytree(options.data_dir, data_dir)
        log(f"publish: --no-commit: fetching into a scratch copy of {options.data_dir}")
        return _publish(options, log, data_dir)


def _publish(options: PublishOptions, log: Callable[[str], None], data_dir: Path) -> PublishResult:
    result = PublishResult()
    date = options.date or datetime.now(UTC).strftime("%Y-%m-%d")
    data_arg = str(data_dir)
    if options.fetch:
        code = run_stage(["fetch", "--data", data_arg, *options.fetch_args], options.repo)
        if code not in (EXIT_OK, EXIT_PARTIAL):
            raise ModelatlasError(
                f"fetch failed (exit {code}); nothing committed or built — see its messages above"
            )
        result.stale = code == EXIT_PARTIAL
    _, report = check_data(data_dir)
    if report.problems:
        more = f" (and {len(report.problems) - 1} more)" if len(report.problems) > 1 else ""
        raise ModelatlasError(f"validation failed, nothing committed or built: {report.problems[0]}{more}")
    with GitRepo(options.repo) as repo:
        prefix = repo.relative(options.data_dir)
        old = committed_snapshot(repo, prefix)
        new = load_folder(data_dir)
        result.stale = result.stale or bool(stale_providers(new))
        previously_removed = changelog.removed_models(changelog.read_log(options.data_dir))
        result.entries = changelog.dated(diff_snapshots(old, new, previously_removed), date)
        new_label = f"{prefix} ({date})"
        markdown = format_markdown(result.entries, old.label, new_label, limit=MESSAGE_ROWS)
        log(f"publish: {headline(result.entries)}")
        if result.entries and options.commit:
            changelog.append_changes(options.data_dir, result.entries)
            paths = [f"{prefix}/providers", f"{prefix}/changes"]
            title = f"data: refresh {date}: {headline(result.entries)}"
            result.commit = commit_changes(repo, paths, title, markdown)
            result.tag = tag_snapshot(repo, date)
            log(f"publish: committed {result.commit[:12]}" + (f", tagged {result.tag}" if result.tag else ""))
            if options.push:
                push(repo, options.remote, options.branch, result.tag)
                result.pushed = True
                log(f"publish: pushed to {options.remote}")
    if options.build:
        built = assemble(data_dir, options.out_dir, base_url=options.base_url)
        log(
            f"publish: built {options.out_dir}: {built.written} written, {built.unchanged} unchanged, "
            f"{built.removed} removed"
        )
        result.built = True
    stale = result.stale_providers = stale_providers(new, fetch_partial=result.stale)
    result.summary = "\n".join(
        [
            f"## modelatlas refresh {date}",
            "",
            *(
                [
                    f"> **Warning:** stale, kept last good data: {', '.join(stale) or 'see log'}",
                    "",
                ]
                if result.stale
                else []
            ),
            markdown,
            "### Providers",
            "",
            status_table(new),
        ]
    )
    _write_outputs(options, result)
    return result
