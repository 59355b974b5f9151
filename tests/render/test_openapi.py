"""openapi.json: every file the API renderers write is documented, every ``$ref`` to a schema file
points at a file the build writes, every example names a real file, and the serve parameters
carry the real bounds."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from modelatlas.ids import PROVIDER_IDS
from modelatlas.pagination import MAX_REQUEST_PAGE_SIZE
from modelatlas.render import RENDERER_MODULES, openapi, renderers
from modelatlas.render.build import load_catalog
from modelatlas.render.output import content_bytes
from tests.paths import FIXTURES

NOT_API = {"_headers", ".nojekyll"}  # host configuration, not served content


@pytest.fixture(scope="module")
def written() -> dict[str, bytes]:
    """Every file of every renderer but the HTML site's pages, for the fixture catalog."""
    catalog = load_catalog(FIXTURES / "data_small", 5)
    files: dict[str, bytes] = {}
    for module in renderers(name for name in RENDERER_MODULES if name != "modelatlas.render.html"):
        for path, content in module.render(catalog):
            if not path.endswith(".html"):  # a page of the site (e.g. quality.html), not the API
                files[path] = content_bytes(content)
    return files


@pytest.fixture(scope="module")
def document(written: dict[str, bytes]) -> dict[str, Any]:
    return json.loads(written["openapi.json"])


def template_pattern(template: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(template)) + "$")


def refs(value: Any) -> list[str]:
    if isinstance(value, dict):
        own = [value["$ref"]] if "$ref" in value else []
        return own + [r for v in value.values() for r in refs(v)]
    if isinstance(value, list):
        return [r for v in value for r in refs(v)]
    return []


def test_every_written_file_is_a_documented_path(written: dict[str, bytes], document: dict[str, Any]) -> None:
    patterns = [template_pattern(path) for path in document["paths"]]
    undocumented = [p for p in written if p not in NOT_API and not any(x.match("/" + p) for x in patterns)]
    assert undocumented == [], "document these paths in render/openapi.py"


def test_schema_refs_point_at_published_schema_files(written: dict[str, bytes], document: dict) -> None:
    files = sorted({ref for ref in refs(document) if not ref.startswith("#")})
    assert "schema/list-response.schema.json" in files and "schema/model.schema.json" in files
    assert all(ref in written for ref in files), files
    for ref in (r for r in refs(document) if r.startswith("#/")):
        node: Any = document
        for part in ref[2:].split("/"):
            node = node[part]  # KeyError: a dangling local reference


def test_each_static_paths_example_names_a_written_file(
    written: dict[str, bytes], document: dict[str, Any]
) -> None:
    for path, item in document["paths"].items():
        operation = item["get"]
        if operation["tags"] != ["static"]:
            continue
        parameters = [p for p in operation["parameters"] if p.get("in") == "path"]
        concrete = path
        for parameter in parameters:
            concrete = concrete.replace("{" + parameter["name"] + "}", str(parameter["example"]))
        assert concrete.lstrip("/") in written, path


def test_serve_parameters_have_the_real_bounds(document: dict[str, Any]) -> None:
    listing = document["paths"]["/v1/models"]["get"]
    parameters = {p["name"]: p for p in listing["parameters"] if "name" in p}
    bounds = {"type": "integer", "minimum": 1, "maximum": MAX_REQUEST_PAGE_SIZE}
    assert parameters["page_size"]["schema"] == bounds
    assert parameters["provider"]["schema"]["enum"] == list(PROVIDER_IDS)
    assert set(listing["responses"]) == {"200", "304", "400"}
    assert document["openapi"].startswith("3.1")
    assert "options" in document["paths"]["/v1/models"]


def test_render_is_deterministic() -> None:
    catalog = load_catalog(FIXTURES / "data_small", 5)
    assert list(openapi.render(catalog)) == list(openapi.render(catalog))
