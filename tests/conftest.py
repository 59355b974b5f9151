"""The whole suite runs with a home of its own: HOME, the XDG folders and the catalog cache point into
one temporary folder, set before any test (and any subprocess a test starts) can read them, so no
test reads or writes the real user's files.

And it proves it (:mod:`tests.isolation`): a test that writes outside the temporary folder fails,
and the session fails if any file of the repository was added, changed or removed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import hypothesis
import hypothesis.configuration
import pytest

from tests.isolation import WriteAudit, allowed_folders, tree_changes, tree_state

ISOLATED_VARS = ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")
# Hypothesis (under schemathesis) would keep its example database in ./.hypothesis.
hypothesis.settings.register_profile("modelatlas", database=None)
hypothesis.settings.load_profile("modelatlas")
_AUDIT = WriteAudit(allowed_folders())
_REPOSITORY = pytest.StashKey[tuple[Path, dict]]()
_HOME = pytest.StashKey[Path]()


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
    root = config.rootpath
    config.stash[_REPOSITORY] = (root, tree_state(root))
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


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    root, before = session.config.stash[_REPOSITORY]
    problems = [f"the repository {root}: {line}" for line in tree_changes(before, tree_state(root))]
    problems += [f"{where}: {event} {path}" for where, event, path in _AUDIT.writes()]
    if not problems:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_sep("=", "written outside the temporary folders", red=True)
        for line in problems[:50]:
            reporter.write_line(line)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_unconfigure(config: pytest.Config) -> None:
    """The suite's home goes with the session (the session's findings are reported by then)."""
    home = config.stash.get(_HOME, None)
    if home is not None:
        shutil.rmtree(home, ignore_errors=True)
