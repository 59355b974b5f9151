"""``modelatlas serve`` as an HTTP server: the OpenAI SDK, CORS preflight, 405, conditional GET,
gzip, a rebuild picked up without a restart, and many clients at once."""

from __future__ import annotations

import gzip
import http.client
import json
import shutil
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from openai import NotFoundError, OpenAI

from modelatlas.pagination import encode_page_token
from modelatlas.render.build import assemble
from modelatlas.render.response_headers import headers_for
from modelatlas.serve import make_server
from tests.serve.live_server import API_RENDERERS, DATA, build_api


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_api(tmp_path_factory.mktemp("http") / "build")


def start(build_dir: Path) -> tuple[str, object]:
    server = make_server(build_dir, "127.0.0.1", 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return f"http://{host}:{port}", server


@pytest.fixture(scope="module")
def base(build: Path) -> Iterator[str]:
    url, server = start(build)
    yield url
    server.shutdown()
    server.server_close()


def listed_ids(build: Path) -> list[str]:
    return [m["id"] for m in json.loads((build / "v1" / "models.json").read_text())["data"]]


def test_openai_sdk_retrieves_a_model_whose_id_has_a_slash(base: str, build: Path) -> None:
    client = OpenAI(base_url=f"{base}/v1", api_key="x", max_retries=0)
    model = client.models.retrieve("openai/gpt-4o")  # sent as /v1/models/openai%2Fgpt-4o
    assert model.id == "openai/gpt-4o"
    bedrock = client.models.retrieve("bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0")
    assert bedrock.id == "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0"
    assert [m.id for m in client.models.list()] == listed_ids(build)
    with pytest.raises(NotFoundError):
        client.models.retrieve("openai/gpt-99")


def test_encoded_and_plain_slash_give_the_same_record(base: str) -> None:
    """The same record, its details link relative to the URL asked (one folder deeper for the plain
    slash), so that both resolve to the model's own file (it once 404ed from either)."""
    plain = requests.get(f"{base}/v1/models/openai/gpt-4o", timeout=10)
    encoded = requests.get(f"{base}/v1/models/openai%2Fgpt-4o", timeout=10)
    assert plain.status_code == encoded.status_code == 200
    records = [plain.json(), encoded.json()]
    links = [record["modelatlas"].pop("links") for record in records]
    details = [link["details"] for link in links]
    assert details == ["../../model/openai/gpt-4o.json", "../model/openai/gpt-4o.json"]
    assert records[0] == records[1]
    for response, link in zip((plain, encoded), links, strict=True):
        own = requests.get(urljoin(response.url, link["details"]), timeout=10)
        assert own.status_code == 200 and own.json()["data"]["id"] == "openai/gpt-4o"
    # An encoded slash never reaches a static file: it is part of a name, not a folder separator.
    page = requests.get(f"{base}/v1/models/openai%2Fpage%2F0.json", timeout=10)
    assert page.status_code == 404 and page.json()["error"]["param"] == "model"


@pytest.mark.parametrize("path", ["/v1/models", "/v1/models/openai%2Fgpt-4o", "/v1/models/page/0.json"])
def test_cors_preflight_answers_what_headers_promises(base: str, path: str) -> None:
    preflight = {
        "Origin": "https://example.org",
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization, x-stainless-os",
    }
    response = requests.options(base + path, headers=preflight, timeout=10)
    assert response.status_code == 204 and response.content == b""
    promised = headers_for("/v1/models")
    promised.pop("Content-Type")
    assert promised["Access-Control-Allow-Origin"] == "*"
    assert "Authorization" in promised["Access-Control-Allow-Headers"]  # "*" does not cover it
    for name, value in promised.items():
        assert response.headers[name] == value
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "TRACE"])
def test_other_methods_get_a_json_405_with_allow(base: str, method: str) -> None:
    response = requests.request(method, f"{base}/v1/models", data=b'{"model": "x"}', timeout=10)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["error"]["type"] == "method_not_allowed"


def test_keep_alive_survives_a_405_with_a_body(base: str) -> None:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("POST", "/v1/models", body=b"x" * 5000)
    refused = connection.getresponse()
    assert refused.status == 405 and json.loads(refused.read())["error"]
    connection.request("GET", "/v1/models/openai/gpt-4o")  # same connection: the body was drained
    response = connection.getresponse()
    assert response.status == 200 and json.loads(response.read())["id"] == "openai/gpt-4o"


