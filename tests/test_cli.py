"""The command group: lazy sub-command discovery and one-line errors with exit codes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelatlas.cli import cli

# A pipe's output block-buffered, as it is without PYTHONUNBUFFERED: what the process leaves unflushed is lost
BUFFERED = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
EXPECTED = [
    "build", "cost", "diff", "docs", "fetch", "history", "notify", "publish", "scores", "serve", "validate"
]


def test_every_cmd_module_is_a_sub_command_under_its_own_name() -> None:
    ctx = cli.make_context("modelatlas", ["--help"], resilient_parsing=True)
    assert cli.list_commands(ctx) == EXPECTED
    for name in EXPECTED:
        command = cli.get_command(ctx, name)
        assert command is not None and command.name == name
    assert cli.get_command(ctx, "options") is None  # a helper module, not a command


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in EXPECTED:
        assert f"  {name} " in result.output


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["bulid"])
    assert result.exit_code == 2
    assert result.output == "modelatlas: error: no such command 'bulid'; see 'modelatlas --help'\n"


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["build", "--page-size", "0"], "build: invalid value for '--page-size': 0 is not in the range "
         "1<=x<=10000; see 'modelatlas build --help'"),
        (["build", "--out", "{file}"], "build: invalid value for '--out': Directory '{file}' is a file; "
         "see 'modelatlas build --help'"),
        (["build", "--no-such-option"], "build: no such option '--no-such-option'; "
         "see 'modelatlas build --help'"),
        (["serve", "--quite"], "serve: no such option '--quite' (did you mean '--quiet'?); "
         "see 'modelatlas serve --help'"),
        (["diff", "HEAD"], "diff: missing argument 'NEW'; see 'modelatlas diff --help'"),
        (["--frobnicate"], "no such option '--frobnicate'; see 'modelatlas --help'"),
        (["build", "--ot", "x"], "build: no such option '--ot' (did you mean one of: '--data', '--out'?); "
         "see 'modelatlas build --help'"),
        (["serve", "--port", "http"], "serve: invalid value for '--port': 'http' is not a valid integer "
         "range; see 'modelatlas serve --help'"),
        (["serve", "--port"], "serve: option '--port' requires an argument; see 'modelatlas serve --help'"),
    ],
)
def test_click_usage_errors_are_the_same_one_line_with_exit_2(
    tmp_path: Path, args: list[str], line: str
) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    args = [arg.format(file=a_file) for arg in args]
    proc = subprocess.run(
        [sys.executable, "-m", "modelatlas", *args], capture_output=True, text=True, check=False, timeout=60
    )
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == f"modelatlas: error: {line.format(file=a_file)}\n"


def test_a_user_error_is_one_line_on_stderr_with_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    proc = subprocess.run(
        [sys.executable, "-m", "modelatlas", "build", "--data", str(missing), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("modelatlas: error: ") and str(missing) in lines[0]
    assert "Traceback" not in proc.stderr


def test_a_build_does_not_import_the_http_and_schema_libraries() -> None:
    """requests, urllib3 and jsonschema load only for a fetch or data that fails the fast schema check."""
    code = (
        "import sys; from modelatlas.cli import cli; from modelatlas.render import renderers; "
        "import modelatlas.render.build, modelatlas.validate.checks; renderers(); "
        "from modelatlas.schema import iter_violations; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'requests', 'urllib3', 'jsonschema'}))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_running_one_command_does_not_import_the_others() -> None:
    code = (
        "import sys; from modelatlas.cli import cli; "
        "cli(['validate', '--help'], standalone_mode=False); "
        "print(sorted(m for m in sys.modules if m.startswith('modelatlas.cli.')))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = proc.stdout.strip().splitlines()[-1]
    assert "modelatlas.cli.validate_cmd" in loaded
    assert "modelatlas.cli.fetch_cmd" not in loaded and "modelatlas.cli.publish_cmd" not in loaded


@pytest.mark.parametrize(
    ("code", "status", "stdout", "stderr"),
    [
        ("print('done', end=''); exit_now(None)", 0, "done", ""),
        ("print('held back', end=''); exit_now(3)", 3, "held back", ""),
        ("import sys; print('partial', end='', file=sys.stderr); exit_now('bad input')", 1, "",
         "partialbad input\n"),
    ],
)
def test_the_process_exits_with_the_code_and_every_buffered_line_printed(
    code: str, status: int, stdout: str, stderr: str
) -> None:
    """The command ends without tearing the interpreter down (``os._exit``): output a pipe buffers
    must still reach it, and the code is the one ``sys.exit`` would give."""
    setup = "from modelatlas.cli import exit_now, output_guard; output_guard.install()"
    proc = subprocess.run(
        [sys.executable, "-c", f"{setup}; {code}"],
        capture_output=True, text=True, check=False, timeout=60, env=BUFFERED,
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (status, stdout, stderr)


def test_the_command_reports_and_exits_through_a_pipe(tmp_path: Path) -> None:
    """``python -m modelatlas``: the build's report reaches a pipe (block-buffered) and the exit is 0;
    a failed validation's lines and code 1 too."""
    data = tmp_path / "data"
    (data / "providers").mkdir(parents=True)
    built = subprocess.run(
        [sys.executable, "-m", "modelatlas", "build", "--data", str(data), "--out", str(tmp_path / "out"),
         "--allow-missing"],
        capture_output=True, text=True, check=False, timeout=120, env=BUFFERED,
    )
    assert built.returncode == 0, built.stderr
    report = r"built .*: (\d+) files \(\1 written, 0 unchanged, 0 removed\) in \S+s\n"
    assert re.fullmatch(report, built.stdout)
    assert (tmp_path / "out" / "v1" / "models.json").is_file()
    (data / "providers" / "openai.json").write_text('{"provider": "openai"}')
    checked = subprocess.run(
        [sys.executable, "-m", "modelatlas", "validate", "--data", str(data), "--allow-missing"],
        capture_output=True, text=True, check=False, timeout=120, env=BUFFERED,
    )
    assert checked.returncode == 1 and "openai.json" in checked.stdout + checked.stderr


def test_the_build_command_keeps_its_last_catalog_alone_until_the_process_ends(tmp_path: Path) -> None:
    """The catalog is never freed object by object (the process ends without freeing it), and a
    process that runs many builds holds one catalog at most: the last."""
    from modelatlas.cli import build_cmd
    from tests.paths import FIXTURES

    first = CliRunner().invoke(
        cli, ["build", "--data", str(FIXTURES / "site"), "--out", str(tmp_path / "a"), "--allow-missing"]
    )
    assert first.exit_code == 0, first.output
    [held] = build_cmd._LAST_CATALOG
    assert len(held.models) > 0 and held.models[0]["id"] == min(r["id"] for r in held.models)
    empty = tmp_path / "empty"
    (empty / "providers").mkdir(parents=True)
    second = CliRunner().invoke(
        cli, ["build", "--data", str(empty), "--out", str(tmp_path / "b"), "--allow-missing"]
    )
    assert second.exit_code == 0, second.output
    [held] = build_cmd._LAST_CATALOG
    assert len(held.models) == 0
