"""Benchmark: HTML catalog size and search keystroke latency at the snapshot's size and at 10k models.

For each catalog (the committed snapshot in data/, and a synthetic catalog of --models records made
from the snapshot's record shapes by bench/synthetic_catalog.py, or from its built-in records when
data/ is absent) this script renders the site with modelatlas.render.html, serves it on 127.0.0.1,
opens the home page in headless Debian Chromium and reports:

* the gzip size (level 6) of every file the home page loads (HTML, CSS, JS, the search index);
* search latency: for ~30 keystrokes, the time from dispatching the input event until the visible
  rows are rebuilt and laid out (performance.now() around dispatchEvent plus a forced layout read),
  median and p95, in the plain table and again in the group-by-model view (``?group=model``).

Run: ``python bench/site_keystroke.py [--models 10000] [--json out.json]`` (needs /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import statistics
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from bench.synthetic_catalog import generate_catalog, load_snapshot, write_data_dir  # noqa: E402
from modelatlas.render import html  # noqa: E402
from modelatlas.render.build import load_catalog  # noqa: E402
from modelatlas.render.output import content_bytes  # noqa: E402

# Typed one character at a time; "\b" is a backspace. 30+ keystrokes, broad and narrow queries.
KEYSTROKES = list("claude") + ["\b"] * 6 + list("gpt-4o mini") + ["\b"] * 5 + list("llama")
TYPE_ONE = """(key) => {
  const box = document.getElementById('q');
  box.value = key === '\\b' ? box.value.slice(0, -1) : box.value + key;
  const t0 = performance.now();
  box.dispatchEvent(new Event('input', {bubbles: true}));
  void document.getElementById('catalog-table').offsetHeight;  // force style and layout
  return [performance.now() - t0, document.querySelectorAll('#catalog-table tbody tr').length];
}"""


GROUPED = "?group=model"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def render_site(data_dir: Path, out: Path) -> int:
    catalog = load_catalog(data_dir)
    for path, content in html.render(catalog):
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content_bytes(content))
    return len(catalog.models)


def measure(site: Path, browser: Any, query: str = "") -> dict[str, Any]:
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        page = browser.new_page()
        loaded: list[str] = []
        page.on("request", lambda r: loaded.append(r.url))
        page.goto(origin + "index.html" + query)
        page.wait_for_selector("html[data-catalog-ready]", timeout=60_000)
        page.wait_for_load_state("networkidle")
        files = sorted({u.removeprefix(origin).split("?")[0] for u in loaded if u.startswith(origin)})
        sizes = {f: (len(raw := (site / f).read_bytes()), len(gzip.compress(raw, 6))) for f in files}
        timings = []
        for key in KEYSTROKES:
            elapsed, _rows = page.evaluate(TYPE_ONE, key)
            timings.append(elapsed)
            page.wait_for_timeout(30)  # let the browser paint and idle between keystrokes
        page.close()
    finally:
        server.shutdown()
        server.server_close()
    ordered = sorted(timings)
    return {
        "files": {f: {"bytes": raw, "gzip": gz} for f, (raw, gz) in sizes.items()},
        "total_bytes": sum(raw for raw, _ in sizes.values()),
        "total_gzip": sum(gz for _, gz in sizes.values()),
        "keystrokes": len(timings),
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(ordered[max(0, round(0.95 * len(ordered)) - 1)], 2),
        "max_ms": round(ordered[-1], 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        work = Path(tmp)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        has_snapshot = (args.data / "providers").is_dir()
        if has_snapshot:
            count = render_site(args.data, work / "snapshot")
            results["snapshot"] = {"models": count, **measure(work / "snapshot", browser)}
            grouped = measure(work / "snapshot", browser, GROUPED)
            results["snapshot, grouped by model"] = {"models": count, **grouped}
        snap = load_snapshot(args.data if has_snapshot else None)
        write_data_dir(generate_catalog(args.models, args.seed, snap), work / "data-big", snap)
        count = render_site(work / "data-big", work / "big")
        results["synthetic"] = {"models": count, **measure(work / "big", browser)}
        results["synthetic, grouped by model"] = {"models": count, **measure(work / "big", browser, GROUPED)}
        browser.close()
    for label, result in results.items():
        print(
            f"{label}: {result['models']} models; home page + everything it loads: "
            f"{result['total_gzip'] / 1024:.1f} KiB gzip ({result['total_bytes'] / 1024:.0f} KiB raw); "
            f"keystroke median {result['median_ms']} ms, p95 {result['p95_ms']} ms, "
            f"max {result['max_ms']} ms over {result['keystrokes']} keystrokes"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
