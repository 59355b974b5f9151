"""The model and provider-file schemas accept real-shaped records and reject the mistakes they exist for."""

from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from modelatlas.bundled import schema_folder
from modelatlas.cli import cli
from modelatlas.schema import SCHEMA_DIR_VAR, iter_violations
from tests.paths import REPO

DATA = REPO / "data"


def _valid() -> dict[str, Any]:
    return {
        "id": "openai/gpt-4o",
        "name": "GPT-4o",
        "context_length": 128000,
        "architecture": {"input_modalities": ["text", "image", "file"], "output_modalities": ["text"]},
        "pricing": {"prompt": "0.0000025", "completion": "0.00001", "request": "0"},
        "modelatlas": {
            "provider": "openai",
            "upstream_id": "gpt-4o",
            "provenance": {
                "name": "models.dev",
                "pricing.prompt": "litellm",
                "modelatlas.extra_pricing.input_cache_write_1h": "openrouter",
            },
            "extra_pricing": {"input_cache_write_1h": "0.000005"},
            "mode": "responses",
        },
    }


def _errors(record: dict[str, Any]) -> list[str]:
    return [v.pointer for v in iter_violations("model", record, "test")]


def test_valid_record_is_accepted() -> None:
    assert _errors(_valid()) == []


@pytest.mark.parametrize("price", ["2.5e-06", "-1", "0.10", "1.", " 1", "01", ""])
def test_bad_price_strings_are_rejected(price: str) -> None:
    record = _valid()
    record["pricing"]["prompt"] = price
    assert _errors(record) == ["/pricing/prompt"]


@pytest.mark.parametrize(("field", "price"), [("prompt", "0"), ("prompt", "0.0000025"), ("prompt", "0.001"),
                                               ("request", "12"), ("request", "1.5")])
def test_good_price_strings(field: str, price: str) -> None:
    record = _valid()
    record["pricing"][field] = price
    assert _errors(record) == []


@pytest.mark.parametrize("price", ["0.006", "0.0010001", "1.5"])
def test_a_token_price_above_1000_dollars_per_million_is_no_token_price(price: str) -> None:
    record = _valid()
    record["pricing"]["prompt"] = price  # OpenRouter's list gives Whisper's $0.006 per minute here
    assert _errors(record) == ["/pricing/prompt"]


def test_numeric_price_is_rejected() -> None:
    record = _valid()
    record["pricing"]["prompt"] = 0.0000025
    assert _errors(record) == ["/pricing/prompt"]


def _mutated(change: str) -> dict[str, Any]:
    record = copy.deepcopy(_valid())
    if change == "missing id":
        del record["id"]
    elif change == "wrong modality":
        record["architecture"]["input_modalities"] = ["text", "Hologram"]
    elif change == "null field":
        record["name"] = None
    elif change == "unknown provider in id":
        record["id"] = "deepseek/deepseek-chat"
    elif change == "unknown provider in extension":
        record["modelatlas"]["provider"] = "deepseek"
    elif change == "missing modelatlas":
        del record["modelatlas"]
    elif change == "negative count":
        record["context_length"] = -1
    elif change == "unknown source":
        record["modelatlas"]["provenance"]["name"] = "a blog"
    elif change == "field outside the gateway shape and extension":
        record["price_per_million"] = "2.5"
    return record


@pytest.mark.parametrize(
    "change",
    [
        "missing id",
        "wrong modality",
        "null field",
        "unknown provider in id",
        "unknown provider in extension",
        "missing modelatlas",
        "negative count",
        "unknown source",
        "field outside the gateway shape and extension",
    ],
)
def test_rejections(change: str) -> None:
    assert _errors(_mutated(change)) != []


def test_provider_file_schema() -> None:
    doc = {
        "schema_version": "1",
        "provider": "openai",
        "status": {"source": "public_catalogs", "sources": ["models.dev"], "count": 1, "stale": False,
                   "last_refresh": "2026-11-27T00:00:00Z", "reason": "no OPENAI_API_KEY set"},
        "models": [_valid()],
    }
    assert list(iter_violations("provider-file", doc, "openai")) == []
    bad = copy.deepcopy(doc)
    bad["provider"] = "deepseek"
    bad["status"]["last_refresh"] = "2026-11-27 00:00"
    bad["models"][0]["pricing"]["prompt"] = "2.5e-06"
    pointers = [v.pointer for v in iter_violations("provider-file", bad, "x")]
    assert pointers == ["/models/0/pricing/prompt", "/provider", "/status/last_refresh"]


def _schema_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "schema"
    folder.mkdir()
    for path in schema_folder().glob("*.schema.json"):
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


@pytest.mark.parametrize(("damage", "reason"), [
    (lambda folder: [path.unlink() for path in folder.iterdir()], "it holds no \\*.schema.json file"),
    (lambda folder: (folder / "model.schema.json").unlink(), "it has no model.schema.json"),
    (lambda folder: (folder / "quality.schema.json").write_text("{"), "quality.schema.json cannot be read"),
    (lambda folder: (folder / "x.schema.json").write_text("[]"), "x.schema.json is not a JSON Schema"),
    (lambda folder: (folder / "provider-id.schema.json").write_text('{"$id": "x"}'),
     "its provider-id.schema.json lists no provider ids"),
])
def test_an_unusable_schema_folder_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: Callable[[Path], object], reason: str
) -> None:
    folder = _schema_copy(tmp_path)
    damage(folder)
    monkeypatch.setenv(SCHEMA_DIR_VAR, str(folder))
    monkeypatch.chdir(tmp_path)  # no build/ of the working folder is checked (the default --dir)
    result = CliRunner().invoke(cli, ["validate", "--data", str(DATA)])
    assert result.exit_code == 2, result.output
    assert re.fullmatch(
        rf"modelatlas: error: schema folder {re.escape(str(folder))} cannot be used: {reason}.*; point "
        rf"{SCHEMA_DIR_VAR} at a copy of the package's schema/ folder, or unset it\n",
        result.output,
    ), result.output


def test_an_unusable_schema_folder_from_a_real_process(tmp_path: Path) -> None:
    env = {**os.environ, SCHEMA_DIR_VAR: str(tmp_path / "nowhere")}
    done = subprocess.run(
        [sys.executable, "-m", "modelatlas", "build", "--data", str(DATA), "--out", str(tmp_path / "out")],
        env=env, capture_output=True, text=True, check=False, timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("modelatlas: error: schema folder ") and done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr and not (tmp_path / "out").exists()


def test_a_copy_of_the_schema_folder_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SCHEMA_DIR_VAR, str(_schema_copy(tmp_path)))
    monkeypatch.chdir(tmp_path)  # a build/ left in the working folder was checked too and failed this
    result = CliRunner().invoke(cli, ["validate", "--data", str(DATA)])
    assert result.exit_code == 0, result.output
