"""Renderers: pure functions from a :class:`~modelatlas.render.catalog.Catalog` to output files.

A renderer is a module with ``render(catalog, only_deferred=False) -> Iterable[tuple[str, bytes]]``:
each item is a relative posix path inside the out folder and that file's content. Content may also
be a sequence of byte chunks written in order (see :data:`modelatlas.render.output.Content`), which
lets very large list files be assembled from pre-serialized pieces without one more full copy in
memory, or a :class:`~modelatlas.render.lazy.Lazy` or :class:`~modelatlas.render.lazy.Deferred`
file. With ``only_deferred`` a renderer yields its ``Deferred`` files, in the order it yields them
otherwise, and may leave out the others (:func:`deferred_files`).

:data:`RENDERER_MODULES` is the one list of renderers ``modelatlas build`` runs, in order. The
order changes no byte of the output, only who makes what when: the output stage's two processes
each take the next file that holds every model as they reach it (:mod:`~modelatlas.render.side_stage`),
so the biggest one, the quality report, comes first; last, it was often left to one process while
the other had finished (10k 1% rebuild 2.56 -> 2.46 s, six interleaved runs each).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from types import ModuleType
from typing import TYPE_CHECKING

from modelatlas.render.lazy import Deferred

if TYPE_CHECKING:
    from modelatlas.render.catalog import Catalog

RENDERER_MODULES: tuple[str, ...] = (
    "modelatlas.render.quality",
    "modelatlas.render.json_api",
    "modelatlas.render.canonical_api",
    "modelatlas.render.html",
    "modelatlas.render.feeds",
    "modelatlas.render.openapi",
)


def renderers(names: Iterable[str] = RENDERER_MODULES) -> list[ModuleType]:
    """The renderer modules named (all of them by default), imported in order."""
    return [importlib.import_module(name) for name in names]


def deferred_files(modules: Iterable[ModuleType], catalog: Catalog) -> Iterator[tuple[str, Deferred]]:
    """The :class:`~modelatlas.render.lazy.Deferred` files of ``modules`` (each renderer's, in
    order): what the output stage's side process walks (:mod:`~modelatlas.render.side_stage`), in the
    order the whole stream has them, without making the other files (at 100k models, a third of a
    million lazy files a 1% rebuild's side process made and dropped: 1.4 s of its CPU)."""
    for module in modules:
        for path, content in module.render(catalog, only_deferred=True):
            if isinstance(content, Deferred):
                yield path, content
