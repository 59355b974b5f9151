"""``modelatlas diff OLD NEW``: what changed between two catalog states."""

from __future__ import annotations

from pathlib import Path

import click

from modelatlas.changes import changelog
from modelatlas.changes.diff import diff_snapshots
from modelatlas.changes.report import FORMATS, render_report
from modelatlas.changes.snapshots import load_snapshot
from modelatlas.cli.options import data_option, repo_option


@click.command("diff")
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for terminals, markdown for commit messages and job summaries, json for tools.",
)
@repo_option("Git repository to resolve revisions in.")
@data_option("Data folder inside the repository (for revisions; its change log marks re-added models).")
def command(old: str, new: str, fmt: str, repo: Path, data_dir: Path) -> None:
    """Compare two catalog states: OLD and NEW are each a data folder, a built folder, or a git revision.

    \b
    A revision is anything git understands (HEAD~1, a tag, a commit) or a date
    (2026-11-20, resolved with git rev-list -1 --before=DATE HEAD).
    Reports models added, removed, re-added, and changed per field (before → after; prices
    with their relative change in percent).
    Exit status: 0 no changes, 1 changes, 2 error.
    """
    before = load_snapshot(old, repo, data_dir)
    after = load_snapshot(new, repo, data_dir)
    log_dir = data_dir if data_dir.is_absolute() else repo / data_dir
    removed = changelog.removed_models(changelog.read_log(log_dir))
    entries = diff_snapshots(before, after, removed)
    click.echo(render_report(entries, before.label, after.label, fmt), nl=False)
    raise SystemExit(1 if entries else 0)
