"""Benchmark: does the cost estimator update within one frame of an edit?

Renders the site of a data folder (the committed snapshot by default), serves it on 127.0.0.1 and,
in headless Debian Chromium, edits the usage form (typing counts digit by digit, deleting them,
choosing presets, tiers and regions) on three pages: a model page's estimator (the record with the
most region and tier prices), a canonical page's ranking (the model with the most offerings) and
Compare (four of those offerings). For each edit it measures, with performance.now():

* **to the laid-out DOM**: from dispatching the input event until the page is updated and laid out
  (the handler runs in the event's own task; a forced layout read closes the interval);
* **to the next frame**: from the event until the next requestAnimationFrame callback, i.e. the
  frame that shows the edit (60 Hz is a 16.7 ms budget).

Run: ``python bench/estimator_frame.py [--data data] [--json out.json]`` (needs /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import functools
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
from modelatlas.filenames import model_filename  # noqa: E402
from modelatlas.jsonio import load_path  # noqa: E402
from modelatlas.render.build import assemble  # noqa: E402
from modelatlas.render.canonical_view import slug_stem  # noqa: E402

EDIT = """([name, value]) => new Promise((resolve) => {
  const form = document.getElementById('usage');
  const preset = name === 'preset';
  const control = preset ? form.querySelector('button.preset:not([hidden]):not([aria-pressed=true])')
    : Array.from(form.elements).find((e) => e.name === name);
  if (!preset) control.value = value;
  const t0 = performance.now();
  if (preset) control.click(); else control.dispatchEvent(new Event('input', {bubbles: true}));
  void document.body.offsetHeight;  // style and layout of what the edit changed
  const t1 = performance.now();
  requestAnimationFrame(() => resolve([t1 - t0, performance.now() - t0]));
})"""


def typing(name: str, text: str) -> list[tuple[str, str]]:
    """Type ``text`` into field ``name`` digit by digit, then delete it again."""
    typed = [(name, text[: k + 1]) for k in range(len(text))]
    return typed + [(name, text[:k]) for k in range(len(text) - 1, 0, -1)]


EDITS = [
    *typing("input_tokens", "250000"),
    *typing("output_tokens", "12000"),
    ("preset", ""),
    *typing("cache_read_tokens", "1500"),
    ("tier", "batch"),
    ("tier", ""),
    ("region", "eu"),
    ("region", ""),
]


def pages(data: Path) -> dict[str, str]:
    """The model page with the most variants, and the canonical model with the most offerings."""
    records = [m for path in sorted((data / "providers").glob("*.json")) for m in load_path(path)["models"]]
    richest = max(records, key=lambda r: (len(r["modelatlas"].get("pricing_variants", [])), r["id"]))
    provider, _, upstream = richest["id"].partition("/")
    return {"model": f"model/{provider}/{model_filename(upstream)}.html"}


def biggest_group(site: Path) -> tuple[str, list[str]]:
    index = load_path(site / "v1" / "canonical.json")["data"]
    group = max(index, key=lambda g: (g["offering_count"], g["slug"]))
    offerings = load_path(site / "v1" / "canonical" / f"{slug_stem(group['slug'])}.json")["data"]["offerings"]
    return f"canonical/{slug_stem(group['slug'])}.html", [o["id"] for o in offerings[:4]]


def measure(page: Any, url: str, ready: str) -> dict[str, Any]:
    page.goto(url)
    page.wait_for_selector(f"html[{ready}]", state="attached", timeout=60_000)
    names = set(page.evaluate("() => Array.from(document.getElementById('usage').elements, (e) => e.name)"))
    shown = [e for e in EDITS if e[0] == "preset" or e[0] in names]
    laid, frame = [], []
    for edit in shown:
        to_dom, to_frame = page.evaluate(EDIT, list(edit))
        laid.append(to_dom)
        frame.append(to_frame)
        page.wait_for_timeout(20)
    return {
        "edits": len(shown),
        "dom_p50_ms": round(statistics.median(laid), 2),
        "dom_max_ms": round(max(laid), 2),
        "frame_p50_ms": round(statistics.median(frame), 2),
        "frame_max_ms": round(max(frame), 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        site = Path(tmp) / "site"
        assemble(args.data, site)  # the whole build: the pages read the model and canonical JSON files
        count = len(load_path(site / "v1" / "models.json")["data"])
        canonical, compared = biggest_group(site)
        targets = {
            "model page estimator": (pages(args.data)["model"], "data-estimate-ready"),
            "canonical ranking": (canonical, "data-ranking-ready"),
            "compare": ("compare.html?" + "&".join(f"m={i}" for i in compared), "data-compare-ready"),
        }
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site))
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        origin = f"http://127.0.0.1:{server.server_address[1]}/"
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        for label, (path, ready) in targets.items():
            results[label] = {"page": path, **measure(page, origin + path, ready)}
        browser.close()
        server.shutdown()
    print(f"{count} models ({args.data})")
    for label, r in results.items():
        print(
            f"{label} ({r['page']}): {r['edits']} edits; input event to laid-out DOM "
            f"p50 {r['dom_p50_ms']} ms, max {r['dom_max_ms']} ms; "
            f"to the next frame p50 {r['frame_p50_ms']} ms, max {r['frame_max_ms']} ms"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    return 0


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


if __name__ == "__main__":
    sys.exit(main())
