"""Browser fixtures: the fixture catalogs built once for the browser tests and served by
http.server on 127.0.0.1 (port 0) in a thread: /site/ (tests/fixtures/site), /hostile/ (the same
plus a hostile record), /market/ (tests/fixtures/site/market: the buyer's tasks) and /history/
(the market after a planted price change, its change log rebuilt by ``modelatlas history`` from a
test repository); and one headless Debian Chromium for all of them (both end with them).

Without /usr/bin/chromium the browser tests skip with a reason; with CI=true they fail instead.
Every page a test opens records console errors, page errors and requests that leave the local
server; the ``page`` fixture fails the test if any occurred.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.chromium import CHROMIUM, CHROMIUM_ARGS
from modelatlas.changes.history import DATE_TRAILER
from modelatlas.jsonio import dumps_pretty, load_path
from modelatlas.render.build import assemble
from tests.git_repo import git
from tests.paths import FIXTURES as ALL_FIXTURES

FIXTURES = ALL_FIXTURES / "site"
MARKET = FIXTURES / "market"
# The price change planted in the history repository: GPT-4o's prompt price, before and after.
PLANTED = ("openai/gpt-4o", "pricing.prompt", "0.0000025", "0.000002")
SIZES = {"desk": (1400, 900), "phone": (390, 844)}
VIEWS = [(size, scheme) for size in SIZES for scheme in ("light", "dark")]
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


def history_data(base: Path) -> Path:
    """A git repository holding the market data, then a published snapshot a week later that changes
    one price (:data:`PLANTED`), and its change log rebuilt by ``modelatlas history`` (a real
    subprocess)."""
    repo = base / "repo"
    shutil.copytree(MARKET / "providers", repo / "data" / "providers")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "snapshot", date="2026-11-20T12:00:00Z")
    model, field, before, after = PLANTED
    path = repo / "data" / "providers" / f"{model.split('/')[0]}.json"
    doc = load_path(path)
    record = next(m for m in doc["models"] if m["id"] == model)
    assert record["pricing"][field.split(".")[1]] == before
    record["pricing"][field.split(".")[1]] = after
    path.write_text(dumps_pretty(doc), encoding="utf-8")
    # A published snapshot (what 'modelatlas publish' commits): the change log starts at its parent.
    message = f"data: refresh 2026-11-27\n\n{DATE_TRAILER}: 2026-11-27"
    git(repo, "commit", "-q", "-am", message, date="2026-11-27T12:00:00Z")
    subprocess.run(
        [sys.executable, "-m", "modelatlas", "history", "--repo", str(repo), "--data", "data"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return repo / "data"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


# Package-scoped, not session-scoped: the server's thread and the browser driver's threads end with
# the browser tests. Alive, they would keep every later test from forking (``cpus.may_fork``), so the
# build's forked paths (render workers, the side process, the checker) would go untested in-process.
@pytest.fixture(scope="package")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """Four builds under one server root: /site/, /hostile/, /market/ and /history/ (see the top)."""
    _require_chromium()
    base = tmp_path_factory.mktemp("served")
    root = base / "www"
    assemble(write_data(base / "data-site"), root / "site")
    hostile = load_path(FIXTURES / "hostile" / "record.json")
    assemble(write_data(base / "data-hostile", [hostile]), root / "hostile")
    assemble(MARKET, root / "market")
    assemble(history_data(base), root / "history")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    yield {
        "origin": origin,
        "site": f"{origin}/site/",
        "hostile": f"{origin}/hostile/",
        "market": f"{origin}/market/",
        "history": f"{origin}/history/",
        "root": root,
    }
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="package")
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


def open_view(browser: object, served: dict[str, object], size: str, scheme: str) -> tuple[object, object]:
    """A new context and page at one of :data:`SIZES` in a colour scheme, blocked from leaving the
    local server, its console and page errors watched (checked by the ``view`` fixture)."""
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(str(served["origin"])) else route.abort()
        ),
    )
    tab = context.new_page()
    tab.watch = PageWatch(str(served["origin"]))
    tab.watch.attach(tab)
    tab.size, tab.scheme = size, scheme
    return context, tab


@pytest.fixture(params=VIEWS, ids=[f"{size}-{scheme}" for size, scheme in VIEWS])
def view(request: pytest.FixtureRequest, browser: object, served: dict[str, object]) -> Iterator[object]:
    """A page at each size (1400x900, 390x844) in each theme (light, dark)."""
    context, tab = open_view(browser, served, *request.param)
    yield tab
    context.close()
    assert tab.watch.problems == [], tab.watch.problems


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get(SCREENSHOTS_ENV)
    if not chosen:
        return tmp_path_factory.mktemp("screenshots")
    folder = Path(chosen)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
