"""Click options shared by several sub-commands (one definition each, so defaults never drift)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from modelatlas.render.links import BASE_URL_ENV

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def folder_option(flag: str, dest: str, default: str, help: str, *, must_exist: bool = False) -> Decorator:
    """A folder-valued option such as ``--data data`` or ``--out build``, parsed as a Path."""
    return click.option(
        flag,
        dest,
        type=click.Path(file_okay=False, exists=must_exist, path_type=Path),
        default=Path(default),
        show_default=True,
        help=help,
    )


def data_option(help: str = "The data folder (holding providers/<provider>.json).") -> Decorator:
    return folder_option("--data", "data_dir", "data", help)


def repo_option(help: str, *, must_exist: bool = False) -> Decorator:
    return folder_option("--repo", "repo", ".", help, must_exist=must_exist)


def base_url_option() -> Decorator:
    """``--base-url`` (or $MODELATLAS_BASE_URL): where the build will be served from."""
    return click.option(
        "--base-url",
        "base_url",
        envvar=BASE_URL_ENV,
        default=None,
        metavar="URL",
        help="Where the build is published (e.g. https://you.github.io/modelatlas/): every link becomes "
        "absolute, and sitemap.xml and canonical page links are written. Also $MODELATLAS_BASE_URL. "
        "Without it, links are relative to the document holding them.",
    )


def allow_missing_option() -> Decorator:
    """``--allow-missing``: go on when some of the 16 provider files are absent (a partial data folder)."""
    return click.option(
        "--allow-missing",
        is_flag=True,
        help="Accept a data folder without some provider files (they count as providers with no "
        "models). Without it, a missing data/providers/<provider>.json is an error (exit 2).",
    )
