"""Local fake provider APIs for the fetch benchmark, one per registered provider: real HTTP on
127.0.0.1, fixed latency.

Each provider gets its own server speaking that provider's list-models wire format (paths, body
shape, pagination style, as in shared/reference/provider-apis.md): the pager in :data:`PAGERS`, or
for a provider whose module reads an OpenAI-style list (``OpenAICompatible``), that list. A
provider with a list of its own and no pager here stops the benchmark with a message. Paginating
APIs hand out at most ``page_cap`` models per page whatever page size the client asks for, so a
correct fetcher walks several pages; every request sleeps ``latency`` seconds first. The request
log gives each provider's chain (first request in to last response out) to compare the fetch's
wall time with.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from modelatlas.fetch.providers import registry
from modelatlas.fetch.providers.openai_compatible import OpenAICompatible
from modelatlas.ids import provider_ids

Query = dict[str, str]
Body = Any
Pager = Callable[[list[str], Query, int, str], Body]
PAGINATED = ("anthropic", "cohere", "vertex", "gemini", "openrouter")


def _slice_by_token(
    ids: list[str], token: str | None, cap: int, asked: str | None
) -> tuple[list[str], str | None]:
    start = int(token) if token and token.isdigit() else 0
    size = min(cap, int(asked)) if asked and asked.isdigit() and int(asked) > 0 else cap
    chunk = ids[start : start + size]
    return chunk, (str(start + size) if start + size < len(ids) else None)


def _openai_item(mid: str, provider: str) -> dict[str, Any]:
    return {"id": mid, "object": "model", "created": 1735689600, "owned_by": provider}


def _openai_style(provider: str) -> Pager:
    def page(ids: list[str], query: Query, cap: int, path: str) -> Body:
        items = [_openai_item(mid, provider) for mid in ids]
        if provider == "sgl":
            for item in items:
                item.update({"root": item["id"], "max_model_len": 32768})
        if provider == "perplexity":
            for item in items:
                item["pricing"] = {"input": 1, "output": 5, "cache_read": 0.5, "unit": "usd_per_1m_tokens"}
        if provider == "mistral":
            for item in items:
                item.update({"name": item["id"], "max_context_length": 131072, "aliases": [], "type": "base",
                             "capabilities": {"completion_chat": True, "vision": False}})
        return {"object": "list", "data": items}

    return page


def _azure(ids: list[str], query: Query, cap: int, path: str) -> Body:
    return {"object": "list", "data": [
        {"id": mid, "object": "model", "created_at": 1735689600, "status": "succeeded",
         "capabilities": {"chat_completion": True, "completion": False, "embeddings": False,
                          "fine_tune": False, "inference": True},
         "lifecycle_status": "generally-available", "deprecation": {"inference": 1893456000}}
        for mid in ids]}


def _bedrock(ids: list[str], query: Query, cap: int, path: str) -> Body:
    if path.endswith("/inference-profiles"):
        return {"inferenceProfileSummaries": []}
    return {"modelSummaries": [
        {"modelArn": f"arn:aws:bedrock:us-east-1::foundation-model/{mid}", "modelId": mid, "modelName": mid,
         "providerName": "Bench", "inputModalities": ["TEXT"], "outputModalities": ["TEXT"],
         "responseStreamingSupported": True, "inferenceTypesSupported": ["ON_DEMAND"],
         "modelLifecycle": {"status": "ACTIVE"}} for mid in ids]}


def _anthropic(ids: list[str], query: Query, cap: int, path: str) -> Body:
    after = query.get("after_id")
    start = ids.index(after) + 1 if after in ids else 0
    size = min(cap, int(query["limit"])) if query.get("limit", "").isdigit() else min(cap, 20)
    chunk = ids[start : start + size]
    items = [{"type": "model", "id": mid, "display_name": mid.title(), "created_at": "2025-01-01T00:00:00Z",
              "max_input_tokens": 200000, "max_tokens": 64000} for mid in chunk]
    return {"data": items,
            "has_more": start + size < len(ids), "first_id": chunk[0] if chunk else None,
            "last_id": chunk[-1] if chunk else None}


def _cohere(ids: list[str], query: Query, cap: int, path: str) -> Body:
    chunk, token = _slice_by_token(ids, query.get("page_token"), cap, query.get("page_size"))
    body: dict[str, Any] = {"models": [
        {"name": mid, "endpoints": ["chat"], "context_length": 128000, "is_deprecated": False,
         "finetuned": False, "features": ["tools"]} for mid in chunk]}
    if token:
        body["next_page_token"] = token
    return body


def _google(kind: str) -> Pager:
    def page(ids: list[str], query: Query, cap: int, path: str) -> Body:
        chunk, token = _slice_by_token(ids, query.get("pageToken"), cap, query.get("pageSize"))
        if kind == "gemini":
            items = [{"name": f"models/{mid}", "displayName": mid, "version": "001",
                      "inputTokenLimit": 1048576, "outputTokenLimit": 65536,
                      "supportedGenerationMethods": ["generateContent"]}
                     for mid in chunk]
            body: dict[str, Any] = {"models": items}
        else:
            publisher = path.split("/publishers/")[-1].split("/")[0] if "/publishers/" in path else "google"
            items = [{"name": f"publishers/{publisher}/models/{publisher}-{mid}", "versionId": "001",
                      "launchStage": "GA"} for mid in chunk]
            body = {"publisherModels": items}
        if token:
            body["nextPageToken"] = token
        return body

    return page


def _openrouter(ids: list[str], query: Query, cap: int, path: str) -> Body:
    if "offset" not in query and "limit" not in query:
        chunk, nxt = ids, None  # the real API returns the whole list when neither is given
    else:
        chunk, nxt = _slice_by_token(ids, query.get("offset"), cap, query.get("limit"))
    items = [{"id": f"bench/{mid}", "canonical_slug": f"bench/{mid}", "name": mid, "created": 1735689600,
              "context_length": 131072, "pricing": {"prompt": "0.000001", "completion": "0.000002"},
              "architecture": {"modality": "text->text", "input_modalities": ["text"],
                               "output_modalities": ["text"], "tokenizer": "Other"},
              "top_provider": {"is_moderated": False}} for mid in chunk]
    return {"data": items, "total_count": len(ids),
            "links": {"next": f"/api/v1/models?offset={nxt}&limit={cap}" if nxt else None}}


def _elevenlabs(ids: list[str], query: Query, cap: int, path: str) -> Body:
    return [{"model_id": mid, "name": mid, "can_do_text_to_speech": True, "languages": [],
             "model_rates": {"character_cost_multiplier": 1.0}} for mid in ids]


def _ollama(ids: list[str], query: Query, cap: int, path: str) -> Body:
    if path.endswith("/v1/models"):
        return _openai_style("ollama")(ids, query, cap, path)
    if path.endswith("/api/show"):
        return {"model_info": {"general.architecture": "llama", "llama.context_length": 131072},
                "capabilities": ["completion", "tools"], "details": {"family": "llama"}}
    return {"models": [{"name": f"{mid}:latest", "model": f"{mid}:latest",
                        "modified_at": "2025-01-01T00:00:00Z", "size": 1, "digest": "0" * 64,
                        "details": {"family": "llama", "parameter_size": "8B"}} for mid in ids]}


# The providers whose list is not read by the shared OpenAI-style reader (or that add to it).
PAGERS: dict[str, Pager] = {
    "anthropic": _anthropic, "azure": _azure, "bedrock": _bedrock, "cohere": _cohere,
    "vertex": _google("vertex"), "mistral": _openai_style("mistral"), "ollama": _ollama,
    "gemini": _google("gemini"), "openrouter": _openrouter, "elevenlabs": _elevenlabs,
    "sgl": _openai_style("sgl"), "perplexity": _openai_style("perplexity"),
}


def pager_for(provider: str) -> Pager:
    """The fake list of ``provider``: its own pager, else the OpenAI-style list its module reads."""
    if provider in PAGERS:
        return PAGERS[provider]
    spec = getattr(registry.declared(provider).normalize, "__self__", None)
    if isinstance(spec, OpenAICompatible):
        return _openai_style(provider)
    raise SystemExit(f"bench/fetch_servers.py has no fake list API for provider {provider!r}: add a pager")


def fake_credentials() -> dict[str, str]:
    """A fake value for one setting of every credential group the registry declares (the key, where
    a group has one); where a provider's server is comes from its API-root override."""
    values = {}
    for provider in registry.PROVIDERS:
        for group in provider.credentials:
            key = next((name for name in group if name in provider.secret_settings), group[0])
            values[key] = "bench-fake-key"
    return values


