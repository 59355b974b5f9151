"""A build that cannot write ends with one line and exit code 4, never a traceback, and leaves the
previous output as it was. Run as real subprocesses: the failures come from the operating system."""

from __future__ import annotations

import errno
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from modelatlas.errors import EXIT_IO, io_error
from tests.file_tree import FileState, file_states
from tests.paths import FIXTURES

DATA = FIXTURES / "data_small"
# bytes: index.html of the fixture is bigger, most files are not, nor the records' temporary file (9 KB)
FILE_SIZE_LIMIT = 16 * 1024
SMALL_FILE_LIMIT = 4 * 1024  # the records' temporary file, written before any output, is bigger


def build(out: Path, *, limit_file_size: int | None = None) -> subprocess.CompletedProcess[str]:
    def limit() -> None:  # in the child: writes past the limit fail with EFBIG instead of killing it
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_size, limit_file_size))

    command = [sys.executable, "-m", "modelatlas", "build", "--allow-missing", "--data", str(DATA)]
    command += ["--out", str(out)]
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False, env=env,
        preexec_fn=limit if limit_file_size is not None else None,
    )


def assert_one_line(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == EXIT_IO, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if not line.startswith("build: warning:")]
    assert len(lines) == 1 and lines[0].startswith("modelatlas: error: cannot "), result.stderr
    for text in expected:
        assert text in lines[0], lines[0]


def test_out_under_a_regular_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    result = build(tmp_path / "file" / "site")
    assert_one_line(result, "create the output folder", str(tmp_path / "file"), "Not a directory", "--out")


def test_out_where_even_root_may_not_write(tmp_path: Path) -> None:
    result = build(Path("/sys/modelatlas-build"))
    assert_one_line(result, "create the output folder", "/sys/modelatlas-build", "choose a folder you may")


def _built_with_a_blank_manifest(out: Path) -> dict[str, FileState]:
    """A finished build whose manifest knows no file (the next build must write every file
    again), and the state of its files."""
    assert build(out).returncode == 0
    (out / ".modelatlas-manifest.json").write_text('{"format":2,"files":{},"inputs":null}')
    return file_states(out)


def test_a_write_that_fails_midway_keeps_the_old_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = _built_with_a_blank_manifest(out)
    result = build(out, limit_file_size=FILE_SIZE_LIMIT)
    assert_one_line(result, "cannot write", "File too large", f"nothing in {out} was changed")
    assert file_states(out) == before  # no file replaced, no temporary left behind


def test_a_full_temporary_folder_stops_the_build_before_any_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = _built_with_a_blank_manifest(out)
    result = build(out, limit_file_size=SMALL_FILE_LIMIT)
    assert_one_line(result, "cannot write the records' temporary", "File too large", "nothing was written")
    assert file_states(out) == before


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES])
def test_the_one_line_names_the_fix(code: int) -> None:
    error = io_error("write", OSError(code, os.strerror(code), "/x/y"))
    assert error.exit_code == EXIT_IO and "\n" not in error.message
    assert error.message.startswith("cannot write /x/y: ")
    assert ("free some disk space" in error.message) == (code == errno.ENOSPC)
