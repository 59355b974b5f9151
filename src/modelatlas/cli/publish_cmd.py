"""``modelatlas publish``: the nightly job (fetch → validate → diff → commit/push → build → summary)."""

from __future__ import annotations

from pathlib import Path

import click

from modelatlas.cli.options import base_url_option, data_option, folder_option, repo_option
from modelatlas.config import Settings
from modelatlas.publish.run import PublishOptions, run_publish
from modelatlas.render.links import normalize_base_url


def _env_path(name: str) -> Path | None:
    value = Settings.environment_value(name)
    return Path(value) if value else None


@click.command("publish")
@repo_option("The git checkout of the catalog.", must_exist=True)
@data_option("Data folder (relative to --repo).")
@folder_option("--out", "out_dir", "build", "Build output folder (relative to --repo).")
@click.option(
    "--fetch/--no-fetch", default=True, show_default=True, help="Refresh data/ with 'modelatlas fetch' first."
)
@click.option(
    "--fetch-arg", "fetch_args", multiple=True, metavar="ARG", help="Extra argument for fetch (repeatable)."
)
@click.option("--build/--no-build", default=True, show_default=True, help="Build the site after committing.")
@click.option(
    "--commit/--no-commit",
    default=True,
    show_default=True,
    help="Commit changed data (--no-commit: report only, touch no log).",
)
@click.option("--push", is_flag=True, help="Push the data commit to --remote.")
@click.option("--remote", default="origin", show_default=True)
@click.option("--branch", help="Branch to rebase onto and push to (default: the current branch).")
@click.option(
    "--pr-branch",
    "push_branch",
    metavar="NAME",
    envvar="MODELATLAS_PR_BRANCH",
    help="Pull-request mode: push the rebased commit to this branch instead of --branch "
    "[$MODELATLAS_PR_BRANCH].",
)
@click.option(
    "--push-attempts",
    "attempts",
    type=click.IntRange(1, 10),
    default=3,
    show_default=True,
    help="Fetch, rebase and push at most this many times.",
)
@click.option("--date", metavar="YYYY-MM-DD", help="Date of the change entries (default: today, UTC).")
@click.option(
    "--allow-stale",
    is_flag=True,
    help="Exit 0 even if some providers are stale (the run is still marked: warning, summary, output).",
)
@base_url_option()
def command(
    repo: Path,
    data_dir: Path,
    out_dir: Path,
    fetch: bool,
    fetch_args: tuple[str, ...],
    build: bool,
    commit: bool,
    push: bool,
    remote: str,
    branch: str | None,
    push_branch: str | None,
    attempts: int,
    date: str | None,
    allow_stale: bool,
    base_url: str | None,
) -> None:
    """Run the nightly refresh locally or in CI.

    \b
    Every run commits data/ when anything in it changed (models, or only the status blocks), so
    what is built is exactly a commit. --push fetches, rebases onto the remote and pushes with
    retries, including any commit and snapshot tag an earlier failed push left behind.

    \b
    Writes a job summary to $GITHUB_STEP_SUMMARY and outputs (stale, changed, commit, head) to
    $GITHUB_OUTPUT when they are set. Exit 0 done; 3 done but some providers stale (unless
    --allow-stale); 1 a stage failed; 2 bad input.
    """
    repo = repo.resolve()
    options = PublishOptions(
        repo=repo,
        data_dir=repo / data_dir,
        out_dir=repo / out_dir,
        fetch=fetch,
        fetch_args=fetch_args,
        build=build,
        commit=commit,
        push=push,
        remote=remote,
        branch=branch,
        push_branch=push_branch,
        attempts=attempts,
        date=date,
        summary_path=_env_path("GITHUB_STEP_SUMMARY"),
        output_path=_env_path("GITHUB_OUTPUT"),
        base_url=normalize_base_url(base_url),
    )
    result = run_publish(options, lambda line: click.echo(line, err=True))
    if result.stale:
        names = ", ".join(result.stale_providers) or "see the fetch log"
        click.echo(f"publish: stale providers kept their last good data: {names}", err=True)
        if Settings.environment_value("GITHUB_ACTIONS") == "true":  # a workflow annotation marks the run
            click.echo(f"::warning title=stale providers::{names}: kept their last good data")
    raise SystemExit(0 if allow_stale else result.exit_code)
