"""The whole suite runs with a home of its own: HOME, the XDG folders and the catalog cache point into
one temporary folder, set before any test (and any subprocess a test starts) can read them, so no
test reads or writes the real user's files.

And it proves it (:mod:`tests.isolation`): a test that writes outside the temporary folder fails,
and the session fails if any file of the repository was added, changed or removed.

No test module leaves a thread running either: while one runs, no build may fork
(:func:`modelatlas.cpus.may_fork`), so every later test would quietly skip the forked paths (render
workers, the side process, the checker). pytest-httpserver's server, one per session in the plugin,
is one per module here; the session fails if a module (or, for fixtures shared by a folder's
modules, that folder) leaves a thread behind.

The suite runs in worker processes (pytest-xdist): each worker has a home and an audit of its own,
and sends what it found at its end to the controlling process, which checks the repository once and
fails the session for any of it (a worker's own session status does not reach the exit code).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis
import hypothesis.configuration
import pytest
from pytest_httpserver import HTTPServer

from tests.isolation import WriteAudit, allowed_folders, tree_changes, tree_state

ISOLATED_VARS = ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")
# Hypothesis (under schemathesis) would keep its example database in ./.hypothesis.
hypothesis.settings.register_profile("modelatlas", database=None)
hypothesis.settings.load_profile("modelatlas")
_AUDIT = WriteAudit(allowed_folders())
_REPOSITORY = pytest.StashKey[tuple[Path, dict]]()
_FOUND_KEY = "modelatlas-isolation"  # a worker's findings, sent to the controlling process
_FROM_WORKERS: list[str] = []
_HOME = pytest.StashKey[Path]()
_LINGERING: list[str] = []  # "<module>: <thread names>" for each module that left threads running
_SEEN: dict[threading.Thread, str] = {}  # threads alive after a module, and the first such module
# How long a module's threads get to end after its last test (the guard's own tests, which leave
# a thread on purpose, shorten it: tests/test_isolation.py).
THREAD_END_SECONDS = float(os.environ.get("MODELATLAS_TEST_THREAD_END_SECONDS", "5"))


def pytest_configure(config: pytest.Config) -> None:
    home = Path(tempfile.mkdtemp(prefix="modelatlas-test-home-"))
    config.stash[_HOME] = home
    os.environ["HOME"] = str(home)
    for name in ISOLATED_VARS:
        folder = home / name.removeprefix("XDG_").removesuffix("_HOME").lower()
        folder.mkdir()
        os.environ[name] = str(folder)
    os.environ["MODELATLAS_CACHE_DIR"] = str(home / "modelatlas-cache")
    hypothesis.configuration.set_hypothesis_home_dir(home / "hypothesis")  # not ./.hypothesis
    if not hasattr(config, "workerinput"):  # the controlling process (or the only one) checks the checkout
        config.stash[_REPOSITORY] = (config.rootpath, tree_state(config.rootpath))
    _AUDIT.install()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    _AUDIT.where = item.nodeid  # writes in setup or teardown are reported when the session ends
    try:
        return (yield)
    finally:
        _AUDIT.where = "between tests"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    start = len(_AUDIT.found)  # writes anywhere else (setup, teardown) fail the session at its end
    result = yield
    found = [f"{event} {path}" for _, event, path in _AUDIT.writes(start)]
    if found:
        pytest.fail("wrote outside the temporary folder: " + "; ".join(found[:5]), pytrace=False)
    return result


@pytest.fixture(scope="module")
def make_httpserver(
    httpserver_listen_address: tuple[str | None, int | None], httpserver_ssl_context: None
) -> Iterator[HTTPServer]:
    """pytest-httpserver's server (``httpserver``), one per module instead of one per session."""
    host = httpserver_listen_address[0] or HTTPServer.DEFAULT_LISTEN_HOST
    port = httpserver_listen_address[1] or HTTPServer.DEFAULT_LISTEN_PORT
    server = HTTPServer(host=host, port=port, ssl_context=httpserver_ssl_context)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    result = yield
    module = item.nodeid.split("::")[0]
    following = nextitem.nodeid.split("::")[0] if nextitem is not None else None
    if following != module:  # the module's own fixtures are gone
        for thread in threading.enumerate():
            if thread is not threading.main_thread():
                _SEEN.setdefault(thread, module)
        # A folder's fixtures (the browser package's) live across its modules: judged as it ends.
        if following is None or Path(following).parent != Path(module).parent:
            _judge_threads()
    return result


def _judge_threads() -> None:
    """Give the threads seen a moment to end; those that do not are reported, with the module after
    which each was first seen."""
    seen = list(_SEEN)
    for thread in seen:
        thread.join(THREAD_END_SECONDS / len(seen))
    left: dict[str, list[str]] = {}
    for thread in seen:
        if thread.is_alive():
            left.setdefault(_SEEN[thread], []).append(thread.name)
    for module, names in left.items():
        _LINGERING.append(f"{module}: left threads running ({', '.join(names)})")
    _SEEN.clear()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """A worker process has ended (pytest-xdist): what it found, for this session's end."""
    _FROM_WORKERS.extend(getattr(node, "workeroutput", {}).get(_FOUND_KEY, []))


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    found = [f"{where}: {event} {path}" for where, event, path in _AUDIT.writes()] + _LINGERING
    if hasattr(session.config, "workeroutput"):  # a worker: the controlling process reports it
        session.config.workeroutput[_FOUND_KEY] = found
        return
    root, before = session.config.stash[_REPOSITORY]
    problems = [f"the repository {root}: {line}" for line in tree_changes(before, tree_state(root))]
    problems += [*_FROM_WORKERS, *found]
    if not problems:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_sep("=", "written outside the temporary folders, or threads left running", red=True)
        for line in problems[:50]:
            reporter.write_line(line)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_unconfigure(config: pytest.Config) -> None:
    """The suite's home goes with the session (the session's findings are reported by then)."""
    home = config.stash.get(_HOME, None)
    if home is not None:
        shutil.rmtree(home, ignore_errors=True)
