"""Rebuild the change log from the git history (``modelatlas history``): changes between published
snapshots only, from a baseline on.

A *published snapshot* is a commit ``modelatlas publish`` made: its message carries a
``Snapshot-Date:`` trailer (every publish commit) or a ``Snapshot-Tag:`` trailer (the first of a
day, also before ``Snapshot-Date`` existed). Each one's entries are its own change: the diff of
``data/providers`` between its first parent and itself, dated by its trailer, which is what publish
appended to the log when it made the commit (and survives a rebase). Hand edits, merges and the
commits that built the snapshot in the first place are not changes of the published catalog.

The *baseline* is the snapshot the log starts from: the parent of the oldest published snapshot,
or, before anything was published, ``HEAD`` itself (so the log is empty and says since when);
``--since REV`` names another. Its date, the newest ``last_refresh`` of its status blocks, goes to
``data/changes/baseline.json``: the log says "what changed since that day".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from modelatlas.changes.changelog import dated, track_removed
from modelatlas.changes.diff import Entry, diff_snapshots
from modelatlas.changes.snapshots import GitRepo, RevisionReader, Snapshot

DATE_TRAILER = "Snapshot-Date"
TAG_TRAILER = "Snapshot-Tag"
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_FIELDS = "%x1f".join(
    [
        "%H",
        "%P",
        "%ct",
        f"%(trailers:key={DATE_TRAILER},valueonly,separator=%x20)",
        f"%(trailers:key={TAG_TRAILER},valueonly,separator=%x20)",
    ]
)


@dataclass(frozen=True)
class Published:
    """A published snapshot: the commit, its first parent (None for a root commit) and its day."""

    commit: str
    parent: str | None
    day: str


@dataclass
class HistoryResult:
    entries: list[Entry] = field(default_factory=list)  # oldest first, dated
    commits: int = 0  # published snapshots walked
    baseline: str = ""  # the commit the log starts from
    baseline_date: str = ""  # YYYY-MM-DD


def _day(date_trailer: str, tag_trailer: str, stamp: str) -> str:
    for text in (date_trailer, tag_trailer):
        found = _DAY.search(text)
        if found:
            return found.group(0)
    return datetime.fromtimestamp(int(stamp), tz=UTC).strftime("%Y-%m-%d")


def published_snapshots(repo: GitRepo, since: str | None = None) -> list[Published]:
    """The published snapshots reachable from HEAD (after ``since``), oldest first."""
    span = f"{repo.resolve(since)}..HEAD" if since else "HEAD"
    log = ["log", "--reverse", "--topo-order", f"--format={_FIELDS}%x1e", span]
    out = repo.git(*log, what="cannot read the git history")
    found: list[Published] = []
    for record in out.split("\x1e"):
        fields = record.strip("\n").split("\x1f")
        if len(fields) != 5 or not (fields[3].strip() or fields[4].strip()):
            continue
        commit, parents, stamp, date_trailer, tag_trailer = fields
        parent = parents.split()[0] if parents.split() else None
        found.append(Published(commit, parent, _day(date_trailer, tag_trailer, stamp)))
    return found


def snapshot_date(snapshot: Snapshot, fallback: str) -> str:
    """The day of a snapshot: its newest ``last_refresh`` (``fallback`` if it has none)."""
    stamps = [str(s.get("last_refresh", "")) for s in snapshot.statuses.values()]
    days = [stamp[:10] for stamp in stamps if _DAY.fullmatch(stamp[:10])]
    return max(days, default=fallback)


def _commit_day(repo: GitRepo, commit: str) -> str:
    stamp = repo.git("log", "-1", "--format=%ct", commit, what="cannot read a commit").strip()
    return datetime.fromtimestamp(int(stamp), tz=UTC).strftime("%Y-%m-%d")


def rebuild_history(
    repo_path: Path, data_dir: Path, since: str | None = None, include_initial: bool = False
) -> HistoryResult:
    """The change log as publish wrote it: every published snapshot's own changes, from the baseline.

    ``include_initial`` reports the baseline's models as added (dated by the baseline).
    """
    with GitRepo(repo_path) as repo:
        prefix = repo.relative(data_dir if data_dir.is_absolute() else repo_path / data_dir)
        reader = RevisionReader(repo, prefix)
        published = published_snapshots(repo, since)
        if since:
            baseline = repo.resolve(since)
        elif published:
            baseline = published[0].parent or ""
        else:
            baseline = repo.resolve("HEAD")
        result = HistoryResult(commits=len(published), baseline=baseline)
        start = reader.snapshot_at(baseline, baseline[:12]) if baseline else Snapshot("empty")
        result.baseline_date = snapshot_date(start, _commit_day(repo, baseline) if baseline else "1970-01-01")
        removed: set[str] = set()
        if include_initial:
            added = diff_snapshots(Snapshot("empty"), start, removed)
            result.entries.extend(dated(added, result.baseline_date))
        snapshots: dict[str, Snapshot] = {baseline: start} if baseline else {}
        for snapshot in published:
            before = _snapshot(reader, snapshots, snapshot.parent)
            after = _snapshot(reader, snapshots, snapshot.commit)
            changes = diff_snapshots(before, after, removed)
            track_removed(removed, changes)
            result.entries.extend(dated(changes, snapshot.day))
            snapshots = {snapshot.commit: after}  # the next one's parent is usually this one
    return result


def _snapshot(reader: RevisionReader, known: dict[str, Snapshot], commit: str | None) -> Snapshot:
    if commit is None:
        return Snapshot("empty")
    if commit not in known:
        known[commit] = reader.snapshot_at(commit, commit[:12])
    return known[commit]
