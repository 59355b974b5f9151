"""``modelatlas notify``: open, update or close the one nightly alert issue (see notify.py)."""

from __future__ import annotations

from pathlib import Path

import click

from modelatlas.cli.options import data_option
from modelatlas.config import load_settings
from modelatlas.publish.github_api import GitHubApi, Repository
from modelatlas.publish.notify import DEFAULT_THRESHOLD, Action, keep_schedule_enabled, notify, read_health


@click.command("notify")
@data_option("The data folder whose status blocks say which providers are stale.")
@click.option(
    "--run-result",
    type=click.Choice(["success", "failure", "cancelled", "skipped"]),
    default="success",
    show_default=True,
    help="How the nightly run ended (the workflow passes needs.<job>.result).",
)
@click.option("--run-url", help="Link to the run, quoted in the issue.")
@click.option(
    "--nights",
    "threshold",
    type=click.IntRange(1, 365),
    default=DEFAULT_THRESHOLD,
    show_default=True,
    help="Open the issue once a provider has been stale this many nights in a row.",
)
@click.option(
    "--repository", envvar="GITHUB_REPOSITORY", required=True, help="owner/name [$GITHUB_REPOSITORY]"
)
@click.option("--api-url", envvar="GITHUB_API_URL", help="GitHub API base URL [$GITHUB_API_URL].")
@click.option(
    "--keepalive-workflow",
    metavar="FILE",
    help="Also re-enable this workflow (e.g. nightly.yml) so its schedule is never switched off.",
)
def command(
    data_dir: Path,
    run_result: str,
    run_url: str | None,
    threshold: int,
    repository: str,
    api_url: str | None,
    keepalive_workflow: str | None,
) -> None:
    """Tell a human when the nightly needs one: one GitHub issue, closed when all is fresh.

    \b
    The token is read from $GITHUB_TOKEN (issues: write; actions: write for --keepalive-workflow).
    Exit 0 done; 1 the GitHub API refused; 2 bad input.
    """
    repo = Repository.parse(repository)
    health = read_health(data_dir, run_failed=run_result in ("failure", "cancelled"), run_url=run_url)
    with GitHubApi.from_settings(load_settings(), api_url) as api:
        outcome = notify(api, repo, health, threshold)
        if outcome.action is Action.NONE and health.stale:
            stale = ", ".join(f"{s.provider} {s.nights}" for s in health.stale)
            click.echo(f"notify: no alert; stale nights below {threshold}: {stale}", err=True)
        elif outcome.action is Action.NONE:
            click.echo("notify: every provider fresh, no alert open", err=True)
        else:
            click.echo(f"notify: {outcome.action.value} issue #{outcome.number}: {outcome.title}", err=True)
        if keepalive_workflow:
            keep_schedule_enabled(api, repo, keepalive_workflow)
            click.echo(f"notify: re-enabled {keepalive_workflow} (keeps its schedule on)", err=True)
