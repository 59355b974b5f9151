"""Every code example of README.md and docs/*.md runs, against local servers (tests/docs_examples.py
finds them; a block marked ``<!-- not-run: reason -->`` is not run, and is listed with its reason by
:func:`test_every_block_not_run_says_why`).

The stage: a working folder that is a git repository whose ``data/`` is the small complete fixture
tests/fixtures/docs/data (four commits, tagged ``snapshot-2026-11-20``, ``-27`` and ``-28``, a
price changing on the way), with ``build/`` built and ``bench/`` linked, copied afresh for each
example; ``modelatlas serve`` and a static host (``python -m http.server``) over a build of the
same data with 3 models a page. In the example's text, ``https://<owner>.github.io/<repo>`` becomes
the static host and ``http://127.0.0.1:8080`` the server. An example passes when it exits 0 (a
``modelatlas diff`` exiting 1, "there are changes", counts as success), prints no traceback and no
``modelatlas: error``, and none of its requests got an HTTP error but the 405 one asks for.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from modelatlas.render.build import assemble
from modelatlas.render.links import BASE_URL_ENV
from tests.docs_examples import Example, console_commands, examples
from tests.git_repo import git
from tests.paths import FIXTURES, REPO

DATA = FIXTURES / "docs" / "data"
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
EXAMPLES = [example for document in DOCUMENTS for example in examples(document)]
RUNNABLE = [example for example in EXAMPLES if not example.not_run]
STATIC_PLACEHOLDER = "https://<owner>.github.io/<repo>"
SERVE_PLACEHOLDER = "http://127.0.0.1:8080"
SH_PRELUDE = """set -eo pipefail
modelatlas() {  # 'modelatlas diff' exits 1 when there are changes: that is an answer, not a failure
  local code=0
  command modelatlas "$@" || code=$?
  if [ "$1" = diff ] && [ "$code" = 1 ]; then return 0; fi
  return "$code"
}
"""
_STATUS = re.compile(r'" (\d{3}) ')
HISTORY = [  # (commit date, tag, openai/gpt-4o's prompt price)
    ("2026-10-30T03:17:00Z", None, "0.000003"),
    ("2026-11-20T03:17:00Z", "snapshot-2026-11-20", "0.0000025"),
    ("2026-11-27T03:17:00Z", "snapshot-2026-11-27", "0.000002"),
    ("2026-11-28T03:17:00Z", "snapshot-2026-11-28", "0.000002"),
]


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]
    log: Path

    def statuses_since(self, offset: int) -> list[str]:
        return _STATUS.findall(self.log.read_text(errors="replace")[offset:])


def start(command: list[str], log: Path, pattern: str) -> Server:
    with log.open("w") as handle:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=handle, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    found = re.search(pattern, line)
    assert found, f"{command[:4]} did not start: {line!r} {log.read_text()}"
    return Server(found.group(1), process, log)


def set_price(data: Path, price: str) -> None:
    path = data / "providers" / "openai.json"
    text = path.read_text()
    path.write_text(re.sub(r'("prompt": )"[0-9.]+"', rf'\1"{price}"', text, count=1))


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    root = tmp_path_factory.mktemp("docs-examples")
    work = root / "work"
    shutil.copytree(DATA, work / "data")
    git(work, "init", "-q", "-b", "main")
    for when, tag, price in HISTORY:
        set_price(work / "data", price)
        git(work, "add", "-A")
        git(work, "commit", "-q", "--allow-empty", "-m", f"data: refresh {when[:10]}", date=when)
        if tag:
            git(work, "tag", tag)
    assemble(work / "data", work / "build")
    (work / "bench").symlink_to(REPO / "bench")
    served = root / "served"
    assemble(work / "data", served, page_size=3)
    serve = start(
        [sys.executable, "-m", "modelatlas", "serve", "--dir", str(served), "--port", "0"],
        root / "serve.log", r"at (http://[0-9.]+:[0-9]+)/",
    )
    static = start(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "-d", str(served)],
        root / "static.log", r"port ([0-9]+)",
    )
    static.url = f"http://127.0.0.1:{static.url}"
    yield {"work": work, "serve": serve, "static": static}
    for server in (serve, static):
        server.process.terminate()
        server.process.wait(timeout=10)


def command_for(example: Example, folder: Path, code: str) -> list[str]:
    if example.language == "python":
        (folder / "example.py").write_text(code)
        return [sys.executable, "example.py"]
    if example.language == "js":
        (folder / "example.mjs").write_text(code)
        return ["node", "example.mjs"]
    script = code if example.language == "sh" else console_commands(code)
    (folder / "example.sh").write_text(SH_PRELUDE + script)
    return ["bash", "--noprofile", "--norc", "example.sh"]


@pytest.mark.parametrize("example", RUNNABLE, ids=lambda example: example.name)
def test_the_example_runs(example: Example, stage: dict[str, object], tmp_path: Path) -> None:
    serve, static = stage["serve"], stage["static"]
    assert isinstance(serve, Server) and isinstance(static, Server)
    folder = tmp_path / "work"
    shutil.copytree(stage["work"], folder, symlinks=True)  # type: ignore[arg-type]
    code = example.code.replace(STATIC_PLACEHOLDER, static.url).replace(SERVE_PLACEHOLDER, serve.url)
    env = {k: v for k, v in os.environ.items() if k != BASE_URL_ENV}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(REPO / "src")
    offsets = [len(server.log.read_text(errors="replace")) for server in (serve, static)]
    process = subprocess.Popen(
        command_for(example, folder, code), cwd=folder, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=180)
    finally:
        with contextlib.suppress(ProcessLookupError):  # whatever the example left running
            os.killpg(process.pid, signal.SIGTERM)
    done = subprocess.CompletedProcess(process.args, process.returncode)
    where = f"{example.path.relative_to(REPO)} line {example.line}"
    assert done.returncode == 0, f"{where} exited {done.returncode}:\n{output[-3000:]}"
    assert "Traceback" not in output and "modelatlas: error" not in output, f"{where}:\n{output[-3000:]}"
    refused = [s for server, offset in zip((serve, static), offsets, strict=True)
               for s in server.statuses_since(offset) if s >= "400" and s != "405"]
    assert refused == [], f"{where}: requests answered {refused}:\n{output[-2000:]}"


def test_every_document_with_examples_is_found() -> None:
    names = {example.path.name for example in EXAMPLES}
    assert {"README.md", "api.md", "client.md", "serve.md"} <= names
    assert len(RUNNABLE) >= len(EXAMPLES) * 2 // 3, "most examples run"


def test_every_block_not_run_says_why() -> None:
    """A block left out of the runs names why (the docs' own words), and no more are left out than now."""
    left_out = [example for example in EXAMPLES if example.not_run]
    assert all(len(example.not_run or "") >= 15 for example in left_out), [e.name for e in left_out]
    assert len(left_out) <= 8, [f"{e.name}: {e.not_run}" for e in left_out]
