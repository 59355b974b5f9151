"""Fetch settings: env vars over the YAML file, typed HTTP limits, clear errors for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from modelatlas.config import Scrubber, load_settings
from modelatlas.errors import InputError
from modelatlas.fetch.providers.credentials import scrubber
from modelatlas.fetch.providers.declaration import resolve_base_url
from modelatlas.fetch.providers.registry import by_id


def test_yaml_file_and_environment(tmp_path: Path) -> None:
    config = tmp_path / "modelatlas.yaml"
    config.write_text(
        "env:\n  OPENAI_API_KEY: from-file-key-123\n  GROQ_API_KEY: groq-file-key-456\n"
        "http:\n  retries: 5\n  backoff: 0.25\nfetch:\n  shrink_limit: 0.5\n"
    )
    settings = load_settings({"OPENAI_API_KEY": "from-env-key-789", "MODELATLAS_HTTP_DEADLINE": "12"}, config)
    assert settings.get("OPENAI_API_KEY") == "from-env-key-789"  # the environment wins
    assert settings.get("GROQ_API_KEY") == "groq-file-key-456"
    assert (settings.http.retries, settings.http.backoff, settings.http.deadline) == (5, 0.25, 12.0)
    assert settings.fetch.shrink_limit == 0.5
    assert scrubber(settings).text("key groq-file-key-456 used") == "key *** used"  # a file's key too


def test_config_path_from_env_var(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("env:\n  MISTRAL_API_KEY: abcdefgh\n")
    assert load_settings({"MODELATLAS_CONFIG": str(config)}).get("MISTRAL_API_KEY") == "abcdefgh"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("http: [1\n", "not valid YAML"),
        ("- a\n", "expected a mapping"),
        ("providers: {}\n", "unknown section"),
        ("http:\n  retrys: 3\n", "unknown setting"),
        ("http:\n  retries: many\n", "expected a number"),
        ("http:\n  deadline: -1\n", "must not be negative"),
    ],
)
def test_bad_config_files_are_input_errors(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(text)
    with pytest.raises(InputError, match=message):
        load_settings({}, config)


def test_missing_config_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_settings({}, tmp_path / "absent.yaml")


def test_base_url_override_replaces_scheme_host_port_and_prefix() -> None:
    settings = load_settings({"MODELATLAS_OPENAI_BASE_URL": "http://127.0.0.1:9001/v1/"})
    assert resolve_base_url(by_id()["openai"], settings) == "http://127.0.0.1:9001/v1"
    defaults = load_settings({})
    assert resolve_base_url(by_id()["openai"], defaults) == "https://api.openai.com/v1"
    assert resolve_base_url(by_id()["azure"], defaults) is None  # needs AZURE_OPENAI_ENDPOINT
    region = load_settings(
        {
            "AWS_REGION": "eu-west-1",
            "GOOGLE_CLOUD_LOCATION": "global",
            "AZURE_OPENAI_ENDPOINT": "https://res.openai.azure.com/",
            "OLLAMA_HOST": "0.0.0.0",
            "SGLANG_BASE_URL": "http://gpu:30000",
        }
    )
    assert resolve_base_url(by_id()["bedrock"], region) == "https://bedrock.eu-west-1.amazonaws.com"
    assert resolve_base_url(by_id()["vertex"], region) == "https://aiplatform.googleapis.com/v1beta1"
    assert resolve_base_url(by_id()["azure"], region) == "https://res.openai.azure.com/openai"
    assert resolve_base_url(by_id()["ollama"], region) == "http://127.0.0.1:11434"
    assert resolve_base_url(by_id()["sgl"], region) == "http://gpu:30000/v1"


def test_scrubber_scrubs_nested_values_and_detects_leaks() -> None:
    scrubber = Scrubber(["sk-abcdef123456"])
    value = {"sk-abcdef123456": ["x sk-abcdef123456 y", 1]}
    assert scrubber.value(value) == {"***": ["x *** y", 1]}
    assert scrubber.leaks(b"..sk-abcdef123456..") and not scrubber.leaks(b"clean")
