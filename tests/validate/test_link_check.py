"""``validate`` resolves every link of every built JSON file as ``urljoin`` does from the file's own
URL, and reports each one that leads nowhere (the canonical files once linked from the build root)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelatlas.cli import cli
from modelatlas.render.build import assemble
from modelatlas.validate.links import links_of
from tests.paths import FIXTURES

DATA = FIXTURES / "site"  # canonical models at several providers, so the canonical files have links


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("links") / "build"
    assemble(DATA, out, page_size=3)
    return out


@pytest.fixture
def build(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "build"
    shutil.copytree(built, copy)
    return copy


def link_problems(build: Path) -> list[str]:
    """validate's problem lines for ``build``, but the manifest's (every edit changes a hash)."""
    args = ["validate", "--allow-missing", "--data", str(DATA), "--dir", str(build)]
    result = CliRunner().invoke(cli, args)
    assert "Traceback" not in result.output
    lines = [line.strip() for line in result.output.splitlines() if line.startswith("  ")]
    assert result.exit_code == (1 if lines else 0), result.output
    return [line for line in lines if "SHA-256 differs from the manifest" not in line]


def edit(path: Path, change: Callable[[dict], object]) -> None:
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document, separators=(",", ":"), sort_keys=True))


def test_a_fresh_build_has_no_broken_link(build: Path) -> None:
    assert link_problems(build) == []


def test_a_canonical_link_written_from_the_build_root_is_broken(build: Path) -> None:
    index = build / "v1" / "canonical.json"
    first = json.loads(index.read_text())["data"][0]
    assert first["links"]["details"] == f"canonical/{first['slug']}.json"  # relative to v1/canonical.json
    edit(index, lambda doc: doc["data"][0]["links"].update(details=f"v1/canonical/{first['slug']}.json"))
    assert link_problems(build) == [
        f"v1/canonical.json: at /data/0/links/details: 'v1/canonical/{first['slug']}.json' leads to "
        f"v1/v1/canonical/{first['slug']}.json, which is not in the build"
    ]


def test_broken_links_of_every_kind_are_each_reported(build: Path) -> None:
    edit(build / "v1" / "changes.json", lambda doc: doc["links"].update(first="changes/page/9.json"))
    edit(build / "v1/providers.json", lambda doc: doc["data"][0]["links"].update(models="../../../x.json"))
    edit(build / "v1" / "index.json", lambda doc: doc["urls"].update(model="model/{provider}/{filename}.xml"))
    edit(build / "site-index.json", lambda doc: doc["canonicalModels"][0].update(href="canonical/nope.html"))

    def break_refs(doc: dict) -> None:
        content = doc["paths"]["/v1/models"]["get"]["responses"]["200"]["content"]["application/json"]
        content["schema"]["$ref"] = "schema/nope.schema.json"
        doc["paths"]["/v1/models"]["get"]["responses"]["400"]["$ref"] = "#/components/responses/Nope"

    edit(build / "openapi.json", break_refs)
    assert sorted(link_problems(build)) == [
        "openapi.json: at /paths/~1v1~1models/get/responses/200/content/application~1json/schema/$ref: "
        "'schema/nope.schema.json' leads to schema/nope.schema.json, which is not in the build",
        "openapi.json: at /paths/~1v1~1models/get/responses/400/$ref: '#/components/responses/Nope': "
        "openapi.json has nothing at #/components/responses/Nope",
        "site-index.json: at /canonicalModels/0/href: 'canonical/nope.html' leads to canonical/nope.html, "
        "which is not in the build",
        "v1/changes.json: at /links/first: 'changes/page/9.json' leads to v1/changes/page/9.json, "
        "which is not in the build",
        "v1/index.json: at /urls/model: 'model/{provider}/{filename}.xml': no file of the build fits this "
        "template",
        "v1/providers.json: at /data/0/links/models: '../../../x.json' leads outside the build",
    ]


def test_with_a_base_url_a_link_to_another_host_leads_outside(tmp_path: Path) -> None:
    out = tmp_path / "build"
    assemble(DATA, out, page_size=3, base_url="https://example.org/atlas/")
    assert link_problems(out) == []
    details = json.loads((out / "v1" / "canonical.json").read_text())["data"][0]["links"]["details"]
    assert details.startswith("https://example.org/atlas/v1/canonical/")
    edit(out / "v1" / "canonical.json", lambda doc: doc["data"][0]["links"].update(
        details=details.replace("example.org", "example.com")))
    assert link_problems(out) == [
        f"v1/canonical.json: at /data/0/links/details: {details.replace('example.org', 'example.com')!r} "
        "leads outside the build"
    ]


def test_in_a_schema_only_refs_are_links() -> None:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "properties": {"links": {"type": "object", "properties": {"next": {"$ref": "#/$defs/url"}}}},
    }
    assert list(links_of(schema)) == [("/properties/links/properties/next/$ref", "#/$defs/url", False)]
    data = {"links": {"next": "1.json", "source": "https://example.org/"}, "urls": {"m": "m/{id}.json"}}
    assert list(links_of(data)) == [("/links/next", "1.json", False), ("/urls/m", "m/{id}.json", True)]
