"""Every link of a build, followed as a client follows it: resolved with urljoin against the URL of
the document it appears in, fetched from a real local HTTP server serving the build."""

from __future__ import annotations

import functools
import itertools
import json
import posixpath
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from click.testing import CliRunner

from modelatlas.build_folder import build_path_of, relative_url
from modelatlas.cli import cli
from modelatlas.errors import InputError
from modelatlas.render.build import assemble
from modelatlas.render.links import normalize_base_url
from tests.paths import FIXTURES

DATA = FIXTURES / "data_small"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(http://127.0.0.1:<port>/, the folder it serves): builds go into sub-folders of it."""
    root = tmp_path_factory.mktemp("served")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", root
    httpd.shutdown()
    httpd.server_close()


def get_json(url: str) -> Any:
    response = requests.get(url, timeout=10)
    assert response.status_code == 200, url
    return response.json()


def follow_pages(first_url: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Every record of a paginated list, walking links.next; with the URL of the page each came from."""
    records: list[dict[str, Any]] = []
    where: list[str] = []
    url: str | None = first_url
    seen: set[str] = set()
    while url is not None:
        assert url not in seen, f"links.next loops back to {url}"
        seen.add(url)
        page = get_json(url)
        records += page["data"]
        where += [url] * len(page["data"])
        url = urljoin(url, page["links"]["next"]) if page["links"]["next"] is not None else None
    return records, where


def without_links(record: dict[str, Any]) -> dict[str, Any]:
    return {**record, "modelatlas": {k: v for k, v in record["modelatlas"].items() if k != "links"}}


def check_api(base: str) -> None:
    """From v1/index.json alone: all pages, every provider's pages, every details link."""
    index_url = urljoin(base, "v1/index.json")
    index = get_json(index_url)
    everything = get_json(urljoin(index_url, index["urls"]["models"]))["data"]
    records, pages = follow_pages(urljoin(index_url, index["urls"]["models_page"].format(page=0)))
    assert [r["id"] for r in records] == [r["id"] for r in everything]
    assert len(set(pages)) == index["pages"] > 1
    for record, page_url in zip(records, pages, strict=True):
        details_url = urljoin(page_url, record["modelatlas"]["links"]["details"])
        own = get_json(details_url)["data"]
        assert own["id"] == record["id"]
        assert urljoin(details_url, own["modelatlas"]["links"]["details"]) == details_url
    providers_url = urljoin(index_url, index["urls"]["providers"])
    total = 0
    for entry in get_json(providers_url)["data"]:
        listed = get_json(urljoin(providers_url, entry["links"]["models"]))["data"]
        paged, where = follow_pages(urljoin(providers_url, entry["links"]["first_page"]))
        assert [r["id"] for r in paged] == [r["id"] for r in listed] and len(listed) == entry["model_count"]
        for record, page_url in zip(paged, where, strict=True):
            own = get_json(urljoin(page_url, record["modelatlas"]["links"]["details"]))["data"]
            assert without_links(own) == without_links(record)
        total += len(listed)
    assert total == index["counts"]["models"]
    schema_url = urljoin(index_url, index["urls"]["schema"].format(name="model"))
    assert get_json(schema_url)["$id"].endswith("model.schema.json")


def html_links(text: str) -> list[str]:
    return re.findall(r'(?:href|src)="([^"#?]+)', text)


def check_site(base: str, pages: list[str]) -> None:
    """Every href/src of ``pages`` (build paths) resolves, from the page's own URL, to a served file."""
    checked: set[str] = set()
    for page in pages:
        page_url = urljoin(base, page)
        response = requests.get(page_url, timeout=10)
        assert response.status_code == 200, page_url
        for link in html_links(response.text):
            target = urljoin(page_url, link)
            if urlsplit(target).netloc != urlsplit(base).netloc or target in checked:
                continue
            checked.add(target)
            assert requests.head(target, timeout=10).status_code == 200, f"{page}: {link}"


def test_relative_links_resolve_from_each_documents_own_url(server: tuple[str, Path]) -> None:
    url, root = server
    assemble(DATA, root / "rel", page_size=3)
    base = urljoin(url, "rel/")
    check_api(base)
    pages = sorted(p.relative_to(root / "rel").as_posix() for p in (root / "rel").rglob("*.html"))
    assert len(pages) > 40 and "model/openai/gpt-4o.html" in pages
    check_site(base, pages)
    for feed_path in ["changes.xml", "changes/openai.xml"]:
        feed_url = urljoin(base, feed_path)
        feed = ET.fromstring(requests.get(feed_url, timeout=10).content)
        for link in feed.iter(f"{ATOM}link"):
            assert requests.head(urljoin(feed_url, link.get("href")), timeout=10).status_code == 200
    assert not (root / "rel" / "sitemap.xml").exists()
    assert "rel=\"canonical\"" not in (root / "rel" / "index.html").read_text()
    feed = ET.fromstring(requests.get(urljoin(base, "changes/openai.xml"), timeout=10).content)
    self_link = feed.find(f"{ATOM}link[@rel='self']").get("href")
    assert urljoin(urljoin(base, "changes/openai.xml"), self_link) == urljoin(base, "changes/openai.xml")


def test_base_url_makes_every_link_absolute(server: tuple[str, Path]) -> None:
    url, root = server
    base = urljoin(url, "pub/")
    assemble(DATA, root / "pub", page_size=3, base_url=base.removesuffix("/"))  # the slash is added
    index = get_json(urljoin(base, "v1/index.json"))
    assert index["base_url"] == base
    assert all(template.startswith(base) for template in index["urls"].values())
    page = get_json(urljoin(base, "v1/models/page/0.json"))
    assert page["links"]["next"] == base + "v1/models/page/1.json"
    assert all(r["modelatlas"]["links"]["details"].startswith(base + "v1/model/") for r in page["data"])
    check_api(base)
    sitemap = ET.fromstring(requests.get(urljoin(base, "sitemap.xml"), timeout=10).content)
    locs = [loc.text for loc in sitemap.iter(f"{SITEMAP}loc")]
    assert base in locs and base + "model/openai/gpt-4o.html" in locs and base + "charts/" in locs
    for loc in locs:
        response = requests.get(loc, timeout=10)
        assert response.status_code == 200, loc
        canonical = re.search(r'<link rel="canonical" href="([^"]+)">', response.text)
        assert canonical is not None and canonical.group(1) == loc
    feed = ET.fromstring(requests.get(urljoin(base, "changes.xml"), timeout=10).content)
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == base + "changes.xml"
    assert feed.findtext(f"{ATOM}id") == "urn:modelatlas:feed:changes.xml"  # not tied to the base
    changes = get_json(urljoin(base, "v1/changes.json"))
    assert changes["links"] == {"feed": base + "changes.xml", "first": base + "v1/changes/page/0.json"}


def test_a_base_url_change_rewrites_files_kept_by_input_key(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assemble(DATA, out, page_size=3, base_url="https://a.example/x/")
    assemble(DATA, out, page_size=3, base_url="https://b.example/")
    model = json.loads((out / "v1/model/openai/gpt-4o.json").read_text())
    assert model["data"]["modelatlas"]["links"]["details"] == "https://b.example/v1/model/openai/gpt-4o.json"
    page = (out / "model/openai/gpt-4o.html").read_text()
    assert '<link rel="canonical" href="https://b.example/model/openai/gpt-4o.html">' in page
    assemble(DATA, out, page_size=3)
    assert not (out / "sitemap.xml").exists()
    model = json.loads((out / "v1/model/openai/gpt-4o.json").read_text())
    assert model["data"]["modelatlas"]["links"]["details"] == "../openai/gpt-4o.json"  # from v1/model/openai/


@pytest.mark.parametrize(
    "bad", ["example.com", "ftp://example.com/", "https://x.example/?a=1", "https:///x", 'https://x/"a<b/']
)
def test_a_base_url_must_be_http_without_query(bad: str) -> None:
    with pytest.raises(InputError, match="--base-url"):
        normalize_base_url(bad)


def test_build_path_of_resolves_like_a_client() -> None:
    assert build_path_of("1.json", "v1/models/page/0.json", None) == "v1/models/page/1.json"
    assert build_path_of("../../model/a/b.json", "v1/models/page/0.json", None) == "v1/model/a/b.json"
    assert build_path_of("../../../x.json", "v1/models.json", None) is None  # above the build root
    assert build_path_of("https://other.example/v1/x.json", "v1/models.json", "https://a.example/") is None
    assert build_path_of("https://a.example/v1/x.json", "v1/models.json", "https://a.example/") == "v1/x.json"


def test_relative_url_answers_as_relpath_does_for_every_path() -> None:
    parts = ["v1", "model", "a.json", ".", "..", ""]
    paths = ["/".join(p) for n in (1, 2, 3) for p in itertools.product(parts, repeat=n)]
    for from_doc, target in itertools.product(paths, repeat=2):
        try:
            expected = posixpath.relpath(target, posixpath.dirname(from_doc) or ".")
        except ValueError:  # an empty target
            continue
        assert relative_url(from_doc, target) == expected, (from_doc, target)
    assert relative_url("v1/canonical/a/b.json", "v1/model/p/m.json") == "../../model/p/m.json"
    assert relative_url("v1/models/", "v1/models") == "."


def test_cli_takes_the_base_url_from_the_environment_and_refuses_a_bad_one(tmp_path: Path) -> None:
    args = ["build", "--allow-missing", "--data", str(DATA), "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(cli, args, env={"MODELATLAS_BASE_URL": "https://env.example/c"})
    assert result.exit_code == 0, result.output
    index = json.loads((tmp_path / "out" / "v1" / "index.json").read_text())
    assert index["base_url"] == "https://env.example/c/"
    result = CliRunner().invoke(cli, [*args, "--base-url", "example.com/x"])
    assert result.exit_code == 2
    assert result.output.startswith("modelatlas: error: --base-url 'example.com/x' is not an http(s) URL")
