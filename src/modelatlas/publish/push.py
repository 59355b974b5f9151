"""Landing the nightly's commit on a remote that others push to too.

:func:`land` fetches the target branch, rebases the local commits onto it, re-points the snapshot
tags of the rebased commits, and pushes branch and tags in one atomic push, retrying a bounded
number of times (someone may push between our fetch and our push). It pushes whatever is local
and not on the remote, so a run after a failed push lands the commit and tag the failed run left.

Each nightly commit names its tag in a ``Snapshot-Tag:`` trailer; the tag is re-created from the
trailer after a rebase, so it always points at the commit that landed, never at a pre-rebase one.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from modelatlas.changes.history import TAG_TRAILER
from modelatlas.changes.snapshots import GitRepo
from modelatlas.errors import InputError, ModelatlasError

TAG_PREFIX = "snapshot-"
DEFAULT_ATTEMPTS = 3
RECENT_COMMITS = 200  # how far back merged commits are checked for a missing snapshot tag
_CREDENTIALS = re.compile(r"://[^/@\s]+@")
_CHANGE_LOG = re.compile(r"(^|/)changes/[0-9]{4}-[0-9]{2}\.jsonl$")
BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"


@dataclass(frozen=True)
class PushTarget:
    remote: str = "origin"
    branch: str = "main"  # rebase onto this branch of the remote
    push_branch: str | None = None  # push to another branch (a pull request's head); default: branch
    attempts: int = DEFAULT_ATTEMPTS
    backoff: float = 2.0  # seconds before the 2nd attempt, doubled after each failure

    @property
    def head_ref(self) -> str:
        return f"refs/heads/{self.push_branch or self.branch}"


@dataclass
class Landed:
    commits: int = 0  # local commits pushed (including any an earlier run left)
    tags: list[str] = field(default_factory=list)
    attempts: int = 0


def identity(repo: GitRepo) -> list[str]:
    """``-c user.name/email`` of the bot when the checkout has no identity (commits and rebases)."""
    if repo.git("config", "--default", "", "user.email", what="git config").strip():
        return []
    return ["-c", f"user.name={BOT_NAME}", "-c", f"user.email={BOT_EMAIL}"]


def trailer_tag(repo: GitRepo, commit: str) -> str | None:
    value = repo.git(
        "log", "-1", f"--format=%(trailers:key={TAG_TRAILER},valueonly)", commit, what="cannot read a commit"
    ).strip()
    return value if value.startswith(TAG_PREFIX) else None


def _fetch(repo: GitRepo, target: PushTarget) -> str | None:
    """The remote branch's commit after fetching it (None: the branch does not exist there yet)."""
    tracking = f"refs/modelatlas/remote-{target.branch}"
    listed = repo.git(
        "ls-remote",
        "--heads",
        target.remote,
        f"refs/heads/{target.branch}",
        what=f"cannot reach {target.remote}",
    ).strip()
    if not listed:
        return None
    repo.git(
        "fetch",
        "--quiet",
        "--no-tags",
        target.remote,
        f"+refs/heads/{target.branch}:{tracking}",
        what=f"git fetch {target.remote} {target.branch} failed",
    )
    return repo.git("rev-parse", tracking, what="cannot read the fetched branch").strip()


def _is_ancestor(repo: GitRepo, older: str, newer: str) -> bool:
    try:
        repo.git("merge-base", "--is-ancestor", older, newer, what="not an ancestor")
    except InputError:
        return False
    return True


def _rebase(repo: GitRepo, onto: str) -> None:
    """Rebase the local commits onto ``onto``. The change log cannot conflict: where both sides
    appended to one month file, the commit's own lines go after the remote's (each publish commit's
    lines are its own change, see :mod:`modelatlas.changes.history`). Any other conflict (the same
    provider file changed on both sides) aborts the rebase with one line."""
    step = [*identity(repo), "-c", "core.editor=true", "rebase", "--quiet"]
    try:
        repo.git(*step, onto, what="rebase failed")
        return
    except InputError as exc:
        error = exc.message
    for _ in range(RECENT_COMMITS):  # one round per replayed commit that conflicted
        conflicted = repo.git("diff", "--name-only", "--diff-filter=U", what="git diff failed").split()
        if not conflicted or not all(_CHANGE_LOG.search(path) for path in conflicted):
            break
        for path in conflicted:
            if not _replay_log_lines(repo, path):
                break
        else:
            try:
                repo.git(*step[:-1], "--continue", what="rebase failed")
                return
            except InputError as exc:
                error = exc.message
                continue
        break
    repo.git("rebase", "--abort", what="git rebase --abort failed")
    raise ModelatlasError(
        f"the local data commit conflicts with the remote ({error}); nothing pushed. "
        "Reset to the remote branch and re-run publish: it recomputes the change from the data."
    ) from None


def _show(repo: GitRepo, revision: str, path: str) -> bytes:
    try:
        return repo.git("show", f"{revision}:{path}", what="no such file").encode("utf-8")
    except InputError:
        return b""


