"""The suite's guard against writing outside its temporary folders (tests/conftest.py, tests/isolation.py),
tried on a small project of its own in a real pytest subprocess, in one process and in pytest-xdist
workers: a test writing into the home folder fails, a child process writing into the checkout fails
the session, a clean test passes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.isolation import WriteAudit, tree_changes, tree_state
from tests.paths import REPO

# The inner sessions load only the plugins they use: loading every installed one (schemathesis,
# hypothesis, ...) and rewriting their asserts took 4 s per session, 8 s with workers.
ONLY_PLUGINS = {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}

INNER_TESTS = '''
import os, subprocess
from pathlib import Path

def test_clean(tmp_path):
    (tmp_path / "fine.txt").write_text("x")
    assert Path(os.environ["HOME"]).name.startswith("modelatlas-test-home-")

def test_writes_into_the_real_home():
    cache = Path(os.environ["REAL_HOME"]) / ".cache" / "modelatlas"
    cache.mkdir(parents=True)
    (cache / "catalog.json").write_text("{}")

def test_child_process_writes_into_the_checkout():
    subprocess.run(["sh", "-c", "echo x > stray.txt"], check=True)
'''


@pytest.mark.parametrize("workers", ["0", "2"])  # in this process, and in two pytest-xdist workers
def test_writes_outside_the_temporary_folder_fail_the_test_and_the_session(
    tmp_path: Path, workers: str
) -> None:
    project, real_home, inner_tmp = tmp_path / "project", tmp_path / "real-home", tmp_path / "tmp"
    for folder in (project, real_home, inner_tmp):
        folder.mkdir()
    (project / "conftest.py").write_text(
        "from tests.conftest import (pytest_configure, pytest_runtest_call, pytest_runtest_protocol,\n"
        "    pytest_sessionfinish, pytest_testnodedown)\n"
    )
    (project / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider\n")
    (project / "test_inner.py").write_text(INNER_TESTS)
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "TMPDIR": str(inner_tmp),
        "HOME": str(real_home),
        "REAL_HOME": str(real_home),
        **ONLY_PLUGINS,
    }
    env.pop("MODELATLAS_SCREENSHOTS", None)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "xdist.plugin", "-n", workers, "test_inner.py"],
        cwd=project, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "1 failed, 2 passed" in out, out
    assert "FAILED test_inner.py::test_writes_into_the_real_home - Failed: wrote outside the temporary " \
        f"folder: os.mkdir {real_home / '.cache' / 'modelatlas'}; os.mkdir {real_home / '.cache'}; " \
        f"open {real_home / '.cache' / 'modelatlas' / 'catalog.json'}" in out, out
    assert f"the repository {project}: added stray.txt" in out, out


def test_the_audit_sees_writes_not_reads(tmp_path: Path) -> None:
    audit = WriteAudit([tmp_path / "allowed"])
    audit._hook("open", (str(tmp_path / "elsewhere.json"), "r", os.O_RDONLY))
    audit._hook("open", (str(tmp_path / "allowed" / "x.json"), "w", os.O_WRONLY | os.O_CREAT))
    audit._hook("open", (str(tmp_path / "pkg" / "__pycache__" / "m.pyc"), None, os.O_WRONLY | os.O_CREAT))
    assert audit.found == []
    (tmp_path / "written.json").write_text("{}")
    audit._hook("open", (str(tmp_path / "written.json"), "ab", os.O_WRONLY | os.O_APPEND))
    audit._hook("os.mkdir", ("/sys/not-created", 0o777, -1))  # an attempt that failed wrote nothing
    audit._hook("os.rename", (str(tmp_path / "allowed" / "a"), str(tmp_path / "b"), -1, -1))
    audit._hook("os.remove", ("x", 3))  # relative to an open folder (rmtree's walk): its top counted
    assert [event for _, event, _ in audit.writes()] == ["open", "os.rename"]


def test_tree_state_sees_a_rewrite_with_the_same_bytes(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("same")
    before = tree_state(tmp_path)
    os.utime(tmp_path / "a.txt", ns=(1, 1))
    (tmp_path / "new").mkdir()
    assert tree_changes(before, tree_state(tmp_path)) == ["added new", "changed a.txt"]


@pytest.mark.parametrize("workers", ["0", "2"])
def test_a_module_that_leaves_a_thread_running_fails_the_session(tmp_path: Path, workers: str) -> None:
    # A thread left running keeps every later build from forking (cpus.may_fork): the forked paths
    # would go untested. pytest-httpserver's server ends with its module.
    project, inner_tmp = tmp_path / "project", tmp_path / "tmp"
    project.mkdir()
    inner_tmp.mkdir()
    (project / "conftest.py").write_text(
        "from tests.conftest import (make_httpserver, pytest_configure, pytest_runtest_call,\n"
        "    pytest_runtest_protocol, pytest_runtest_teardown, pytest_sessionfinish, pytest_testnodedown)\n"
    )
    (project / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider\n")
    (project / "test_a_served.py").write_text(
        "import requests\n\n"
        "def test_served(httpserver):\n"
        "    httpserver.expect_request('/x').respond_with_data('ok')\n"
        "    assert requests.get(httpserver.url_for('/x'), timeout=5).text == 'ok'\n"
    )
    (project / "test_b_leaves.py").write_text(
        "import threading, time\n\n"
        "def test_leaves():\n"
        "    threading.Thread(target=time.sleep, args=(60,), daemon=True, name='leftover').start()\n"
    )
    env = {
        **os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(inner_tmp), **ONLY_PLUGINS,
        "MODELATLAS_TEST_THREAD_END_SECONDS": "1",  # the leftover thread sleeps 60 s: no need to wait 5
    }
    plugins = ["-p", "xdist.plugin", "-p", "pytest_httpserver.pytest_plugin"]
    tests = ["test_a_served.py", "test_b_leaves.py"]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *plugins, "-n", workers, *tests],
        cwd=project, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 1 and "2 passed" in out, out
    assert "test_b_leaves.py: left threads running (leftover)" in out, out
    assert "test_a_served.py" not in out.split("threads left running")[-1], out
