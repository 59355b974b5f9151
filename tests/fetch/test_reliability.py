"""Each catalog's measured accuracy per provider (fetch/reliability.py, ``modelatlas scores``), and
the committed data/source-scores.json regenerated from the facts and ../shared/reference."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelatlas.cli import cli
from modelatlas.errors import InputError
from modelatlas.fetch.reliability import FactValue, Scores, load_scores, read_facts, score_catalogs
from tests.fetch.records import rec
from tests.paths import FIXTURES, REFERENCE, REFERENCE_CATALOGS, REPO


def test_each_catalog_is_scored_per_provider_and_model() -> None:
    catalogs = {
        "litellm": {
            "mistral": [
                rec("mistral", "mistral-large-2411", "litellm", pricing__prompt="0.000002"),
                rec("mistral", "codestral-2508", "litellm", context_length=128000),
            ]
        },
        "portkey": {
            "mistral": [rec("mistral", "mistral-large-2411", "portkey", pricing__prompt="0.0000005")]
        },
    }
    facts = [
        FactValue("mistral", "mistral-large-2411", "pricing.prompt", "0.000002"),
        FactValue("mistral", "codestral-2508", "context_length", 256000),
        FactValue("mistral", "absent-model", "pricing.prompt", "0.000001"),
    ]
    assert score_catalogs(catalogs, facts) == {
        "mistral": {
            "litellm": {"mistral-large-2411": [1, 0], "codestral-2508": [0, 1]},
            "portkey": {"mistral-large-2411": [0, 1]},
        }
    }


def test_a_side_is_preferred_only_with_enough_facts_and_a_clear_margin() -> None:
    scores = Scores(
        {
            "azure": {
                "litellm": {"a": [4, 0], "b": [2, 0]},
                "portkey": {"a": [1, 3], "c": [0, 1]},
                "models.dev": {"a": [1, 0]},
            }
        }
    )
    assert scores.prefers("azure", [["portkey"], ["litellm"]], leave_out="z") == 1
    assert scores.prefers("azure", [["portkey"], ["models.dev"]], leave_out="z") is None  # 1 fact is too few
    # leaving model a out, litellm has 2 facts: below the minimum, nothing is preferred
    assert scores.prefers("azure", [["portkey"], ["litellm"]], leave_out="a") is None
    # at a provider without facts of its own, each catalog's score over every provider counts
    assert scores.prefers("openai", [["portkey"], ["litellm"]], leave_out="z") == 1


def test_the_facts_file_is_read_and_a_bad_one_is_a_one_line_error(tmp_path: Path) -> None:
    facts = read_facts(FIXTURES / "facts" / "facts.yaml")
    assert len(facts) > 200 and all(
        f.field.startswith(("pricing.", "modelatlas.extra", "context", "max_")) for f in facts
    )
    bad = tmp_path / "facts.yaml"
    bad.write_text("facts: [{field: pricing.prompt}]\n", encoding="utf-8")
    with pytest.raises(InputError, match="every fact needs an id"):
        read_facts(bad)
    (tmp_path / "source-scores.json").write_text("[]", encoding="utf-8")
    with pytest.raises(InputError, match="regenerate it with 'modelatlas scores'"):
        load_scores(tmp_path)
    assert load_scores(tmp_path / "nowhere") is None


def test_a_bad_facts_file_exits_2_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "facts.yaml"
    bad.write_text("not: facts\n", encoding="utf-8")
    env = {**os.environ, "MODELATLAS_MODELS_DEV_URL": str(tmp_path / "none.json")}
    done = subprocess.run(
        [sys.executable, "-m", "modelatlas", "scores", "--facts", str(bad), "--data", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"modelatlas: error: {bad}: expected 'facts:' with a list of facts (id, field, value, url, quote)"
    ]


@pytest.mark.skipif(
    not REFERENCE.is_dir() and not os.environ.get("MODELATLAS_REQUIRE_SHARED"),
    reason="../shared/reference is not beside the repository (.ci/run sets MODELATLAS_REQUIRE_SHARED=1)",
)
def test_the_committed_scores_are_what_the_facts_and_catalogs_give(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in REFERENCE_CATALOGS.items():
        monkeypatch.setenv(name, value)
    facts = FIXTURES / "facts" / "facts.yaml"
    result = CliRunner().invoke(cli, ["scores", "--facts", str(facts), "--data", str(tmp_path)])
    assert result.exit_code == 0, result.output
    committed = REPO / "data" / "source-scores.json"
    assert (tmp_path / "source-scores.json").read_bytes() == committed.read_bytes(), (
        "data/source-scores.json is out of date: run 'modelatlas scores --facts "
        "tests/fixtures/facts/facts.yaml' with the catalogs pointed at ../shared/reference (data/README.md)"
    )
    scores = load_scores(REPO / "data")
    assert scores is not None and scores.counts("openai", "litellm", leave_out="")[0] > 0
