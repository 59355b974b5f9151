"""``fetch`` with a catalog that cannot be reached: that catalog alone falls back to its last good
copy (and the status blocks say so); without a copy only the providers that used it are held back.
Also: one summary line per provider, and ``--dry-run`` writes nothing. Catalogs are served by a real
local HTTP server (cuts of the real catalogs, tests/fixtures/sources/)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from modelatlas.cli import cli
from modelatlas.ids import provider_ids
from tests.file_tree import file_states
from tests.paths import FIXTURES

CUTS = {
    "models.dev": "models_dev_cut.json",
    "litellm": "litellm_cut.json",
    "openrouter": "openrouter_cut.json",
}
ENV = {
    "models.dev": "MODELATLAS_MODELS_DEV_URL",
    "litellm": "MODELATLAS_LITELLM_URL",
    "openrouter": "MODELATLAS_OPENROUTER_URL",
}
NOW = "2026-11-27T00:00:00Z"
UNREACHABLE = "http://127.0.0.1:9/litellm.json"  # the discard port: connection refused


@pytest.fixture
def catalogs(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> HTTPServer:
    for source, name in CUTS.items():
        body = (FIXTURES / "sources" / name).read_bytes()
        httpserver.expect_request(f"/{name}").respond_with_data(body, content_type="application/json")
        monkeypatch.setenv(ENV[source], httpserver.url_for(f"/{name}"))
    for provider in provider_ids():  # public catalogs only, whatever the machine has set
        for suffix in ("_API_KEY", "_BASE_URL"):
            monkeypatch.delenv(f"{provider.upper()}{suffix}", raising=False)
    monkeypatch.setenv("CI", "true")
    return httpserver


def fetch(data: Path, *extra: str, now: str = NOW) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["fetch", "--data", str(data), "--now", now, *extra])
    assert "Traceback" not in result.output
    return result.exit_code, result.output.splitlines()


def status(data: Path, provider: str) -> dict[str, Any]:
    return json.loads((data / "providers" / f"{provider}.json").read_text())["status"]


def models(data: Path, provider: str) -> list[dict[str, Any]]:
    return json.loads((data / "providers" / f"{provider}.json").read_text())["models"]


def users_of(data: Path, source: str) -> set[str]:
    return {p for p in provider_ids() if source in status(data, p).get("sources", [])}


def _list_dates(records: list[dict[str, Any]]) -> set[str]:
    return {r["modelatlas"]["membership"]["list_date"] for r in records
            if "list_date" in r["modelatlas"].get("membership", {})}


def _undated(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``records`` without the date of the list each was seen in."""
    copies = json.loads(json.dumps(records))
    for record in copies:
        record["modelatlas"].get("membership", {}).pop("list_date", None)
    return copies


