"""A crawler follows every link of every JSON file of a build from that file's own URL, over a static
HTTP host, and every link of ``modelatlas serve``'s answers from the URL each answers: none 404s.

Its idea of a link is its own, broader than validate's (:mod:`modelatlas.validate.links`): any
``href``, ``$ref`` or ``url``, any value of a ``links`` or ``urls`` object, and any other string that
looks like a path to a file of the build (``….json``, ``….xml``, ``….html``), so a link under a new
key is followed too. URL templates are filled in with a page, provider and model that exist.
Links are resolved with ``urljoin`` from the URL the document was fetched from; a ``#/json/pointer``
must name a part of its target. Builds: the small fixture (hostile ids; every renderer) and the
committed snapshot (its JSON files; records asked of serve one in ten).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urldefrag, urljoin

import pytest
import requests

from modelatlas.render import RENDERER_MODULES
from modelatlas.render.build import assemble
from tests.paths import FIXTURES, REPO
from tests.serve.live_server import serve_subprocess

LINK_KEYS = frozenset({"href", "$ref", "url"})
LINK_OBJECTS = frozenset({"links", "urls"})
IDENTIFIERS = frozenset({"$id", "$schema", "jsonSchemaDialect", "source"})  # names, or outside the build
LOOKS_LIKE_A_FILE = re.compile(r"^[^\s<>\"{}]*\.(?:json|xml|html)(?:[?#][^\s]*)?$")
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
JSON_RENDERERS = [name for name in RENDERER_MODULES if name != "modelatlas.render.html"]


def links_in(document: Any) -> Iterator[str]:
    """The links of a document; in a JSON Schema or an OpenAPI document, whose ``properties`` name
    fields such as ``links``, only ``$ref`` (and the OpenAPI ``servers``' ``url``) are links."""
    describes = isinstance(document, dict) and ("$schema" in document or "openapi" in document)
    yield from _strings(document, describes)


def _strings(node: Any, describes: bool, key: str = "", parent: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        for name, value in node.items():
            yield from _strings(value, describes, name, key)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item, describes, key, parent)
    elif isinstance(node, str) and key not in IDENTIFIERS:
        if describes:
            if key in LINK_KEYS:
                yield node
        elif key in LINK_KEYS or parent in LINK_OBJECTS or LOOKS_LIKE_A_FILE.match(node):
            yield node


@dataclass
class Crawl:
    session: requests.Session
    fill: dict[str, str]  # a value for each URL template placeholder
    documents: int = 0
    links: int = 0
    statuses: dict[str, int] = field(default_factory=dict)  # every distinct URL fetched
    broken: list[str] = field(default_factory=list)

    def fetch(self, url: str) -> requests.Response:
        response = self.session.get(url, timeout=30)
        self.statuses[url] = response.status_code
        return response

    def document(self, url: str, response: requests.Response | None = None) -> None:
        """Follow every link of the JSON document at ``url`` from the URL it was fetched from (the
        client removes dot segments: ``/v1/models/bedrock/..`` asks ``/v1/models/``)."""
        response = response or self.fetch(url)
        body, url = response.json(), response.url
        self.documents += 1
        for link in links_in(body):
            self.links += 1
            filled = PLACEHOLDER.sub(lambda m: self.fill[m.group(1)], link)
            target, fragment = urldefrag(urljoin(url, filled))
            if target not in self.statuses:
                answer = self.fetch(target)
                if fragment.startswith("/") and answer.status_code == 200:
                    self.pointer(url, link, answer.json(), unquote(fragment))
            if self.statuses[target] != 200:
                self.broken.append(f"{url}: {link!r} -> {target}: HTTP {self.statuses[target]}")

    def pointer(self, url: str, link: str, document: Any, pointer: str) -> None:
        for part in pointer.split("/")[1:]:
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(document, dict) and part in document:
                document = document[part]
            else:
                self.broken.append(f"{url}: {link!r}: nothing at #{pointer}")
                return


@contextmanager
def static_host(root: Path) -> Iterator[str]:
    """``python -m http.server`` over ``root`` (any static host serves the build this way)."""
    command = [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "-d", str(root)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        port = re.search(r"port ([0-9]+)", process.stdout.readline())
        assert port, "http.server did not start"
        yield f"http://127.0.0.1:{port.group(1)}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


def template_values(build: Path) -> dict[str, str]:
    """A page, a provider with a model, that model's file name, and a schema name of ``build``."""
    model = min(p for p in (build / "v1" / "model").glob("*/*.json"))
    return {"page": "0", "provider": model.parent.name, "filename": model.stem, "name": "model"}


def json_files(build: Path) -> list[str]:
    return sorted(
        p.relative_to(build).as_posix() for p in build.rglob("*.json") if not p.name.startswith(".")
    )


@pytest.fixture(scope="module", params=["fixture", "snapshot"])
def build(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(f"crawl-{request.param}") / "build"
    if request.param == "fixture":
        assemble(FIXTURES / "data_small", out, page_size=4)
    else:
        assemble(REPO / "data", out, renderer_names=JSON_RENDERERS)
    return out


def test_every_link_of_every_json_file_resolves_from_the_file(build: Path) -> None:
    files = json_files(build)
    with static_host(build) as base, requests.Session() as session:
        crawl = Crawl(session, template_values(build))
        with ThreadPoolExecutor(4) as pool:  # fetch every document first, then follow its links
            answers = list(pool.map(lambda rel: (rel, crawl.fetch(base + quote(rel))), files))
        for rel, response in answers:
            assert response.status_code == 200, rel
            crawl.document(base + quote(rel), response)
    print(f"{build.parent.name}: {crawl.documents} JSON files, {crawl.links} links followed "
          f"({len(crawl.statuses)} distinct URLs), {len(crawl.broken)} broken")
    assert crawl.broken == []
    assert crawl.documents == len(files) and crawl.links > crawl.documents


def test_every_link_of_serves_answers_resolves_from_the_url_answered(build: Path) -> None:
    small = build.parent.name.startswith("crawl-fixture")
    every = 1 if small else 10
    # odd page sizes, with and without the slash; the snapshot's 2,373 models in pages of 3 and 2
    # were 2,000 requests more for the same links (the fixture walks those sizes)
    sizes = (3, 2) if small else (30, 20)
    with serve_subprocess(build) as base, requests.Session() as session:
        crawl = Crawl(session, template_values(build))
        listed: list[str] = []
        odd = (f"/v1/models?page_size={sizes[0]}", f"/v1/models/?page_size={sizes[1]}")
        for start in ("/v1/models", "/v1/models/", *odd):
            url: str | None = base + start
            while url:
                response = crawl.fetch(url)
                assert response.status_code == 200, url
                crawl.document(url, response)
                listed += [m["id"] for m in response.json()["data"]]
                following = response.json()["links"].get("next") if "links" in response.json() else None
                url = urljoin(url, following) if following else None
        for model_id in sorted(set(listed))[::every]:
            for path in (quote(model_id, safe=""), quote(model_id, safe="/")):  # openai%2Fgpt-4o and /
                crawl.document(f"{base}/v1/models/{path}")
    print(f"{build.parent.name}: {crawl.documents} answers of serve, {crawl.links} links followed, "
          f"{len(crawl.broken)} broken")
    assert crawl.broken == []
    assert crawl.links >= 2 * len(set(listed)) // every
