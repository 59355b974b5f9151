"""Which settings are secrets is what the registry declares, never what a variable's name looks like."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from modelatlas.config import Settings
from modelatlas.fetch.providers.credentials import (
    credential_files,
    credential_settings,
    process_scrubber,
    scrubber,
)
from modelatlas.fetch.providers.registry import PROVIDERS
from tests.paths import REPO

BEDROCK_KEY = "ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl0123456789"


def test_every_declared_credential_is_a_secret_and_nothing_else() -> None:
    names = set(credential_settings())
    assert "AWS_BEARER_TOKEN_BEDROCK" in names  # the name ends in neither _KEY nor _TOKEN
    assert {"OPENAI_API_KEY", "VERTEX_ACCESS_TOKEN", "CO_API_KEY", "GITHUB_TOKEN"} <= names
    assert not {"AWS_REGION", "GOOGLE_CLOUD_LOCATION", "OLLAMA_HOST", "SGLANG_BASE_URL"} & names
    for provider in PROVIDERS:  # every declared setting is either a secret or declared public
        declared = {*provider.env_vars, *(name for group in provider.credentials for name in group)}
        assert declared == {*provider.secret_settings, *provider.public_settings}, provider.id


def test_values_are_scrubbed_by_declaration_not_by_name() -> None:
    settings = Settings(
        values={
            "AWS_BEARER_TOKEN_BEDROCK": f" {BEDROCK_KEY} ",
            "AWS_REGION": "eu-central-1",
            "SOME_OTHER_API_KEY": "not-declared-by-anyone-123",
        }
    )
    secrets = scrubber(settings)
    text = f"The security token {BEDROCK_KEY} included in the request is invalid (eu-central-1)"
    assert secrets.text(text) == "The security token *** included in the request is invalid (eu-central-1)"
    assert secrets.values_in("not-declared-by-anyone-123") == "not-declared-by-anyone-123"
    assert secrets.bytes(f"<p>{BEDROCK_KEY}</p>".encode()) == b"<p>***</p>"


def test_files_holding_a_credential_are_found(tmp_path: Path) -> None:
    (tmp_path / "providers").mkdir()
    (tmp_path / "providers" / "bedrock.json").write_text(f'{{"reason": "token {BEDROCK_KEY}"}}')
    (tmp_path / "providers" / "openai.json").write_text("{}")
    secrets = scrubber(Settings(values={"AWS_BEARER_TOKEN_BEDROCK": BEDROCK_KEY}))
    assert credential_files(tmp_path, secrets) == ("providers/bedrock.json",)
    assert credential_files(tmp_path, scrubber(Settings())) == ()


def test_settings_that_cannot_be_read_leave_every_secret_scrubbed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad typed setting or a malformed bundle makes reading the settings fail; the scrubber that
    prints that error still hides the environment's and the bundle's values."""
    monkeypatch.setenv("MODELATLAS_HTTP_BACKOFF", "abc")
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", BEDROCK_KEY)
    monkeypatch.setenv("MODELATLAS_CREDENTIALS", "OPENAI_API_KEY: sk-from-the-bundle-0123")
    secrets = process_scrubber()
    assert secrets.values_in(f"{BEDROCK_KEY} sk-from-the-bundle-0123") == "*** ***"
    malformed = "{OPENAI_API_KEY: sk-malformed-bundle-4567"  # no closing brace
    monkeypatch.setenv("MODELATLAS_CREDENTIALS", malformed)
    secrets = process_scrubber()
    text = f"OPENAI_API_KEY {BEDROCK_KEY} sk-malformed-bundle-4567"
    assert secrets.values_in(text) == "OPENAI_API_KEY *** ***"


@pytest.mark.parametrize(("variable", "value", "error"), [
    ("MODELATLAS_HTTP_BACKOFF", "abc", "MODELATLAS_HTTP_BACKOFF: expected a number, got 'abc'"),
    ("MODELATLAS_CREDENTIALS", "{OPENAI_API_KEY: sk-malformed-bundle-4567",
     "MODELATLAS_CREDENTIALS must be a YAML or JSON mapping of variable names to values; it does not parse"),
])
def test_a_setting_that_cannot_be_read_is_one_line_from_a_real_process(
    tmp_path: Path, variable: str, value: str, error: str
) -> None:
    env = {**os.environ, variable: value, "MODELATLAS_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-m", "modelatlas", "fetch", "--dry-run", "--data", str(REPO / "data")],
        env=env, capture_output=True, text=True, check=False, timeout=120, cwd=tmp_path,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"modelatlas: error: {error}") and done.stderr.count("\n") == 1, done.stderr
    assert "sk-malformed" not in done.stderr + done.stdout
