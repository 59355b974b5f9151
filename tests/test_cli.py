"""The command group: lazy sub-command discovery and one-line errors with exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from modelatlas.cli import cli

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
    assert "No such command 'bulid'" in result.output


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
