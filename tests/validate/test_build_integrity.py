"""``validate --dir`` trusts nothing: the manifest's hashes, every link's target, the index counts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelatlas.build_folder import MANIFEST_NAME
from modelatlas.cli import cli
from modelatlas.render.build import assemble
from tests.paths import FIXTURES

DATA = FIXTURES / "data_small"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("whole") / "build"
    assemble(DATA, out, page_size=4)
    return out


@pytest.fixture
def build(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "build"
    shutil.copytree(built, copy)
    return copy


def problems(build: Path) -> list[str]:
    """validate's problem lines for ``build`` (it must exit 1 when there are any, 0 otherwise)."""
    args = ["validate", "--allow-missing", "--data", str(DATA), "--dir", str(build)]
    result = CliRunner().invoke(cli, args)
    lines = [line.strip() for line in result.output.splitlines() if line.startswith("  ")]
    assert result.exit_code == (1 if lines else 0), result.output
    assert "Traceback" not in result.output
    return lines


def edit_json(path: Path, change: object) -> None:
    doc = json.loads(path.read_text())
    change(doc)  # type: ignore[operator]
    path.write_text(json.dumps(doc, separators=(",", ":"), sort_keys=True))


def test_a_fresh_build_with_every_renderer_passes(build: Path) -> None:
    assert problems(build) == []


def test_a_hand_edited_but_schema_valid_model_file_is_caught(build: Path) -> None:
    edit_json(build / "v1/model/openai/gpt-4o.json", lambda doc: doc["data"].update(name="Edited by hand"))
    assert problems(build) == [
        "v1/model/openai/gpt-4o.json: at /: changed since the build (SHA-256 differs from the manifest); "
        "rebuild it"
    ]


def test_a_deleted_page_is_caught_and_the_link_to_it_too(build: Path) -> None:
    (build / "v1/models/page/2.json").unlink()
    found = problems(build)
    assert "v1/models/page/2.json: at /: missing: listed in the manifest; rebuild the folder" in found
    assert "v1/models/page/1.json: at /links/next: leads to v1/models/page/2.json, which is missing" in found
    assert any(line.startswith("v1/index.json: at /pages: is 5, the build holds 4 pages") for line in found)


def test_stray_files_are_caught_even_html(build: Path) -> None:
    (build / "model" / "openai" / "planted.html").write_text("<p>not ours</p>")
    assert problems(build) == [
        "model/openai/planted.html: at /: stray file: not written by the build (not in the manifest); "
        "remove it"
    ]


def test_a_details_link_to_the_wrong_record_is_caught(build: Path) -> None:
    path = build / "v1/models/page/0.json"
    doc = json.loads(path.read_text())
    first, second = doc["data"][0], doc["data"][1]
    first["modelatlas"]["links"]["details"] = second["modelatlas"]["links"]["details"]
    path.write_text(json.dumps(doc))
    found = problems(build)
    assert any(
        line.startswith(f"v1/models/page/0.json: model {first['id']}: at /: its details link leads to ")
        and line.endswith(f"which holds {second['id']}, not this record")
        for line in found
    ), found


def test_a_next_link_to_the_wrong_page_and_a_missing_model_file_are_caught(build: Path) -> None:
    edit_json(build / "v1/models/page/0.json", lambda doc: doc["links"].update(next="3.json"))
    (build / "v1/model/anthropic/claude-haiku-4-5.json").unlink()
    found = problems(build)
    wrong = "v1/models/page/0.json: at /links/next: '3.json' does not lead to the next page "
    wrong += "v1/models/page/1.json"
    assert wrong in found
    assert any("its details link leads to v1/model/anthropic/claude-haiku-4-5.json, which is missing" in line
               for line in found), found


def test_wrong_counts_are_caught(build: Path) -> None:
    edit_json(build / "v1/index.json", lambda doc: doc["counts"].update(models=99))
    edit_json(build / "v1/providers.json", lambda doc: doc["data"][0].update(model_count=7))
    found = problems(build)
    assert "v1/index.json: at /counts/models: is 99, the build holds 18" in found
    assert "v1/providers.json: at /data/0/model_count: is 7, v1/models/openai.json lists 4" in found


def test_a_folder_without_a_manifest_is_not_trusted(build: Path) -> None:
    (build / MANIFEST_NAME).unlink()
    assert problems(build) == [
        f"{MANIFEST_NAME}: at /: missing: not a folder written by 'modelatlas build'; rebuild it"
    ]


def test_absolute_links_of_a_base_url_build_are_checked_too(tmp_path: Path) -> None:
    out = tmp_path / "build"
    assemble(DATA, out, page_size=4, base_url="https://example.org/atlas/")
    assert problems(out) == []
    edit_json(out / "v1/models/page/0.json", lambda doc: doc["links"].update(next="https://evil.example/1.json"))
    assert any("/links/next: 'https://evil.example/1.json' does not lead to the next page" in line
               for line in problems(out))


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/dev/zero").exists(), reason="no FIFOs or devices")
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_pipe_or_a_device_in_a_files_place_is_reported_not_read(build: Path, kind: str) -> None:
    """Opening a FIFO waited for a writer forever, and /dev/zero was read until memory ran out."""
    target = build / "v1" / "providers.json"
    target.unlink()
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero")
    command = [sys.executable, "-m", "modelatlas", "validate", "--allow-missing", "--data", str(DATA)]
    command += ["--dir", str(build)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "v1/providers.json: at /: unreadable: not a regular file" in done.stderr
