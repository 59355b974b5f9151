"""``modelatlas fetch`` against one local fake API per registered provider: wall time vs. the
slowest provider's chain.

A provider's chain is the span from its first request reaching its fake server to its last
response leaving it (its pages are sequential by nature, each costing the fixed latency). If the
fetch runs providers concurrently, its wall time is that slowest chain plus start-up and the
local work; run one after another it would be the sum of all chains. The public catalogs are
served by local servers too (same latency), from shared/reference/ when present.
"""

from __future__ import annotations

import shutil
import statistics
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench.build_bench import child_env
from bench.fetch_servers import PAGINATED, FakeProviders
from bench.measure import modelatlas_command, run_measured
from modelatlas.fetch.catalogs import portkey

Log = Callable[[str], None]
MODELS_PER_PAGE = 20
CATALOG_FILES = {
    "MODELATLAS_MODELS_DEV_URL": "models.dev-api.json",
    "MODELATLAS_LITELLM_URL": "litellm-model-prices.json",
    "MODELATLAS_OPENROUTER_URL": "openrouter-models.json",
    "MODELATLAS_RUBY_LLM_URL": "ruby_llm-models.json",
}
# Portkey is a folder of files (pricing/<file>.json, general/<file>.json) under one base URL.
PORTKEY_VAR, PORTKEY_DIR = "MODELATLAS_PORTKEY_URL", "portkey"
EMPTY_CATALOGS: dict[str, bytes | dict[str, bytes]] = {
    "MODELATLAS_MODELS_DEV_URL": b"{}",
    "MODELATLAS_LITELLM_URL": b"{}",
    "MODELATLAS_OPENROUTER_URL": b'{"data": []}',
    "MODELATLAS_RUBY_LLM_URL": b"[]",
    PORTKEY_VAR: {
        f"{part}/{name}.json": b"{}" for part in ("pricing", "general") for name in portkey.file_providers()
    },
}


def reference_dir(repo: Path) -> Path:
    return (repo / ".." / "shared" / "reference").resolve()


class CatalogServer:
    """Serves the public catalog files over local HTTP with the same fixed latency (a catalog that
    is a folder of files is served under ``/<variable>/``)."""

    def __init__(self, bodies: dict[str, bytes | dict[str, bytes]], latency: float) -> None:
        self.bodies: dict[str, bytes] = {}
        self.names: dict[str, str] = {}
        for name, body in bodies.items():
            if isinstance(body, dict):
                self.names[name] = f"/{name.lower()}"
                self.bodies.update({f"/{name.lower()}/{rel}": part for rel, part in body.items()})
            else:
                self.names[name] = f"/{name.lower()}.json"
                self.bodies[self.names[name]] = body
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                time.sleep(latency)
                body = outer.bodies.get(self.path.split("?")[0])
                self.send_response(200 if body is not None else 404)
                payload = body if body is not None else b'{"error": "not found"}'
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def env(self) -> dict[str, str]:
        port = self.server.server_address[1]
        return {name: f"http://127.0.0.1:{port}{path}" for name, path in self.names.items()}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def catalog_bodies(repo: Path, use_reference: bool = True) -> tuple[dict[str, bytes | dict[str, bytes]], str]:
    """The real public catalogs from shared/reference/ (if present and wanted), else empty ones."""
    ref = reference_dir(repo)
    portkey_files = list(EMPTY_CATALOGS[PORTKEY_VAR])
    wanted = [ref / name for name in CATALOG_FILES.values()] + [ref / PORTKEY_DIR / f for f in portkey_files]
    if use_reference and all(path.is_file() for path in wanted):
        bodies: dict[str, bytes | dict[str, bytes]] = {
            var: (ref / name).read_bytes() for var, name in CATALOG_FILES.items()
        }
        bodies[PORTKEY_VAR] = {f: (ref / PORTKEY_DIR / f).read_bytes() for f in portkey_files}
        return bodies, "shared/reference"
    return dict(EMPTY_CATALOGS), "empty"


def fetch_once(
    data: Path, latency: float, pages: int, repo: Path, bodies: dict[str, bytes | dict[str, bytes]]
) -> dict[str, Any]:
    """One fetch into ``data`` against fresh fake servers; its wall time and every provider's chain."""
    catalogs = CatalogServer(bodies, latency)
    try:
        with FakeProviders(models_per_provider=pages * MODELS_PER_PAGE, page_cap=MODELS_PER_PAGE,
                           latency=latency) as fakes:
            # the fetch's last good copies of the catalogs stay in the bench's own folder, never in
            # the user's cache (child_env drops any MODELATLAS_ override of ours)
            cache = {"MODELATLAS_CACHE_DIR": str(data.parent / "fetch-cache")}
            env = {**child_env(), **fakes.env(), **catalogs.env(), **cache}
            result = run_measured(modelatlas_command("fetch", "--data", str(data)), env=env, cwd=repo)
            chains = fakes.log.chains()
    finally:
        catalogs.close()
    slowest = max(chains, key=lambda p: chains[p]["seconds"]) if chains else None
    return {
        "wall_s": result.seconds,
        "exit_code": result.returncode,
        "peak_rss_mb": result.peak_rss_mb,
        "chains": chains,
        "slowest_provider": slowest,
        "slowest_chain_s": chains[slowest]["seconds"] if slowest else float("nan"),
        "slowest_chain_requests": int(chains[slowest]["requests"]) if slowest else 0,
        "sum_of_chains_s": sum(c["seconds"] for c in chains.values()),
        "requests": int(sum(c["requests"] for c in chains.values())),
        "providers_called": sorted(chains),
        "stderr_tail": result.stderr[-2000:],
    }


def measure_fetch(
    work: Path, latency: float, pages: int, runs: int, repo: Path, log: Log, use_reference: bool = True
) -> dict[str, Any]:
    """Median wall time of ``runs`` fetches and the ratio to the slowest provider's chain."""
    bodies, catalog_source = catalog_bodies(repo, use_reference)
    samples = []
    for run in range(runs):
        data = work / f"data-{run}"
        if data.exists():
            shutil.rmtree(data)
        shutil.copytree(repo / "data", data)
        sample = fetch_once(data, latency, pages, repo, bodies)
        samples.append(sample)
        log(f"[fetch] run {run + 1}/{runs}: wall {sample['wall_s']:.2f} s, slowest chain "
            f"{sample['slowest_chain_s']:.2f} s ({sample['slowest_provider']}), "
            f"{sample['requests']} requests, exit {sample['exit_code']}")
    shutil.rmtree(work, ignore_errors=True)
    middle = sorted(samples, key=lambda s: s["wall_s"])[len(samples) // 2]
    wall = statistics.median(s["wall_s"] for s in samples)
    chain = statistics.median(s["slowest_chain_s"] for s in samples)
    return {
        **middle,
        "wall_s": wall,
        "slowest_chain_s": chain,
        "wall_over_slowest_chain": wall / chain if chain else float("nan"),
        "latency_s": latency,
        "pages_per_paginating_provider": pages,
        "paginating_providers": list(PAGINATED),
        "catalogs": catalog_source,
        "runs": runs,
        "samples_wall_s": [s["wall_s"] for s in samples],
    }