def _replay_log_lines(repo: GitRepo, path: str) -> bool:
    """Resolve a month file of the log as (the rebased branch's file) + (the lines the commit being
    replayed appended to it); False if that commit did more than append."""
    before, after = _show(repo, "REBASE_HEAD^", path), _show(repo, "REBASE_HEAD", path)
    if not after.startswith(before):
        return False
    base = _show(repo, "HEAD", path)
    if base and not base.endswith(b"\n"):
        base += b"\n"
    (repo.root / path).write_bytes(base + after[len(before) :])
    repo.git("add", "--", path, what=f"cannot stage {path}")
    return True


def _remote_tags(repo: GitRepo, remote: str) -> set[str]:
    out = repo.git(
        "ls-remote", "--tags", remote, f"refs/tags/{TAG_PREFIX}*", what=f"cannot list tags of {remote}"
    )
    return {line.split("\t", 1)[1].removeprefix("refs/tags/") for line in out.splitlines() if "\t" in line}


def _local_tags(repo: GitRepo) -> dict[str, str]:
    out = repo.git(
        "for-each-ref",
        "--format=%(refname:short) %(objectname) %(*objectname)",
        f"refs/tags/{TAG_PREFIX}*",
        what="cannot list local tags",
    )
    tags = {}
    for line in out.splitlines():
        name, obj, peeled = [*line.split(" "), ""][:3]
        tags[name] = peeled or obj
    return tags


def _retag(repo: GitRepo, base: str | None) -> None:
    """Point each unpushed commit's trailer tag at that commit (after a rebase it moved)."""
    span = f"{base}..HEAD" if base else "HEAD"
    for commit in repo.git("rev-list", "--reverse", span, what="cannot list local commits").split():
        tag = trailer_tag(repo, commit)
        if tag:
            repo.git("tag", "--force", tag, commit, what=f"cannot create tag {tag}")


def _restore_merged_tags(repo: GitRepo) -> None:
    """Create the tags that recent commits name but no tag carries yet (a pull request's commits,
    once merged; their tags are pushed from main, never from the unmerged branch)."""
    log = repo.git(
        "log",
        f"-{RECENT_COMMITS}",
        f"--format=%H %(trailers:key={TAG_TRAILER},valueonly,separator=%x20)",
        "HEAD",
        what="cannot read recent commits",
    )
    existing = _local_tags(repo)
    for line in log.splitlines():
        commit, _, tag = line.partition(" ")
        tag = tag.strip()
        if tag.startswith(TAG_PREFIX) and " " not in tag and tag not in existing:
            repo.git("tag", tag, commit, what=f"cannot create tag {tag}")
            existing[tag] = commit


def _tags_to_push(repo: GitRepo, target: PushTarget) -> list[str]:
    """Local snapshot tags on HEAD's history the remote does not have (this run's or a failed one's)."""
    on_remote = _remote_tags(repo, target.remote)
    return sorted(
        name
        for name, commit in _local_tags(repo).items()
        if name not in on_remote and _is_ancestor(repo, commit, "HEAD")
    )


def land(
    repo: GitRepo,
    target: PushTarget,
    log: Callable[[str], None],
    sleep: Callable[[float], None] = time.sleep,
) -> Landed:
    """Fetch, rebase, push (atomic: branch and tags together); retry up to ``target.attempts``."""
    landed = Landed()
    last_error = ""
    for attempt in range(1, max(1, target.attempts) + 1):
        landed.attempts = attempt
        try:
            base = _fetch(repo, target)
            if base is not None and not _is_ancestor(repo, base, "HEAD"):
                _rebase(repo, base)
                log(f"publish: rebased onto {target.remote}/{target.branch} ({base[:12]})")
            _retag(repo, base)
            span = f"{base}..HEAD" if base else "HEAD"
            landed.commits = int(repo.git("rev-list", "--count", span, what="cannot count commits").strip())
            if not target.push_branch:  # tags go with main only, never with an unmerged branch
                _restore_merged_tags(repo)
                landed.tags = _tags_to_push(repo, target)
            if not landed.commits and not landed.tags and not target.push_branch:
                return landed
            refs = [f"HEAD:{target.head_ref}"] + [f"refs/tags/{t}:refs/tags/{t}" for t in landed.tags]
            if target.push_branch:  # the pull request's branch is the bot's own: replace it
                refs[0] = "+" + refs[0]
            repo.git(
                "push",
                "--quiet",
                "--atomic",
                target.remote,
                *refs,
                what=f"git push to {target.remote} {target.head_ref.removeprefix('refs/heads/')} failed",
            )
            return landed
        except InputError as exc:
            last_error = _CREDENTIALS.sub("://", exc.message)  # never echo a token from a remote URL
        if attempt < target.attempts:
            delay = target.backoff * 2 ** (attempt - 1)
            log(f"publish: attempt {attempt} failed ({last_error}); retrying in {delay:g}s")
            sleep(delay)
    raise ModelatlasError(
        f"{last_error} (gave up after {landed.attempts} attempts); the commit and tag stay local and the "
        "next publish --push pushes them. Check the token may push to the branch (see docs/operations.md)."
    )
