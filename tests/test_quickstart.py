"""The quick start as a user runs it: ``python -m modelatlas build`` in a real subprocess."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from modelatlas.cli import cli
from modelatlas.ids import provider_ids
from tests.file_tree import file_states
from tests.paths import REPO as ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "data_small"
MANIFEST = ".modelatlas-manifest.json"


def modelatlas(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    command = [sys.executable, "-m", "modelatlas", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)



def contents(folder: Path) -> dict[str, bytes]:
    return {name: entry[0] for name, entry in file_states(folder).items()}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the fixture data built once into ``out`` (the module's tests share it in order; with
    pytest-xdist, each worker that runs some of them has its own, so none relies on another's files)."""
    root = tmp_path_factory.mktemp("quickstart")
    shutil.copytree(FIXTURE, root / "data")
    data, out = root / "data", root / "out"
    result = modelatlas("build", "--allow-missing", "--data", data, "--out", out, "--page-size", "4")
    assert result.returncode == 0, result.stderr
    assert "written" in result.stdout
    return root


def test_built_output_validates(workspace: Path) -> None:
    out = workspace / "out"
    assert (out / "v1" / "models.json").is_file() and (out / "v1" / "index.json").is_file()
    result = modelatlas("validate", "--allow-missing", "--data", workspace / "data", "--dir", out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "19 model files" in result.stdout


def test_two_builds_are_byte_identical(workspace: Path) -> None:
    second = workspace / "second"
    data = workspace / "data"
    result = modelatlas("build", "--allow-missing", "--data", data, "--out", second, "--page-size", "4")
    assert result.returncode == 0, result.stderr
    assert contents(second) == contents(workspace / "out")


def test_no_op_rebuild_writes_nothing(workspace: Path) -> None:
    out = workspace / "out"
    before = file_states(out)
    data = workspace / "data"
    result = modelatlas("build", "--allow-missing", "--data", data, "--out", out, "--page-size", "4")
    assert result.returncode == 0, result.stderr
    assert "(0 written," in result.stdout and "0 removed" in result.stdout
    assert file_states(out) == before  # same bytes, inodes and mtime_ns for every file


def test_hostile_ids_stay_inside_the_out_folder(workspace: Path) -> None:
    out = (workspace / "out").resolve()
    outside = {p.name for p in workspace.iterdir()}
    assert outside <= {"data", "out", "second"}
    assert not (workspace / "x").exists() and not (workspace.parent / "x").exists()
    for path in out.rglob("*"):
        assert path.resolve().is_relative_to(out)
    hostile = {m["id"]: m for m in json.loads((out / "v1" / "models" / "bedrock.json").read_text())["data"]}
    for model_id in ("bedrock/../../x", "bedrock/CON", "bedrock/nul.txt", "bedrock/..", "bedrock/a/b"):
        details = hostile[model_id]["modelatlas"]["links"]["details"]  # relative to v1/models/
        target = (out / "v1" / "models" / details).resolve()
        assert target.is_file() and target.parent == out / "v1" / "model" / "bedrock"


def test_a_failed_validation_leaves_the_old_output(workspace: Path) -> None:
    out = workspace / "out"
    before = file_states(out)
    bad = workspace / "bad-data"
    shutil.copytree(workspace / "data", bad)
    path = bad / "providers" / "openai.json"
    doc = json.loads(path.read_text())
    doc["models"][0]["pricing"] = {"prompt": "0.0000025000000000000004e0"}
    path.write_text(json.dumps(doc))
    result = modelatlas("build", "--allow-missing", "--data", bad, "--out", out, "--page-size", "4")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith("modelatlas: error: data failed validation")
    assert "model openai/GPT-4O-MINI" in result.stderr and "/models/0/pricing/prompt" in result.stderr
    assert "Traceback" not in result.stderr
    assert file_states(out) == before


def test_stale_files_are_removed(workspace: Path) -> None:
    data = workspace / "shrunk-data"
    shutil.copytree(workspace / "data", data)
    (data / "providers" / "anthropic.json").unlink()
    out = workspace / "out"
    anthropic_file = out / "v1" / "model" / "anthropic" / "claude-haiku-4-5.json"
    assert anthropic_file.is_file()
    manifest = contents(out)[MANIFEST]
    result = modelatlas("build", "--allow-missing", "--data", data, "--out", out, "--page-size", "4")
    assert result.returncode == 0, result.stderr
    assert not anthropic_file.exists()
    assert not (out / "v1" / "model" / "anthropic").exists()
    assert json.loads((out / "v1" / "models" / "anthropic.json").read_text())["data"] == []
    assert (out / "v1" / "model" / "openai" / "gpt-4o.json").is_file()
    assert contents(out)[MANIFEST] != manifest


def test_the_real_quick_start_on_the_committed_snapshot(tmp_path: Path) -> None:
    assert (ROOT / "data" / "providers").is_dir(), "the committed snapshot data/providers/ is missing"
    out = tmp_path / "build"
    result = modelatlas("build", "--data", ROOT / "data", "--out", out)
    assert result.returncode == 0, result.stderr
    providers = json.loads((out / "v1" / "providers.json").read_text())["data"]
    with_models = [p["id"] for p in providers if p["model_count"] > 0]
    assert len(providers) == len(provider_ids()) and len(with_models) >= 14, with_models
    models = json.loads((out / "v1" / "models.json").read_text())["data"]
    assert len(models) == sum(p["model_count"] for p in providers)
    assert {m["modelatlas"]["provider"] for m in models} == set(with_models)


def test_the_readme_quick_start_is_what_ci_runs_and_its_links_resolve() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    install_and_build = "pip install -e . && modelatlas build"
    install_and_test = "pip install -e '.[test]' && pytest"
    assert block.splitlines() == [install_and_build, install_and_test]
    assert f"\n{install_and_test}\n" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    ctx = cli.make_context("modelatlas", ["--help"], resilient_parsing=True)
    documented = re.findall(r"^\| `modelatlas (\w+)", readme, re.M)
    assert sorted(documented) == cli.list_commands(ctx)
    for target in re.findall(r"\]\(([^)#]+)\)", readme):
        if not target.startswith("http"):
            assert (ROOT / target).is_file(), f"README links to a missing {target}"
    for page in sorted((ROOT / "docs").glob("*.md")):
        for target in re.findall(r"\]\(([^)#]+)\)", page.read_text(encoding="utf-8")):
            if not target.startswith("http") and "<" not in target:
                assert (page.parent / target).resolve().exists(), f"{page.name} links to a missing {target}"
