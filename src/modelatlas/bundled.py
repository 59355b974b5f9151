"""Files the package ships beside its code: the JSON Schemas, the site templates and the committed
snapshot's provider files (the prices :mod:`modelatlas.cost` works with offline).

In the repository they live at the top level (``schema/``, ``site_templates/``, ``data/providers/``);
the package reaches them as ``modelatlas/_schema``, ``modelatlas/_templates`` and
``modelatlas/_data``, which are links to those folders in a
checkout (and an editable install) and real folders in a wheel, where the build backend copies
them as package data. Either way they are found with :mod:`importlib.resources`, so the tool
works from any working directory once installed.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path


@cache  # asked for every document checked against a schema: found once per process
def _package_folder(name: str) -> Path:
    folder = resources.files("modelatlas").joinpath(name)
    return Path(str(folder))  # the package is installed as files (never zipped): a real folder


def schema_folder() -> Path:
    """The shipped ``schema/`` folder (``*.schema.json``)."""
    return _package_folder("_schema")


def templates_folder() -> Path:
    """The shipped ``site_templates/`` folder (Jinja templates and ``static/``)."""
    return _package_folder("_templates")


def data_folder() -> Path:
    """The shipped ``data/providers/`` folder (``<provider>.json``)."""
    return _package_folder("_data")
