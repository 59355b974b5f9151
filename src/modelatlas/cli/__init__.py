"""The ``modelatlas`` command: parses options, calls the pipeline stages, reports. No logic here.

Each sub-command lives in its own module in this package; this module only assembles the group
and turns :class:`~modelatlas.errors.ModelatlasError` into one line on stderr and its exit code.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pkgutil
import re
import sys
from typing import Any, NoReturn

import click

from modelatlas import __version__
from modelatlas.cli import output_guard
from modelatlas.collector import kept_unexamined
from modelatlas.errors import EXIT_USAGE, ModelatlasError, io_error


class _UsageLine(click.ClickException):
    """A Click usage error (bad option value, unknown option, missing argument) shown as the one
    line every other error is: ``modelatlas: error: <command>: <what>; see '<command> --help'``."""

    exit_code = EXIT_USAGE

    def __init__(self, error: click.ClickException, subcommand: str | None = None) -> None:
        text = " ".join(error.format_message().split()).rstrip(".")
        text = re.sub(r"\. \(?Did you mean (.*?)\)?$", r" (did you mean \1)", text)
        what = text[:1].lower() + text[1:]
        context = getattr(error, "ctx", None)
        names = context.command_path.split()[1:] if context is not None else []  # after the program's
        if not names and subcommand:  # the option parser's errors carry no context: the command run
            names = [subcommand]
        where = f"{' '.join(names)}: " if names else ""
        command = " ".join(["modelatlas", *names])
        super().__init__(f"{where}{what}; see '{command} --help'")
        self.exit_code = error.exit_code

    def show(self, file: Any = None) -> None:
        click.echo(f"modelatlas: error: {self.message}", err=True)


def _one_line(error: click.ClickException, subcommand: str | None = None) -> click.ClickException:
    """Click's own errors as one line (the help text asked for by a bare ``modelatlas`` stays);
    ``subcommand``: the command being run, named when the error does not say."""
    if isinstance(error, click.exceptions.NoArgsIsHelpError | _UsageLine):
        return error
    return _UsageLine(error, subcommand)


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
        with kept_unexamined():  # a command's modules live as long as the process
            command: click.Command = importlib.import_module(f"{__name__}.{cmd_name}_cmd").command
        return command

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.ClickException as exc:  # an unknown option of the group itself
            raise _one_line(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        with output_guard.scrubbed_output():
            return self._invoke(ctx)

    def _invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:  # a sub-command's options, an unknown command
            raise _one_line(exc, ctx.invoked_subcommand) from None
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


def main() -> NoReturn:
    output_guard.install()  # every line the process prints passes the credential scrubber
    try:
        cli(prog_name="modelatlas")  # standalone: always ends in SystemExit, with the exit code
    except SystemExit as done:
        exit_now(done.code)
    raise AssertionError("click returned without an exit code")  # pragma: no cover


def exit_now(code: object) -> NoReturn:
    """End the process with ``code`` (as ``sys.exit`` reads it) once stdout and stderr are flushed,
    without tearing the interpreter down. The work is done and every file is closed by then; what
    is left is freeing every object one by one and a last full garbage collection over all of them
    (the catalog, the manifests, the renderers' caches), which the kernel does at once by dropping
    the memory: 60-85 ms of a build of the committed snapshot, from the ``atexit`` hook to the
    process's end. Nothing of this package runs at exit (no ``atexit`` hook, no thread that must
    finish)."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): the message on stderr, and failure
        print(code, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (``| head``): nothing reaches it
            stream.flush()
    os._exit(status)
