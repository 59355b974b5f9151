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
    "--since", metavar="REV", help="Start from this revision or date instead of the first snapshot."
)
@click.option("--include-initial", is_flag=True, help="Report the models of the first snapshot as added.")
@click.option(
    "--write/--dry-run",
    default=True,
    show_default=True,
    help="Replace data/changes/*.jsonl with the rebuilt log, or only print it as JSON Lines.",
)
def command(repo: Path, data_dir: Path, since: str | None, include_initial: bool, write: bool) -> None:
    """Rebuild data/changes/ from every commit that touched data/providers (oldest first).

    Each commit's snapshot is diffed against the previous one and its entries are dated by the
    commit's UTC date. The first snapshot is the baseline unless --include-initial.
    """
    target = data_dir if data_dir.is_absolute() else repo / data_dir
    result = rebuild_history(repo, target, since=since, include_initial=include_initial)
    if write:
        files = changelog.replace_log(target, result.entries)
        click.echo(
            f"history: {result.commits} snapshots, {headline(result.entries)}; "
            f"wrote {len(files)} file(s) under {changelog.changes_dir(target)}",
            err=True,
        )
    else:
        click.echo(changelog.serialize(result.entries).decode("utf-8"), nl=False)
        click.echo(f"history: {result.commits} snapshots, {headline(result.entries)}", err=True)
