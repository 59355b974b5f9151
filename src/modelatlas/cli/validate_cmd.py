"""``modelatlas validate``: data/ against the schema, and a built folder if there is one."""

from __future__ import annotations

from pathlib import Path

import click
from click.core import ParameterSource

from modelatlas.cli.options import allow_missing_option, data_option, folder_option
from modelatlas.errors import InputError, ModelatlasError
from modelatlas.validate.checks import MAX_LISTED, Report
from modelatlas.validate.data_folder import data_folder_problems
from modelatlas.validate.parallel import check_build_folder, check_data_files


def _print_problems(report: Report) -> None:
    for problem in report.problems[:MAX_LISTED]:
        click.echo(f"  {problem}", err=True)
    if len(report.problems) > MAX_LISTED:
        click.echo(f"  ... and {len(report.problems) - MAX_LISTED} more", err=True)


@click.command("validate")
@data_option("The data folder to check.")
@allow_missing_option()
@folder_option(
    "--dir", "build_dir", "build", "A built folder to check too (the default is skipped if missing)."
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes checking the files (default: the usable CPUs, at most 4; 1 = no worker processes).",
)
def command(data_dir: Path, build_dir: Path, jobs: int | None, allow_missing: bool) -> None:
    """Check data/ and a built folder (if present); exit 1 with one line per problem.

    \b
    data/: every provider file present (unless --allow-missing) and valid against the JSON Schema,
    no stray files, every curated YAML file and change-log line sound (build runs the same check).
    The build: every file as its manifest lists it (present, same SHA-256, nothing else), every
    JSON file valid against its schema, every links.next and links.details leading to the right
    file and record, and the counts in v1/index.json and v1/providers.json.
    """
    named = click.get_current_context().get_parameter_source("build_dir") is not ParameterSource.DEFAULT
    if named and not build_dir.is_dir():  # a mistyped --dir must not pass as "nothing to check"
        raise InputError(
            f"validate: no built folder at {build_dir}; build it with `modelatlas build --out {build_dir}`, "
            "or leave out --dir to check data/ alone"
        )
    data_report = check_data_files(data_dir, jobs=jobs)
    data_report.problems.extend(data_folder_problems(data_dir, allow_missing))
    state = "OK" if data_report.ok else f"{len(data_report.problems)} problem(s)"
    click.echo(f"data {data_dir}: {data_report.checked} provider files, {data_report.models} models: {state}")
    _print_problems(data_report)
    failed = not data_report.ok
    if build_dir.is_dir():
        build_report = check_build_folder(build_dir, jobs=jobs)
        state = "OK" if build_report.ok else f"{len(build_report.problems)} problem(s)"
        unmatched = len(build_report.unmatched)
        note = f", {unmatched} without a schema (parsed only)" if unmatched else ""
        click.echo(
            f"build {build_dir}: {build_report.checked} JSON files, "
            f"{build_report.models} model files{note}: {state}"
        )
        _print_problems(build_report)
        failed = failed or not build_report.ok
    else:
        click.echo(f"build {build_dir}: not present, skipped")
    if failed:
        raise ModelatlasError("validation failed (problems listed above)")
