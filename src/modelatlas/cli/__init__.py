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
from modelatlas.cli import output_guard
from modelatlas.errors import ModelatlasError, io_error


class _Group(click.Group):
    """Sub-commands are the ``<name>_cmd`` modules of this package, imported only when used.

    (Importing all of them costs about half a second of start-up: fetch pulls in requests, build
    pulls in Jinja2; a command should pay only for what it runs.)
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        modules = (info.name for info in pkgutil.iter_modules(__path__))
        return sorted(name.removesuffix("_cmd") for name in modules if name.endswith("_cmd"))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.list_commands(ctx):
            return None
        command: click.Command = importlib.import_module(f"{__name__}.{cmd_name}_cmd").command
        return command

    def invoke(self, ctx: click.Context) -> Any:
        with output_guard.scrubbed_output():
            return self._invoke(ctx)

    def _invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ModelatlasError as exc:
            click.echo(f"modelatlas: error: {exc.message}", err=True)
            ctx.exit(exc.exit_code)
        except OSError as exc:  # a read or write no stage turned into its own message
            error = io_error("read or write", exc)
            click.echo(f"modelatlas: error: {error.message}", err=True)
            ctx.exit(error.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="modelatlas")
def cli() -> None:
    """modelatlas: an open catalog of LLM models as a static GET /v1/models API and HTML site.

    \b
    Exit codes: 0 success; 1 failure (e.g. validation); 2 usage or bad input;
    3 fetch/publish finished with some providers stale or held back;
    4 a file or folder could not be read or written (permission, disk full).
    """


def main() -> None:
    output_guard.install()  # every line the process prints passes the credential scrubber
    cli(prog_name="modelatlas")
