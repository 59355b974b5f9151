"""The deadline holds on the wall clock against upstreams that drip (a real local server sending one
byte at a time, each well within the read timeout): before, a body under a Content-Length dripping
1 byte/s held a 15 s deadline for 256 s, and dripped headers took 101.7 s."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from modelatlas.cli import cli
from modelatlas.config import HttpSettings, Scrubber
from modelatlas.fetch.http import FetchError, HttpClient
from tests.paths import EMPTY_CATALOGS
from tests.upstream_server import Answer, Request, upstream

DEADLINE = 1.0
LIMIT = DEADLINE + 1.0  # the deadline, plus scheduling slack on a shared machine
BODY = json.dumps(
    {"object": "list", "data": [{"id": f"m-{i}", "object": "model"} for i in range(5)]}
).encode()


def _client(deadline: float = DEADLINE) -> HttpClient:
    settings = HttpSettings(connect_timeout=2.0, read_timeout=5.0, retries=2, backoff=0.01, deadline=deadline)
    return HttpClient(settings, Scrubber(()))


def _timed(call: Callable[[], Any]) -> tuple[BaseException | None, float]:
    started = time.monotonic()
    try:
        call()
    except FetchError as exc:
        return exc, time.monotonic() - started
    return None, time.monotonic() - started


DRIPS = {
    "body under Content-Length": Answer(body=BODY, drip_body=0.05),
    "headers": Answer(body=BODY, headers={"X-Padding": "p" * 40}, drip_head=0.05),
    "chunked body": Answer(body=BODY, chunked=True, drip_body=0.05),
}


@pytest.mark.parametrize("case", DRIPS)
def test_a_dripping_answer_is_cut_at_the_deadline(case: str) -> None:
    answer = DRIPS[case]
    with upstream(lambda _request: answer) as base:
        error, elapsed = _timed(lambda: _client().get_json(f"{base}/v1/models"))
    assert error is not None and f"deadline of {DEADLINE:g}s exceeded" in str(error), error
    assert elapsed < LIMIT, f"{case}: the {DEADLINE}s deadline held for {elapsed:.2f}s"


def test_a_slow_but_timely_answer_is_read_whole() -> None:
    small = json.dumps({"data": []}).encode()
    with upstream(lambda _request: Answer(body=small, drip_body=0.01)) as base:
        assert _client(deadline=5.0).get_json(f"{base}/v1/models") == {"data": []}


def test_fetch_of_a_dripping_provider_ends_at_its_deadline_while_others_land(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``modelatlas fetch`` with MODELATLAS_HTTP_DEADLINE=1: the dripping provider fails at 1 s with a
    one-line reason; the other one is fresh; the whole run ends in about the deadline."""

    def route(request: Request) -> Answer:
        if request.path.startswith("/groq"):
            return Answer(body=BODY, drip_body=0.05)
        return Answer(body=BODY)

    with upstream(route) as base:
        env = {
            **EMPTY_CATALOGS,
            "GROQ_API_KEY": "gsk-test-0123456789",
            "CEREBRAS_API_KEY": "csk-test-0123456789",
            "MODELATLAS_GROQ_BASE_URL": f"{base}/groq",
            "MODELATLAS_CEREBRAS_BASE_URL": f"{base}/cerebras",
            "MODELATLAS_HTTP_DEADLINE": str(DEADLINE),
        }
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        started = time.monotonic()
        result = CliRunner().invoke(
            cli, ["fetch", "--data", str(tmp_path), "--provider", "groq", "--provider", "cerebras"]
        )
        elapsed = time.monotonic() - started
    assert result.exit_code == 3, result.output
    assert "groq: FAILED" in result.output and "deadline of 1s exceeded while reading" in result.output
    assert "cerebras: fresh" in result.output
    assert elapsed < LIMIT + 1.0, f"fetch took {elapsed:.2f}s with a {DEADLINE}s deadline"
