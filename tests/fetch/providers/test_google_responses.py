"""Google responses over real HTTP: proto3 JSON omits an empty list (``{}``), and one Vertex publisher
that refuses (403/404) is skipped with its reason while the others land and its models are kept."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from modelatlas.config import HttpSettings, Settings
from modelatlas.fetch.catalogs import CatalogLoad
from modelatlas.fetch.http import FetchError
from modelatlas.fetch.progress import Progress
from modelatlas.fetch.providers.registry import BY_ID
from modelatlas.fetch.run import FAILED, FRESH, fetch_live, run_fetch
from tests.paths import FIXTURES

VERTEX = FIXTURES / "providers" / "vertex"
TOKEN = "ya29.test-access-token-0123456789"
HTTP = HttpSettings(connect_timeout=1.0, read_timeout=2.0, retries=0, backoff=0.01, deadline=10.0)
DENIED = {"error": {"code": 403, "message": "Permission denied on publisher.", "status": "PERMISSION_DENIED"}}
NOT_FOUND = {"error": {"code": 404, "message": "Publisher not found.", "status": "NOT_FOUND"}}


def vertex_settings(server: HTTPServer) -> Settings:
    values = {
        "VERTEX_ACCESS_TOKEN": TOKEN,
        "GOOGLE_CLOUD_PROJECT": "my-project",
        "MODELATLAS_VERTEX_BASE_URL": server.url_for("/v1beta1"),
    }
    return Settings(values=values, http=HTTP)


def fixture(name: str) -> Any:
    return json.loads((VERTEX / name).read_text())


def publisher(server: HTTPServer, name: str, body: Any, status: int = 200, **query: str) -> None:
    server.expect_ordered_request(
        f"/v1beta1/publishers/{name}/models",
        query_string={"pageSize": "100", **query},
        headers={"Authorization": f"Bearer {TOKEN}"},
    ).respond_with_json(body, status=status)


def ids(records: list[dict[str, Any]]) -> list[str]:
    return [record["id"] for record in records]


def test_vertex_empty_publisher_and_empty_last_page_are_no_models(httpserver: HTTPServer) -> None:
    first = fixture("google-page1.json")
    publisher(httpserver, "google", first)
    publisher(httpserver, "google", {}, pageToken=first["nextPageToken"])  # the last page: no models
    publisher(httpserver, "anthropic", {})  # a publisher with no models: proto3 omits the list
    publisher(httpserver, "mistralai", fixture("mistralai-page1.json"))
    normalized = fetch_live(BY_ID["vertex"], vertex_settings(httpserver))
    httpserver.check_assertions()
    listed = [m["name"].rsplit("/", 1)[1] for m in first["publisherModels"]]
    listed += [m["name"].rsplit("/", 1)[1] for m in fixture("mistralai-page1.json")["publisherModels"]]
    assert sorted(m["modelatlas"]["upstream_id"] for m in normalized.records) == sorted(listed)
    assert normalized.skipped == {} and normalized.rejected == []


def test_gemini_empty_answer_is_an_empty_list(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1beta/models", query_string={"pageSize": "1000"}).respond_with_json({})
    settings = Settings(
        values={"GEMINI_API_KEY": "AIza-test", "MODELATLAS_GEMINI_BASE_URL": httpserver.url_for("/v1beta")},
        http=HTTP,
    )
    assert fetch_live(BY_ID["gemini"], settings).records == []


@pytest.mark.parametrize(
    ("anthropic", "mistralai"),
    [((DENIED, 403), (fixture("mistralai-page1.json"), 200)), ((DENIED, 403), (NOT_FOUND, 404))],
)
def test_vertex_skips_a_refusing_publisher_with_its_reason(
    httpserver: HTTPServer, anthropic: tuple[Any, int], mistralai: tuple[Any, int]
) -> None:
    first = fixture("google-page1.json")
    publisher(httpserver, "google", first)
    publisher(httpserver, "google", fixture("google-page2.json"), pageToken=first["nextPageToken"])
    publisher(httpserver, "anthropic", anthropic[0], status=anthropic[1])
    publisher(httpserver, "mistralai", mistralai[0], status=mistralai[1])
    normalized = fetch_live(BY_ID["vertex"], vertex_settings(httpserver))
    assert {m["modelatlas"]["upstream_id"] for m in normalized.records} >= {"gemini-2.5-pro"}
    assert not any(m["id"].startswith("vertex/claude") for m in normalized.records)
    reason = normalized.skipped["publisher anthropic"]
    assert reason.startswith("HTTP 403") and "Permission denied on publisher. (PERMISSION_DENIED)" in reason
    assert ("publisher mistralai" in normalized.skipped) == (mistralai[1] == 404)
    assert "anthropic" in normalized.keep_owned_by


@pytest.mark.parametrize(
    ("body", "status", "expected"),
    [
        (
            {"error": {"code": 401, "message": "Request had invalid authentication credentials."}},
            401,
            "HTTP 401",
        ),
        (DENIED, 403, "every publisher was refused"),
    ],
)
def test_vertex_fails_on_a_bad_token_or_when_every_publisher_refuses(
    httpserver: HTTPServer, body: Any, status: int, expected: str
) -> None:
    for name in ("google", "anthropic", "mistralai"):
        httpserver.expect_request(f"/v1beta1/publishers/{name}/models").respond_with_json(body, status=status)
    with pytest.raises(FetchError) as failed:
        fetch_live(BY_ID["vertex"], vertex_settings(httpserver))
    assert expected in failed.value.reason and TOKEN not in failed.value.reason


def test_a_skipped_publisher_keeps_its_models_and_is_named_in_the_status(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    settings = vertex_settings(httpserver)
    first = fixture("google-page1.json")

    def night(anthropic: tuple[Any, int], when: datetime) -> Any:
        httpserver.clear()
        publisher(httpserver, "google", first)
        publisher(httpserver, "google", fixture("google-page2.json"), pageToken=first["nextPageToken"])
        publisher(httpserver, "anthropic", anthropic[0], status=anthropic[1])
        publisher(httpserver, "mistralai", fixture("mistralai-page1.json"))
        stream = io.StringIO()
        report = run_fetch(
            tmp_path,
            ["vertex"],
            settings,
            now=when,
            load_catalogs=lambda: CatalogLoad(records={}),
            progress=Progress(stream, live_line=False),
        )
        return report.results[0], stream.getvalue()

    fresh, _ = night((fixture("anthropic-page1.json"), 200), datetime(2026, 11, 27, 3, tzinfo=UTC))
    assert fresh.state == FRESH
    before = {m["id"]: m for m in doc(tmp_path)["models"]}
    assert before["vertex/claude-sonnet-4"]["owned_by"] == "anthropic"

    skipped, log = night((DENIED, 403), datetime(2026, 11, 28, 3, tzinfo=UTC))
    assert skipped.state == FRESH  # google and mistralai landed
    after = doc(tmp_path)
    models = {m["id"]: m for m in after["models"]}
    assert models["vertex/claude-sonnet-4"] == before["vertex/claude-sonnet-4"]  # kept, not marked removed
    assert set(models) == set(before)
    assert after["status"]["stale"] is False and after["status"]["last_refresh"] == "2026-11-28T03:00:00Z"
    assert "skipped publisher anthropic: HTTP 403" in after["status"]["reason"]
    assert "skipped publisher anthropic: HTTP 403" in log and TOKEN not in log

    failed, _ = night(
        ({"error": {"code": 401, "message": "expired"}}, 401), datetime(2026, 11, 29, 3, tzinfo=UTC)
    )
    assert failed.state == FAILED and doc(tmp_path)["status"]["stale"] is True


def doc(data: Path) -> dict[str, Any]:
    return json.loads((data / "providers" / "vertex.json").read_text())
