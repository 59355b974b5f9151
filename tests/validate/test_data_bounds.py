"""``validate`` refuses what would break ``build`` (one line per value), and ``build`` never crashes on
what ``validate`` accepts. Before the bounds, each of these values passed fetch and validate and then
failed every later build ("canonical renderer wrote an invalid file", "year 55840 is out of range")."""

from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from modelatlas.bounds import MAX_TOKENS, MAX_UNIX
from modelatlas.cli import cli
from tests.paths import FIXTURES


def _data(tmp_path: Path, change: Any) -> Path:
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "data_small", data)
    path = data / "providers" / "openai.json"
    doc = json.loads(path.read_text())
    change(doc["models"])
    path.write_text(json.dumps(doc, indent=2, sort_keys=True))
    return data


def _rename(models: list[dict[str, Any]], upstream: str) -> None:
    model = models[-1]
    model["id"], model["modelatlas"]["upstream_id"] = f"openai/{upstream}", upstream
    models.sort(key=lambda m: m["id"])


def _price(models: list[dict[str, Any]], value: str) -> None:
    models[-1].setdefault("pricing", {})["prompt"] = value
    models[-1]["modelatlas"]["provenance"]["pricing.prompt"] = "litellm"


def _conflict(models: list[dict[str, Any]], value: str) -> None:
    """A disputed price (``modelatlas.conflicts`` values have no pattern in the schema)."""
    _price(models, "0.000001")
    models[-1]["modelatlas"]["conflicts"] = {"pricing.prompt": {"litellm": "0.000001", "openrouter": value}}


def _created(models: list[dict[str, Any]], value: int) -> None:
    models[-1]["created"] = value
    models[-1]["modelatlas"]["provenance"]["created"] = "openrouter"


BROKEN = {
    "an id with a space": (lambda m: _rename(m, "gpt 4o mini"), "id contains whitespace"),
    "a price 1e999998": (lambda m: _price(m, "1e999998"), "does not match"),  # the schema's pattern
    "a disputed price 1e999998": (lambda m: _conflict(m, "1e999998"), "not a plain decimal string"),
    "a price of 999,999 digits": (lambda m: _price(m, "9" * 999_999), "(1000001 characters) does not match"),
    "created in milliseconds": (lambda m: _created(m, 1_700_000_000_000), "milliseconds"),
    "created 10^29": (lambda m: _created(m, 10**29), "not unix seconds before 2100"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_validate_and_build_refuse_a_value_outside_the_bounds(
    tmp_path: Path, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    change, why = BROKEN[case]
    data = _data(tmp_path, change)
    monkeypatch.chdir(tmp_path)  # (no build/ there: the default --dir is skipped)
    result = CliRunner().invoke(cli, ["validate", "--data", str(data), "--allow-missing"])
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith("  ")]
    assert len(problems) == 1 and why in problems[0], result.output
    assert len(problems[0]) < 400  # one line, not the value
    built = CliRunner().invoke(
        cli, ["build", "--data", str(data), "--out", str(tmp_path / "out"), "--allow-missing"]
    )
    assert built.exit_code == 1 and (built.exception is None or isinstance(built.exception, SystemExit))
    assert "data failed validation, nothing written" in built.output
    assert not (tmp_path / "out").exists()


def _at_the_bounds(models: list[dict[str, Any]]) -> None:
    _created(models, MAX_UNIX)
    _price(models, "0.001")
    model = models[-1]
    model["context_length"] = MAX_TOKENS
    model["pricing"].update(request="1000", image="0.000000000000000000000001")
    model["modelatlas"]["lifecycle"] = {"release_date": "1970-01", "retirement_date": "2099-12-31"}
    for path in ("context_length", "pricing.request", "pricing.image", "modelatlas.lifecycle.release_date"):
        model["modelatlas"]["provenance"][path] = "litellm"
    model["modelatlas"]["provenance"]["modelatlas.lifecycle.retirement_date"] = "litellm"
    _rename(models, "Модель~1:free@2025#x?y%20z")


def test_build_accepts_every_value_validate_accepts(tmp_path: Path) -> None:
    data = _data(tmp_path, _at_the_bounds)
    out = tmp_path / "out"
    with contextlib.chdir(tmp_path):  # (no build/ there: the default --dir is skipped)
        result = CliRunner().invoke(cli, ["validate", "--data", str(data), "--allow-missing"])
    assert result.exit_code == 0, result.output
    built = CliRunner().invoke(cli, ["build", "--data", str(data), "--out", str(out), "--allow-missing"])
    assert built.exit_code == 0, built.output
    again = CliRunner().invoke(cli, ["validate", "--data", str(data), "--dir", str(out), "--allow-missing"])
    assert again.exit_code == 0, again.output
