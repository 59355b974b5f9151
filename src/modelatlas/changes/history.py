"""Rebuild the change log from the git history of ``data/providers`` (``modelatlas history``).

Walks the first-parent commits that touched ``data/providers`` oldest first, diffs each snapshot
against the previous one and dates the entries by the commit's UTC committer date. The first
snapshot is the baseline (its models are not reported as added unless asked), so a log lost or
never kept can be recovered, and old snapshots can be compared from the same walk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from modelatlas.changes.changelog import dated, track_removed
from modelatlas.changes.diff import Entry, diff_snapshots
from modelatlas.changes.snapshots import GitRepo, RevisionReader, Snapshot
from modelatlas.errors import InputError


@dataclass(frozen=True)
class HistoryResult:
    entries: list[Entry]  # oldest first, dated
    commits: int  # commits walked (snapshots compared)


def commits_touching(repo: GitRepo, folder: str) -> list[tuple[str, str]]:
    """(commit, UTC day) of first-parent commits that touched ``folder``, oldest first."""
    out = repo.git(
        "log",
        "--first-parent",
        "--reverse",
        "--format=%H %ct",
        "HEAD",
        "--",
        folder,
        what=f"cannot read the git history of {folder}",
    )
    commits: list[tuple[str, str]] = []
    for line in out.splitlines():
        commit, _, stamp = line.partition(" ")
        day = datetime.fromtimestamp(int(stamp), tz=UTC).strftime("%Y-%m-%d")
        commits.append((commit, day))
    return commits


def rebuild_history(
    repo_path: Path, data_dir: Path, since: str | None = None, include_initial: bool = False
) -> HistoryResult:
    """Every change between consecutive snapshots of ``data_dir/providers`` in the repository's history.

    With ``since``, only changes of commits after that revision are returned, but the walk still
    starts at the first snapshot so a model removed earlier and listed again counts as re-added.
    """
    with GitRepo(repo_path) as repo:
        prefix = repo.relative(data_dir if data_dir.is_absolute() else repo_path / data_dir)
        reader = RevisionReader(repo, prefix)
        commits = commits_touching(repo, reader.providers_folder)
        if not commits:
            raise InputError(
                f"no commit touches {reader.providers_folder} in {repo.root}; nothing to rebuild"
            )
        wanted: set[str] | None = None
        if since:
            listed = repo.git(
                "rev-list", f"{repo.resolve(since)}..HEAD", what=f"cannot list commits after {since}"
            )
            wanted = set(listed.split())
        entries: list[Entry] = []
        previous: Snapshot | None = Snapshot("empty") if include_initial and not since else None
        removed: set[str] = set()
        for commit, day in commits:
            current = reader.snapshot_at(commit, commit[:12])
            if previous is not None:
                changes = diff_snapshots(previous, current, removed)
                track_removed(removed, changes)
                if wanted is None or commit in wanted:
                    entries.extend(dated(changes, day))
            previous = current
    return HistoryResult(entries, len(commits))
