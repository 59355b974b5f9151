"""Every link of a built JSON file, resolved the way ``urljoin`` resolves it from the file's own URL.

The one link rule (docs/client.md): a link is relative to the URL of the document holding it
(RFC 3986), or absolute under the build's base URL. A string in a JSON file is a link when it is

* a value of a ``links`` object (``links.next``, ``links.details``, ``links.first``, ``links.feed``,
  ``links.models``, ...), except ``links.source``, a page of the upstream source outside the build;
* the value of an ``href`` (the site's search index) or of a ``$ref`` (``openapi.json`` and the
  schema files; a ``#/json/pointer`` fragment must name a part of the target). In a JSON Schema or
  OpenAPI document (one with a top-level ``$schema`` or ``openapi``), where ``links`` may be the
  name of a described property, only ``$ref`` is a link;
* a URL template of ``v1/index.json``'s ``urls`` (``model/{provider}/{filename}.json``): filled
  in, it must name at least one file of the build.

A link leads into the build, to a file (or a folder with an ``index.html``), or it is broken.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from modelatlas import jsonio, regular_files
from modelatlas.build_folder import build_path_of

LINK_OBJECTS = frozenset({"links"})
LINK_KEYS = frozenset({"href", "$ref"})
EXTERNAL_KEYS = frozenset({"source"})  # in a links object: a page outside the build
TEMPLATE_OBJECTS = frozenset({"urls"})
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
_ANY = "modelatlas-template-value"  # a placeholder's stand-in while the template is resolved

Link = tuple[str, str, bool]  # (JSON pointer, the link as written, is a template)


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def links_of(document: Any, skip: frozenset[str] = frozenset()) -> Iterator[Link]:
    """Every link in ``document`` (see the module doc) with its JSON pointer; pointers in ``skip``
    (checked elsewhere, such as a page's ``/links/next``) are left out."""
    describes = isinstance(document, dict) and ("$schema" in document or "openapi" in document)
    yield from _links(document, "", skip, frozenset({"$ref"}) if describes else None)


def _links(document: Any, pointer: str, skip: frozenset[str], only: frozenset[str] | None) -> Iterator[Link]:
    if isinstance(document, list):
        for index, item in enumerate(document):
            yield from _links(item, f"{pointer}/{index}", skip, only)
        return
    if not isinstance(document, dict):
        return
    for key, value in document.items():
        where = f"{pointer}/{_escape(key)}"
        if isinstance(value, str):
            if key in (only or LINK_KEYS) and where not in skip:
                yield where, value, False
        elif only is not None:
            yield from _links(value, where, skip, only)
        elif key in LINK_OBJECTS and isinstance(value, dict):
            for name, url in value.items():
                at = f"{where}/{_escape(name)}"
                if isinstance(url, str) and name not in EXTERNAL_KEYS and at not in skip:
                    yield at, url, False
        elif key in TEMPLATE_OBJECTS and isinstance(value, dict):
            for name, url in value.items():
                if isinstance(url, str):
                    yield f"{where}/{_escape(name)}", url, bool(_PLACEHOLDER.search(url))
        else:
            yield from _links(value, where, skip, only)


class LinkResolver:
    """Resolves links of one built folder and says which are broken (answers cached per target)."""

    def __init__(self, root: Path, base_url: str | None) -> None:
        self.root = root
        self.base_url = base_url
        self._targets: dict[str, bool] = {}
        self._documents: dict[str, Any] = {}

    def problem(self, rel: str, url: str, template: bool) -> str | None:
        """What is wrong with ``url`` written in build file ``rel``; None if it leads to a file."""
        if template:
            return self._template_problem(rel, url)
        target = build_path_of(url, rel, self.base_url)
        if target is None:
            return f"{url!r} leads outside the build"
        if not self._exists(target):
            return f"{url!r} leads to {target}, which is not in the build"
        fragment = unquote(urlsplit(url).fragment)
        if fragment.startswith("/") and not self._has_pointer(target, fragment):
            return f"{url!r}: {target} has nothing at #{fragment}"
        return None

    def _exists(self, target: str) -> bool:
        if target not in self._targets:
            path = self.root / target
            self._targets[target] = path.is_file() or (path / "index.html").is_file()
        return self._targets[target]

    def _template_problem(self, rel: str, template: str) -> str | None:
        target = build_path_of(_PLACEHOLDER.sub(_ANY, template), rel, self.base_url)
        if target is None:
            return f"{template!r} leads outside the build"
        if next(iter(self.root.glob(target.replace(_ANY, "*"))), None) is None:
            return f"{template!r}: no file of the build fits this template"
        return None

    def _has_pointer(self, target: str, pointer: str) -> bool:
        if target not in self._documents:
            try:
                self._documents[target] = jsonio.parse(regular_files.read_bytes(self.root / target))
            except (OSError, ValueError):
                self._documents[target] = None
        node = self._documents[target]
        for part in pointer.split("/")[1:]:
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return False
        return True
