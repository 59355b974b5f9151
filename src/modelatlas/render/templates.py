"""The site's Jinja2 environment (``site_templates/``: autoescape on, StrictUndefined), what every
page's template gets, and rendering a template to bytes whole or in chunks.

Every environment of a process shares one :class:`CompiledTemplates`, so a template is compiled
once per process, not once per environment; and a build compiles them all in a forked process while
it loads the catalog (:func:`compiled_templates`, :func:`use_compiled`): compiling took 0.2 s of
CPU of every snapshot build, in each of its processes that met a template first."""

from __future__ import annotations

import marshal
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import cache, lru_cache
from typing import Any

from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined
from jinja2.bccache import Bucket
from markupsafe import Markup

from modelatlas.bundled import templates_folder
from modelatlas.fetch.providers import registry
from modelatlas.ids import provider_ids
from modelatlas.render import usage_html
from modelatlas.render.catalog import Catalog
from modelatlas.render.markdown_safe import render_markdown
from modelatlas.render.model_view import source_label
from modelatlas.render.site_paths import root_of
from modelatlas.render.sitemap import canonical_url
from modelatlas.render.table_cells import CELLS
from modelatlas.render.usage_form import UsageForm

TEMPLATES = templates_folder()
STATIC = TEMPLATES / "static"
ENCODED_CHUNK_CHARS = 1 << 16  # a big page is encoded in pieces of about this many characters
# Usage forms kept rendered: model pages come in id order, so pages with an equal form (a provider's
# models with the same prices) are mostly near each other; a bound keeps a 100k build's memory flat.
USAGE_BODIES_KEPT = 128
_DICT_ATTRIBUTES = frozenset(dir(dict))  # what ``getattr`` finds on a plain dict (it has no others)


def readable_date(stamp: str) -> str:
    """``2026-11-27`` or ``2026-11-27T03:17:00Z`` as ``27 November 2026`` (the UTC day); else as given."""
    try:
        day = datetime.strptime(stamp[:10], "%Y-%m-%d")
    except ValueError:
        return stamp
    return f"{day.day} {day:%B %Y}"


class _Environment(Environment):
    """Jinja's environment, but ``row.name`` on a plain dict reads the key at once. Jinja tries the
    attribute first and the key after the AttributeError; the site's views are dicts, so every such
    lookup raised and caught an exception (half a million per build of the snapshot). A plain dict has
    no attributes but its class's, so the answer is the same."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


class CompiledTemplates(BytecodeCache):
    """Compiled templates, in memory, by Jinja's key of each (its name and file); Jinja uses one
    only if it was compiled from the same source, by the same Python, and compiles it otherwise."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self.code.get(bucket.key)
        if found is not None:
            bucket.bytecode_from_string(found)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


COMPILED = CompiledTemplates()  # every environment of this process


def compiled_templates() -> bytes:
    """Every site template compiled, as :func:`use_compiled` takes them (made in a fresh cache)."""
    compiled = CompiledTemplates()
    env = environment(compiled)
    for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
        env.get_template(name)
    return marshal.dumps(compiled.code)


def use_compiled(made: bytes | None) -> None:
    """Take the templates :func:`compiled_templates` made (in a process forked from this one) for
    every environment of this process; None: they are compiled as they are needed."""
    if made is not None:
        COMPILED.code.update(marshal.loads(made))


def environment(compiled: CompiledTemplates | None = None) -> Environment:
    """The site's environment; its compiled templates are ``compiled``'s (this process's by default)."""
    env = _Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        bytecode_cache=COMPILED if compiled is None else compiled,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a build: no stat() per page
    )
    env.filters["markdown"] = render_markdown
    env.filters["source_label"] = source_label
    env.filters["thousands"] = lambda number: f"{number:,}"
    env.filters["readable_date"] = readable_date
    env.globals.update(provider_names=registry.names(), provider_ids=provider_ids(), **CELLS)
    env.globals["usage_body"] = usage_body()
    return env


def usage_body() -> Callable[[UsageForm, str], Markup]:
    """All of a usage form but its tag, which names the page's own JSON file
    (:func:`~modelatlas.render.usage_html.usage_body`), written once per distinct form and folder
    depth: 2,373 model pages have fewer than 400 distinct forms."""
    return lru_cache(maxsize=USAGE_BODIES_KEPT)(usage_html.usage_body)  # a form's record is not compared


def page_context(catalog: Catalog, path: str) -> dict[str, Any]:
    """What every page's template gets: the way back to the root, its canonical URL if any, and the
    footer's provider links."""
    base = catalog.base_url
    root = root_of(path)
    return {
        "root": root,
        "provider_links": provider_links(root),
        "page_path": path,
        "base_url": base,
        "canonical_url": None if base is None else canonical_url(base, path),
    }


@cache
def provider_links(root: str) -> Markup:
    """Every page's footer links to the provider pages, made once per folder depth (as a template
    loop they were 48 escaped values on every one of the site's pages)."""
    names = registry.names()
    return Markup(" · ").join(
        Markup('<a href="{0}providers/{1}.html">{2}</a>').format(root, provider, names[provider])
        for provider in provider_ids()
    )


def chunks(fragments: Iterator[str]) -> list[bytes]:
    """A template's output encoded piece by piece (pages of megabytes never sit in memory as
    Jinja's fragment list, one str and its bytes at once)."""
    out: list[bytes] = []
    pending: list[str] = []
    size = 0
    for fragment in fragments:
        pending.append(fragment)
        size += len(fragment)
        if size >= ENCODED_CHUNK_CHARS:
            out.append("".join(pending).encode("utf-8"))
            pending.clear()
            size = 0
    out.append("".join(pending).encode("utf-8"))
    return out


def page_chunks(env: Environment, catalog: Catalog, path: str, template: str, **context: Any) -> list[bytes]:
    """The page at ``path`` (``template`` with :func:`page_context` and ``context``), encoded in
    chunks as the template renders: for pages of megabytes (a big chart, the quality report)."""
    return chunks(env.get_template(template).generate(**page_context(catalog, path), **context))
