"""``modelatlas build``: the static JSON API (and every other renderer's files) from data/."""

from __future__ import annotations

import time
from pathlib import Path

import click

from modelatlas.cli.options import allow_missing_option, base_url_option, data_option, folder_option
from modelatlas.config import cache_folder
from modelatlas.pagination import MAX_BUILD_PAGE_SIZE
from modelatlas.render.build import assemble
from modelatlas.render.catalog import Catalog
from modelatlas.render.links import normalize_base_url
from modelatlas.validate.checks import require_data_dir
from modelatlas.validate.data_folder import (
    missing_provider_files,
    require_provider_files,
    sound_folder_beside,
)

TEMPLATES_CACHE = "templates"  # the cache folder's folder of compiled templates (render/kept_templates.py)


@click.command("build")
@data_option()
@folder_option("--out", "out_dir", "build",
               "The output folder (created; only files modelatlas wrote are ever replaced or removed).")
@click.option("--page-size", type=click.IntRange(1, MAX_BUILD_PAGE_SIZE), default=100, show_default=True,
              help="Models per page of v1/models/page/<k>.json.")
@base_url_option()
@allow_missing_option()
def command(data_dir: Path, out_dir: Path, page_size: int, base_url: str | None, allow_missing: bool) -> None:
    """Validate data/ and write the static /v1/models API into the output folder.

    Nothing is written if validation fails; unchanged files are not rewritten; files of an earlier
    build that no longer belong are removed. The new output replaces the old in one step (a build
    killed at any moment leaves the old output or the new one), and a second build into the same
    folder waits for the first.
    """
    started = time.perf_counter()
    base_url = normalize_base_url(base_url)
    require_data_dir(data_dir)
    require_provider_files(data_dir, allow_missing)
    with sound_folder_beside(data_dir) as sound_folder:
        missing = missing_provider_files(data_dir)
        if missing:
            names = ", ".join(path.stem for path in missing)
            click.echo(f"build: warning: no data file for {names} (--allow-missing): no models", err=True)
        report = assemble(
            data_dir, out_dir, page_size, base_url=base_url, on_wait=lambda: _waiting(out_dir),
            sound_folder=sound_folder, hold=_hold, templates_cache=cache_folder() / TEMPLATES_CACHE,
        )
    if report.scrubbed:
        click.echo(
            f"build: warning: {', '.join(report.scrubbed)} in {data_dir} hold the value of a declared "
            "credential; it was replaced by *** in the build: remove it from the data and rotate that key",
            err=True,
        )
    elapsed = time.perf_counter() - started
    click.echo(
        f"built {out_dir}: {report.total} files ({report.written} written, {report.unchanged} unchanged, "
        f"{report.removed} removed) in {elapsed:.2f}s"
    )


# The last build's catalog, kept until the process ends: the command line exits right after a
# command without freeing anything (cli.exit_now), so it is never freed object by object. One slot:
# a process that runs many builds (the tests) keeps one catalog at most.
_LAST_CATALOG: list[Catalog] = []


def _hold(catalog: Catalog) -> None:
    _LAST_CATALOG[:] = [catalog]


def _waiting(out_dir: Path) -> None:
    click.echo(f"build: another build is writing {out_dir}; waiting for it", err=True)
