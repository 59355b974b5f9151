"""``modelatlas fetch`` orchestration against real local servers: guards, stale marks, exit codes,
secrets, concurrency."""

from __future__ import annotations

import io
import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from modelatlas.cli import cli
from modelatlas.config import HttpSettings, Settings
from modelatlas.fetch.catalogs import CatalogLoad
from modelatlas.fetch.outcome import FetchState
from modelatlas.fetch.progress import Progress
from modelatlas.fetch.run import run_fetch
from tests.paths import EMPTY_CATALOGS

FRESH, FAILED, HELD = FetchState.FRESH, FetchState.FAILED, FetchState.HELD

NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
KEY = "gsk-LEAKY-0123456789abcdef"


@pytest.fixture
def threaded_server():
    """A server answering requests in parallel (the default fixture serves one at a time)."""
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


def no_catalogs() -> CatalogLoad:
    return CatalogLoad(records={})


def openai_list(*ids: str, description: str | None = None) -> dict[str, Any]:
    items = [{"id": i, "object": "model", "created": 1700000000, "owned_by": "system"} for i in ids]
    if description:
        for item in items:
            item["description"] = description
    return {"object": "list", "data": items}


def settings_for(httpserver: HTTPServer, *providers: str, **http: float) -> Settings:
    values: dict[str, str] = {}
    for provider in providers:
        values[f"{provider.upper()}_API_KEY"] = KEY
        values[f"MODELATLAS_{provider.upper()}_BASE_URL"] = httpserver.url_for(f"/{provider}")
    options = {"connect_timeout": 1.0, "read_timeout": 1.0, "retries": 1, "backoff": 0.01, "deadline": 5.0}
    options.update(http)
    return Settings(values=values, http=HttpSettings(**options))


def run(data: Path, providers: list[str], settings: Settings, now: datetime = NOW, **kw: Any):
    stream = io.StringIO()
    report = run_fetch(
        data,
        providers,
        settings,
        now=now,
        load_catalogs=no_catalogs,
        progress=Progress(stream, live_line=False),
        **kw,
    )
    return report, stream.getvalue()


def doc(data: Path, provider: str) -> dict[str, Any]:
    return json.loads((data / "providers" / f"{provider}.json").read_text())


