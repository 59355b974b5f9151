"""``modelatlas docs``: rewrite the files derived from the provider registry."""

from __future__ import annotations

from pathlib import Path

import click

from modelatlas.errors import EXIT_FAILURE
from modelatlas.registry_docs import derived_files, write_derived


@click.command("docs")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The repository checkout holding docs/ and schema/.",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if a derived file is out of date.")
def command(root: Path, check: bool) -> None:
    """Regenerate docs/providers.md and schema/provider-id.schema.json from the provider modules."""
    if check:
        stale = [item.path for item in derived_files(root) if not item.current()]
        for path in stale:
            click.echo(f"out of date: {path} (run modelatlas docs)", err=True)
        if stale:
            click.get_current_context().exit(EXIT_FAILURE)
        click.echo("derived files are current")
        return
    written = write_derived(root)
    for path in written:
        click.echo(f"wrote {path}")
    if not written:
        click.echo("derived files are current")
