"""``modelatlas history``: rebuild the change log from the git history of data/."""

from __future__ import annotations

from pathlib import Path

import click

from modelatlas.changes import changelog
from modelatlas.changes.history import rebuild_history
from modelatlas.changes.report import headline
from modelatlas.cli.options import data_option, repo_option


@click.command("history")
@repo_option("Git repository whose history is read.")
@data_option("Data folder inside the repository (relative to --repo).")
@click.option(
    "--since",
    metavar="REV",
    help="Start the log at this revision or date instead of the parent of the first published snapshot.",
)
@click.option("--include-initial", is_flag=True, help="Report the models of the baseline as added.")
@click.option(
    "--write/--dry-run",
    default=True,
    show_default=True,
    help="Replace data/changes/ (the month files and baseline.json) with the rebuilt log, or only print "
    "it as JSON Lines.",
)
def command(repo: Path, data_dir: Path, since: str | None, include_initial: bool, write: bool) -> None:
    """Rebuild data/changes/ from the snapshots modelatlas publish made (commits with a Snapshot-Date
    or Snapshot-Tag trailer).

    Each published snapshot's entries are its change against its parent, dated by its trailer. The
    log starts at the baseline: the parent of the first published snapshot (HEAD before anything
    was published), or --since; data/changes/baseline.json records its date. Commits that built or
    hand-edited data/ are not changes of the published catalog.
    """
    target = data_dir if data_dir.is_absolute() else repo / data_dir
    result = rebuild_history(repo, target, since=since, include_initial=include_initial)
    changed = headline(result.entries) if result.entries else f"no changes since {result.baseline_date}"
    summary = (
        f"history: baseline {result.baseline[:12]} of {result.baseline_date}, "
        f"{result.commits} published snapshot(s), {changed}"
    )
    if write:
        files = changelog.replace_log(target, result.entries)
        changelog.write_baseline(target, result.baseline_date)
        click.echo(f"{summary}; wrote {len(files)} month file(s) and baseline.json under "
                   f"{changelog.changes_dir(target)}", err=True)
    else:
        click.echo(changelog.serialize(result.entries).decode("utf-8"), nl=False)
        click.echo(summary, err=True)