def test_standard_library_errors_are_json_too(base: str) -> None:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("BREW", "/v1/models")
    response = connection.getresponse()
    assert response.status == 501 and json.loads(response.read())["error"]["message"]


@pytest.mark.parametrize(
    "path", ["/v1/models?provider=bedrock&page_size=4", "/v1/models/openai%2Fgpt-4o", "/v1/index.json"]
)
def test_etag_and_last_modified_give_304(base: str, path: str) -> None:
    first = requests.get(base + path, timeout=10)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('"') and not etag.startswith('W/')  # strong
    assert first.headers["Cache-Control"].startswith("public, max-age=")
    by_etag = requests.get(base + path, headers={"If-None-Match": etag}, timeout=10)
    assert by_etag.status_code == 304 and by_etag.content == b"" and by_etag.headers["ETag"] == etag
    listed = requests.get(base + path, headers={"If-None-Match": f'"other", W/{etag}'}, timeout=10)
    assert listed.status_code == 304
    by_date = requests.get(base + path, headers={"If-Modified-Since": modified}, timeout=10)
    assert by_date.status_code == 304
    both = {"If-None-Match": '"other"', "If-Modified-Since": modified}
    stale = requests.get(base + path, headers=both, timeout=10)
    assert stale.status_code == 200  # If-None-Match wins over If-Modified-Since
    long_ago = {"If-Modified-Since": "Thu, 01 Jan 2009 00:00:00 GMT"}
    old = requests.get(base + path, headers=long_ago, timeout=10)
    assert old.status_code == 200 and old.content == first.content
    garbage = requests.get(base + path, headers={"If-Modified-Since": "yesterday"}, timeout=10)
    assert garbage.status_code == 200


def test_preconditions_apply_only_to_a_request_the_server_would_answer(base: str) -> None:
    # RFC 9110 13.2.1: a precondition is evaluated only where the same request without it gets a
    # 2xx. "*" matches any representation, so it would turn a refusal into a 304 if looked at first.
    any_tag = {"If-None-Match": "*"}
    for path, status in [("/v1/models?page_size=abc", 400), ("/v1/models?page_token=x", 400),
                         ("/v1/models?pagesize=3", 400), ("/v1/models/openai%2Fno-such-model", 404)]:
        assert requests.get(base + path, headers=any_tag, timeout=10).status_code == status, path
    # An empty value counts as absent (as documented), so this request is valid: its conditions
    # apply (a full schemathesis run sent it; a page past the last one is empty, not missing).
    past = f"/v1/models?page_size=&provider=bedrock&page_token={encode_page_token(10**34)}"
    assert requests.get(base + past, headers=any_tag, timeout=10).status_code == 304
    plain = requests.get(base + past, timeout=10)
    assert plain.status_code == 200 and plain.json()["data"] == []


def test_etag_differs_between_queries_and_is_stable(base: str) -> None:
    def etag(query: str) -> str:
        return requests.get(f"{base}/v1/models?{query}", timeout=10).headers["ETag"]

    assert etag("page_size=3") == etag("page_size=3") != etag("page_size=4")


def test_gzip_when_accepted(base: str, build: Path) -> None:
    raw = http.client.HTTPConnection(*base.removeprefix("http://").split(":"), timeout=10)
    raw.request("GET", "/v1/models", headers={"Accept-Encoding": "gzip"})
    zipped = raw.getresponse()
    body = zipped.read()
    assert zipped.getheader("Content-Encoding") == "gzip" and zipped.getheader("Vary") == "Accept-Encoding"
    assert [m["id"] for m in json.loads(gzip.decompress(body))["data"]] == listed_ids(build)
    assert int(zipped.getheader("Content-Length")) == len(body)
    raw.request("GET", "/v1/models", headers={"Accept-Encoding": "gzip;q=0, identity"})
    plain = raw.getresponse()
    plain_body = plain.read()
    assert plain.getheader("Content-Encoding") is None and len(plain_body) > len(body)
    assert plain.getheader("ETag") != zipped.getheader("ETag")  # different bytes, different strong ETag
    revalidate = {"If-None-Match": plain.getheader("ETag"), "Accept-Encoding": "gzip"}
    raw.request("GET", "/v1/models", headers=revalidate)
    assert raw.getresponse().status == 304  # either variant's ETag revalidates
    static = requests.get(f"{base}/v1/models.json", timeout=10)  # requests sends gzip, decodes it
    assert static.headers["Content-Encoding"] == "gzip"
    assert static.content == (build / "v1" / "models.json").read_bytes()