def test_one_unreachable_catalog_falls_back_to_its_last_good_copy(
    catalogs: HTTPServer, tmp_path: Path, catalog_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    code, lines = fetch(data)
    assert code in (0, 3), lines
    assert sorted((catalog_cache / "catalogs").iterdir()) == [
        catalog_cache / "catalogs" / f"{source}.json" for source in sorted(CUTS)
    ]
    litellm_users = users_of(data, "litellm")
    assert litellm_users, "the cut of LiteLLM feeds no provider: the test would prove nothing"
    models_before = {p: models(data, p) for p in provider_ids()}

    monkeypatch.setenv(ENV["litellm"], UNREACHABLE)
    code, lines = fetch(data, now="2026-11-28T00:00:00Z")
    (fallback_line,) = [line for line in lines if line.startswith("litellm:")]
    assert fallback_line.startswith("litellm: failed (")
    assert f"using its last good copy from {NOW}" in fallback_line
    # said before any provider that uses LiteLLM (a provider without it may come first)
    assert all(
        lines.index(fallback_line) < i for i, line in enumerate(lines) if line.split(":")[0] in litellm_users
    )
    for provider in provider_ids():
        fallbacks = status(data, provider).get("catalog_fallbacks")
        assert fallbacks == ({"litellm": NOW} if provider in litellm_users else None), provider
        if provider in litellm_users:
            assert "used their last good copy: litellm" in status(data, provider)["reason"]
    provider_lines = [line for line in lines if line.split(":")[0] in provider_ids()]
    assert len(provider_lines) == len(provider_ids())  # one summary line per provider, no repeats
    assert lines[-1].startswith(f"fetch: {len(provider_ids())} providers: ")

    shutil.rmtree(catalog_cache / "catalogs")
    code, lines = fetch(data, now="2026-11-29T00:00:00Z")
    assert code == 3
    assert any(line.startswith("litellm: failed (") and "no last good copy" in line for line in lines)
    for provider in provider_ids():
        state = status(data, provider)
        assert state["stale"] == (provider in litellm_users), provider
        if provider in litellm_users:  # held back
            assert models(data, provider) == models_before[provider], provider
        else:  # the same, but a list downloaded in this run is as of this run's day
            assert _undated(models(data, provider)) == _undated(models_before[provider]), provider
            assert _list_dates(models(data, provider)) <= {"2026-11-29"}, provider
    assert _list_dates(models(data, "openrouter")) == {"2026-11-29"}  # its own list, downloaded then
    failed = [line for line in lines if ": FAILED: " in line]
    assert len(failed) == len(litellm_users)
    assert all("its catalogs litellm failed (see their lines), no last good copy" in line for line in failed)


def test_dry_run_writes_nothing(catalogs: HTTPServer, tmp_path: Path, catalog_cache: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "data_small", data)
    before = file_states(data)
    code, lines = fetch(data, "--dry-run")
    assert code in (0, 3), lines
    assert file_states(data) == before  # same bytes, inodes and mtimes; no new file
    assert not (catalog_cache / "catalogs").exists()
    assert lines[-1].endswith("files would change (dry run, nothing written)")
    assert int(lines[-1].split("; ")[-1].split()[0]) > 0  # it did find changes it did not write


def test_an_unwritable_data_folder_is_one_line_per_provider(catalogs: HTTPServer) -> None:
    code, lines = fetch(Path("/sys/modelatlas-data"), "--provider", "groq", "--provider", "mistral")
    assert code == 1
    failed = [line for line in lines if ": FAILED: " in line]
    assert [line.split(":")[0] for line in failed] == ["mistral", "groq"]
    assert all("cannot read or write /sys/modelatlas-data" in line for line in failed), failed
    assert lines[-1] == "fetch: 2 providers: 2 failed; 0 files changed"


def _kept_max_output(data: Path) -> tuple[object, str]:
    """cerebras/gpt-oss-120b's max_output_tokens and its source: LiteLLM's cut and models.dev's disagree
    on it, and no third source decides, so the newer source's value is kept."""
    (record,) = [m for m in models(data, "cerebras") if m["id"] == "cerebras/gpt-oss-120b"]
    return record["max_output_tokens"], record["modelatlas"]["provenance"]["max_output_tokens"]


def test_source_dates_decide_which_side_of_a_dispute_a_fetch_keeps(
    catalogs: HTTPServer, tmp_path: Path, catalog_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = {}
    for old in ("litellm", "models.dev"):
        monkeypatch.setenv("MODELATLAS_SOURCE_DATES", f"{old}=2020-01-01")
        code, lines = fetch(tmp_path / old, "--provider", "cerebras")
        assert code == 0, lines
        kept[old] = _kept_max_output(tmp_path / old)
    assert kept["litellm"][1] == "models.dev" and kept["models.dev"][1] == "litellm"
    assert kept["litellm"][0] != kept["models.dev"][0]
    served = len(catalogs.log)
    monkeypatch.setenv("MODELATLAS_SOURCE_DATES", "litellm=last week")
    code, lines = fetch(tmp_path / "bad", "--provider", "cerebras")
    assert code == 2
    assert lines == ["modelatlas: error: MODELATLAS_SOURCE_DATES: 'litellm=last week' is not "
                     "source=YYYY-MM-DD; e.g. models.dev=2026-07-02"]
    assert len(catalogs.log) == served and not (tmp_path / "bad").exists()  # before any download


def test_a_config_files_cache_folder_holds_the_last_good_copies(
    catalogs: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MODELATLAS_CACHE_DIR", raising=False)  # the real environment would win
    config = tmp_path / "modelatlas.yaml"
    config.write_text(f"env: {{MODELATLAS_CACHE_DIR: {json.dumps(str(tmp_path / 'copies'))}}}\n")
    code, lines = fetch(tmp_path / "data", "--config", str(config), "--provider", "cerebras")
    assert code == 0, lines
    saved = {p.name for p in (tmp_path / "copies" / "catalogs").iterdir()}
    assert {"litellm.json", "models.dev.json"} <= saved  # the two catalogs that list cerebras
    default = Path(os.environ["XDG_CACHE_HOME"]) / "modelatlas"
    assert not default.exists()  # nothing went to the environment's cache folder
