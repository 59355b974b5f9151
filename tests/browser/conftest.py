"""Browser fixtures: the fixture catalog built once per session (plus a copy with a hostile record),
served by http.server on 127.0.0.1 (port 0) in a thread, and one headless Debian Chromium.

Without /usr/bin/chromium the browser tests skip with a reason; with CI=true they fail instead.
Every page a test opens records console errors, page errors and requests that leave the local
server; the ``page`` fixture fails the test if any occurred.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.chromium import CHROMIUM, CHROMIUM_ARGS
from modelatlas.jsonio import dumps_pretty, load_path
from modelatlas.render.build import assemble
from tests.paths import FIXTURES as ALL_FIXTURES

FIXTURES = ALL_FIXTURES / "site"
# Screenshots go to the session's temporary folder, or to $MODELATLAS_SCREENSHOTS when CI asks
# for them as an artifact (never into the checkout).
SCREENSHOTS_ENV = "MODELATLAS_SCREENSHOTS"


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium chromium-driver)"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI=true: browser tests must run)")
    pytest.skip(message)


def write_data(dest: Path, extra_openrouter: list[dict] | None = None) -> Path:
    """A data folder from tests/fixtures/site/providers, optionally with more openrouter records."""
    shutil.copytree(FIXTURES / "providers", dest / "providers")
    if extra_openrouter:
        path = dest / "providers" / "openrouter.json"
        doc = load_path(path)
        doc["models"] = sorted(doc["models"] + extra_openrouter, key=lambda m: m["id"])
        doc["status"]["count"] = len(doc["models"])
        path.write_text(dumps_pretty(doc), encoding="utf-8")
    return dest


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """Two builds under one server root: /site/ (fixtures) and /hostile/ (fixtures + hostile record)."""
    _require_chromium()
    base = tmp_path_factory.mktemp("served")
    root = base / "www"
    assemble(write_data(base / "data-site"), root / "site")
    hostile = load_path(FIXTURES / "hostile" / "record.json")
    assemble(write_data(base / "data-hostile", [hostile]), root / "hostile")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    yield {"origin": origin, "site": f"{origin}/site/", "hostile": f"{origin}/hostile/", "root": root}
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser(served: dict[str, object]) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageWatch:
    """Console errors, page errors, dialogs and off-server requests seen by one page."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.problems: list[str] = []

    def attach(self, page: object) -> None:
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.on("request", self._request)

    def _request(self, request: object) -> None:
        url = request.url
        if not (url.startswith(self.origin + "/") or url.startswith("data:")):
            self.problems.append(f"request left the local server: {url}")


@pytest.fixture
def page(browser: object, served: dict[str, object]) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # Anything not served locally is blocked (and reported by the watch).
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(str(served["origin"])) else route.abort()
        ),
    )
    tab = context.new_page()
    watch = PageWatch(str(served["origin"]))
    watch.attach(tab)
    tab.watch = watch
    yield tab
    context.close()
    assert watch.problems == [], watch.problems


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get(SCREENSHOTS_ENV)
    if not chosen:
        return tmp_path_factory.mktemp("screenshots")
    folder = Path(chosen)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
