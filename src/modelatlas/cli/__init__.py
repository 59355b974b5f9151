"""The ``modelatlas`` command: parses options, calls the pipeline stages, reports. No logic here.

Each sub-command lives in its own module in this package; this module only assembles the group
and turns :class:`~modelatlas.errors.ModelatlasError` into one line on stderr and its exit code.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import click

from modelatlas import __version__
from modelatlas.errors import ModelatlasError


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ModelatlasError as exc:
            click.echo(f"modelatlas: error: {exc.message}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="modelatlas")
def cli() -> None:
    """modelatlas: an open catalog of LLM models as a static GET /v1/models API and HTML site.

    \b
    Exit codes: 0 success; 1 failure (e.g. validation); 2 usage or bad input;
    3 fetch finished with some providers stale or held back.
    """


def _register() -> None:
    """Add every ``modelatlas.cli.<name>_cmd`` module's ``command`` (one module per sub-command)."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.endswith("_cmd"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            cli.add_command(module.command)


_register()


def main() -> None:
    cli(prog_name="modelatlas")
