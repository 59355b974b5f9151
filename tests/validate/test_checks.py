"""``modelatlas validate``: data/ and a built folder against the schema, through the CLI."""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelatlas.cli import cli
from modelatlas.errors import EXIT_USAGE, InputError
from modelatlas.ids import provider_ids
from modelatlas.render.build import assemble
from modelatlas.validate.build_files import check_build, schema_for_path
from modelatlas.validate.build_integrity import integrity_problems
from modelatlas.validate.checks import check_data
from modelatlas.validate.parallel import check_build_folder, check_data_files
from tests.paths import FIXTURES

DATA = FIXTURES / "data_small"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built") / "build"
    # The JSON API and the quality report its v1/index.json links to (a dangling link is a problem).
    renderers = ["modelatlas.render.json_api", "modelatlas.render.quality"]
    assemble(DATA, out, page_size=5, renderer_names=renderers)
    return out


@pytest.fixture
def build_copy(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "build"
    shutil.copytree(built, copy)
    return copy


def run(*args: str) -> tuple[int, str]:
    """``validate`` on a partial data folder (the fixture holds 4 of the provider files)."""
    with tempfile.TemporaryDirectory() as elsewhere, contextlib.chdir(elsewhere):
        # (no build/ of the working folder is checked: the default --dir)
        result = CliRunner().invoke(cli, ["validate", "--allow-missing", *args])
    return result.exit_code, result.output


def test_fixture_data_is_valid() -> None:
    docs, report = check_data(DATA)
    assert report.ok and report.checked == 4 and report.models == 19
    assert len(docs) == len(provider_ids())


def test_cli_passes_on_good_data_and_skips_the_default_build_folder_when_missing() -> None:
    code, output = run("--data", str(DATA))
    assert code == 0, output
    assert "4 provider files, 19 models: OK" in output
    assert "build build: not present, skipped" in output


def test_a_named_build_folder_that_is_missing_is_an_error_not_a_pass(tmp_path: Path) -> None:
    """A mistyped --dir once printed "not present, skipped" and exited 0: a CI step passed."""
    code, output = run("--data", str(DATA), "--dir", str(tmp_path / "biuld"))
    assert code == EXIT_USAGE, output
    assert output.count("\n") == 1 and f"no built folder at {tmp_path / 'biuld'}" in output
    assert "skipped" not in output


def test_cli_passes_on_a_fresh_build(built: Path) -> None:
    code, output = run("--data", str(DATA), "--dir", str(built))
    assert code == 0, output
    assert "19 model files: OK" in output


def test_bad_data_fails_with_file_model_and_pointer(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / "providers" / "anthropic.json"
    doc = json.loads(path.read_text())
    doc["models"][0]["architecture"]["output_modalities"] = ["Text"]
    path.write_text(json.dumps(doc))
    code, output = run("--data", str(data))
    assert code == 1
    where = "anthropic.json: model anthropic/claude-haiku-4-5: at /models/0/architecture/output_modalities/0"
    assert where in output


def test_missing_data_folder_is_exit_2(tmp_path: Path) -> None:
    code, output = run("--data", str(tmp_path / "missing"))
    assert code == 2
    assert "no data folder" in output


def test_a_tampered_model_file_is_caught(build_copy: Path) -> None:
    path = build_copy / "v1" / "model" / "openai" / "gpt-4o.json"
    doc = json.loads(path.read_text())
    doc["data"]["pricing"]["prompt"] = "-1"
    path.write_text(json.dumps(doc))
    report = check_build(build_copy)
    assert [(p.file, p.pointer, p.model_id) for p in report.problems] == [
        ("v1/model/openai/gpt-4o.json", "/data/pricing/prompt", "openai/gpt-4o")
    ]


def test_a_tampered_record_inside_a_list_page_is_caught(build_copy: Path) -> None:
    path = build_copy / "v1" / "models" / "page" / "1.json"
    doc = json.loads(path.read_text())
    doc["data"][2]["context_length"] = -5
    del doc["schema_version"]
    path.write_text(json.dumps(doc))
    problems = {(p.file, p.pointer) for p in check_build(build_copy).problems}
    assert problems == {("v1/models/page/1.json", ""), ("v1/models/page/1.json", "/data/2/context_length")}


def test_a_model_file_at_the_wrong_path_is_caught(build_copy: Path) -> None:
    folder = build_copy / "v1" / "model" / "openai"
    shutil.copy(folder / "gpt-4o.json", folder / "gpt-4o-copy.json")
    problems = check_build(build_copy).problems
    assert [p.pointer for p in problems] == ["/data/modelatlas/links/details"]


def test_unreadable_json_is_a_problem_not_a_crash(build_copy: Path) -> None:
    (build_copy / "v1" / "providers.json").write_text("{")
    code, output = run("--data", str(DATA), "--dir", str(build_copy))
    assert code == 1
    assert "v1/providers.json" in output and "not readable JSON" in output


def test_paths_map_to_schemas() -> None:
    assert schema_for_path("v1/models.json") == "list-response"
    assert schema_for_path("v1/models/page/12.json") == "list-response"
    assert schema_for_path("v1/models/openai/page/0.json") == "list-response"
    assert schema_for_path("v1/model/bedrock/a_b~0123456789.json") == "model-file"
    assert schema_for_path("v1/providers.json") == "providers"
    assert schema_for_path("v1/index.json") == "index"
    assert schema_for_path("v1/models/notaprovider.json") is None


def _break_two_providers(tmp_path: Path) -> Path:
    """A copy of the fixture data with a schema violation in bedrock.json and a rule violation (a
    duplicate id) in anthropic.json, which comes first in registry order."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    bedrock = data / "providers" / "bedrock.json"
    doc = json.loads(bedrock.read_text())
    doc["models"][0]["context_length"] = -1
    bedrock.write_text(json.dumps(doc))
    anthropic = data / "providers" / "anthropic.json"
    doc = json.loads(anthropic.read_text())
    doc["models"].append(doc["models"][0])
    anthropic.write_text(json.dumps(doc))
    return data


@pytest.mark.parametrize("jobs", [1, 2])
def test_validate_check_matches_check_data_in_registry_order(tmp_path: Path, jobs: int) -> None:
    data = _break_two_providers(tmp_path)
    _, expected = check_data(data)
    report = check_data_files(data, jobs=jobs, min_parallel_bytes=0)
    assert report.problems == expected.problems
    assert (report.checked, report.models) == (expected.checked, expected.models) == (4, 20)
    files = [Path(problem.file).name for problem in report.problems]
    assert files == sorted(files, key=["anthropic.json", "bedrock.json"].index)  # registry order
    assert {"anthropic.json", "bedrock.json"} == set(files)


def test_workers_report_a_clean_folder_as_ok() -> None:
    report = check_data_files(DATA, jobs=2, min_parallel_bytes=0)
    assert report.ok and (report.checked, report.models) == (4, 19)


def test_an_unreadable_file_in_a_worker_is_the_same_input_error(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / "providers" / "openai.json").write_text("{")
    with pytest.raises(InputError, match=r"openai\.json: not valid JSON") as raised:
        check_data_files(data, jobs=2, min_parallel_bytes=0)
    assert raised.value.exit_code == 2
    code, output = run("--data", str(data), "--jobs", "2")
    assert code == 2 and "openai.json: not valid JSON" in output


def test_cli_lists_problems_of_every_file_with_jobs_1(tmp_path: Path) -> None:
    data = _break_two_providers(tmp_path)
    code, output = run("--data", str(data), "--jobs", "1")
    assert code == 1
    assert "4 provider files, 20 models: 2 problem(s)" in output
    assert "anthropic.json: model anthropic/" in output and "duplicate model id" in output
    assert "bedrock.json: model bedrock/" in output and "/context_length" in output


def test_build_check_over_workers_reports_what_check_build_reports_in_path_order(build_copy: Path) -> None:
    model = build_copy / "v1" / "model" / "openai" / "gpt-4o.json"
    doc = json.loads(model.read_text())
    doc["data"]["pricing"]["prompt"] = "-1"
    model.write_text(json.dumps(doc))
    page = build_copy / "v1" / "models" / "page" / "1.json"
    doc = json.loads(page.read_text())
    doc["data"][2]["context_length"] = -5
    page.write_text(json.dumps(doc))
    (build_copy / "v1" / "providers.json").write_text("{")
    expected = check_build(build_copy)
    assert len(expected.problems) == 3
    whole = integrity_problems(build_copy.resolve(), expected.facts)
    changed = {"v1/model/openai/gpt-4o.json", "v1/models/page/1.json", "v1/providers.json"}
    assert {p.file for p in whole} == changed
    for jobs in (1, 2, 3):
        report = check_build_folder(build_copy, jobs=jobs, min_parallel_bytes=0)
        assert report.problems == expected.problems + whole
        assert (report.checked, report.models, report.unmatched) == (
            expected.checked, expected.models, expected.unmatched
        )
    files = [problem.file for problem in expected.problems]
    assert files == ["v1/model/openai/gpt-4o.json", "v1/models/page/1.json", "v1/providers.json"]


def test_a_valid_list_is_accepted_whole_and_a_bad_header_still_reported(build_copy: Path) -> None:
    page = build_copy / "v1" / "models" / "page" / "0.json"
    doc = json.loads(page.read_text())
    doc["extra_fields"] = {"latency": -1}
    page.write_text(json.dumps(doc))
    problems = [(p.file, p.pointer) for p in check_build(build_copy).problems]
    assert problems == [("v1/models/page/0.json", "/extra_fields/latency")]