def test_failing_provider_keeps_its_models_and_is_marked_stale(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    for p in ("groq", "cerebras"):
        httpserver.expect_request(f"/{p}/models").respond_with_json(openai_list(f"{p}-a", f"{p}-b"))
    settings = settings_for(httpserver, "groq", "cerebras")
    first, _ = run(tmp_path, ["groq", "cerebras"], settings)
    assert [r.state for r in first.results] == [FRESH, FRESH] and first.exit_code == 0
    before = doc(tmp_path, "groq")

    httpserver.clear()
    httpserver.expect_request("/groq/models").respond_with_json({"error": {"message": "down"}}, status=503)
    httpserver.expect_request("/cerebras/models").respond_with_json(
        openai_list("cerebras-a", "cerebras-b", "c3")
    )
    second, log = run(tmp_path, ["groq", "cerebras"], settings, now=LATER)

    assert second.exit_code == 3
    groq, cerebras = second.results
    assert groq.state == FAILED and "HTTP 503" in groq.reason and "down" in groq.reason
    after = doc(tmp_path, "groq")
    assert after["models"] == before["models"]
    assert after["status"]["stale"] is True and "HTTP 503" in after["status"]["reason"]
    assert after["status"]["last_attempt"] == "2026-11-28T03:00:00Z"
    assert after["status"]["last_refresh"] == before["status"]["last_refresh"]
    assert cerebras.state == FRESH and doc(tmp_path, "cerebras")["status"]["count"] == 3
    assert "groq: FAILED" in log


def test_shrunken_list_is_held_back_unless_allowed(httpserver: HTTPServer, tmp_path: Path) -> None:
    ids = [f"m{i}" for i in range(10)]
    httpserver.expect_ordered_request("/groq/models").respond_with_json(openai_list(*ids))
    settings = settings_for(httpserver, "groq")
    run(tmp_path, ["groq"], settings)
    before = doc(tmp_path, "groq")

    httpserver.clear()
    httpserver.expect_request("/groq/models").respond_with_json(openai_list(*ids[:6]))
    held, _ = run(tmp_path, ["groq"], settings, now=LATER)
    assert held.results[0].state == HELD and "lost 4 of 10" in held.results[0].reason
    assert "rerun with --allow-shrink" in held.results[0].reason
    assert held.exit_code == 1
    assert doc(tmp_path, "groq")["models"] == before["models"]

    allowed, _ = run(tmp_path, ["groq"], settings, now=LATER, allow_shrink=True)
    assert allowed.exit_code == 0
    models = {m["id"]: m for m in doc(tmp_path, "groq")["models"]}
    assert len(models) == 10  # the 4 gone models are kept, marked removed
    assert models["groq/m9"]["modelatlas"]["lifecycle"] == {"status": "removed", "last_seen": "2026-11-27"}
    assert "lifecycle" not in models["groq/m0"]["modelatlas"]


@pytest.mark.parametrize("body", [{"object": "list", "data": []}, {"object": "list", "data": None}])
def test_empty_list_is_held_back(httpserver: HTTPServer, tmp_path: Path, body: dict[str, Any]) -> None:
    httpserver.expect_ordered_request("/groq/models").respond_with_json(openai_list("a", "b"))
    settings = settings_for(httpserver, "groq")
    run(tmp_path, ["groq"], settings)
    httpserver.clear()
    httpserver.expect_request("/groq/models").respond_with_json(body)
    report, _ = run(tmp_path, ["groq"], settings, now=LATER)
    assert report.results[0].state == HELD and "empty" in report.results[0].reason
    assert len(doc(tmp_path, "groq")["models"]) == 2


def test_malformed_json_and_wrong_shape_fail_without_writing(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/groq/models").respond_with_data("<html>oops", content_type="application/json")
    httpserver.expect_request("/cerebras/models").respond_with_json({"object": "list", "data": "nope"})
    report, _ = run(tmp_path, ["groq", "cerebras"], settings_for(httpserver, "groq", "cerebras"))
    assert [r.state for r in report.results] == [FAILED, FAILED] and report.exit_code == 1
    assert "not valid JSON" in report.results[0].reason
    assert "not a list" in report.results[1].reason
    assert not (tmp_path / "providers").exists()


def test_slow_provider_times_out_while_others_land(threaded_server: HTTPServer, tmp_path: Path) -> None:
    httpserver = threaded_server

    def slow(_request: Request) -> Response:
        time.sleep(0.5)
        return Response(json.dumps(openai_list("x")), content_type="application/json")

    httpserver.expect_request("/groq/models").respond_with_handler(slow)
    httpserver.expect_request("/cerebras/models").respond_with_json(openai_list("y"))
    report, _ = run(
        tmp_path,
        ["groq", "cerebras"],
        settings_for(httpserver, "groq", "cerebras", read_timeout=0.15, retries=0),
    )
    assert report.results[0].state == FAILED and "timed out" in report.results[0].reason
    assert report.results[1].state == FRESH and report.exit_code == 3


def test_providers_are_fetched_concurrently(threaded_server: HTTPServer, tmp_path: Path) -> None:
    httpserver = threaded_server
    providers = ["openai", "groq", "cerebras", "parasail"]

    def delayed(request: Request) -> Response:
        time.sleep(0.5)
        name = request.path.split("/")[1]
        return Response(json.dumps(openai_list(f"{name}-1")), content_type="application/json")

    for p in providers:
        httpserver.expect_request(f"/{p}/models").respond_with_handler(delayed)
    started = time.monotonic()
    report, _ = run(tmp_path, providers, settings_for(httpserver, *providers))
    elapsed = time.monotonic() - started
    assert report.exit_code == 0
    assert elapsed < 1.5, f"4 providers x 0.5 s took {elapsed:.2f} s: not concurrent"  # (2 s one by one)


@pytest.mark.parametrize("keys_from", ["environment", "credentials bundle"])
def test_key_never_reaches_disk_or_output(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keys_from: str
) -> None:
    """An upstream that echoes the key in data and in an error; nothing written or printed has it,
    whether the keys are variables of their own or entries of $MODELATLAS_CREDENTIALS."""
    httpserver.expect_request("/groq/models").respond_with_json(
        openai_list("model-a", f"model-{KEY}", description=f"Call with Authorization: Bearer {KEY}")
    )
    httpserver.expect_request("/cerebras/models").respond_with_json(
        {"error": {"message": f"Invalid API key {KEY} (see ?key={KEY})"}}, status=401
    )
    keys = {"GROQ_API_KEY": KEY, "CEREBRAS_API_KEY": KEY}
    if keys_from == "credentials bundle":
        for name in keys:
            monkeypatch.delenv(name, raising=False)
        keys = {"MODELATLAS_CREDENTIALS": json.dumps(keys)}
    env = {
        **keys,
        "MODELATLAS_GROQ_BASE_URL": httpserver.url_for("/groq"),
        "MODELATLAS_CEREBRAS_BASE_URL": httpserver.url_for("/cerebras"),
        **EMPTY_CATALOGS,
        "MODELATLAS_HTTP_RETRIES": "0",
        "CI": "true",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(
        cli,
        [
            "fetch",
            "--data",
            str(tmp_path),
            "--provider",
            "groq",
            "--provider",
            "cerebras",
            "--now",
            "2026-11-27T00:00:00Z",
        ],
    )
    assert result.exit_code == 3, result.output
    assert "cerebras" in result.output and "HTTP 401" in result.output
    assert KEY not in result.output
    written = list(tmp_path.rglob("*"))
    assert any(p.name == "groq.json" for p in written)
    for path in written:
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path
    groq = json.loads((tmp_path / "providers" / "groq.json").read_text())
    assert groq["status"]["source"] == "provider_api"  # the key was found and sent
    assert "***" in json.dumps(groq)


def test_cli_usage_errors_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["fetch", "--data", str(tmp_path), "--provider", "nope"])
    assert result.exit_code == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("http: [1\n")
    result = CliRunner().invoke(cli, ["fetch", "--data", str(tmp_path), "--config", str(bad)])
    assert result.exit_code == 2 and "not valid YAML" in result.output
