"""The shared HTTP client against a real local server: retries, Retry-After, timeouts, caps, errors."""

from __future__ import annotations

import json
import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from modelatlas.config import HttpSettings, Scrubber
from modelatlas.fetch.http import FetchError, HttpClient, provider_error_message, same_origin_url

SECRET = "sk-live-SECRET-abcdef123456"


def make_client(sleeps: list[float] | None = None, **overrides: float) -> HttpClient:
    values = {
        "connect_timeout": 1.0,
        "read_timeout": 1.0,
        "retries": 2,
        "backoff": 0.01,
        "backoff_max": 0.04,
        "retry_after_cap": 0.3,
        "deadline": 5.0,
    }
    values.update(overrides)
    recorded = sleeps if sleeps is not None else []

    def sleep(seconds: float) -> None:
        recorded.append(seconds)
        time.sleep(min(seconds, 0.05))

    return HttpClient(HttpSettings(**values), Scrubber([SECRET]), sleep=sleep)


def test_429_with_retry_after_then_success(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/m").respond_with_json(
        {"error": {"message": "slow down"}}, status=429, headers={"Retry-After": "7"}
    )
    httpserver.expect_ordered_request("/m").respond_with_json({"data": [1]})
    sleeps: list[float] = []
    assert make_client(sleeps).get_json(httpserver.url_for("/m")) == {"data": [1]}
    assert sleeps == [0.3]  # Retry-After honoured, capped at retry_after_cap


def test_500_then_success_uses_exponential_backoff(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/m").respond_with_data("oops", status=500)
    httpserver.expect_ordered_request("/m").respond_with_data("oops", status=503)
    httpserver.expect_ordered_request("/m").respond_with_json({"ok": True})
    sleeps: list[float] = []
    assert make_client(sleeps).get_json(httpserver.url_for("/m")) == {"ok": True}
    assert sleeps == [0.01, 0.02]


def test_retries_are_bounded_and_reason_has_status_and_provider_message(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/m").respond_with_json(
        {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}, status=529
    )
    client = make_client(retries=2)
    with pytest.raises(FetchError) as info:
        client.get_json(httpserver.url_for("/m"))
    assert client.requests_made == 3
    assert "HTTP 529" in info.value.reason and "Overloaded (overloaded_error)" in info.value.reason
    assert "gave up after 3 attempts" in info.value.reason


def test_client_errors_are_not_retried_and_never_show_the_key(httpserver: HTTPServer) -> None:
    body = {
        "error": {
            "message": f"Incorrect API key provided: {SECRET}",
            "type": "invalid_request_error",
            "param": None,
            "code": "invalid_api_key",
        }
    }
    httpserver.expect_request("/m").respond_with_json(body, status=401)
    client = make_client()
    with pytest.raises(FetchError) as info:
        client.get_json(httpserver.url_for("/m"), params={"key": SECRET})
    assert client.requests_made == 1
    reason = info.value.reason
    assert "HTTP 401" in reason and "Incorrect API key provided" in reason
    assert SECRET not in reason and "\n" not in reason


def test_read_timeout_is_reported(httpserver: HTTPServer) -> None:
    def slow(_request: Request) -> Response:
        time.sleep(1.5)
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        make_client(read_timeout=0.2, retries=0).get_json(httpserver.url_for("/slow"))
    assert time.monotonic() - started < 1.2  # cut at the timeout, not after the 1.5 s answer


def test_deadline_stops_retries(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/m").respond_with_data("busy", status=503, headers={"Retry-After": "100"})
    client = make_client(retries=5, retry_after_cap=100, deadline=0.5)
    with pytest.raises(FetchError, match="deadline"):
        client.get_json(httpserver.url_for("/m"))
    assert client.requests_made == 1


def test_malformed_json_is_a_clear_failure(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/m").respond_with_data('{"data": [1, 2,', content_type="application/json")
    with pytest.raises(FetchError, match="not valid JSON"):
        make_client().get_json(httpserver.url_for("/m"))


def test_response_size_cap_stops_reading(httpserver: HTTPServer) -> None:
    big = json.dumps({"data": ["x" * 1000] * 2000})
    httpserver.expect_request("/big").respond_with_data(big, content_type="application/json")
    with pytest.raises(FetchError, match="byte cap"):
        make_client(max_response_mb=0.5).get_json(httpserver.url_for("/big"))


def test_connection_refused_is_retried_then_reported() -> None:
    client = make_client(retries=1)
    with pytest.raises(FetchError, match="connection failed"):
        client.get_json("http://127.0.0.1:9/models")
    assert client.requests_made == 2


def test_redirects_are_not_followed(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/m").respond_with_data(
        "", status=302, headers={"Location": "http://evil.example/x"}
    )
    with pytest.raises(FetchError, match=r"redirect to evil\.example"):
        make_client().get_json(httpserver.url_for("/m"))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"error": {"message": "m1", "type": "t", "param": None, "code": None}}, "m1 (t)"),
        ({"type": "error", "error": {"type": "rate_limit_error", "message": "m2"}}, "m2 (rate_limit_error)"),
        ({"error": {"code": 403, "message": "m3", "status": "PERMISSION_DENIED"}}, "m3 (PERMISSION_DENIED)"),
        (
            {"error": {"code": "DeploymentNotFound", "message": "m4", "target": "x"}},
            "m4 (DeploymentNotFound)",
        ),
        ({"message": "m5"}, "m5"),
        ({"message": "m6", "id": "abc"}, "m6"),
        ({"detail": [{"loc": ["query", "x"], "msg": "m7", "type": "value_error"}]}, "query.x: m7"),
        ({"error": "m8"}, "m8"),
        ({"error": {"code": 402, "message": "m9", "metadata": {}}}, "m9 (402)"),
        ({"object": "error", "message": "m10", "type": "NotFoundError", "code": 404}, "m10"),
        ("not an envelope", None),
    ],
)
def test_every_documented_error_envelope_is_decoded(body: object, message: str | None) -> None:
    assert provider_error_message(body) == message


def test_next_links_must_stay_on_the_same_host() -> None:
    base = "https://api.example.com/openai/models"
    assert same_origin_url(base, "/openai/models?p=2") == "https://api.example.com/openai/models?p=2"
    with pytest.raises(FetchError):
        same_origin_url(base, "https://attacker.example/openai/models")


def test_scrubber_removes_keys_in_text_urls_and_bearer_headers() -> None:
    scrub = Scrubber([SECRET]).text
    assert SECRET not in scrub(f"echo {SECRET} back")
    assert scrub("https://x/models?key=AIzaSyABCDEF&pageSize=5") == "https://x/models?key=***&pageSize=5"
    assert "abcdefghijkl" not in scrub("Authorization: Bearer abcdefghijkl")