@dataclass
class RequestLog:
    """(provider, method, path, started, finished) of every request, in arrival order."""

    entries: list[tuple[str, str, str, float, float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, entry: tuple[str, str, str, float, float]) -> None:
        with self.lock:
            self.entries.append(entry)

    def chains(self) -> dict[str, dict[str, float]]:
        """Per provider: request count and span from its first request's arrival to its last response."""
        spans: dict[str, dict[str, float]] = {}
        for provider, _method, _path, started, finished in self.entries:
            span = spans.setdefault(provider, {"requests": 0, "first": started, "last": finished})
            span["requests"] += 1
            span["first"] = min(span["first"], started)
            span["last"] = max(span["last"], finished)
        return {p: {"requests": s["requests"], "seconds": s["last"] - s["first"]} for p, s in spans.items()}


def _handler(provider: str, ids: list[str], cap: int, latency: float, log: RequestLog) -> type:
    pager = pager_for(provider)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            started = time.perf_counter()
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            time.sleep(latency)
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            payload = json.dumps(pager(ids, query, cap, parts.path.rstrip("/"))).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            log.add((provider, self.command, self.path, started, time.perf_counter()))

        do_GET = _answer
        do_POST = _answer

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


class FakeProviders:
    """Context manager running one fake API per provider; ``env()`` points modelatlas at them."""

    def __init__(self, models_per_provider: int = 80, page_cap: int = 20, latency: float = 0.1) -> None:
        self.models_per_provider = models_per_provider
        self.page_cap = page_cap
        self.latency = latency
        self.log = RequestLog()
        self.servers: dict[str, ThreadingHTTPServer] = {}
        self.threads: list[threading.Thread] = []

    def __enter__(self) -> FakeProviders:
        for provider in provider_ids():
            ids = [f"bench-{provider}-model-{i:04d}" for i in range(self.models_per_provider)]
            handler = _handler(provider, ids, self.page_cap, self.latency, self.log)
            server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
            server.daemon_threads = True
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            self.servers[provider] = server
            self.threads.append(thread)
        return self

    def __exit__(self, *exc: object) -> None:
        for server in self.servers.values():
            server.shutdown()
            server.server_close()

    def api_root(self, provider: str) -> str:
        return f"http://127.0.0.1:{self.servers[provider].server_address[1]}"

    def env(self) -> dict[str, str]:
        """Every provider's API-root override (``MODELATLAS_<PROVIDER>_BASE_URL``) and fake credentials."""
        overrides = {registry.declared(p).override_var: self.api_root(p) for p in provider_ids()}
        return {**fake_credentials(), **overrides}

