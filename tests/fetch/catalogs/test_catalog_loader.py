"""Loading a catalog from its env-var override: an http(s) URL (real local server) or a local path."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from modelatlas.cli import cli
from modelatlas.errors import InputError, ModelatlasError
from modelatlas.fetch.catalogs import CATALOG_MODULES, litellm, models_dev, openrouter

BODY = '{"openai": {"id": "openai", "models": {"m": {"cost": {"input": 0.15}}}}}'


def test_env_url_is_fetched_and_numbers_stay_exact(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    httpserver.expect_request("/api.json").respond_with_data(BODY, content_type="application/json")
    monkeypatch.setenv(models_dev.ENV_VAR, httpserver.url_for("/api.json"))
    raw = models_dev.load()
    assert raw["openai"]["models"]["m"]["cost"]["input"] == Decimal("0.15")
    assert isinstance(raw["openai"]["models"]["m"]["cost"]["input"], Decimal)


def test_env_path_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "prices.json"
    path.write_text('{"gpt-x": {"litellm_provider": "openai", "input_cost_per_token": 2.5e-06}}')
    monkeypatch.setenv(litellm.ENV_VAR, str(path))
    assert litellm.load()["gpt-x"]["input_cost_per_token"] == Decimal("0.0000025")


def test_http_error_is_one_line(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    httpserver.expect_request("/models").respond_with_data("nope", status=404)
    monkeypatch.setenv(openrouter.ENV_VAR, httpserver.url_for("/models"))
    with pytest.raises(ModelatlasError) as info:
        openrouter.load()
    assert "openrouter" in info.value.message and "404" in info.value.message
    assert "\n" not in info.value.message


def test_missing_file_and_bad_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(models_dev.ENV_VAR, str(tmp_path / "absent.json"))
    with pytest.raises(InputError, match=models_dev.ENV_VAR):
        models_dev.load()
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    monkeypatch.setenv(models_dev.ENV_VAR, str(bad))
    with pytest.raises(ModelatlasError, match="not valid JSON"):
        models_dev.load()


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_named_as_a_catalog_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its size is 0, so the size cap let it through, and reading it never ended."""
    link = tmp_path / "prices.json"
    link.symlink_to("/dev/zero")
    monkeypatch.setenv(litellm.ENV_VAR, str(link))
    with pytest.raises(InputError, match=r"cannot read .*prices\.json \(not a regular file\)"):
        litellm.load()


def test_defaults_are_the_public_urls() -> None:
    assert models_dev.DEFAULT_URL == "https://models.dev/api.json"
    assert litellm.DEFAULT_URL.endswith("/BerriAI/litellm/main/model_prices_and_context_window.json")
    assert openrouter.DEFAULT_URL == "https://openrouter.ai/api/v1/models?output_modalities=all"


def test_fetch_help_names_every_catalog_and_its_variable() -> None:
    help_text = " ".join(CliRunner().invoke(cli, ["fetch", "--help"]).output.split())
    assert len(CATALOG_MODULES) == 5
    for module in CATALOG_MODULES:
        assert f"{module.SOURCE_ID} ${module.ENV_VAR}" in help_text
