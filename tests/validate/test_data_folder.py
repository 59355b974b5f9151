"""The data folder as a whole: every registered provider's file, nothing stray, sound curated YAML —
checked by ``validate`` (one line per problem, exit 1) and insisted on by ``build`` (one line, exit 2)."""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelatlas import cpus
from modelatlas.cli import cli
from modelatlas.errors import EXIT_FAILURE, EXIT_USAGE, InputError
from modelatlas.ids import provider_ids
from modelatlas.validate.data_folder import data_folder_problems, require_complete_data, sound_folder_beside
from tests.paths import REPO


@pytest.fixture
def data(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(REPO / "data", copy)
    return copy


def validate(data: Path, *extra: str) -> tuple[int, list[str]]:
    with contextlib.chdir(data):  # (no build/ there: the default --dir is skipped)
        result = CliRunner().invoke(cli, ["validate", "--data", str(data), *extra])
    assert "Traceback" not in result.output
    return result.exit_code, [line.strip() for line in result.output.splitlines() if line.startswith("  ")]


def build(data: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    out = data.parent / "o"
    command = [sys.executable, "-m", "modelatlas", "build", "--data", str(data), "--out", str(out)]
    return subprocess.run([*command, *extra], capture_output=True, text=True, timeout=120, check=False)


def test_the_committed_data_folder_is_complete(data: Path) -> None:
    assert validate(data) == (0, [])


def test_a_missing_provider_file_stops_build_and_fails_validate(data: Path) -> None:
    (data / "providers" / "groq.json").unlink()
    result = build(data)
    assert result.returncode == EXIT_USAGE
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"1 of {len(provider_ids())} provider files missing" in result.stderr
    assert "(groq.json)" in result.stderr
    assert "git checkout -- " in result.stderr and "--allow-missing" in result.stderr
    assert not (data.parent / "o").exists()
    code, lines = validate(data)
    assert code == EXIT_FAILURE
    assert lines == [f"{data}/providers/groq.json: at /: missing; restore it with 'git checkout -- "
                     f"{data}/providers/groq.json', or pass --allow-missing to go on without it"]
    assert validate(data, "--allow-missing") == (0, [])
    allowed = build(data, "--allow-missing", "--page-size", "1000")
    assert allowed.returncode == 0, allowed.stderr
    assert "warning: no data file for groq" in allowed.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- model: x\n  set: [unclosed\n", "not valid YAML; fix the syntax"),
        ("- model: mistral-large-latest\n  set: {pricing.prompt: '1'}\n", "'source' is required"),
        ("- model: m\n  source: https://mistral.ai/\n  set: {nope: 1}\n", "unknown field path"),
    ],
)
def test_a_broken_curated_file_stops_build_and_fails_validate(data: Path, text: str, expected: str) -> None:
    (data / "curated" / "mistral.yaml").write_text(text)
    result = build(data)
    assert result.returncode == EXIT_USAGE, result.stderr
    assert result.stderr.count("\n") == 1 and expected in result.stderr
    assert result.stderr.startswith("modelatlas: error: data folder not sound, nothing built: ")
    code, lines = validate(data)
    assert code == EXIT_FAILURE and len(lines) == 1
    assert lines[0].startswith(f"{data}/curated/mistral.yaml: at /: ") and expected in lines[0]


def test_stray_files_in_providers_and_curated_are_flagged(data: Path) -> None:
    shutil.copy(data / "providers" / "groq.json", data / "providers" / "grok.json")
    (data / "curated" / "acme.yaml").write_text("[]\n")
    code, lines = validate(data)
    assert code == EXIT_FAILURE
    assert lines == [
        f"{data}/providers/grok.json: at /: not a provider file (expected <provider>.json); "
        "remove or rename it",
        f"{data}/curated/acme.yaml: at /: not a curated file of any provider; name it <provider>.yaml "
        "(openai, anthropic, azure, bedrock, cohere, vertex, mistral, ollama, gemini, groq, openrouter, sgl, "
        "parasail, elevenlabs, perplexity, cerebras)",
    ]


@pytest.mark.parametrize(
    ("stray", "line"),
    [
        ("providers/extra.json", "not a provider file (expected <provider>.json); remove or rename it"),
        (
            "changes/notes.txt",
            "not part of the change log (expected <YYYY-MM>.jsonl or baseline.json); remove it",
        ),
    ],
)
def test_build_refuses_what_validate_rejects(data: Path, stray: str, line: str) -> None:
    """One check of data/: a folder validate rejects is never built (today's bug: build published a
    folder with a stray providers/extra.json)."""
    shutil.copy(data / "providers" / "groq.json", data / stray)
    code, lines = validate(data)
    assert (code, lines) == (EXIT_FAILURE, [f"{data}/{stray}: at /: {line}"])
    result = build(data)
    assert result.returncode == EXIT_USAGE and not (data.parent / "o").exists()
    refused = f"modelatlas: error: data folder not sound, nothing built: {data}/{stray}: at /: {line}\n"
    assert result.stderr == refused


def test_the_folder_problem_comes_first_though_build_checks_it_while_reading(data: Path) -> None:
    """build checks the folder in a forked process while it reads and checks the documents: a folder
    that is not sound still stops it with the folder's problem (exit 2), not a document's (exit 1),
    and leaves no output folder."""
    (data / "providers" / "extra.json").write_text("{}")
    doc = json.loads((data / "providers" / "groq.json").read_text())
    doc["models"][0]["created"] = "yesterday"  # a document problem too
    (data / "providers" / "groq.json").write_text(json.dumps(doc))
    result = build(data)
    assert result.returncode == EXIT_USAGE, result.stderr
    assert result.stderr.startswith("modelatlas: error: data folder not sound, nothing built: ")
    assert "providers/extra.json" in result.stderr and result.stderr.count("\n") == 1
    assert not (data.parent / "o").exists()


@pytest.mark.parametrize("forked", [True, False])
def test_the_folder_checked_beside_refuses_as_the_check_here(
    data: Path, forked: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same refusal from the forked check as from :func:`require_complete_data` (and from the
    check made when first asked, where no process may be forked)."""
    monkeypatch.setattr(cpus, "may_fork", lambda: forked)
    (data / "curated" / "acme.yaml").write_text("[]\n")
    with pytest.raises(InputError) as here:
        require_complete_data(data, allow_missing=False)
    with sound_folder_beside(data) as sound_folder, pytest.raises(InputError) as beside:
        sound_folder()
    assert beside.value.message == here.value.message
    assert "curated/acme.yaml" in here.value.message
    (data / "curated" / "acme.yaml").unlink()
    with sound_folder_beside(data) as sound_folder:
        sound_folder()  # sound: nothing raised


def test_a_change_log_line_that_is_no_change_entry_stops_build_and_fails_validate(data: Path) -> None:
    entry = {"date": "2026-12-01", "model": "openai/gpt-4o", "provider": "openai", "kind": "grown",
             "before": None, "after": None, "source": None}
    (data / "changes" / "2026-12.jsonl").write_text(json.dumps(entry) + "\nnot json\n")
    code, lines = validate(data)
    assert code == EXIT_FAILURE
    assert lines == [
        f"{data}/changes/2026-12.jsonl:1: at /kind: 'grown' is not one of ['added', 'removed', 'readded', "
        "'changed']",
        f"{data}/changes/2026-12.jsonl:2: at /: not valid JSON; fix or delete the line",
    ]
    result = build(data)
    assert result.returncode == EXIT_USAGE and "2026-12.jsonl:1: at /kind" in result.stderr


def test_a_broken_list_or_deprecation_table_is_a_problem(tmp_path: Path) -> None:
    shutil.copytree(REPO / "data", tmp_path / "data")
    (tmp_path / "data" / "lists" / "openai.json").write_text('{"provider": "openai"}')
    (tmp_path / "data" / "lifecycle" / "grok.yaml").write_text("page: https://x.example\nmodels: []\n")
    problems = [str(p) for p in data_folder_problems(tmp_path / "data")]
    assert any("lists/openai.json" in p and "required property" in p for p in problems)
    assert any("lifecycle/grok.yaml" in p and "not a file of any provider" in p for p in problems)
    with pytest.raises(InputError, match=r"data folder not sound, nothing built: .*lists/openai\.json"):
        require_complete_data(tmp_path / "data", allow_missing=False)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
@pytest.mark.parametrize("name", ["curated/groq.yaml", "lifecycle/openai.yaml", "lists/anthropic.json"])
def test_a_device_in_a_data_files_place_is_one_line_not_read(data: Path, name: str) -> None:
    (data / name).unlink()
    (data / name).symlink_to("/dev/zero")  # read whole, it fills memory until the process is killed
    result = build(data)
    assert result.returncode == EXIT_USAGE and result.stderr.count("\n") == 1, result.stderr
    assert f"{data / name}" in result.stderr
    assert "not a regular file" in result.stderr or "(NotRegularFile)" in result.stderr  # each reader's words
    assert validate(data)[0] == EXIT_FAILURE


@pytest.mark.parametrize("kind", ["folder", "device"])
def test_something_else_in_a_provider_files_place_is_not_called_missing(data: Path, kind: str) -> None:
    path = data / "providers" / "groq.json"
    path.unlink()
    if kind == "folder":
        path.mkdir()
    elif Path("/dev/zero").exists():
        path.symlink_to("/dev/zero")
    else:
        pytest.skip("no /dev/zero")
    for extra in ((), ("--allow-missing",)):  # it is there: going on without it does not apply
        result = build(data, *extra)
        assert result.returncode == EXIT_USAGE and result.stderr.count("\n") == 1, result.stderr
        assert f"cannot read {path}: not a regular file" in result.stderr and "missing" not in result.stderr
    with contextlib.chdir(data):
        checked = CliRunner().invoke(cli, ["validate", "--data", str(data)])
    assert checked.exit_code == EXIT_USAGE and f"cannot read {path}: not a regular file" in checked.output
    assert "missing" not in checked.output


def test_a_provider_file_nested_without_end_is_one_line(data: Path) -> None:
    (data / "providers" / "groq.json").write_text('{"models": ' + "[" * 100_000 + "]" * 100_000 + "}")
    result = build(data)
    assert result.returncode == EXIT_USAGE and result.stderr.count("\n") == 1, result.stderr
    assert "groq.json: not valid JSON (nested too deeply)" in result.stderr