def without_model(data: Path, dest: Path, model_id: str) -> Path:
    shutil.copytree(data, dest)
    provider = model_id.split("/")[0]
    path = dest / "providers" / f"{provider}.json"
    document = json.loads(path.read_text())
    document["models"] = [m for m in document["models"] if m["id"] != model_id]
    path.write_text(json.dumps(document))
    return dest


def test_a_rebuild_is_picked_up_without_a_restart(tmp_path: Path) -> None:
    out = tmp_path / "build"
    assemble(DATA, out, page_size=5, renderer_names=API_RENDERERS)
    url, server = start(out)
    try:
        before = requests.get(f"{url}/v1/models", timeout=10)
        assert "openai/gpt-4o" in [m["id"] for m in before.json()["data"]]
        assemble(without_model(DATA, tmp_path / "data", "openai/gpt-4o"), out, page_size=5,
                 renderer_names=API_RENDERERS)
        after = requests.get(f"{url}/v1/models", timeout=10)
        assert [m["id"] for m in after.json()["data"]] == listed_ids(out)
        assert "openai/gpt-4o" not in listed_ids(out)
        assert after.headers["ETag"] != before.headers["ETag"]
        old_etag = {"If-None-Match": before.headers["ETag"]}
        revalidated = requests.get(f"{url}/v1/models", headers=old_etag, timeout=10)
        assert revalidated.status_code == 200
        page = requests.get(f"{url}/v1/models", params={"page_size": 100, "provider": "openai"}, timeout=10)
        assert "openai/gpt-4o" not in [m["id"] for m in page.json()["data"]]
    finally:
        server.shutdown()
        server.server_close()


def test_a_half_written_build_keeps_the_previous_one(tmp_path: Path) -> None:
    out = tmp_path / "build"
    assemble(DATA, out, page_size=5, renderer_names=API_RENDERERS)
    url, server = start(out)
    try:
        expected = requests.get(f"{url}/v1/models", timeout=10).content
        (out / "v1" / "models.json").write_bytes(b'{"data": [')
        during = requests.get(f"{url}/v1/models", timeout=10)
        assert during.status_code == 200 and during.content == expected
    finally:
        server.shutdown()
        server.server_close()


def test_many_clients_at_once(base: str, build: Path) -> None:
    paths = ["/v1/models?page_size=3", "/v1/models/openai%2Fgpt-4o", "/v1/models.json", "/v1/index.json"]
    expected = {path: requests.get(base + path, timeout=10).content for path in paths}

    def fetch(index: int) -> bool:
        path = paths[index % len(paths)]
        return requests.get(base + path, timeout=10).content == expected[path]

    with ThreadPoolExecutor(max_workers=40) as pool:
        results = list(pool.map(fetch, range(400)))
    assert all(results)


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/schema/model.schema.json", "application/schema+json; charset=utf-8"),
        ("/changes.xml", "application/atom+xml; charset=utf-8"),
        ("/openapi.json", "application/json; charset=utf-8"),
    ],
)
def test_files_get_the_headers_of_their_headers_rule(base: str, path: str, content_type: str) -> None:
    response = requests.get(base + path, timeout=10)
    assert response.status_code == 200
    for name, value in headers_for(path).items():
        assert response.headers[name] == value
    assert response.headers["Content-Type"] == content_type


def headers_file_rules(build: Path) -> list[tuple[str, dict[str, str]]]:
    """The built ``_headers`` file read as a host reads it: a pattern line, then indented headers."""
    rules: list[tuple[str, dict[str, str]]] = []
    for line in (build / "_headers").read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if not line.startswith(" "):
            rules.append((line.strip(), {}))
        else:
            name, _, value = line.strip().partition(": ")
            rules[-1][1][name] = value
    return rules


@pytest.mark.parametrize("path", ["/v1/models", "/v1/models/page/0.json", "/schema/model.schema.json",
                                  "/changes/openai.xml"])
def test_preflight_and_get_send_every_header_the_built_headers_file_promises(
    base: str, build: Path, path: str
) -> None:
    promised: dict[str, str] = {}
    for pattern, headers in headers_file_rules(build):
        if path == pattern or (pattern.endswith("/*") and path.startswith(pattern[:-1])):
            promised.update(headers)
    assert "Access-Control-Allow-Origin" in promised
    got = requests.get(base + path, timeout=10)
    preflight = requests.options(base + path, timeout=10)
    assert preflight.status_code == 204
    for name, value in promised.items():
        assert got.headers[name] == value, name
        if name != "Content-Type":
            assert preflight.headers[name] == value, name
