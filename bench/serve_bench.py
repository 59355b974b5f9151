"""``modelatlas serve`` under concurrent clients: p50/p99 latency and errors of a mixed request load.

Starts ``modelatlas serve`` over a built folder on a free port of 127.0.0.1 (or uses ``--url``),
then sends ``--requests`` requests from ``--threads`` threads, each on a new connection (the
worst case for the listen backlog): list pages by token, one provider's list, single models by id
(sent with ``%2F`` as the OpenAI SDK does), static page files, revalidations that must get 304,
and the whole list with gzip. A request counts as an error if it fails, times out or gets another
status than expected. The request mix is fixed by ``--seed``.

    python bench/serve_bench.py --dir build --requests 200 --threads 20
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import random
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.build_bench import child_env  # noqa: E402
from bench.measure import modelatlas_command  # noqa: E402
from modelatlas.pagination import encode_page_token  # noqa: E402

LIST_PAGE_SIZE = 100
TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Request:
    kind: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    status: int = 200
    gzip: bool = False


@dataclass
class Outcome:
    kind: str
    seconds: float
    error: str | None = None


@dataclass
class Report:
    requests: int
    threads: int
    errors: int
    p50_ms: float
    p99_ms: float
    seconds: float
    by_kind: dict[str, dict[str, float]] = field(default_factory=dict)
    first_errors: list[str] = field(default_factory=list)


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of ``values`` (not empty)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def fetch(base: str, request: Request) -> tuple[int, dict[str, str], bytes]:
    url = urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=TIMEOUT_S)
    try:
        connection.request("GET", request.path, headers=dict(request.headers))
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def request_mix(base: str, count: int, seed: int) -> list[Request]:
    """``count`` requests over every kind, in a shuffled order fixed by ``seed``."""
    _, _, body = fetch(base, Request("index", "/v1/index.json"))
    index = json.loads(body)
    _, _, body = fetch(base, Request("list", "/v1/models"))
    ids = [model["id"] for model in json.loads(body)["data"]]
    pages = max(1, -(-len(ids) // LIST_PAGE_SIZE))
    _, headers, _ = fetch(base, Request("etag", f"/v1/models?page_size={LIST_PAGE_SIZE}"))
    etag = headers.get("etag", "\"none\"")  # a server without ETags fails the 304 requests
    rng = random.Random(seed)
    providers = sorted({model_id.split("/")[0] for model_id in ids})
    makers = [
        lambda: Request("list page", f"/v1/models?page_size={LIST_PAGE_SIZE}&page_token="
                        f"{quote(encode_page_token(rng.randrange(pages)))}"),
        lambda: Request("provider list", f"/v1/models?provider={rng.choice(providers)}"),
        lambda: Request("model", "/v1/models/" + quote(rng.choice(ids), safe="")),
        lambda: Request("static page", f"/v1/models/page/{rng.randrange(index['pages'])}.json"),
        lambda: Request("304", f"/v1/models?page_size={LIST_PAGE_SIZE}", (("If-None-Match", etag),), 304),
        lambda: Request("gzip list", "/v1/models", (("Accept-Encoding", "gzip"),), gzip=True),
    ]
    mix = [makers[i % len(makers)]() for i in range(count)]
    rng.shuffle(mix)
    return mix


def run_one(base: str, request: Request) -> Outcome:
    started = time.perf_counter()
    try:
        status, headers, _ = fetch(base, request)
    except OSError as exc:
        return Outcome(request.kind, time.perf_counter() - started, f"{request.path}: {exc!r}")
    seconds = time.perf_counter() - started
    if status != request.status:
        return Outcome(request.kind, seconds, f"{request.path}: HTTP {status}, expected {request.status}")
    if request.gzip and headers.get("content-encoding") != "gzip":
        return Outcome(request.kind, seconds, f"{request.path}: not gzip-encoded")
    return Outcome(request.kind, seconds)


def run(base: str, count: int, threads: int, seed: int) -> Report:
    mix = request_mix(base, count, seed)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        outcomes = list(pool.map(lambda request: run_one(base, request), mix))
    seconds = time.perf_counter() - started
    millis = [o.seconds * 1000 for o in outcomes]
    by_kind = {}
    for kind in sorted({o.kind for o in outcomes}):
        mine = [o.seconds * 1000 for o in outcomes if o.kind == kind]
        by_kind[kind] = {"count": len(mine), "p50_ms": percentile(mine, 0.5),
                         "p99_ms": percentile(mine, 0.99)}
    errors = [o.error for o in outcomes if o.error]
    return Report(count, threads, len(errors), percentile(millis, 0.5), percentile(millis, 0.99),
                  seconds, by_kind, errors[:5])


@contextmanager
def serving(build_dir: Path) -> Iterator[str]:
    """``modelatlas serve`` over ``build_dir`` on a free port; yields its base URL."""
    command = modelatlas_command("serve", "--dir", str(build_dir), "--port", "0", "--quiet")
    env = {**child_env(), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = process.stdout.readline() if process.stdout else ""
        found = re.search(r"at (http://[0-9.]+:[0-9]+)/", line)
        if not found:
            raise SystemExit(f"modelatlas serve did not start: {line.strip()} "
                             f"{process.stderr.read().strip() if process.stderr else ''}")
        yield found.group(1)
    finally:
        process.terminate()
        process.wait(timeout=10)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python bench/serve_bench.py", description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, default=Path("build"), help="built folder to serve")
    parser.add_argument("--url", help="an already running serve (then --dir is not used)")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--threads", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--results", type=Path, help="write the figures as JSON here")
    return parser.parse_args(argv)


def print_report(report: Report) -> None:
    print(f"{report.requests} requests, {report.threads} threads, {report.seconds:.2f} s: "
          f"p50 {report.p50_ms:.1f} ms, p99 {report.p99_ms:.1f} ms, errors {report.errors}")
    for kind, figures in report.by_kind.items():
        print(f"  {kind:<14} n={figures['count']:<4.0f} p50 {figures['p50_ms']:7.1f} ms"
              f"  p99 {figures['p99_ms']:7.1f} ms")
    for error in report.first_errors:
        print(f"  error: {error}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.url:
        report = run(args.url.rstrip("/"), args.requests, args.threads, args.seed)
    else:
        if not (args.dir / "v1" / "models.json").is_file():
            raise SystemExit(f"no build in {args.dir}: run 'modelatlas build' first or pass --dir")
        with serving(args.dir) as base:
            report = run(base, args.requests, args.threads, args.seed)
    print_report(report)
    if args.results:
        args.results.write_text(json.dumps(report.__dict__, indent=2, sort_keys=True) + "\n")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
