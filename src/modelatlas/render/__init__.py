"""Renderers: pure functions from a :class:`~modelatlas.render.catalog.Catalog` to output files.

A renderer is a module with ``render(catalog) -> Iterable[tuple[str, bytes]]``: each item is a
relative posix path inside the out folder and that file's content. Content may also be a sequence
of byte chunks written in order (see :data:`modelatlas.render.output.Content`), which lets very large
list files be assembled from pre-serialized pieces without one more full copy in memory.

:data:`RENDERER_MODULES` is the one list of renderers ``modelatlas build`` runs, in order.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from types import ModuleType
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from modelatlas.render.catalog import Catalog
    from modelatlas.render.output import Content

RENDERER_MODULES: tuple[str, ...] = (
    "modelatlas.render.json_api",
    "modelatlas.render.canonical_api",
    "modelatlas.render.html",
    "modelatlas.render.feeds",
    "modelatlas.render.quality",
    "modelatlas.render.openapi",
)


class Renderer(Protocol):
    def render(self, catalog: Catalog) -> Iterable[tuple[str, Content]]: ...


def renderers(names: Iterable[str] = RENDERER_MODULES) -> list[ModuleType]:
    """The renderer modules named (all of them by default), imported in order."""
    return [importlib.import_module(name) for name in names]
