"""The nightly job as one command (``modelatlas publish``), runnable locally without GitHub.

fetch (a child process) → validate → diff ``data/providers`` against the last commit → commit:
when models changed, the change entries are appended to ``data/changes/`` and the commit carries
the markdown diff; when only status blocks changed (``last_refresh``, ``stale``…), a status commit.
Either is tagged ``snapshot-<date>`` (first of the day) → optionally land it (fetch, rebase, push
with retries, see :mod:`modelatlas.publish.push`) → build from exactly that commit → job summary (markdown
diff + per-provider status) to ``$GITHUB_STEP_SUMMARY``.
Fetch exit 3 (some providers stale) still publishes, but the run is marked: exit 3, a warning
annotation, ``stale=true`` output.
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

from modelatlas.changes import changelog
from modelatlas.changes.diff import Entry, diff_snapshots
from modelatlas.changes.history import DATE_TRAILER, TAG_TRAILER
from modelatlas.changes.report import format_markdown, headline, md_cell
from modelatlas.changes.snapshots import GitRepo, RevisionReader, Snapshot, load_folder
from modelatlas.errors import EXIT_OK, EXIT_PARTIAL, InputError, ModelatlasError
from modelatlas.ids import provider_ids
from modelatlas.publish.push import TAG_PREFIX, PushTarget, identity, land
from modelatlas.render.build import assemble
from modelatlas.validate import check_data
from modelatlas.validate.data_folder import require_complete_data

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
    push_branch: str | None = None  # pull-request mode: push here, not to ``branch``
    attempts: int = 3
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
    head: str = ""  # the commit the build is made from
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
    for provider in provider_ids():
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
        for p in provider_ids()
        if snapshot.statuses.get(p, {}).get("stale") or (fetch_partial and p not in snapshot.statuses)
    ]


def commit_data(
    repo: GitRepo, paths: list[str], title: str, body: str, date: str, tag: str | None
) -> str:
    """Commit exactly ``paths`` with a verbatim message (markdown headings start with '#'). Its
    trailers name the snapshot's day (what makes it a published snapshot for ``history``) and its
    tag, if it is the first of the day (the tag follows the commit through a rebase, see push.py)."""
    paths = [p for p in paths if (repo.root / p).exists()]
    repo.git("add", "--all", "--", *paths, what=f"cannot stage {', '.join(paths)}")
    trailers = f"{DATE_TRAILER}: {date}\n" + (f"{TAG_TRAILER}: {tag}\n" if tag else "")
    message = f"{title}\n\n{body.rstrip()}\n\n{trailers}"
    repo.git(
        *identity(repo),
        "commit",
        "--quiet",
        "--cleanup=verbatim",
        "-m",
        message,
        "--",
        *paths,
        what="git commit of the refreshed data failed",
    )
    if tag:
        repo.git("tag", tag, "HEAD", what=f"cannot create tag {tag}")
    return repo.git("rev-parse", "HEAD", what="cannot read the new commit").strip()


def free_tag(repo: GitRepo, date: str) -> str | None:
    """``snapshot-<date>`` unless taken (the first commit of a day keeps the tag)."""
    tag = f"{TAG_PREFIX}{date}"
    return None if repo.git("tag", "--list", tag, what="cannot list tags").strip() else tag


def uncommitted(repo: GitRepo, paths: list[str]) -> list[str]:
    out = repo.git("status", "--porcelain", "--untracked-files=all", "--", *paths, what="git status failed")
    return [line[3:] for line in out.splitlines()]


def status_title(date: str, snapshot: Snapshot) -> str:
    stale = stale_providers(snapshot)
    return f"data: status {date}: " + (f"stale: {', '.join(stale)}" if stale else "every provider fresh")


def _write_outputs(options: PublishOptions, result: PublishResult) -> None:
    if options.summary_path is not None:
        with options.summary_path.open("a", encoding="utf-8") as handle:
            handle.write(result.summary)
    if options.output_path is not None:
        with options.output_path.open("a", encoding="utf-8") as handle:
            handle.write(f"stale={'true' if result.stale else 'false'}\n")
            handle.write(f"changed={'true' if result.entries else 'false'}\n")
            handle.write(f"commit={result.commit or ''}\n")
            handle.write(f"head={result.head}\n")


def _commit(
    repo: GitRepo, paths: list[str], result: PublishResult, date: str, markdown: str, new: Snapshot
) -> None:
    """Models changed: a refresh commit with the change table; else the status blocks alone."""
    title = f"data: refresh {date}: {headline(result.entries)}" if result.entries else status_title(date, new)
    body = markdown if result.entries else status_table(new)
    result.tag = free_tag(repo, date)
    result.commit = commit_data(repo, paths, title, body, date, result.tag)


def target_branch(repo: GitRepo, options: PublishOptions) -> str:
    """--branch, or the checked-out branch (a detached HEAD must name one)."""
    branch = (
        options.branch
        or repo.git("rev-parse", "--abbrev-ref", "HEAD", what="cannot tell the current branch").strip()
    )
    if branch == "HEAD":
        raise InputError("the checkout is on a detached HEAD; pass --branch to say which branch to push to")
    return branch


def _push(
    repo: GitRepo, options: PublishOptions, branch: str, result: PublishResult, log: Callable[[str], None]
) -> None:
    target = PushTarget(options.remote, branch, options.push_branch, options.attempts)
    landed = land(repo, target, log)
    result.pushed = True
    if landed.commits or landed.tags:
        where = f"{options.remote} {options.push_branch or branch}"
        log(f"publish: pushed {landed.commits} commit(s) and {len(landed.tags)} tag(s) to {where}")
    if result.commit:  # a rebase gave it a new id
        result.commit = repo.git("rev-parse", "HEAD", what="cannot read HEAD").strip()


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
    with GitRepo(options.repo) as repo:  # before fetching: a run that cannot diff or push should not start
        branch = target_branch(repo, options) if options.push else ""
    if options.fetch:
        code = run_stage(["fetch", "--data", data_arg, *options.fetch_args], options.repo)
        if code not in (EXIT_OK, EXIT_PARTIAL):
            raise ModelatlasError(
                f"fetch failed (exit {code}); nothing committed or built — see its messages above"
            )
        result.stale = code == EXIT_PARTIAL
    # The one check of the folder, as build's (a provider a failed fetch left without a file is stale).
    require_complete_data(data_dir, allow_missing=True)
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
        # the providers' files, the change log and the lists a live fetch kept (data/lists/)
        paths = [f"{prefix}/providers", f"{prefix}/changes", f"{prefix}/lists"]
        if options.commit:
            if result.entries:
                changelog.append_changes(options.data_dir, result.entries)
            if uncommitted(repo, paths):
                _commit(repo, paths, result, date, markdown, new)
                tagged = f", tagged {result.tag}" if result.tag else ""
                log(f"publish: committed {(result.commit or '')[:12]}{tagged}")
            left = uncommitted(repo, paths)
            if left:  # the deploy is built from the working tree: it must be exactly a commit
                raise ModelatlasError(f"{left[0]} is still uncommitted; the build would not match a commit")
        if options.push:
            _push(repo, options, branch, result, log)
        result.head = repo.git("rev-parse", "HEAD", what="cannot read HEAD").strip()
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
