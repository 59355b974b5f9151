"""schemathesis against ``modelatlas serve`` with the build's own ``openapi.json``.

Generated requests (explicit examples, boundary "coverage" cases including invalid values, and a
few random ones per operation; seeded, so every run sends the same requests) must get a documented
status, never a 5xx, and a body and headers that conform to the document and the JSON Schemas it
refers to; a request the document allows must not be refused (a page_token of the documented
format, even past the last page). Then the ``schemathesis`` command itself, as a user runs it,
with every check (a request the document does not allow, such as an unknown query parameter, must
be refused) under several seeds, each bounded by its number of examples (about 3 s a seed). A last
test sends, for every (operation, documented status), one request that must produce it, so no
documented status goes untested.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from schemathesis.core.failures import FailureGroup

from tests.paths import FIXTURES
from tests.serve.live_server import build_api, serve_subprocess

CONFIG = {
    "seed": 1,
    "generation": {"max-examples": 15, "deterministic": True, "allow-extra-parameters": False},
    "phases": {"stateful": {"enabled": False}},
}
CLI_SEEDS = (1, 7, 2026)
CLI_EXAMPLES = 10  # per operation and seed


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


def test_the_document_is_valid_openapi_3_1(api_schema: schemathesis.BaseSchema) -> None:
    assert api_schema.raw_schema["openapi"] == "3.1.0"
    api_schema.validate()  # against the OpenAPI 3.1 meta-schema; raises if the document breaks it


@schema.parametrize()
def test_every_operation_conforms(case: schemathesis.Case) -> None:
    case.call_and_validate()


@pytest.mark.parametrize("seed", CLI_SEEDS)
def test_a_schemathesis_run_with_every_check_finds_nothing(base: str, tmp_path: Path, seed: int) -> None:
    command = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or "schemathesis"
    # No --url: schemathesis takes the base path from the document's server "." (this folder). With
    # --url it stops refusing a request whose only fault is an unknown query parameter (4.32.5).
    args = [command, "run", f"{base}/openapi.json", "--checks", "all", "--max-examples", str(CLI_EXAMPLES),
            "--seed", str(seed), "--workers", "1", "--generation-database", "none", "--no-color"]
    done = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=180, check=False)
    # Exit 0: no failure and no error (a warning, e.g. that random file names only found 404s, is fine).
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr
    generated = re.search(r"([0-9]+) generated, ([0-9]+) passed", done.stdout)
    assert generated and generated.group(1) == generated.group(2), done.stdout[-2000:]
    assert re.search(r"Tested: 2[0-9]\b", done.stdout), done.stdout[-2000:]  # every operation ran


def _path_examples(operation: dict, path_item: dict) -> dict[str, object]:
    """The documented example of every path parameter (the document takes them from the build)."""
    parameters = path_item.get("parameters", []) + operation.get("parameters", [])
    return {p["name"]: p["example"] for p in parameters if p.get("in") == "path"}


def _missing(path_parameters: dict[str, object], path: str) -> dict[str, object]:
    """The same parameters with the last one naming nothing in the build."""
    if not path_parameters:
        pytest.fail(f"{path} documents a 404 but has no parameter to make one with")
    name = list(path_parameters)[-1]
    return {**path_parameters, name: 9999 if isinstance(path_parameters[name], int) else "nope~missing"}


def test_every_documented_status_is_produced_and_conforms(api_schema: schemathesis.BaseSchema) -> None:
    raw = api_schema.raw_schema
    produced: set[tuple[str, str, str]] = set()
    for path, path_item in raw["paths"].items():
        for method, operation in path_item.items():
            if method == "parameters":
                continue
            api_operation = api_schema[path][method.upper()]
            path_parameters = _path_examples(operation, path_item)
            for status in operation["responses"]:
                headers: dict[str, str] = {}
                query: dict[str, object] = {}
                parameters = path_parameters
                if status == "304":
                    first = api_operation.Case(path_parameters=path_parameters).call()
                    headers = {"If-None-Match": first.headers["etag"][0]}
                elif status == "400":
                    query = {"page_size": 0}
                elif status == "404":
                    parameters = _missing(path_parameters, path)
                case = api_operation.Case(path_parameters=parameters, headers=headers, query=query)
                response = case.call_and_validate()
                assert str(response.status_code) == status, (method, path, response.text[:200])
                produced.add((method, path, status))
    documented = {
        (method, path, status)
        for path, item in raw["paths"].items()
        for method, operation in item.items()
        if method != "parameters"
        for status in operation["responses"]
    }
    assert produced == documented
    assert {"200", "204", "304", "400", "404"} <= {status for _, _, status in produced}


BAD_QUERIES = [
    {"page_size": 0},
    {"page_size": 1001},
    {"page_size": "abc"},
    {"provider": "nope"},
    {"page_token": "garbage"},
]
GOOD_QUERIES = [{}, {"page_size": 3}, {"provider": "bedrock", "page_size": 5}]


@pytest.fixture(scope="module")
def gateway_schema(base: str) -> schemathesis.BaseSchema:
    config = schemathesis.Config.from_dict({**CONFIG, "base-url": base})
    return schemathesis.openapi.from_path(FIXTURES / "openapi" / "gateway-list-models.json", config=config)


@pytest.mark.parametrize("query", GOOD_QUERIES)
def test_answers_fit_the_gateways_own_fragment(gateway_schema: schemathesis.BaseSchema, query: dict) -> None:
    response = gateway_schema["/v1/models"]["GET"].Case(query=query).call_and_validate()
    assert response.status_code == 200


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_the_400s_the_fragment_leaves_out_are_documented_here(
    api_schema: schemathesis.BaseSchema, gateway_schema: schemathesis.BaseSchema, query: dict
) -> None:
    ours = api_schema["/v1/models"]["GET"].Case(query=query).call_and_validate()
    assert ours.status_code == 400
    with pytest.raises(FailureGroup, match="found 1 distinct failure") as failure:
        gateway_schema["/v1/models"]["GET"].Case(query=query).call_and_validate()
    assert "ST103 Undocumented status code" in str(failure.value) and "Received: 400" in str(failure.value)
