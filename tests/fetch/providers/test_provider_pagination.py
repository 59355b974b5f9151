"""Pagination edge cases over real HTTP: short pages, repeating cursors, end signals."""

from __future__ import annotations

import json

import pytest
from pytest_httpserver import HTTPServer

from modelatlas.config import HttpSettings, Settings
from modelatlas.fetch.http import FetchError
from modelatlas.fetch.providers.registry import by_id
from modelatlas.fetch.run import fetch_live

KEY = "sk-test-pagination-0123456789"


def _settings(provider: str, env: dict[str, str], base: str) -> Settings:
    http = HttpSettings(
        connect_timeout=2.0, read_timeout=2.0, retries=0, backoff=0.01, backoff_max=0.05,
        retry_after_cap=0.1, deadline=10.0,
    )
    return Settings(values={**env, f"MODELATLAS_{provider.upper()}_BASE_URL": base}, http=http)


def _gemini_page(names: list[str], token: str | None) -> str:
    body: dict[str, object] = {"models": [{"name": f"models/{n}", "displayName": n} for n in names]}
    if token is not None:
        body["nextPageToken"] = token
    return json.dumps(body)


def test_a_short_page_with_a_token_is_not_the_end(httpserver: HTTPServer) -> None:
    # The server returns 1 item although 1000 were asked for: only the missing token ends the list.
    httpserver.expect_ordered_request("/v1beta/models", query_string={"pageSize": "1000"}).respond_with_data(
        _gemini_page(["a"], "t1"), content_type="application/json"
    )
    httpserver.expect_ordered_request(
        "/v1beta/models", query_string={"pageSize": "1000", "pageToken": "t1"}
    ).respond_with_data(_gemini_page(["b"], ""), content_type="application/json")
    settings = _settings("gemini", {"GEMINI_API_KEY": KEY}, httpserver.url_for("/v1beta"))
    result = fetch_live(by_id()["gemini"], settings)
    assert sorted(r["id"] for r in result.records) == ["gemini/a", "gemini/b"]
    httpserver.check_assertions()


def test_a_repeating_page_token_stops_with_an_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1beta/models").respond_with_data(
        _gemini_page(["a"], "same"), content_type="application/json"
    )
    settings = _settings("gemini", {"GEMINI_API_KEY": KEY}, httpserver.url_for("/v1beta"))
    with pytest.raises(FetchError, match="repeats"):
        fetch_live(by_id()["gemini"], settings)
    # first page, the page for "same", and no third request: the loop stopped at the repeat
    assert len(httpserver.log) == 2


def test_an_anthropic_cursor_that_does_not_advance_stops(httpserver: HTTPServer) -> None:
    page = {
        "data": [
            {"id": "claude-x", "type": "model", "display_name": "X", "created_at": "2025-01-01T00:00:00Z"}
        ],
        "has_more": True,
        "first_id": "claude-x",
        "last_id": "claude-x",
    }
    httpserver.expect_request("/v1/models").respond_with_json(page)
    settings = _settings("anthropic", {"ANTHROPIC_API_KEY": KEY}, httpserver.url_for("/v1"))
    with pytest.raises(FetchError, match="repeats"):
        fetch_live(by_id()["anthropic"], settings)
    assert len(httpserver.log) == 2
