"""data/ checked in a forked process while ``build`` goes on (``validate/beside.py``): the same
problems as :func:`check_data`, found in each document as it was read (whatever the build then
does with it), a dead checker's documents checked again here, and a build that meets a malformed
record while the checks run reports the problems, not its own error."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from modelatlas.cli import cli
from modelatlas.datastore import ProviderDoc
from modelatlas.validate import beside, check_data, check_data_beside
from tests.paths import FIXTURES

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork: documents are checked in turn")


def broken_data(tmp_path: Path) -> Path:
    """The small fixture with two broken openai records: a price that is no number, a model
    without its ``modelatlas`` block (on which the build's own code would fail)."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "data_small", data)
    path = data / "providers" / "openai.json"
    doc = json.loads(path.read_text())
    doc["models"][0].setdefault("pricing", {})["prompt"] = "cheap"
    del doc["models"][-1]["modelatlas"]
    path.write_text(json.dumps(doc, indent=2, sort_keys=True))
    return data


def fix_prices(doc: ProviderDoc) -> None:
    for model in doc["models"]:
        model.get("pricing", {}).pop("prompt", None)


def test_the_problems_are_those_check_data_finds(tmp_path: Path) -> None:
    data = broken_data(tmp_path)
    _docs, expected = check_data(data)
    assert len(expected.problems) >= 2
    with check_data_beside(data, prepare=lambda doc: None) as (docs, pending):
        report = pending.report()
    assert report.problems == expected.problems
    assert (report.checked, report.models) == (expected.checked, expected.models)
    assert set(docs) == set(_docs)


def test_each_document_is_checked_as_it_was_read(tmp_path: Path) -> None:
    data = broken_data(tmp_path)
    with check_data_beside(data, prepare=lambda doc: None) as (docs, pending):  # it changes no value
        fix_prices(docs["openai"])  # the build's copy changes once it is checked; the checker's does not
        messages = [problem.message for problem in pending.report().problems]
    assert any("cheap" in message for message in messages)


def test_a_checker_that_dies_leaves_the_documents_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = broken_data(tmp_path)

    def dies(pipe: int, *args: Any) -> None:
        os._exit(3)

    monkeypatch.setattr(beside, "_check", dies)
    with check_data_beside(data, prepare=lambda doc: None) as (_docs, pending):
        problems = pending.report().problems
    assert problems == check_data(data)[1].problems


def test_a_build_that_fails_on_bad_data_reports_the_problems(tmp_path: Path) -> None:
    data = broken_data(tmp_path)
    out = tmp_path / "out"
    built = CliRunner().invoke(cli, ["build", "--data", str(data), "--out", str(out), "--allow-missing"])
    assert built.exit_code == 1 and (built.exception is None or isinstance(built.exception, SystemExit))
    assert "data failed validation, nothing written" in built.output and "modelatlas" in built.output
    assert not (tmp_path / "out").exists()
