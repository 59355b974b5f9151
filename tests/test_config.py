"""Settings: env vars over the credentials bundle over the YAML file, typed HTTP limits, clear errors."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from modelatlas.config import Scrubber, load_settings
from modelatlas.errors import InputError
from modelatlas.fetch.providers.credentials import scrubber
from modelatlas.fetch.providers.declaration import resolve_api_root
from modelatlas.fetch.providers.registry import by_id
from tests.paths import REPO


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


def test_credentials_bundle_under_the_environment_over_the_file(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("env:\n  OPENAI_API_KEY: from-file-key-1\n  MISTRAL_API_KEY: from-file-key-2\n")
    bundled = {"OPENAI_API_KEY": "from-bundle-key-3", "GROQ_API_KEY": "from-bundle-key-4"}
    bundle = json.dumps({**bundled, "GOOGLE_CLOUD_PROJECT": 12345})
    environ = {"MODELATLAS_CREDENTIALS": bundle, "GROQ_API_KEY": "from-env-key-5"}
    settings = load_settings(environ, config)
    assert settings.get("OPENAI_API_KEY") == "from-bundle-key-3"  # the bundle over the file
    assert settings.get("GROQ_API_KEY") == "from-env-key-5"  # the environment over the bundle
    assert settings.get("MISTRAL_API_KEY") == "from-file-key-2"
    assert settings.get("GOOGLE_CLOUD_PROJECT") == "12345"
    assert settings.get("MODELATLAS_CREDENTIALS") is None  # its text is not kept
    scrub = scrubber(settings)
    for value in ("from-bundle-key-3", "from-env-key-5", "from-file-key-2"):
        assert scrub.text(f"x {value} y") == "x *** y"
    # YAML works too; a bundled value is a secret whatever its name: one kept in the secret store is one
    yaml_bundle = load_settings({"MODELATLAS_CREDENTIALS": "AZURE_OPENAI_ENDPOINT: https://res.example/\n"})
    assert scrubber(yaml_bundle).text("at https://res.example/") == "at ***"
    plain = load_settings({"AZURE_OPENAI_ENDPOINT": "https://res.example/"})  # declared public by Azure
    assert scrubber(plain).text("at https://res.example/") == "at https://res.example/"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("OPENAI_API_KEY: [sk-secret-value-1\n", "does not parse"),
        ("- sk-secret-value-1\n", "not a mapping"),
        ("sk-secret-value-1: x\n", "entry 1 is not named like a variable"),
        ("OPENAI_API_KEY: {k: sk-secret-value-1}\n", "value of OPENAI_API_KEY must be a string"),
    ],
)
def test_a_bad_credentials_bundle_is_an_input_error_that_shows_no_content(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as raised:
        load_settings({"MODELATLAS_CREDENTIALS": text})
    assert "sk-secret" not in str(raised.value)


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
        ("env:\n  OPENAI_API_KEY: [sk-in-a-list]\n", "env: the value of OPENAI_API_KEY must be a string"),
        ("env:\n  OLLAMA_HOST: {host: x}\n", "env: the value of OLLAMA_HOST must be a string"),
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


def test_api_root_override_replaces_scheme_host_port_and_prefix() -> None:
    settings = load_settings({"MODELATLAS_OPENAI_BASE_URL": "http://127.0.0.1:9001/v1/"})
    assert resolve_api_root(by_id()["openai"], settings) == "http://127.0.0.1:9001/v1"
    defaults = load_settings({})
    assert resolve_api_root(by_id()["openai"], defaults) == "https://api.openai.com/v1"
    assert resolve_api_root(by_id()["azure"], defaults) is None  # needs AZURE_OPENAI_ENDPOINT
    region = load_settings(
        {
            "AWS_REGION": "eu-west-1",
            "GOOGLE_CLOUD_LOCATION": "global",
            "AZURE_OPENAI_ENDPOINT": "https://res.openai.azure.com/",
            "OLLAMA_HOST": "0.0.0.0",
            "SGLANG_BASE_URL": "http://gpu:30000",
        }
    )
    assert resolve_api_root(by_id()["bedrock"], region) == "https://bedrock.eu-west-1.amazonaws.com"
    assert resolve_api_root(by_id()["vertex"], region) == "https://aiplatform.googleapis.com/v1beta1"
    assert resolve_api_root(by_id()["azure"], region) == "https://res.openai.azure.com/openai"
    assert resolve_api_root(by_id()["ollama"], region) == "http://127.0.0.1:11434"
    assert resolve_api_root(by_id()["sgl"], region) == "http://gpu:30000/v1"


def test_scrubber_scrubs_nested_values_and_detects_leaks() -> None:
    scrubber = Scrubber(["sk-abcdef123456"])
    value = {"sk-abcdef123456": ["x sk-abcdef123456 y", 1]}
    assert scrubber.value(value) == {"***": ["x *** y", 1]}
    assert scrubber.leaks(b"..sk-abcdef123456..") and not scrubber.leaks(b"clean")


def test_settings_is_the_only_reader_of_the_environment() -> None:
    """``os.environ`` / ``os.getenv`` appear in config.py only: every other module asks Settings."""
    readers = set()
    for path in sorted((REPO / "src" / "modelatlas").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            attribute = isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb")
            imported = isinstance(node, ast.ImportFrom) and node.module == "os" and any(
                alias.name in ("environ", "getenv", "environb") for alias in node.names
            )
            if attribute or imported:
                readers.add(path.relative_to(REPO).as_posix())
    assert readers == {"src/modelatlas/config.py"}
