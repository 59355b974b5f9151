"""``modelatlas serve`` over real HTTP: the gateway's query semantics, errors as JSON 400s, static files."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import requests
from click.testing import CliRunner

from modelatlas.cli import cli
from modelatlas.errors import InputError
from modelatlas.render.build import assemble
from modelatlas.serve import make_server
from tests.paths import FIXTURES

DATA = FIXTURES / "data_small"
BUILD_PAGE_SIZE = 5


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("serve")
    out = root / "build"
    assemble(DATA, out, page_size=BUILD_PAGE_SIZE, renderer_names=["modelatlas.render.json_api"])
    (out / "index.html").write_text("<!doctype html><title>home</title>")
    (out / "docs").mkdir()
    (out / "docs" / "index.html").write_text("<!doctype html><title>docs</title>")
    (out / "site.css").write_text("body{}")
    (root / "secret.txt").write_text("outside the build folder")
    return out


@pytest.fixture(scope="module")
def base(build: Path) -> Iterator[str]:
    server = make_server(build, "127.0.0.1", 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()


def get(base: str, **params: Any) -> requests.Response:
    return requests.get(f"{base}/v1/models", params=params, timeout=10)


def ids(response: requests.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [model["id"] for model in response.json()["data"]]


def built_ids(build: Path, name: str = "models.json") -> list[str]:
    return [m["id"] for m in json.loads((build / "v1" / name).read_text())["data"]]


def follow(base: str, **params: Any) -> tuple[list[str], int]:
    collected: list[str] = []
    requests_made = 0
    while True:
        response = get(base, **params)
        requests_made += 1
        collected += ids(response)
        token = response.json().get("next_page_token")
        if token is None:
            return collected, requests_made
        params["page_token"] = token


def test_no_parameters_lists_everything(base: str, build: Path) -> None:
    response = get(base)
    body = response.json()
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"  # as _headers says
    assert ids(response) == built_ids(build) and len(body["data"]) == 18
    assert "next_page_token" not in body
    assert body["extra_fields"] == {"request_type": "list_models"}
    assert body["schema_version"] == "1"


def test_provider_filters(base: str, build: Path) -> None:
    response = get(base, provider="bedrock")
    assert ids(response) == built_ids(build, "models/bedrock.json")
    assert len(ids(response)) == 12
    assert response.json()["extra_fields"] == {"provider": "bedrock", "request_type": "list_models"}
    assert ids(get(base, provider="azure")) == []


def test_empty_parameters_count_as_absent(base: str, build: Path) -> None:
    assert ids(get(base, provider="", page_size="", page_token="")) == built_ids(build)


def test_page_size_gives_pages_with_a_next_token(base: str, build: Path) -> None:
    response = get(base, page_size=7)
    body = response.json()
    assert ids(response) == built_ids(build)[:7]
    assert body["next_page_token"] == "eyJwYWdlIjoxfQ=="
    assert body["links"]["next"] == "models?page_size=7&page_token=eyJwYWdlIjoxfQ%3D%3D"  # from /v1/models


@pytest.mark.parametrize("page_size", [1, 4, 7, 18, 1000])
def test_following_next_page_token_collects_every_model_once(base: str, build: Path, page_size: int) -> None:
    collected, pages = follow(base, page_size=page_size)
    assert collected == built_ids(build)
    assert pages == max(1, -(-18 // page_size))


def test_following_tokens_within_one_provider(base: str, build: Path) -> None:
    collected, pages = follow(base, provider="bedrock", page_size=5)
    assert collected == built_ids(build, "models/bedrock.json") and pages == 3


@pytest.mark.parametrize("path", ["/v1/models", "/v1/models/"])
def test_following_the_links_next_url(base: str, build: Path, path: str) -> None:
    url: str | None = f"{base}{path}?page_size=4&provider=openai"
    collected: list[str] = []
    while url:
        body = requests.get(url, timeout=10).json()
        collected += [m["id"] for m in body["data"]]
        for model in body["data"]:  # every record's details link resolves from the URL answered
            details = requests.get(urljoin(url, model["modelatlas"]["links"]["details"]), timeout=10)
            assert details.status_code == 200 and details.json()["data"]["id"] == model["id"]
        url = body["links"]["next"] and urljoin(url, body["links"]["next"])
    assert collected == built_ids(build, "models/openai.json")


def test_a_static_pages_token_works_without_page_size(base: str, build: Path) -> None:
    static_page_0 = json.loads((build / "v1" / "models" / "page" / "0.json").read_text())
    static_page_1 = json.loads((build / "v1" / "models" / "page" / "1.json").read_text())
    response = get(base, page_token=static_page_0["next_page_token"])
    assert ids(response) == [m["id"] for m in static_page_1["data"]]
    assert len(ids(response)) == BUILD_PAGE_SIZE


def assert_bad_request(response: requests.Response, param: str | None) -> None:
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error" and error["param"] == param
    assert error["message"] and "Traceback" not in response.text


@pytest.mark.parametrize("page_size", ["0", "-1", "1001", "abc", "1.5", "1e3", "٣", "99999999999999999999"])
def test_bad_page_size_is_400(base: str, page_size: str) -> None:
    assert_bad_request(get(base, page_size=page_size), "page_size")


@pytest.mark.parametrize("provider", ["nope", "OpenAI", "openai/", "../etc"])
def test_unknown_provider_is_400(base: str, provider: str) -> None:
    assert_bad_request(get(base, provider=provider), "provider")


@pytest.mark.parametrize(
    "token", ["garbage", "eyJwYWdlIjoiMSJ9", "%%%", "e30=", "eyJwYWdlIjowMX0=", " eyJwYWdlIjoxfQ=="]
)
def test_bad_token_is_400(base: str, token: str) -> None:
    assert_bad_request(get(base, page_token=token), "page_token")


def test_a_token_past_the_end_gives_an_empty_last_page(base: str) -> None:
    """A well-formed token never is a 400 (openapi.json promises it): past the end, the page is
    empty and the last one (the list may have shrunk since the token was issued)."""
    response = get(base, page_size=10, page_token="eyJwYWdlIjo1fQ==")  # page 5 of 2
    assert response.status_code == 200
    assert response.json()["data"] == [] and response.json()["links"] == {"next": None}
    assert "next_page_token" not in response.json()


@pytest.mark.parametrize("query", ["limit=2", "page_size=2&pagesize=3", "provider=openai&Provider=groq", "x"])
def test_an_unknown_parameter_is_400(base: str, query: str) -> None:
    response = requests.get(f"{base}/v1/models?{query}", timeout=10)
    unknown = {"limit=2": "limit", "page_size=2&pagesize=3": "pagesize"}.get(query)
    assert_bad_request(response, unknown or ("Provider" if "Provider" in query else "x"))
    assert "this endpoint takes provider, page_size, page_token" in response.json()["error"]["message"]


def test_repeated_parameter_is_400(base: str) -> None:
    response = requests.get(f"{base}/v1/models?provider=openai&provider=groq", timeout=10)
    assert_bad_request(response, "provider")


def test_openai_compatible_listing_ignores_authorization(base: str, build: Path) -> None:
    session = requests.Session()
    session.headers["Authorization"] = "Bearer sk-not-needed"
    response = session.get(f"{base}/v1/models", timeout=10)
    assert response.status_code == 200
    models = response.json()["data"]
    assert [m["id"] for m in models] == built_ids(build)
    assert all(isinstance(m["id"], str) for m in models)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_one_model_by_provider_and_upstream_id(base: str) -> None:
    response = requests.get(f"{base}/v1/models/openai/gpt-4o", timeout=10)
    assert response.status_code == 200 and response.json()["id"] == "openai/gpt-4o"
    hostile = requests.get(f"{base}/v1/models/bedrock/..%2F..%2Fx", timeout=10)
    assert hostile.json()["id"] == "bedrock/../../x"
    colon = requests.get(f"{base}/v1/models/bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0", timeout=10)
    assert colon.json()["id"] == "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0"
    removed = requests.get(f"{base}/v1/models/openai/davinci-002", timeout=10)
    assert removed.json()["modelatlas"]["lifecycle"]["status"] == "removed"
    missing = requests.get(f"{base}/v1/models/openai/gpt-99", timeout=10)
    assert missing.status_code == 404 and missing.json()["error"]["param"] == "model"


def test_static_files_with_content_types(base: str, build: Path) -> None:
    response = requests.get(f"{base}/v1/models.json", timeout=10)
    assert response.content == (build / "v1" / "models.json").read_bytes()
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"  # as _headers says
    assert requests.get(f"{base}/site.css", timeout=10).headers["Content-Type"].startswith("text/css")
    home = requests.get(f"{base}/", timeout=10)
    assert home.headers["Content-Type"].startswith("text/html") and "home" in home.text
    docs = requests.get(f"{base}/docs", timeout=10)  # redirected to docs/ so relative links work
    assert docs.url.endswith("/docs/") and "docs" in docs.text
    page = requests.get(f"{base}/v1/models/openai/page/0.json", timeout=10)
    assert page.content == (build / "v1" / "models" / "openai" / "page" / "0.json").read_bytes()


TRAVERSALS = [
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/v1/..%2f..%2fsecret.txt",
    "/..\\secret.txt",
    "/nothing",
    "/site.css/",  # a file named as a folder: no page whose relative links resolve from there
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_traversal_outside_the_folder(base: str, path: str) -> None:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    assert response.status == 404
    assert b"outside the build folder" not in body
    assert json.loads(body)["error"]["type"] == "not_found_error"


def test_head_has_headers_and_no_body(base: str) -> None:
    response = requests.head(f"{base}/v1/models.json", timeout=10)
    assert response.status_code == 200 and int(response.headers["Content-Length"]) > 0
    assert response.content == b""


def test_missing_build_folder_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="run 'modelatlas build' first"):
        make_server(tmp_path / "nope", "127.0.0.1", 0)
    result = CliRunner().invoke(cli, ["serve", "--dir", str(tmp_path / "nope"), "--port", "0"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "modelatlas: error:" in result.output
