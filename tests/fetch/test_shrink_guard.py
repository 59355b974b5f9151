"""Losing most or all of a provider's models needs its own explicit override, never the everyday
one, and no advice ``fetch`` prints can lead to an empty catalog (before: an offline fetch over
empty "last good copies" held 14 providers back with "rerun with --allow-shrink", and following
that advice gave a build with 0 models)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from modelatlas.cli import cli
from modelatlas.fetch.outcome import FetchState
from modelatlas.fetch.shrink_guard import active_ids
from tests.fetch.test_run import LATER, doc, openai_list, run, settings_for
from tests.paths import EMPTY_CATALOGS

IDS = [f"m{i}" for i in range(10)]


@pytest.mark.parametrize("kept", [3, 0])
def test_losing_most_or_all_models_needs_the_mass_removal_override(
    httpserver: HTTPServer, tmp_path: Path, kept: int
) -> None:
    httpserver.expect_ordered_request("/groq/models").respond_with_json(openai_list(*IDS))
    settings = settings_for(httpserver, "groq")
    run(tmp_path, ["groq"], settings)
    httpserver.clear()
    httpserver.expect_request("/groq/models").respond_with_json(openai_list(*IDS[:kept]))

    for allow_shrink in (False, True):  # the everyday override does not write it
        report, _ = run(tmp_path, ["groq"], settings, now=LATER, allow_shrink=allow_shrink)
        (result,) = report.results
        assert result.state is FetchState.HELD and "upstream fault" in result.reason
        assert "--allow" not in result.reason  # no flag to follow blindly: the docs say how to check
        assert len(active_ids(doc(tmp_path, "groq"))) == 10

    other, _ = run(tmp_path, ["groq"], settings, now=LATER, allow_mass_removal=["cerebras"])
    assert other.results[0].state is FetchState.HELD  # the override names the provider
    accepted, _ = run(tmp_path, ["groq"], settings, now=LATER, allow_mass_removal=["groq"])
    assert accepted.exit_code == 0
    assert len(active_ids(doc(tmp_path, "groq"))) == kept


def _fetch(data: Path, *flags: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["fetch", "--data", str(data), "--now", "2026-11-28T00:00:00Z", *flags])
    return result.exit_code, result.output


def test_following_every_printed_advice_never_empties_the_catalog(
    tmp_path: Path, catalog_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first fetch from a catalog, then every catalog unreachable with empty "last good copies" in
    the cache (as the test suite once wrote into a real cache): the advice printed is followed, flag
    by flag, and the provider keeps its models throughout."""
    catalog = tmp_path / "openrouter.json"
    entries = [{"id": f"vendor/m{i}", "name": f"M {i}", "context_length": 1000} for i in range(10)]
    catalog.write_text(json.dumps({"data": entries}))
    for name, value in {**EMPTY_CATALOGS, "MODELATLAS_OPENROUTER_URL": str(catalog)}.items():
        monkeypatch.setenv(name, value)
    data = tmp_path / "data"
    code, output = _fetch(data, "--provider", "openrouter")
    assert code == 0, output
    assert len(active_ids(doc(data, "openrouter"))) == 10

    (catalog_cache / "catalogs").mkdir(exist_ok=True)
    for source in ("openrouter", "models.dev", "ruby_llm", "portkey"):
        empty: dict[str, Any] = {"format": 1, "saved_at": "2026-11-27T00:00:00Z", "records": {}}
        (catalog_cache / "catalogs" / f"{source}.json").write_text(json.dumps(empty))
    catalog.write_text(json.dumps({"data": []}))  # reachable, but answering with nothing: not used
    flags: list[str] = ["--provider", "openrouter"]
    for _ in range(3):
        code, output = _fetch(data, *flags)
        assert code != 0, output
        assert len(active_ids(doc(data, "openrouter"))) == 10, output
        advised = sorted(set(re.findall(r"--[a-z][a-z-]+", output)) - set(flags))
        flags += advised
    assert "openrouter: FAILED" in output or "held back" in output
